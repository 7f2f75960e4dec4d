# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

"""watcher's versioned notifications (the list an operator sees is
``doc/source/admin/notifications.rst``).

Two ways notifications leave a process:

* Object changes -- :func:`install` registers :func:`on_object_change` with
  ``watcher.objects.base.register_change_listener``; every committed create,
  update and soft delete of an Audit, ActionPlan or Action then emits
  ``<object>.create``, ``<object>.update`` (with ``state_update``) or
  ``<object>.delete``. Start-up code (``watcher.cmd``, ``watcher.wsgi``)
  calls :func:`init`, which builds the transports
  (:func:`watcher.common.rpc.init`) and then calls :func:`install`, so
  every process that initialises messaging (API, decision engine, applier,
  watcher-all) emits them.
* Pipeline phases -- called explicitly by the code doing the work:

  - ``audit.send_action_notification(ctx, audit, action='strategy'|
    'planner', phase='start'|'end'|'error', priority=None, fault=None)``
  - ``action_plan.send_action_notification(ctx, plan, action='execution'|
    'cancel', phase=..., fault=...)`` (also ``send_cancel_notification``)
  - ``action.send_execution_notification(ctx, action, phase=..., fault=...)``
    and ``action.send_cancel_notification(...)``
  - ``service.send_service_update(ctx, service, state, old_state)``
  - ``exception.send_exception(ctx, exc)`` (``infra-optim.exception``)

The error phase defaults to the ERROR priority and to the exception being
handled as ``fault``. Emission never raises.
"""
import threading

from oslo_config import cfg
from oslo_log import log

from watcher.common import context as watcher_context
from watcher.common import rpc
from watcher.objects import base as objects_base

from watcher.notifications import action  # noqa: F401
from watcher.notifications import action_plan  # noqa: F401
from watcher.notifications import audit  # noqa: F401
from watcher.notifications import base  # noqa: F401
from watcher.notifications import exception  # noqa: F401
from watcher.notifications import goal  # noqa: F401
from watcher.notifications import service  # noqa: F401
from watcher.notifications import strategy  # noqa: F401

LOG = log.getLogger(__name__)

_EMITTERS = {
    'Audit': audit,
    'ActionPlan': action_plan,
    'Action': action,
}

_installed = False
_lock = threading.Lock()


def _object_name(obj):
    try:
        return obj.obj_name()
    except Exception:
        return type(obj).__name__


def _context_of(obj):
    ctx = getattr(obj, '_context', None)
    if ctx is None:
        ctx = watcher_context.get_admin_context()
    return ctx


def on_object_change(event, obj, old_state=None):
    """Change listener: ``event`` is 'create', 'update' or 'delete'."""
    module = _EMITTERS.get(_object_name(obj))
    if module is None or not rpc.initialized():
        return
    ctx = _context_of(obj)
    try:
        if event == 'create':
            module.send_create(ctx, obj)
        elif event == 'update':
            module.send_update(ctx, obj, old_state=old_state)
        elif event == 'delete':
            module.send_delete(ctx, obj)
    except Exception:
        LOG.exception('Notification of %s %s failed', event,
                      _object_name(obj))


def install():
    """Register :func:`on_object_change` with the object layer (once)."""
    global _installed
    with _lock:
        if not _installed:
            objects_base.register_change_listener(on_object_change)
            _installed = True


def init(conf=cfg.CONF, embedded_default=False):
    """Messaging of a watcher process, wired: the transports and notifier
    (:func:`watcher.common.rpc.init`, same arguments) and the object-change
    notifications (:func:`install`). Idempotent; answers the RPC transport.
    """
    transport = rpc.init(conf, embedded_default=embedded_default)
    install()
    return transport
