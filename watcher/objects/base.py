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

"""Base classes of watcher's versioned objects, state checks and listeners.

Every persistent object (``WatcherPersistentObject``) offers::

    Cls.get(context, ident, eager=False)        # int id, uuid or name
    Cls.get_by_id(context, id, eager=False)
    Cls.get_by_uuid(context, uuid, eager=False)   # objects with a uuid
    Cls.get_by_name(context, name, eager=False)   # objects with a name
    Cls.list(context, filters=None, limit=None, marker=None,
             sort_key=None, sort_dir=None, eager=False)
    Cls.list_with_parents(context, parents, filters=None, ...)
    obj.create()  obj.save(expected_state=None)  obj.soft_delete()
    obj.destroy()  obj.refresh(eager=False)  obj.as_dict()

Field names are the column names of the table. Related objects (``EAGER``:
e.g. ``Audit.goal``) are filled by ``eager=True`` in the same SQL query; read
on an object loaded without it, they are fetched one by one (avoid that in
loops). Filters, sorting and paging are those of
:mod:`watcher.db.sqlalchemy.api`. ``with reading(): ...`` makes several
reads (a page and what its views read) share one database transaction.
``list_with_parents`` gives a page with the uuid and name of chosen parents
(``ParentRef``) read by the same query, each parent once.

State machines: objects with a ``state`` declare ``TRANSITIONS`` (from state
-> set of allowed next states); :func:`check_transition` is the one check
used by ``save()`` and ``soft_delete()``; an illegal move raises
``IllegalStateTransition`` (400) before anything is written.
``save(expected_state=S)`` additionally makes the write a compare-and-set
against the row's current state (``ObjectStateChanged``, 409, when another
writer got there first).

Change listeners: :func:`register_change_listener` (``callback(event, obj,
old_state)``, event in ``create``/``update``/``delete``) is called after each
successful commit of ``create()``, ``save()`` and ``soft_delete()`` (also for
the children a soft delete cascades to). A failing listener is logged, never
propagated.
"""
import collections
import datetime
import threading
import time
import typing

from oslo_log import log
from oslo_utils import versionutils
from oslo_versionedobjects import base as ovo_base
from oslo_versionedobjects import fields as ovo_fields

from watcher.common import context as wctx
from watcher.common import exception
from watcher.common import library_seams
from watcher.common.i18n import _
from watcher.common import utils
from watcher.db import api as db_api
from watcher.db import limits as db_limits
# The package itself: the registry publishes each class as objects.<Name>
# (this module is imported while the package is being initialised).
from watcher import objects as watcher_objects
from watcher.objects import fields as wfields

LOG = log.getLogger(__name__)

remotable = ovo_base.remotable
remotable_classmethod = ovo_base.remotable_classmethod

_LISTENERS = []


def register_change_listener(callback):
    """Call ``callback(event, obj, old_state)`` after each committed change."""
    if callback not in _LISTENERS:
        _LISTENERS.append(callback)


def unregister_change_listener(callback):
    if callback in _LISTENERS:
        _LISTENERS.remove(callback)


_LISTENER_TIME = threading.local()


def listener_seconds():
    """Seconds this thread has spent in change listeners (the versioned
    notifications of the changes), for stage timings.
    """
    return getattr(_LISTENER_TIME, 'seconds', 0.0)


def notify_change(event, obj, old_state=None):
    """Tell every listener about a committed change (errors are logged)."""
    started = time.perf_counter()
    for callback in list(_LISTENERS):
        try:
            callback(event, obj, old_state)
        except Exception:
            LOG.exception('Change listener %r failed on %s of %s %s',
                          callback, event, obj.obj_name(),
                          getattr(obj, 'uuid', None))
    _LISTENER_TIME.seconds = (listener_seconds() + time.perf_counter() -
                              started)


def check_transition(obj_name, transitions, uuid, old, new):
    """Refuse a state change the ``transitions`` table does not allow.

    Staying in the same state is not a transition and always passes.
    """
    if old == new:
        return
    if new not in transitions.get(old, ()):
        raise exception.IllegalStateTransition(
            object=obj_name, uuid=uuid, from_state=old, to_state=new)


# What a list page shows of a parent (see list_with_parents).
ParentRef = collections.namedtuple('ParentRef', 'id uuid name')


# --- loading rows cheaply --------------------------------------------------
#
# Setting a field through its property runs oslo.versionedobjects' setter
# (coercion, read-only check, change tracking): several microseconds per
# field, ~20 fields per row. Loading a row stores the coerced value directly
# (the changes are reset right after anyway), and for the values our own
# tables give (an int for an IntegerField, a naive UTC datetime for a
# DateTimeField...) skips the coercion when it would return the value as it
# is (or, for datetimes, just mark it UTC, as coercion does). The library
# internals this needs, and the measured gain, are in
# watcher.common.library_seams.

_SLOW = object()
_UTC = datetime.timezone.utc
# field type class -> the one Python type its coercion returns unchanged
_EXACT_TYPES = {
    ovo_fields.Integer: int,
    ovo_fields.String: str,
    ovo_fields.Boolean: bool,
    ovo_fields.Float: float,
    # Its coercion only adds a FutureWarning for a malformed uuid; ours
    # are generated by the database layer.
    ovo_fields.UUID: str,
}


def _coerces_none_to_none(field):
    try:
        return field.coerce(None, None, None) is None
    except Exception:
        return False


def _shortcut(field):
    """``value -> coerced value`` for the common values (else ``_SLOW``)."""
    field_type = type(library_seams.ovo_field_type(field))
    none = _SLOW
    if field.nullable and _coerces_none_to_none(field):
        none = None
    exact = _EXACT_TYPES.get(field_type)
    if exact is not None:
        def shortcut(value, exact=exact, none=none):
            if type(value) is exact:
                return value
            return none if value is None else _SLOW
        return shortcut
    if (field_type is ovo_fields.DateTime
            and library_seams.ovo_field_type(field).tzinfo_aware):
        def shortcut(value, none=none):
            if type(value) is datetime.datetime:
                if value.tzinfo is None:
                    return value.replace(tzinfo=_UTC)
                return _SLOW
            return none if value is None else _SLOW
        return shortcut
    return None


def _load_plan(cls):
    """[(name, storage attribute, field, shortcut or None)] of ``cls``.

    None when a field is read-only (its setter's check is then needed).
    """
    try:
        return cls.__dict__['_watcher_load_plan']
    except KeyError:
        pass
    plan = []
    for name, field in cls.fields.items():
        if name in cls.EAGER:
            continue
        if field.read_only:
            plan = None
            break
        plan.append((name, library_seams.ovo_attrname(name), field,
                     _shortcut(field)))
    cls._watcher_load_plan = plan
    return plan


def _fast_getters(cls):
    """Field properties whose getter reads the stored value directly.

    Same behaviour as oslo.versionedobjects' getter (an unset field calls
    ``obj_load_attr``), without its hasattr + getattr per read; the setter
    and deleter are kept.
    """
    for name in cls.fields:
        prop = cls.__dict__.get(name)
        if not isinstance(prop, property):
            continue

        def getter(self, name=name, attrname=library_seams.ovo_attrname(name)):
            try:
                return self.__dict__[attrname]
            except KeyError:
                self.obj_load_attr(name)
                return getattr(self, attrname)

        setattr(cls, name, property(getter, prop.fset, prop.fdel))


class WatcherObjectRegistry(ovo_base.VersionedObjectRegistry):
    """Registers objects and exposes the newest version as ``objects.X``."""

    notification_classes = []

    def registration_hook(self, cls, index):
        if cls.__dict__.get('_watcher_notification', False):
            return
        _fast_getters(cls)
        version = versionutils.convert_version_to_tuple(cls.VERSION)
        current = getattr(watcher_objects, cls.obj_name(), None)
        if current is None or version >= versionutils.convert_version_to_tuple(
                current.VERSION):
            setattr(watcher_objects, cls.obj_name(), cls)

    @classmethod
    def register_notification(cls, notification_cls):
        """Register a notification payload class (not exposed in objects)."""
        notification_cls._watcher_notification = True
        cls.notification_classes.append(notification_cls)
        return cls.register(notification_cls)


class WatcherObject(ovo_base.VersionedObject,
                    ovo_base.VersionedObjectDictCompat,
                    ovo_base.ComparableVersionedObject):
    """Base of every watcher object (namespace ``watcher``)."""

    OBJ_SERIAL_NAMESPACE = 'watcher_object'
    OBJ_PROJECT_NAMESPACE = 'watcher'

    def as_dict(self):
        return {name: getattr(self, name) for name in self.fields
                if self.obj_attr_is_set(name)}


class WatcherObjectSerializer(ovo_base.VersionedObjectSerializer):
    """Serializer for RPC (objects travel as their primitives)."""
    OBJ_BASE_CLASS = WatcherObject


def _db():
    return db_api.get_instance()


class DbCalls(typing.NamedTuple):
    """The :class:`watcher.db.api.Connection` methods one object class
    uses, each given as ``lambda db: db.<method>`` so that every call is
    written out where a reader (or an IDE) finds it.
    """
    get_list: typing.Callable
    create: typing.Callable
    get_by_id: typing.Callable
    update: typing.Callable
    soft_delete: typing.Callable
    destroy: typing.Callable
    get_by_uuid: typing.Optional[typing.Callable] = None
    get_by_name: typing.Optional[typing.Callable] = None


def reading():
    """Context manager: the object reads of this thread inside share one
    database transaction (fewer round trips, one snapshot); no writes.
    """
    return _db().reader()


class WatcherPersistentObject(WatcherObject):
    """An object stored in one table; the class attributes describe how."""

    # the database calls of this class (a DbCalls)
    DB = None
    # field -> object class name of the related object loaded eagerly
    EAGER = {}
    # whether the table has a uuid / a (live-)unique name column
    HAS_UUID = True
    NAME_FIELD = None
    # state machine (objects with a state)
    TRANSITIONS = None
    INITIAL_STATE = None
    # values given to unset fields on create()
    DEFAULTS = {}

    fields = {
        'created_at': wfields.DateTimeField(nullable=True),
        'updated_at': wfields.DateTimeField(nullable=True),
        'deleted_at': wfields.DateTimeField(nullable=True),
    }

    # --- loading -----------------------------------------------------------

    @classmethod
    def _from_db_object(cls, obj, db_obj, eager=False):
        plan = _load_plan(cls)
        if plan is None:
            for name in obj.fields:
                if name not in cls.EAGER:
                    setattr(obj, name, getattr(db_obj, name))
        else:
            # What the setters would store (see _load_plan). A loaded
            # column of a model instance sits in its __dict__.
            values = obj.__dict__
            row = getattr(db_obj, '__dict__', None) or {}
            for name, attrname, field, shortcut in plan:
                value = row[name] if name in row else getattr(db_obj, name)
                if shortcut is not None:
                    stored = shortcut(value)
                    if stored is not _SLOW:
                        values[attrname] = stored
                        continue
                values[attrname] = field.coerce(obj, name, value)
        if eager:
            for name, cls_name in cls.EAGER.items():
                related = getattr(db_obj, name)
                if related is None:
                    setattr(obj, name, None)
                else:
                    rel_cls = getattr(watcher_objects, cls_name)
                    setattr(obj, name, rel_cls._from_db_object(
                        rel_cls(obj._context), related))
        obj._orig_state = getattr(db_obj, 'state', None)
        obj.obj_reset_changes()
        return obj

    @classmethod
    def _from_db_list(cls, context, db_objs, eager=False):
        return [cls._from_db_object(cls(context), db_obj, eager=eager)
                for db_obj in db_objs]

    def obj_load_attr(self, attrname):
        if attrname not in self.EAGER:
            raise exception.WatcherException(
                '%s.%s is not set' % (self.obj_name(), attrname))
        rel_cls = getattr(watcher_objects, self.EAGER[attrname])
        fk = getattr(self, attrname + '_id')
        LOG.debug('Lazy-loading %s.%s (use eager=True in loops)',
                  self.obj_name(), attrname)
        value = None if fk is None else rel_cls.get_by_id(
            _show_deleted(self._context), fk)
        setattr(self, attrname, value)
        self.obj_reset_changes([attrname])

    def _ident(self):
        if self.HAS_UUID and self.obj_attr_is_set('uuid') and self.uuid:
            return self.uuid
        return self.id

    # --- reads -------------------------------------------------------------

    @classmethod
    def get(cls, context, ident, eager=False):
        """Find by integer id, uuid or (where there is one) name."""
        if isinstance(ident, int) or utils.is_int_like(ident):
            return cls.get_by_id(context, int(ident), eager=eager)
        if cls.HAS_UUID and utils.is_uuid_like(ident):
            return cls.get_by_uuid(context, ident, eager=eager)
        if cls.NAME_FIELD:
            return cls.get_by_name(context, ident, eager=eager)
        if cls.HAS_UUID:
            raise exception.InvalidUUID(uuid=ident)
        raise exception.InvalidParameterValue(
            err='%s is not a valid identifier' % ident)

    @classmethod
    def get_by_id(cls, context, id_, eager=False):
        db_obj = cls.DB.get_by_id(_db())(
            context, id_, eager=eager)
        return cls._from_db_object(cls(context), db_obj, eager=eager)

    @classmethod
    def get_by_uuid(cls, context, uuid, eager=False):
        db_obj = cls.DB.get_by_uuid(_db())(
            context, uuid, eager=eager)
        return cls._from_db_object(cls(context), db_obj, eager=eager)

    @classmethod
    def get_by_name(cls, context, name, eager=False):
        db_obj = cls.DB.get_by_name(_db())(
            context, name, eager=eager)
        return cls._from_db_object(cls(context), db_obj, eager=eager)

    @classmethod
    def list(cls, context, filters=None, limit=None, marker=None,
             sort_key=None, sort_dir=None, eager=False):
        db_objs = cls.DB.get_list(_db())(
            context, filters=filters, limit=limit, marker=marker,
            sort_key=sort_key, sort_dir=sort_dir, eager=eager)
        return cls._from_db_list(context, db_objs, eager=eager)

    @classmethod
    def list_with_parents(cls, context, parents, filters=None, limit=None,
                          marker=None, sort_key=None, sort_dir=None):
        """``list()`` plus what the page shows of its parents, one query.

        Returns ``(objects, {relation: {id: ParentRef}})``; ``parents``
        names relations of ``EAGER``. Soft-deleted parents are found too.
        """
        pairs = cls.DB.get_list(_db())(
            context, filters=filters, limit=limit, marker=marker,
            sort_key=sort_key, sort_dir=sort_dir, parents=parents)
        found = {name: {} for name in parents}
        objs = []
        for db_obj, refs in pairs:
            objs.append(cls._from_db_object(cls(context), db_obj))
            for name, ref in refs.items():
                if ref is not None:
                    found[name][ref[0]] = ParentRef(*ref)
        return objs, found

    # --- writes ------------------------------------------------------------

    def _db_values(self, values):
        values = {k: v for k, v in values.items() if k not in self.EAGER}
        self._check_lengths(values)
        return values

    def _check_lengths(self, values):
        """Refuse strings longer than their column on every backend."""
        limits = db_limits.string_lengths(self.obj_name())
        for field, value in values.items():
            limit = limits.get(field)
            if not isinstance(value, str):
                continue
            if limit and len(value) > limit:
                raise exception.FieldTooLong(
                    field=field, length=len(value),
                    limit=limit)
            if '\x00' in value:
                # PostgreSQL refuses it; SQLite and MariaDB would store it
                raise exception.Invalid(
                    _("'%s' contains a NUL character") % field)

    def create(self):
        """Insert the object; fills id, uuid and timestamps."""
        for name, default in self.DEFAULTS.items():
            if not self.obj_attr_is_set(name):
                setattr(self, name, default() if callable(default)
                        else default)
        if (self.INITIAL_STATE and 'state' in self.fields and
                not self.obj_attr_is_set('state')):
            self.state = self.INITIAL_STATE
        values = self._db_values(self.obj_get_changes())
        db_obj = self.DB.create(_db())(values)
        self._refresh_from(db_obj)
        notify_change('create', self, None)

    def _refresh_from(self, db_obj):
        eager_values = {name: getattr(self, name) for name in self.EAGER
                        if self.obj_attr_is_set(name)}
        self._from_db_object(self, db_obj)
        for name, value in eager_values.items():
            if value is None or getattr(self, name + '_id', None) == getattr(
                    value, 'id', None):
                setattr(self, name, value)
        self.obj_reset_changes()

    def save(self, expected_state=None, expected=None):
        """Write the changed fields (state changes are checked first).

        ``expected_state`` (a state or a collection of states) turns the
        write into a compare-and-set on the row's current state;
        ``expected`` (``{column: value}``, resources whose update takes it)
        adds those columns to the compare-and-set.
        """
        updates = self._db_values(self.obj_get_changes())
        old_state = getattr(self, '_orig_state', None)
        if 'state' in updates and self.TRANSITIONS is not None:
            froms = ([expected_state] if isinstance(expected_state, str)
                     else list(expected_state or [old_state]))
            for from_state in froms:
                if from_state is None:  # never loaded from the database
                    continue
                check_transition(self.obj_name(), self.TRANSITIONS,
                                 self._ident(), from_state, updates['state'])
        if not updates:
            return
        cas = {'expected_state': expected_state}
        if expected:
            cas['expected'] = dict(expected)
        db_obj = self.DB.update(_db())(self._ident(), updates, **cas)
        self._refresh_from(db_obj)
        notify_change('update', self, old_state)

    def refresh(self, eager=False):
        """Reload every field from the database."""
        fresh = self.get_by_id(_show_deleted(self._context), self.id,
                               eager=eager)
        for name in self.fields:
            if fresh.obj_attr_is_set(name):
                setattr(self, name, getattr(fresh, name))
        self._orig_state = getattr(fresh, '_orig_state', None)
        self.obj_reset_changes()

    def _check_delete(self):
        if self.TRANSITIONS is not None:
            check_transition(self.obj_name(), self.TRANSITIONS,
                             self._ident(), self._orig_state, 'DELETED')

    def _cascaded_children(self):
        """Live objects a soft delete of this object also deletes."""
        return []

    def soft_delete(self):
        """Mark deleted (state DELETED where there is one) with cascade."""
        self._check_delete()
        children = self._cascaded_children()
        old_state = getattr(self, '_orig_state', None)
        db_obj = self.DB.soft_delete(_db())(
            self._ident())
        self._refresh_from(db_obj)
        for child in children:
            child_old = getattr(child, '_orig_state', None)
            child.deleted_at = self.deleted_at
            if 'state' in child.fields:
                child.state = 'DELETED'
                child._orig_state = 'DELETED'
            child.obj_reset_changes()
            notify_change('delete', child, child_old)
        notify_change('delete', self, old_state)

    def destroy(self):
        """Remove the row for good (no listener is called)."""
        self.DB.destroy(_db())(self._ident())
        self.obj_reset_changes()


def _show_deleted(context):
    """A context seeing soft-deleted rows (to follow references)."""
    if context is None:
        return wctx.get_admin_context(show_deleted=True)
    if getattr(context, 'show_deleted', False):
        return context
    clone = context.__class__.from_dict(context.to_dict())
    clone.show_deleted = True
    return clone
