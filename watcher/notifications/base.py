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

"""Building blocks of watcher's versioned notifications.

A notification is an oslo.messaging message whose payload is a versioned
object serialized as ``{"watcher_object.name", "watcher_object.namespace":
"watcher", "watcher_object.version", "watcher_object.data"}``. Payload
classes here are plain oslo.versionedobjects classes in the ``watcher``
namespace; each declares ``SOURCE_FIELDS`` (payload field -> attribute of the
domain object it is copied from) so that building a payload is one call to
:meth:`NotificationPayloadBase.fill_from`.

:func:`emit` applies ``notification_level``, stamps the publisher id
``infra-optim:<host>`` and hands the primitive to the process notifier of
:mod:`watcher.common.rpc`.
"""
import datetime
import inspect
import sys
import traceback

from oslo_config import cfg
from oslo_log import log
from oslo_serialization import jsonutils
from oslo_versionedobjects import base as ovo_base
from oslo_versionedobjects import fields

from watcher.common import context as watcher_context
from watcher.common import rpc
from watcher import objects

LOG = log.getLogger(__name__)
CONF = cfg.CONF

PUBLISHER_SERVICE = 'infra-optim'


class Priority:
    AUDIT = 'audit'
    CRITICAL = 'critical'
    DEBUG = 'debug'
    INFO = 'info'
    ERROR = 'error'
    SAMPLE = 'sample'
    WARNING = 'warn'
    ALL = (AUDIT, CRITICAL, DEBUG, INFO, ERROR, SAMPLE, WARNING)


class Phase:
    START = 'start'
    END = 'end'
    ERROR = 'error'
    ALL = (START, END, ERROR)


class Action:
    CREATE = 'create'
    UPDATE = 'update'
    EXCEPTION = 'exception'
    DELETE = 'delete'
    # phase-carrying actions of the pipelines
    STRATEGY = 'strategy'
    PLANNER = 'planner'
    EXECUTION = 'execution'
    CANCEL = 'cancel'


# Rank of each priority for notification_level filtering.
_RANK = {
    Priority.DEBUG: 10,
    Priority.INFO: 20, Priority.AUDIT: 20, Priority.SAMPLE: 20,
    Priority.WARNING: 30,
    Priority.ERROR: 40,
    Priority.CRITICAL: 50,
}
_LEVEL_RANK = {'DEBUG': 10, 'INFO': 20, 'WARN': 30, 'WARNING': 30,
               'ERROR': 40}


class Json(fields.FieldType):
    """Any JSON-compatible value (dicts, lists, scalars), passed as-is."""

    def coerce(self, obj, attr, value):
        if value is None:
            return None
        # round trip to make sure it is JSON-able and detached from the
        # domain object it came from
        return jsonutils.loads(jsonutils.dumps(value))

    def to_primitive(self, obj, attr, value):
        return value

    def from_primitive(self, obj, attr, value):
        return value

    def stringify(self, value):
        return jsonutils.dumps(value)


class JsonField(fields.AutoTypedField):
    AUTO_TYPE = Json()


class NotificationRegistry(ovo_base.VersionedObjectRegistry):
    """Registers payload classes in the shared versioned-object registry."""

    def registration_hook(self, cls, index):
        pass


class NotificationObject(ovo_base.VersionedObject,
                         ovo_base.ComparableVersionedObject):
    OBJ_PROJECT_NAMESPACE = 'watcher'
    OBJ_SERIAL_NAMESPACE = 'watcher_object'
    VERSION = '1.0'
    fields = {}

    def to_primitive(self):
        """The ``watcher_object.*`` dict without change tracking keys."""
        self.obj_reset_changes(recursive=True)
        return self.obj_to_primitive()


class NotificationPayloadBase(NotificationObject):
    """A payload that can be filled from domain objects.

    ``SOURCE_FIELDS`` maps a payload field to ``(source, attribute)``;
    ``fill_from(source=obj)`` copies each attribute of each given source.
    Fields not in the mapping are set by the caller.
    """

    SOURCE_FIELDS = {}

    def fill_from(self, **sources):
        for field, (source, attr) in self.SOURCE_FIELDS.items():
            if source not in sources:
                continue
            value = _read(sources[source], attr)
            if value is None and not self.fields[field].nullable:
                # leave unset rather than failing: the primitive just omits
                # it (a model without e.g. a name yet)
                continue
            setattr(self, field, value)
        return self

    @classmethod
    def build(cls, extra=None, **sources):
        payload = cls(**(extra or {}))
        payload.fill_from(**sources)
        return payload

    @classmethod
    def primitive_from(cls, values=None, **sources):
        """What ``build(**sources)`` with ``values`` set gives from
        :meth:`NotificationObject.to_primitive`, without building the
        payload object (its change tracking costs far more than the copy):
        for notifications sent by the thousand. ``values`` are taken as
        primitives already (a nested payload's primitive, a uuid).
        """
        data = {}
        for name, (source, attr) in cls.SOURCE_FIELDS.items():
            if source not in sources:
                continue
            value = _read(sources[source], attr)
            field = cls.fields[name]
            if value is None:
                if field.nullable:
                    data[name] = None
                continue
            if isinstance(field, JsonField):
                # sent as it is: the notifier serializes it right away, so
                # the detaching copy of Json.coerce is not needed here
                data[name] = value
            else:
                data[name] = field.to_primitive(
                    cls, name, field.coerce(cls, name, value))
        data.update(values or {})
        return {
            cls.OBJ_SERIAL_NAMESPACE + '.name': cls.obj_name(),
            cls.OBJ_SERIAL_NAMESPACE + '.namespace':
                cls.OBJ_PROJECT_NAMESPACE,
            cls.OBJ_SERIAL_NAMESPACE + '.version': cls.VERSION,
            cls.OBJ_SERIAL_NAMESPACE + '.data': data,
        }


def _read(obj, attr):
    if isinstance(obj, dict):
        value = obj.get(attr)
    else:
        try:
            value = getattr(obj, attr)
        except (AttributeError, NotImplementedError):
            value = None
        except Exception:  # lazy loads that fail (orphaned rows...)
            LOG.debug('Cannot read %s of %r', attr, obj, exc_info=True)
            value = None
    if isinstance(value, datetime.datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value


def timestamp_fields():
    return {
        'created_at': fields.DateTimeField(nullable=True),
        'updated_at': fields.DateTimeField(nullable=True),
        'deleted_at': fields.DateTimeField(nullable=True),
    }


TIMESTAMP_SOURCES = ('created_at', 'updated_at', 'deleted_at')


def timestamp_sources(source):
    return {name: (source, name) for name in TIMESTAMP_SOURCES}


@NotificationRegistry.register
class ExceptionPayload(NotificationPayloadBase):
    # Version 1.0: Initial version
    VERSION = '1.0'
    fields = {
        'module_name': fields.StringField(),
        'function_name': fields.StringField(),
        'exception': fields.StringField(),
        'exception_message': fields.StringField(),
    }

    @classmethod
    def from_exception(cls, exc=None):
        """Describe ``exc`` (default: the exception being handled)."""
        if exc is None:
            exc = sys.exc_info()[1]
        if exc is None:
            return None
        function_name = module_name = ''
        tb = getattr(exc, '__traceback__', None)
        if tb is not None:
            last = tb
            while last.tb_next is not None:
                last = last.tb_next
            frame = last.tb_frame
            function_name = frame.f_code.co_name
            module = inspect.getmodule(frame)
            module_name = (module.__name__ if module is not None
                           else frame.f_globals.get('__name__', ''))
        else:
            stack = traceback.extract_stack()
            if len(stack) > 2:
                function_name = stack[-3].name
        return cls(module_name=module_name or '',
                   function_name=function_name or '',
                   exception=type(exc).__name__,
                   exception_message=str(exc))


def fault_payload(phase, fault=None):
    """The ``fault`` field of a phase notification.

    ``fault`` may be an exception, an :class:`ExceptionPayload` or None; with
    the error phase and no fault, the exception being handled is used.
    """
    if isinstance(fault, ExceptionPayload):
        return fault
    if isinstance(fault, BaseException):
        return ExceptionPayload.from_exception(fault)
    if phase == Phase.ERROR:
        return ExceptionPayload.from_exception()
    return None


def normalize_priority(priority):
    """'ERROR', 'error', 'WARNING'... -> the notifier method name."""
    if priority is None:
        return Priority.INFO
    value = str(priority).lower()
    return 'warn' if value == 'warning' else value


def event_type(obj_name, action, phase=None):
    parts = [obj_name, action]
    if phase:
        parts.append(phase)
    return '.'.join(parts)


def publisher_id(host=None, service=PUBLISHER_SERVICE):
    return '%s:%s' % (service, host or CONF.host)


def is_enabled(priority):
    level = CONF.notification_level
    if not level or str(level).lower() == 'none':
        return False
    wanted = _LEVEL_RANK.get(str(level).upper(), 20)
    return _RANK.get(priority, 20) >= wanted


def emit(context, event, payload, priority=Priority.INFO, host=None,
         service=PUBLISHER_SERVICE):
    """Send one versioned notification; never raises.

    ``payload``: a payload object, or its primitive
    (:meth:`NotificationPayloadBase.primitive_from`).

    A notification that cannot be built or sent is logged: the state change
    it describes has already been committed.
    """
    priority = normalize_priority(priority)
    if priority not in Priority.ALL:
        raise ValueError('Unknown notification priority %s' % priority)
    if not is_enabled(priority) or not rpc.initialized():
        # processes that never set up messaging (tools, unit tests of other
        # layers) emit nothing
        return None
    try:
        primitive = (payload if isinstance(payload, dict)
                     else payload.to_primitive())
        notifier = rpc.get_notifier(publisher_id(host, service))
        getattr(notifier, priority)(context or {}, event, primitive)
        return primitive
    except Exception:
        LOG.exception('Could not emit the %s notification', event)
        return None


def load_related(obj, field, id_attr, object_name):
    """The object ``obj.<field>`` points at, eager-loaded or fetched.

    Uses the eager-loaded attribute when it is set, else fetches
    ``objects.<object_name>.get(ctx, obj.<id_attr>)`` with a context that
    sees soft-deleted rows (a deleted goal still names its audits).
    """
    is_set = getattr(obj, 'obj_attr_is_set', None)
    if is_set is not None:
        try:
            if field in getattr(obj, 'fields', {}) and is_set(field):
                value = getattr(obj, field)
                if value is not None:
                    return value
        except Exception:
            LOG.debug('Cannot read eager %s of %r', field, obj,
                      exc_info=True)
    else:
        value = getattr(obj, field, None)
        if value is not None:
            return value
    try:
        ident = getattr(obj, id_attr, None)
    except Exception:
        ident = None
    if ident is None:
        return None
    try:
        klass = getattr(objects, object_name)
        ctx = watcher_context.get_admin_context(show_deleted=True)
        return klass.get(ctx, ident)
    except Exception:
        LOG.debug('Cannot load %s %s for a notification', object_name,
                  ident, exc_info=True)
        return None
