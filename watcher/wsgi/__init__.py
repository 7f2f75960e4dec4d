"""WSGI applications for external WSGI servers (uwsgi, mod_wsgi)."""
