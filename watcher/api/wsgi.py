"""WSGI entry point (``watcher-api-wsgi``, or ``application`` for uwsgi)."""
import os
import sys

from oslo_config import cfg

from watcher.common import config

CONF = cfg.CONF


def initialize_wsgi_app(argv=None):
    """Parse the configuration once and return the WSGI application.

    The configuration file comes from the command line (when run as the
    ``watcher-api-wsgi`` script) or from ``WATCHER_CONFIG_FILE``.
    """
    from watcher.api import app
    if argv is None:
        conf_file = os.environ.get('WATCHER_CONFIG_FILE')
        if conf_file:
            argv = [sys.argv[0], '--config-file', conf_file]
        else:
            argv = list(sys.argv)
    try:
        config.parse_args(argv)
    except cfg.Error:
        # Under a WSGI server argv holds the server's own options.
        config.parse_args(argv[:1])
    return app.setup_app()
