"""Entry point to watcher's database layer.

``get_instance()`` returns the backend connection object (one per process);
its methods are documented in :mod:`watcher.db.sqlalchemy.api`. Only the
objects layer (:mod:`watcher.objects`), purge and the db-manage command
should call it; everything else goes through the objects.
"""
import threading

_LOCK = threading.Lock()
_INSTANCE = None


def get_instance():
    """The backend connection (``watcher.db.sqlalchemy.api.Connection``)."""
    global _INSTANCE
    if _INSTANCE is None:
        with _LOCK:
            if _INSTANCE is None:
                from watcher.db.sqlalchemy import api as sqla_api
                _INSTANCE = sqla_api.get_backend()
    return _INSTANCE
