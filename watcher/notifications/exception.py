"""The ``infra-optim.exception`` notification and its ExceptionPayload."""
from watcher.notifications import base

ExceptionPayload = base.ExceptionPayload


def send_exception(context, exc=None, host=None):
    """Emit ``infra-optim.exception`` (ERROR) describing ``exc``."""
    payload = ExceptionPayload.from_exception(exc)
    if payload is None:
        return None
    return base.emit(context, 'infra-optim.exception', payload,
                     priority=base.Priority.ERROR, host=host)
