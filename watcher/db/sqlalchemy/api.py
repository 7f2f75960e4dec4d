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

"""SQLAlchemy implementation of watcher's database API.

Every resource ``<res>`` (goal, strategy, audit_template, audit, action_plan,
action, efficacy_indicator, scoring_engine, service, action_description) has
the same family of methods, declared in :class:`watcher.db.api.Connection`
and written out one by one in :mod:`.resource_methods` (each a call into
the generic helpers)::

    get_<res>_list(context, filters=None, limit=None, marker=None,
                   sort_key=None, sort_dir=None, eager=False, parents=())
    create_<res>(values)
    get_<res>_by_id(context, id, eager=False)
    get_<res>_by_uuid(context, uuid, eager=False)      # resources with a uuid
    get_<res>_by_name(context, name, eager=False)      # resources with a name
    update_<res>(id_or_uuid, values, expected_state=None)
    soft_delete_<res>(id_or_uuid)
    destroy_<res>(id_or_uuid)

They return model instances (detached, already loaded) or lists of them.

UUIDs compare case-insensitively (they are stored in lower case). Names of
goals, strategies, audit templates and audits compare case-insensitively
(``get_<res>_by_name``, the ``name`` and ``*_name`` filters, uniqueness)
through their ``name_key`` column; see :mod:`watcher.db.sqlalchemy.models`.

Lists
  * ``filters``: a dict. Keys are column names of the table, optionally with
    an operator suffix (``__in``, ``__notin``, ``__neq``, ``__lt``,
    ``__lte``, ``__gt``, ``__gte``), plus the join filters of the resource
    (its ``join_filters`` in :mod:`.resources`, e.g. ``goal_uuid`` and
    ``goal_name`` on audits, ``audit_uuid`` on action plans and actions),
    which take the same suffixes. ``deleted`` (bool) selects soft-deleted
    (True) or live (False) rows and overrides ``context.show_deleted``. An
    unknown key raises ``InvalidFilter`` (400).
  * ``sort_key`` is a column name (default ``id``; unknown ->
    ``InvalidSortKey``), ``sort_dir`` ``asc`` (default) or ``desc``. ``id``
    breaks ties; NULLs sort first in ascending order and strings byte-wise
    (``types.byte_ordered``) on every backend.
  * ``marker`` is the uuid of the last row of the previous page (the id for
    services and action descriptions); an unknown marker raises
    ``InvalidMarker`` (400).
  * ``eager=True`` loads the related rows (the resource's ``eager``) in
    the same query; a page costs the same number of statements whatever
    its size.
  * ``parents=('goal', ...)`` (relations in ``eager``) reads the id, uuid
    and name (None where the parent has no name) of those parents in the
    same query, soft-deleted parents included; the list then holds
    ``(row, {relation: (id, uuid, name) or None})`` pairs, each row the
    table's columns as attributes (not a model instance: no relationships,
    nothing to save). What a list page shows of its parents, without
    building a parent per row.

``reader()`` returns a context manager in which the reads of the thread
share one read transaction (e.g. a list page and the parents it shows).

Writes
  * duplicates raise the resource's ``*AlreadyExists`` (409), missing rows
    its ``*NotFound`` (404), a reference to a missing row
    ``InvalidParameterValue`` (400), destroying a referenced row
    ``ObjectReferenced`` (409).
  * ``update_<res>(..., expected_state=S)`` (S a state or a collection of
    states) is a compare-and-set: the row is changed only when its state is
    in S at that moment, else ``ObjectStateChanged`` (409) and nothing is
    written. Use it when several services may take the same row.
  * ``soft_delete_<res>`` sets ``deleted``/``deleted_at`` (and ``state`` to
    DELETED where there is one). Audits cascade to their live action plans,
    action plans to their actions and efficacy indicators, strategies clear
    ``strategy_id`` of the live audit templates using them.
"""
import contextlib
import threading

from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import enginefacade
from oslo_log import log
import sqlalchemy as sa
from sqlalchemy import orm

from watcher.common import exception
from watcher.common import utils
from watcher.db import api as db_api
from watcher.db.sqlalchemy import models
from watcher.db.sqlalchemy import resource_methods
from watcher.db.sqlalchemy import resources
from watcher.db.sqlalchemy import sqlite
from watcher.db.sqlalchemy import types

LOG = log.getLogger(__name__)

DELETED = 'DELETED'

_CONTEXT_MANAGER = enginefacade.transaction_context()
_CONFIGURED = threading.Lock()
_LOCAL = threading.local()


def get_context_manager():
    """The enginefacade transaction context manager of this process."""
    return _CONTEXT_MANAGER


def _configure_once():
    if not _CONTEXT_MANAGER.is_started and not getattr(
            _CONTEXT_MANAGER, '_watcher_configured', False):
        with _CONFIGURED:
            if not getattr(_CONTEXT_MANAGER, '_watcher_configured', False):
                try:
                    # thread_checkin sleeps at each connection check-in
                    # so that green threads take turns; watcher runs
                    # OS threads, which need no such yield.
                    _CONTEXT_MANAGER.configure(sqlite_fk=True,
                                               thread_checkin=False)
                    _CONTEXT_MANAGER.append_on_engine_create(sqlite.harden)
                except TypeError:  # pragma: no cover - already started
                    pass
                _CONTEXT_MANAGER._watcher_configured = True


class _RowValues:
    """A row's values as attributes (what objects read of a model)."""

    def __init__(self, pairs):
        self.__dict__.update(pairs)


class _TxnHolder:
    """What enginefacade hangs the current transaction on (one per thread)."""


def _txn_context():
    holder = getattr(_LOCAL, 'holder', None)
    if holder is None:
        holder = _LOCAL.holder = _TxnHolder()
    return holder


@contextlib.contextmanager
def _session_for_read():
    _configure_once()
    with sqlite.transaction_kind('read'), \
            _CONTEXT_MANAGER.reader.using(_txn_context()) as session:
        yield session


@contextlib.contextmanager
def _session_for_write():
    _configure_once()
    with sqlite.transaction_kind('write'), \
            _CONTEXT_MANAGER.writer.using(_txn_context()) as session:
        yield session


def get_engine():
    """The writer engine (starts the facade from ``[database]`` if needed)."""
    _configure_once()
    return _CONTEXT_MANAGER.writer.get_engine()


def get_backend():
    return Connection()


class Connection(resource_methods.ResourceMethods, db_api.Connection):
    """The SQLAlchemy implementation of :class:`watcher.db.api.Connection`
    (the per-resource methods are in :mod:`.resource_methods`).
    """

    # --- read transactions -------------------------------------------------

    @staticmethod
    def reader():
        """Context manager: the reads of this thread inside share one
        transaction (and one pooled connection).

        Each read otherwise runs in a transaction of its own (connection
        check-out with its ping, the statement, the rollback): reading a
        list page and the parents it shows in one costs fewer round trips,
        and sees one snapshot. Only reads may run inside (a write raises
        TypeError).
        """
        return _session_for_read()

    # --- generic helpers ---------------------------------------------------

    @staticmethod
    def _query(session, res, eager=False):
        query = session.query(res.model)
        if eager:
            query = query.options(*[
                orm.joinedload(getattr(res.model, rel)) for rel in res.eager])
        return query

    @staticmethod
    def _ident_criterion(res, ident):
        model = res.model
        if isinstance(ident, int) or utils.is_int_like(ident):
            return model.id == int(ident)
        if res.has_uuid and utils.is_uuid_like(ident):
            return model.uuid == ident.lower()
        res.raise_not_found(ident)

    def _get_one(self, context, res, column, value, eager=False):
        with _session_for_read() as session:
            query = self._query(session, res, eager)
            col, key = models.lookup(res.model, column, value)
            query = query.filter(col == key)
            if context is not None and getattr(context, 'show_deleted',
                                               False):
                # A live row wins over soft-deleted namesakes.
                query = query.order_by(res.model.deleted, res.model.id)
            else:
                query = query.filter(res.model.deleted == 0).order_by(
                    res.model.id)
            row = query.first()
        if row is None:
            res.raise_not_found(value)
        return row

    def _filtered(self, context, res, query, filters):
        model = res.model
        filters = dict(filters or {})
        deleted = filters.pop('deleted', None)
        if deleted is None:
            if not (context is not None and getattr(
                    context, 'show_deleted', False)):
                query = query.filter(model.deleted == 0)
        elif deleted:
            query = query.filter(model.deleted != 0)
        else:
            query = query.filter(model.deleted == 0)
        columns = model.__table__.columns
        for key, value in filters.items():
            name, _sep, op = key.partition('__')
            op = op or 'eq'
            if op not in resources.OPS:
                self._bad_filter(res, key)
            crit = resources.OPS[op]
            if name in res.join_filters:
                if name.endswith(('_name', '_uuid')):
                    # parents' names compare through their name_key, and
                    # uuids are stored in lower case
                    value = models.fold_name(value)
                query = query.filter(res.join_filters[name](
                    lambda col, crit=crit, value=value: crit(col, value)))
            elif name in columns:
                query = query.filter(crit(*models.lookup(
                    model, name, value)))
            else:
                self._bad_filter(res, key)
        return query

    @staticmethod
    def _bad_filter(res, key):
        allowed = sorted(set(res.model.__table__.columns.keys()) |
                         set(res.join_filters) | {'deleted'})
        raise exception.InvalidFilter(filter=key, resource=res.name,
                                      allowed=', '.join(allowed))

    def _get_list(self, context, res, filters=None, limit=None, marker=None,
                  sort_key=None, sort_dir=None, eager=False, parents=()):
        model = res.model
        columns = model.__table__.columns
        sort_key = sort_key or 'id'
        sort_dir = (sort_dir or 'asc').lower()
        if sort_key not in columns:
            raise exception.InvalidSortKey(
                key=sort_key, allowed=', '.join(columns.keys()))
        if sort_dir not in ('asc', 'desc'):
            raise exception.InvalidParameterValue(
                err="Invalid sort direction: %s. Acceptable values are "
                    "'asc' or 'desc'" % sort_dir)
        if limit is not None and int(limit) < 0:
            raise exception.InvalidParameterValue(
                err='limit must be a positive integer')
        sort_col = columns[sort_key]
        sort_keys = [sort_key] if sort_key == 'id' else [sort_key, 'id']
        if sort_key != 'id' and sort_col.nullable:
            # NULL is the smallest value on every backend.
            first = sort_dir + ('-nullsfirst' if sort_dir == 'asc'
                                else '-nullslast')
            sort_dirs = [first, sort_dir]
        else:
            sort_dirs = [sort_dir] * len(sort_keys)

        with _session_for_read() as session:
            dialect = session.get_bind().dialect
            if parents:
                # a page with its parents is only read (the API's lists):
                # plain rows, without the ORM's per-instance bookkeeping
                # (in-process CPU per request, MariaDB: GET /v1/audits?
                # limit=50 5.3 -> 4.8 ms, 500 action plans 26.1 -> 22.8 ms)
                query = session.query(*columns)
            else:
                query = self._query(session, res, eager)
            query = self._filtered(context, res, query, filters)
            if marker is not None:
                marker_row = self._marker_row(session, res, marker)
                query = query.filter(self._after_marker(
                    model, sort_key, sort_dir, marker_row, dialect))
            query = self._with_parents(query, res, parents)
            query = query.order_by(*self._ordering(
                model, sort_keys, sort_dirs, dialect))
            if limit is not None:
                query = query.limit(limit)
            rows = query.all()
        if not parents:
            return rows
        keys = columns.keys()
        width = len(keys)
        pairs = []
        for row in rows:
            found = {}
            for i, name in enumerate(parents):
                ident, uuid, label = row[width + 3 * i:width + 3 + 3 * i]
                found[name] = None if ident is None else (ident, uuid, label)
            pairs.append((_RowValues(zip(keys, row)), found))
        return pairs

    @staticmethod
    def _with_parents(query, res, parents):
        """The query with (id, uuid, name) of each parent added."""
        for name in parents:
            target, onclause, columns = resources.parent_join(res, name)
            query = query.outerjoin(target, onclause).add_columns(*columns)
        return query

    @staticmethod
    def _marker_row(session, res, marker):
        model = res.model
        query = session.query(model.id, *([getattr(model, c.name) for c in
                                           model.__table__.columns
                                           if c.name != 'id']))
        if res.has_uuid:
            if not utils.is_uuid_like(marker):
                raise exception.InvalidMarker(marker=marker)
            query = query.filter(model.uuid == marker.lower())
        else:
            if not utils.is_int_like(marker):
                raise exception.InvalidMarker(marker=marker)
            query = query.filter(model.id == int(marker))
        row = query.order_by(model.deleted, model.id).first()
        if row is None:
            raise exception.InvalidMarker(marker=marker)
        return row

    @staticmethod
    def _ordering(model, sort_keys, sort_dirs, dialect):
        """ORDER BY clauses; strings in byte order on every backend."""
        clauses = []
        for key, direction in zip(sort_keys, sort_dirs):
            main, _sep, nulls = direction.partition('-')
            col = getattr(model, key)
            # NULLS FIRST/LAST is not MariaDB syntax: order by "is null"
            if nulls == 'nullsfirst':
                clauses.append(sa.desc(col.is_(None)))
            elif nulls == 'nullslast':
                clauses.append(sa.desc(col.is_not(None)))
            col = types.byte_ordered(col, dialect)
            clauses.append(sa.asc(col) if main == 'asc' else sa.desc(col))
        return clauses

    @staticmethod
    def _after_marker(model, sort_key, sort_dir, marker_row, dialect):
        """Rows strictly after the marker in (sort_key, id) order."""
        mid = marker_row.id
        id_col = model.id
        if sort_key == 'id':
            return id_col > mid if sort_dir == 'asc' else id_col < mid
        col = types.byte_ordered(getattr(model, sort_key), dialect)
        value = getattr(marker_row, sort_key)
        if sort_dir == 'asc':
            # order: NULLs, then values ascending; id ascending for ties
            if value is None:
                return sa.or_(sa.and_(col.is_(None), id_col > mid),
                              col.is_not(None))
            return sa.or_(col > value, sa.and_(col == value, id_col > mid))
        # order: values descending, then NULLs; id descending for ties
        if value is None:
            return sa.and_(col.is_(None), id_col < mid)
        return sa.or_(col < value, sa.and_(col == value, id_col < mid),
                      col.is_(None))

    @staticmethod
    def _prepare_values(res, values):
        values = dict(values)
        if res.has_uuid and not values.get('uuid'):
            values['uuid'] = utils.generate_uuid()
        if 'id' in values and values['id'] is None:
            del values['id']
        return values

    def _create(self, res, values):
        values = self._prepare_values(res, values)
        row = res.model()
        row.update(values)
        try:
            with _session_for_write() as session:
                session.add(row)
                session.flush()
        except db_exc.DBDuplicateEntry:
            res.raise_exists(values)
        except db_exc.DBReferenceError as exc:
            raise exception.InvalidParameterValue(
                err='%s refers to a missing %s' % (
                    res.name, exc.key_table or 'record'))
        return row

    def _find_for_write(self, session, res, ident):
        query = session.query(res.model).filter(
            self._ident_criterion(res, ident))
        row = query.order_by(res.model.deleted, res.model.id).first()
        if row is None:
            res.raise_not_found(ident)
        return row

    def _update(self, res, ident, values, expected_state=None,
                expected=None):
        values = dict(values)
        for key in ('id', 'uuid'):
            if key in values:
                raise exception.InvalidParameterValue(
                    err='Cannot overwrite %s of an existing %s' %
                        (key, res.name))
        if expected_state is not None and not res.has_state:
            raise exception.InvalidParameterValue(
                err='%s has no state' % res.name)
        values = models.with_name_key(res.model, values)
        table = res.model.__table__
        try:
            with _session_for_write() as session:
                row = self._find_for_write(session, res, ident)
                stmt = sa.update(table).where(table.c.id == row.id)
                if expected_state is not None:
                    states = resources.as_states(expected_state)
                    stmt = stmt.where(table.c.state.in_(states))
                for column, value in (expected or {}).items():
                    stmt = stmt.where(table.c[column].is_(None)
                                      if value is None
                                      else table.c[column] == value)
                values.setdefault('updated_at', utils.utcnow(naive=True))
                result = session.execute(stmt.values(**values))
                if result.rowcount != 1:
                    session.refresh(row)
                    raise exception.ObjectStateChanged(
                        object=res.name,
                        uuid=getattr(row, 'uuid', row.id),
                        expected=resources.describe_expected(
                            expected_state, expected),
                        actual=resources.describe_actual(row, expected))
                session.refresh(row)
        except db_exc.DBDuplicateEntry:
            res.raise_exists(values)
        except db_exc.DBReferenceError as exc:
            raise exception.InvalidParameterValue(
                err='%s refers to a missing %s' % (
                    res.name, exc.key_table or 'record'))
        return row

    @staticmethod
    def _mark_deleted(session, model, criterion, now):
        values = {'deleted': model.__table__.c.id, 'deleted_at': now}
        if 'state' in model.__table__.columns:
            values['state'] = DELETED
        session.execute(sa.update(model.__table__).where(
            criterion, model.__table__.c.deleted == 0).values(**values))

    def _soft_delete(self, res, ident, cascade=None):
        now = utils.utcnow(naive=True)
        with _session_for_write() as session:
            row = self._find_for_write(session, res, ident)
            if row.deleted:
                res.raise_not_found(ident)
            if cascade is not None:
                cascade(session, row, now)
            self._mark_deleted(session, res.model, res.model.id == row.id,
                               now)
            session.refresh(row)
        return row

    def _destroy(self, res, ident, before=None):
        try:
            with _session_for_write() as session:
                row = self._find_for_write(session, res, ident)
                if before is not None:
                    before(session, row)
                session.execute(sa.delete(res.model.__table__).where(
                    res.model.__table__.c.id == row.id))
        except db_exc.DBReferenceError:
            raise exception.ObjectReferenced(object=res.name, ident=ident)

    # --- cascades ------------------------------------------------------------

    def _cascade_action_plans(self, session, plan_ids_criterion, now):
        plan_ids = sa.select(models.ActionPlan.id).where(
            plan_ids_criterion).scalar_subquery()
        self._mark_deleted(session, models.Action,
                           models.Action.action_plan_id.in_(plan_ids), now)
        self._mark_deleted(
            session, models.EfficacyIndicator,
            models.EfficacyIndicator.action_plan_id.in_(plan_ids), now)

    def _cascade_action_plan(self, session, row, now):
        self._cascade_action_plans(session, models.ActionPlan.id == row.id,
                                   now)

    def _cascade_audit(self, session, row, now):
        live_plans = sa.and_(models.ActionPlan.audit_id == row.id,
                             models.ActionPlan.deleted == 0)
        self._cascade_action_plans(session, live_plans, now)
        self._mark_deleted(session, models.ActionPlan,
                           models.ActionPlan.audit_id == row.id, now)

    def _cascade_strategy(self, session, row, now):
        table = models.AuditTemplate.__table__
        session.execute(sa.update(table).where(
            table.c.strategy_id == row.id, table.c.deleted == 0).values(
            strategy_id=None, updated_at=now))

    def _destroy_plan_children(self, session, row):
        session.execute(sa.delete(models.EfficacyIndicator.__table__).where(
            models.EfficacyIndicator.__table__.c.action_plan_id == row.id))

    # --- composite writes ------------------------------------------------

    def create_action_plan_with_children(self, plan_values, actions_values=(),
                                         indicators_values=()):
        """Create a plan, its actions and its efficacy indicators at once.

        All or nothing. ``action_plan_id`` of the children is filled in.
        Returns ``(plan, [actions], [indicators])``, the children in the
        order given. The children are written with one multi-row INSERT
        per table and read back with one SELECT per table, so a plan of
        thousands of actions costs a handful of statements.
        """
        plan_res = resources.RESOURCES['action_plan']
        plan_values = self._prepare_values(plan_res, plan_values)
        plan = models.ActionPlan()
        plan.update(plan_values)
        current = plan_res, plan_values
        children = []
        try:
            with _session_for_write() as session:
                session.add(plan)
                session.flush()
                for res, model, values_list in (
                        (resources.RESOURCES['action'], models.Action,
                         actions_values),
                        (resources.RESOURCES['efficacy_indicator'],
                         models.EfficacyIndicator, indicators_values)):
                    rows = [dict(self._prepare_values(res, values),
                                 action_plan_id=plan.id)
                            for values in values_list]
                    current = res, rows[0] if rows else plan_values
                    children.append(self._insert_children(
                        session, model, plan.id, rows))
        except db_exc.DBDuplicateEntry:
            # Which row collided is not reported by every backend: name the
            # plan unless a child was being written.
            current[0].raise_exists(current[1])
        except db_exc.DBReferenceError as exc:
            raise exception.InvalidParameterValue(
                err='action plan refers to a missing %s' % (
                    exc.key_table or 'record'))
        return plan, children[0], children[1]

    @staticmethod
    def _insert_children(session, model, plan_id, rows):
        """Insert ``rows`` of one plan (executemany; rows with the same
        columns share a statement) and return them as model instances, in
        the order given.
        """
        if not rows:
            return []
        table = model.__table__
        by_columns = {}
        for values in rows:
            by_columns.setdefault(tuple(sorted(values)), []).append(values)
        for group in by_columns.values():
            session.execute(sa.insert(table), group)
        stored = {row.uuid: row for row in session.query(model).filter(
            model.action_plan_id == plan_id)}
        return [stored[values['uuid']] for values in rows]

    def get_service_by_host_and_name(self, context, host, name):
        res = resources.RESOURCES['service']
        with _session_for_read() as session:
            row = session.query(models.Service).filter(
                models.Service.host == host, models.Service.name == name,
                models.Service.deleted == 0).first()
        if row is None:
            res.raise_not_found('%s@%s' % (name, host))
        return row

    def get_action_description_by_type(self, context, action_type):
        return self._get_one(
            context, resources.RESOURCES['action_description'],
            'action_type', action_type)
