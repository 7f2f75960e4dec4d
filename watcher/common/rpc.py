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

"""Messaging set-up shared by every watcher process.

One call to :func:`init` per process builds the RPC transport, the
notification transport and the notifier from the configuration. Everything
else asks this module for clients, servers, listeners and notifiers so that
the request context travels the same way everywhere. Start-up code calls
:func:`watcher.notifications.init`, which calls :func:`init` and then wires
the object-change notifications (this module sits below the object and
notification layers and imports neither).

Embedded (in-process) mode
    When ``transport_url`` is ``fake://`` (or unset and the caller asked for
    the embedded default, as ``watcher-all`` does), the process uses
    oslo.messaging's in-memory driver. That driver keeps its queues per driver
    instance, so this module builds exactly ONE driver and wraps it twice: in
    the RPC transport returned by :func:`get_transport` and in the
    notification transport returned by :func:`get_notification_transport`.
    Everything in the process (API casts, decision engine and applier
    servers, watcher's notifications, the simulated cloud's nova
    notifications and the decision engine's listeners) then meets on the same
    queues. :func:`is_embedded` tells whether this mode is on.

The notification transport also uses ``[oslo_messaging_notifications]
transport_url`` when it is set (production deployments may route
notifications to another broker).
"""
import threading

from oslo_config import cfg
from oslo_log import log
import oslo_messaging as messaging
from oslo_messaging import opts as msg_opts

from watcher.common import context as watcher_context
from watcher.common import library_seams

LOG = log.getLogger(__name__)
CONF = cfg.CONF

CONTROL_EXCHANGE = 'watcher'
NOTIFICATIONS_GROUP = 'oslo_messaging_notifications'

# Exceptions raised by an RPC endpoint travel back to the caller as the same
# class when they live in one of these modules.
ALLOWED_EXMODS = ['watcher.common.exception']

TRANSPORT = None
NOTIFICATION_TRANSPORT = None
NOTIFIER = None
_EMBEDDED = False
_LOCK = threading.Lock()

messaging.set_transport_defaults(CONTROL_EXCHANGE)

# oslo.messaging's default transport_url: "not configured"
_DEFAULT_URL = 'rabbit://'


class RequestContextSerializer(messaging.Serializer):
    """Carries the watcher RequestContext and delegates entities."""

    def __init__(self, base=None):
        self._base = base

    def serialize_entity(self, ctxt, entity):
        if self._base is None:
            return entity
        return self._base.serialize_entity(ctxt, entity)

    def deserialize_entity(self, ctxt, entity):
        if self._base is None:
            return entity
        return self._base.deserialize_entity(ctxt, entity)

    def serialize_context(self, ctxt):
        if ctxt is None:
            return {}
        if isinstance(ctxt, dict):
            return ctxt
        return ctxt.to_dict()

    def deserialize_context(self, ctxt):
        if not ctxt:
            return watcher_context.get_admin_context()
        return watcher_context.RequestContext.from_dict(ctxt)


def get_serializer(entity_serializer=None):
    """The serializer of watcher's RPC clients and servers.

    RPC arguments and answers are primitives (uuids, names, dicts), so by
    default entities pass through unchanged. A caller that sends versioned
    objects passes ``watcher.objects.base.WatcherObjectSerializer()``: the
    object layer sits above this module and is not imported from here.
    """
    return RequestContextSerializer(entity_serializer)


def register_opts(conf=CONF):
    """Register oslo.messaging's transport and notifier options now (they
    are otherwise registered on first use), so they can be read or
    overridden before :func:`init`.
    """
    # oslo.messaging's public option listing (the one its sample-config
    # generator reads): the same option objects it registers itself later.
    for group, opts in msg_opts.list_opts():
        if group in (None, NOTIFICATIONS_GROUP):
            conf.register_opts(opts, group=group)


def _configured_url(conf):
    """The RPC transport URL the operator set, or None when left default
    (oslo.messaging's bare ``rabbit://``).
    """
    register_opts(conf)
    url = conf.transport_url
    if not url or url == _DEFAULT_URL:
        return None
    return url


def wants_embedded(conf=CONF, embedded_default=False):
    """Whether ``init`` would choose the in-process transport."""
    url = _configured_url(conf)
    if url is None:
        return embedded_default
    return url.split(':', 1)[0] == 'fake'


def init(conf=CONF, embedded_default=False):
    """Build the transports and the notifier of this process (idempotent).

    :param embedded_default: use the in-process transport when no
        ``transport_url`` is configured (``watcher-all``); daemons keep
        oslo.messaging's default (a local RabbitMQ) instead.
    """
    global TRANSPORT, NOTIFICATION_TRANSPORT, NOTIFIER, _EMBEDDED
    with _LOCK:
        if TRANSPORT is not None:
            return TRANSPORT
        embedded = wants_embedded(conf, embedded_default)
        if embedded:
            rpc_transport = messaging.get_rpc_transport(
                conf, url='fake://', allowed_remote_exmods=ALLOWED_EXMODS)
            # Same driver object, seen as a notification transport: the
            # fake driver's queues live in the driver instance.
            notif_transport = library_seams.notification_transport_on(
                rpc_transport)
        else:
            rpc_transport = messaging.get_rpc_transport(
                conf, allowed_remote_exmods=ALLOWED_EXMODS)
            notif_transport = messaging.get_notification_transport(
                conf, allowed_remote_exmods=ALLOWED_EXMODS)
        # The notifier options are registered by now.
        TRANSPORT = rpc_transport
        NOTIFICATION_TRANSPORT = notif_transport
        _EMBEDDED = embedded
        NOTIFIER = _make_notifier(conf)
        LOG.debug('Messaging initialised (embedded=%s)', embedded)
    return TRANSPORT


def _make_notifier(conf):
    if notifications_disabled(conf):
        return messaging.Notifier(NOTIFICATION_TRANSPORT,
                                  serializer=get_serializer(),
                                  driver='noop')
    # Payloads are primitives already (watcher.notifications.base.emit):
    # nothing in them for the object serializer to walk through.
    return messaging.Notifier(NOTIFICATION_TRANSPORT,
                              serializer=RequestContextSerializer())


def notifications_disabled(conf=CONF):
    level = getattr(conf, 'notification_level', 'INFO')
    return not level or str(level).lower() == 'none'


def reset_notifier(conf=CONF):
    """Rebuild the notifier after a configuration change (tests)."""
    global NOTIFIER
    if NOTIFICATION_TRANSPORT is not None:
        NOTIFIER = _make_notifier(conf)


def cleanup():
    """Release the transports (process exit, test tear-down)."""
    global TRANSPORT, NOTIFICATION_TRANSPORT, NOTIFIER, _EMBEDDED
    with _LOCK:
        transports = [TRANSPORT]
        if NOTIFICATION_TRANSPORT is not None and (
                TRANSPORT is None or not library_seams.share_driver(
                    NOTIFICATION_TRANSPORT, TRANSPORT)):
            transports.append(NOTIFICATION_TRANSPORT)
        for transport in transports:
            if transport is not None:
                try:
                    transport.cleanup()
                except Exception:  # pragma: no cover - best effort
                    LOG.debug('Transport cleanup failed', exc_info=True)
        TRANSPORT = NOTIFICATION_TRANSPORT = NOTIFIER = None
        _EMBEDDED = False


def initialized():
    return TRANSPORT is not None


def is_embedded():
    return _EMBEDDED


def _require():
    if TRANSPORT is None:
        init(CONF)


def get_transport():
    """The RPC transport (in embedded mode: the one shared in-process)."""
    _require()
    return TRANSPORT


def get_notification_transport():
    """The notification transport (in embedded mode it shares the driver of
    :func:`get_transport`, hence the queues).
    """
    _require()
    return NOTIFICATION_TRANSPORT


def get_client(target, version_cap=None, serializer=None, timeout=None):
    _require()
    return messaging.get_rpc_client(
        TRANSPORT, target, version_cap=version_cap,
        serializer=serializer or get_serializer(), timeout=timeout)


def get_server(target, endpoints, serializer=None):
    _require()
    return messaging.get_rpc_server(
        TRANSPORT, target, endpoints, executor='threading',
        serializer=serializer or get_serializer(),
        access_policy=messaging.DefaultRPCAccessPolicy)


def get_notification_listener(targets, endpoints, pool=None,
                              allow_requeue=False, serializer=None):
    """A listener on the notification transport (threading executor)."""
    _require()
    return messaging.get_notification_listener(
        NOTIFICATION_TRANSPORT, targets, endpoints, executor='threading',
        serializer=serializer, pool=pool, allow_requeue=allow_requeue)


def get_notifier(publisher_id):
    """The process notifier, stamped with ``publisher_id``."""
    _require()
    return NOTIFIER.prepare(publisher_id=publisher_id)
