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

"""/v1/audits: optimisation requests and their lifecycle.

List fields: uuid, name, audit_type, state, goal_uuid, goal_name,
strategy_uuid, strategy_name, interval, scope, auto_trigger,
next_run_time, force, links. Detail, show, create and update add
parameters, hostname, start_time and end_time (1.1; in UTC without an
offset, as given), status_message (1.5) and the timestamps. ``force: true``
in a create request needs 1.2.
"""
import datetime
from http import HTTPStatus

from oslo_utils import timeutils
import pecan
from wsme import types as wtypes

from watcher.api.controllers import link
from watcher.api.controllers.v1 import audit_template as template_api
from watcher.api.controllers.v1 import base
from watcher.api.controllers.v1 import types
from watcher.api.controllers.v1 import utils as api_utils
from watcher.api import expose
from watcher.api import microversion
from watcher.api import rpc
from watcher.api.schemas import audit as audit_schemas
from watcher.api import validation
from watcher.common import exception
from watcher.common.i18n import _
from watcher.common import utils as common_utils
from watcher import objects
from watcher.objects import base as objects_base
from watcher.objects import states

NAME_MAX = 63
State = objects.audit.State
AuditType = objects.audit.AuditType

# What a user may do, from the audit's state machine: DELETE from these
# states, and PATCH /state these (from, to) moves.
# Detail fields newer than 1.0 -> the microversion that brought them.
VERSIONED_FIELDS = {
    'start_time': microversion.START_END_TIME,
    'end_time': microversion.START_END_TIME,
    'status_message': microversion.STATUS_MESSAGE,
}
DELETABLE = objects.audit.MACHINE.sources('delete')
PATCH_TRANSITIONS = objects.audit.MACHINE.user_moves()
PATCHABLE = {'state', 'name', 'interval', 'start_time', 'end_time',
             'parameters', 'auto_trigger'}


class AuditPostType(wtypes.Base):
    audit_type = wtypes.wsattr(types.text, mandatory=True)
    audit_template_uuid = wtypes.wsattr(types.text)
    goal = wtypes.wsattr(types.uuid_or_name)
    strategy = wtypes.wsattr(types.uuid_or_name)
    name = wtypes.wsattr(types.text)
    parameters = wtypes.wsattr(types.dicttype)
    interval = wtypes.wsattr(types.interval_or_cron)
    auto_trigger = wtypes.wsattr(types.boolean)
    start_time = wtypes.wsattr(datetime.datetime)
    end_time = wtypes.wsattr(datetime.datetime)
    force = wtypes.wsattr(types.boolean)


def _given(value):
    return value not in (wtypes.Unset, None)


def view(audit, detail=False, extra=None):
    goal = base.related(audit, 'goal', extra)
    strategy = base.related(audit, 'strategy', extra)
    doc = {
        'uuid': audit.uuid,
        'name': audit.name,
        'audit_type': audit.audit_type,
        'state': audit.state,
        'goal_uuid': goal.uuid if goal else None,
        'goal_name': goal.name if goal else None,
        'strategy_uuid': strategy.uuid if strategy else None,
        'strategy_name': strategy.name if strategy else None,
        'links': base.make_links('audits', audit.uuid),
        'interval': audit.interval,
        'scope': audit.scope if audit.scope is not None else [],
        'auto_trigger': audit.auto_trigger,
        'next_run_time': api_utils.isotime(audit.next_run_time),
        # Shown from 1.0 although it came with 1.2 (as the reference).
        'force': audit.force,
    }
    if detail:
        doc['parameters'] = audit.parameters or {}
        doc['hostname'] = audit.hostname
        doc['start_time'] = api_utils.naive_isotime(audit.start_time)
        doc['end_time'] = api_utils.naive_isotime(audit.end_time)
        doc['status_message'] = audit.status_message
        doc.update(base.timestamps(audit))
        microversion.hide_newer_fields(doc, VERSIONED_FIELDS)
    return doc


def _utc(value):
    """Naive UTC from an aware or naive (taken as UTC) datetime."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return value


def _check_times(start, end):
    if start is not None and end is not None and _utc(start) >= _utc(end):
        raise exception.Invalid(
            _('start_time (%(start)s) must be before end_time (%(end)s)') %
            {'start': start.isoformat(), 'end': end.isoformat()})


def _check_name(name):
    if not isinstance(name, str) or not name.strip():
        raise exception.Invalid(_('The name of an audit must be a '
                                  'non-empty string'))
    if len(name) > NAME_MAX:
        raise exception.Invalid(_('The name of an audit is limited to '
                                  '%d characters') % NAME_MAX)
    return name


def _parse_time(value, field):
    """A datetime from a schema-checked string (or None)."""
    if value is None:
        return None
    try:
        return timeutils.parse_isotime(value)
    except ValueError:
        raise exception.Invalid(_('%(field)s must be an ISO 8601 date and '
                                  'time, got %(value)s') %
                                {'field': field, 'value': value})


def _strategy_parameters(strategy, parameters):
    """Parameters validated (defaults filled) against the strategy."""
    if strategy is not None and strategy.parameters_spec:
        return api_utils.validate_parameters(strategy.parameters_spec,
                                             parameters)
    if parameters:
        raise exception.Invalid(
            _('Specify parameters but no predefined strategy for audit, or '
              'no parameter spec in predefined strategy'))
    return {}


def _generated_name(strategy, template, goal):
    """``<strategy|template|goal name>-<UTC ISO timestamp>``, at most 63."""
    prefix = (strategy.name if strategy is not None else
              template.name if template is not None else goal.name)
    name = '%s-%s' % (prefix, common_utils.utcnow(
        naive=True).isoformat())
    return name[:NAME_MAX]


def build_audit(body):
    """A new (not yet created) Audit from a POST body; all checks first."""
    audit_type = body.audit_type
    if audit_type not in AuditType.ALL:
        raise exception.AuditTypeNotFound(audit_type=audit_type)
    from_template = _given(body.audit_template_uuid)
    if not from_template and not _given(body.goal):
        raise exception.Invalid(
            _('A valid goal or audit_template_id must be provided'))
    if from_template and _given(body.goal):
        raise exception.Invalid(
            _('Either audit_template_uuid or goal should be provided.'))
    if _given(body.interval) and audit_type != AuditType.CONTINUOUS:
        raise exception.AuditIntervalNotAllowed(audit_type=audit_type)
    if not _given(body.interval) and audit_type == AuditType.CONTINUOUS:
        raise exception.AuditIntervalNotSpecified(audit_type=audit_type)
    start = body.start_time if _given(body.start_time) else None
    end = body.end_time if _given(body.end_time) else None
    if (start or end) and not microversion.allows(
            microversion.START_END_TIME):
        raise exception.NotAcceptable()
    # as upstream: only a forced audit is refused below 1.2
    if (_given(body.force) and body.force and not microversion.allows(
            microversion.FORCE)):
        raise exception.NotAcceptable()
    if (start or end) and audit_type == AuditType.ONESHOT:
        raise exception.AuditStartEndTimeNotAllowed(audit_type=audit_type)
    _check_times(start, end)

    template = None
    scope = []
    parameters = dict(body.parameters) if _given(body.parameters) else {}
    goal_ident = body.goal if _given(body.goal) else None
    strategy_ident = body.strategy if _given(body.strategy) else None
    goal = strategy = None
    if from_template:
        try:
            template = base.get_object(objects.AuditTemplate,
                                       body.audit_template_uuid, eager=True)
        except (exception.NotFound, exception.Invalid):
            raise exception.Invalid(
                _('The audit template UUID or name specified is invalid'))
        goal = template.goal
        scope = template.scope or []
        if strategy_ident is None:
            strategy = template.strategy
        if template.default_parameters:
            merged = dict(template.default_parameters)
            merged.update(parameters)
            parameters = merged
    if goal is None:
        goal = template_api.find_goal(goal_ident)
    if strategy_ident is not None:
        strategy = template_api.find_strategy(strategy_ident, goal)
    parameters = _strategy_parameters(strategy, parameters)

    if _given(body.name):
        name = _check_name(body.name)
    else:
        name = _generated_name(strategy, template, goal)
    audit = objects.Audit(
        base.context(), name=name, audit_type=audit_type,
        state=State.PENDING, parameters=parameters,
        interval=body.interval if _given(body.interval) else None,
        goal_id=goal.id, strategy_id=strategy.id if strategy else None,
        scope=scope,
        auto_trigger=bool(body.auto_trigger) if _given(body.auto_trigger)
        else False,
        start_time=_utc(start), end_time=_utc(end),
        force=bool(body.force) if _given(body.force) else False)
    return audit, goal, strategy


class AuditsController(base.ListController):

    plural = 'audits'
    object_class = objects.Audit
    sort_keys = ('id', 'uuid', 'name', 'audit_type', 'state', 'goal_id',
                 'strategy_id', 'interval', 'next_run_time', 'hostname',
                 'auto_trigger', 'start_time', 'end_time', 'created_at',
                 'updated_at')
    relations = ('goal', 'strategy')
    _custom_actions = {'detail': ['GET']}

    def _list(self, goal, strategy, marker, limit, sort_key, sort_dir,
              detail):
        filters = dict(base.ident_filter('goal', goal),
                       **base.ident_filter('strategy', strategy))
        return self.collection(view, filters, limit, marker, sort_key,
                               sort_dir, detail=detail,
                               params={'goal': goal, 'strategy': strategy})

    @expose.expose(wtypes.text, wtypes.text, wtypes.text, int, wtypes.text,
                   wtypes.text)
    def get_all(self, goal=None, strategy=None, marker=None, limit=None,
                sort_key='id', sort_dir='asc'):
        base.authorize('audit:get_all')
        return self._list(goal, strategy, marker, limit, sort_key, sort_dir,
                          False)

    @expose.expose(wtypes.text, wtypes.text, wtypes.text, int, wtypes.text,
                   wtypes.text)
    def detail(self, goal=None, strategy=None, marker=None, limit=None,
               sort_key='id', sort_dir='asc'):
        base.authorize('audit:detail')
        return self._list(goal, strategy, marker, limit, sort_key, sort_dir,
                          True)

    @expose.expose(wtypes.text)
    def get_one(self, audit):
        base.authorize('audit:get')
        return view(base.get_object(objects.Audit, audit, eager=True),
                    detail=True)

    @expose.expose(body=AuditPostType, status_code=HTTPStatus.CREATED)
    def post(self, body):
        base.authorize('audit:create')
        with objects_base.reading():  # its lookups in one transaction
            audit, goal, strategy = build_audit(body)
        audit.create()
        pecan.response.location = link.build_url('audits', audit.uuid)
        # EVENT audits wait for their webhook; a CONTINUOUS audit is cast too
        # so that its first run does not wait for the scheduler's next poll.
        if audit.audit_type != AuditType.EVENT:
            rpc.trigger_audit(base.context(), audit.uuid)
        audit.goal, audit.strategy = goal, strategy
        return view(audit, detail=True)

    @expose.expose(wtypes.text, body=[types.JsonPatchType])
    def patch(self, audit, patch):
        base.authorize('audit:update')
        found = base.get_object(objects.Audit, audit, eager=True)
        times = microversion.allows(microversion.START_END_TIME)
        if not times and any(op.path in ('/start_time', '/end_time')
                             for op in patch):
            raise exception.NotAcceptable()
        old = {name: getattr(found, name) for name in PATCHABLE}
        for field in ('start_time', 'end_time'):
            old[field] = api_utils.naive_isotime(old[field])
        new = api_utils.apply_jsonpatch(dict(old), patch, PATCHABLE)

        validation.validate(new, audit_schemas.PATCH)

        changes = {}
        if new.get('state') != found.state:
            if (found.state, new['state']) not in PATCH_TRANSITIONS:
                raise exception.PatchError(
                    patch=[op.as_dict() for op in patch],
                    reason=_('State transition not allowed: '
                             '(%(old)s -> %(new)s)') %
                    {'old': found.state, 'new': new['state']})
            changes['state'] = new['state']
        if new.get('name') != found.name:
            changes['name'] = new['name']
        if new.get('interval') != found.interval:
            interval = new.get('interval')
            if found.audit_type != AuditType.CONTINUOUS:
                if interval is not None:
                    raise exception.AuditIntervalNotAllowed(
                        audit_type=found.audit_type)
            elif interval is None:
                raise exception.AuditIntervalNotSpecified(
                    audit_type=found.audit_type)
            else:
                interval = types.interval_or_cron.frombasetype(interval)
            changes['interval'] = interval
        start, end = found.start_time, found.end_time
        for field in ('start_time', 'end_time'):
            if new.get(field) != old[field]:
                if found.audit_type == AuditType.ONESHOT and new.get(field):
                    raise exception.AuditStartEndTimeNotAllowed(
                        audit_type=found.audit_type)
                value = _utc(_parse_time(new.get(field), field))
                changes[field] = value
                if field == 'start_time':
                    start = value
                else:
                    end = value
        _check_times(start, end)
        if new.get('parameters') != found.parameters:
            changes['parameters'] = _strategy_parameters(
                found.strategy, new.get('parameters') or {})
        if new.get('auto_trigger') != found.auto_trigger:
            changes['auto_trigger'] = types.boolean.validate(
                new['auto_trigger'])

        state = changes.pop('state', None)
        if state is not None:
            event = found.MACHINE.find(states.USER, found.state, state)
            found.fire(event.name, states.USER, **changes)
        else:
            for field, value in changes.items():
                setattr(found, field, value)
            found.save()
        return view(found, detail=True)

    @expose.expose(wtypes.text, status_code=HTTPStatus.NO_CONTENT)
    def delete(self, audit):
        base.authorize('audit:delete')
        found = base.get_object(objects.Audit, audit)
        if found.state not in DELETABLE:
            raise exception.DeleteError(state=found.state)
        found.fire('delete', states.USER)
