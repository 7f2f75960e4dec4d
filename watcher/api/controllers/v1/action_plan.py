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

"""/v1/action_plans: what an audit recommends, started and cancelled here.

List fields: uuid, audit_uuid, strategy_uuid, strategy_name, state,
efficacy_indicators, global_efficacy, updated_at, links; detail and show
add hostname, status_message (1.5), created_at and deleted_at.
"""
import collections
from http import HTTPStatus

from wsme import types as wtypes

from watcher.api.controllers.v1 import base
from watcher.api.controllers.v1 import types
from watcher.api.controllers.v1 import utils as api_utils
from watcher.api import expose
from watcher.api import microversion
from watcher.api import rpc
from watcher.common import exception
from watcher.common.i18n import _
from watcher import objects
from watcher.objects import states

State = objects.action_plan.State
ActionState = objects.action.State

# What a user may do, from the plan's state machine: DELETE from these
# states, and PATCH /state these (from, to) moves. PENDING is the legacy
# way to launch a plan; the client cancels with CANCELLING when the plan is
# ONGOING and CANCELLED otherwise.
# Detail fields newer than 1.0 -> the microversion that brought them.
VERSIONED_FIELDS = {'status_message': microversion.STATUS_MESSAGE}
DELETABLE = objects.action_plan.MACHINE.sources('delete')
PATCH_TRANSITIONS = objects.action_plan.MACHINE.user_moves()


def indicators_by_plan(plans):
    """{plan id: [indicator view]} for a page of plans, in one query."""
    ids = [plan.id for plan in plans]
    grouped = collections.defaultdict(list)
    if not ids:
        return grouped
    rows = objects.EfficacyIndicator.list(
        base.context(), filters={'action_plan_id__in': ids})
    for row in rows:
        grouped[row.action_plan_id].append({
            'name': row.name,
            'description': row.description,
            'unit': row.unit,
            'value': row.value,
        })
    return grouped


def _prepare(plans, detail):
    return {'indicators': indicators_by_plan(plans)}


def view(plan, detail=False, extra=None):
    if extra and 'indicators' in extra:
        indicators = extra['indicators']
    else:
        indicators = indicators_by_plan([plan])
    audit = base.related(plan, 'audit', extra)
    strategy = base.related(plan, 'strategy', extra)
    doc = {
        'efficacy_indicators': indicators.get(plan.id, []),
        'uuid': plan.uuid,
        'audit_uuid': audit.uuid if audit else None,
        'strategy_uuid': strategy.uuid if strategy else None,
        'strategy_name': strategy.name if strategy else None,
        'global_efficacy': plan.global_efficacy or [],
        'state': plan.state,
        'links': base.make_links('action_plans', plan.uuid),
        'updated_at': api_utils.isotime(plan.updated_at),
    }
    if detail:
        doc['hostname'] = plan.hostname
        doc['status_message'] = plan.status_message
        doc['created_at'] = api_utils.isotime(plan.created_at)
        doc['deleted_at'] = api_utils.isotime(plan.deleted_at)
        microversion.hide_newer_fields(doc, VERSIONED_FIELDS)
    return doc


def _cancel_actions(plan):
    """A plan cancelled before it ran: its pending actions are too."""
    actions = objects.Action.list(
        base.context(), filters={'action_plan_id': plan.id,
                                 'state': ActionState.PENDING})
    for action in actions:
        action.fire('cancel', states.USER)


class ActionPlansController(base.ListController):

    plural = 'action_plans'
    object_class = objects.ActionPlan
    sort_keys = ('id', 'uuid', 'state', 'audit_id', 'strategy_id',
                 'hostname', 'created_at', 'updated_at')
    relations = ('audit', 'strategy')
    _custom_actions = {'detail': ['GET'], 'start': ['POST']}

    def _list(self, audit_uuid, strategy, marker, limit, sort_key, sort_dir,
              detail):
        filters = base.ident_filter('strategy', strategy)
        if audit_uuid is not None:
            filters['audit_uuid'] = audit_uuid
        return self.collection(
            view, filters, limit, marker, sort_key, sort_dir, detail=detail,
            params={'audit_uuid': audit_uuid, 'strategy': strategy},
            prepare=_prepare)

    @expose.expose(types.uuid, wtypes.text, wtypes.text, int, wtypes.text,
                   wtypes.text)
    def get_all(self, audit_uuid=None, strategy=None, marker=None,
                limit=None, sort_key='id', sort_dir='asc'):
        base.authorize('action_plan:get_all')
        return self._list(audit_uuid, strategy, marker, limit, sort_key,
                          sort_dir, False)

    @expose.expose(types.uuid, wtypes.text, wtypes.text, int, wtypes.text,
                   wtypes.text)
    def detail(self, audit_uuid=None, strategy=None, marker=None,
               limit=None, sort_key='id', sort_dir='asc'):
        base.authorize('action_plan:detail')
        return self._list(audit_uuid, strategy, marker, limit, sort_key,
                          sort_dir, True)

    @expose.expose(types.uuid)
    def get_one(self, action_plan_uuid):
        base.authorize('action_plan:get')
        plan = objects.ActionPlan.get_by_uuid(base.context(),
                                              action_plan_uuid, eager=True)
        return view(plan, detail=True)

    @expose.expose(types.uuid)
    def start(self, action_plan_uuid):
        base.authorize('action_plan:start')
        plan = objects.ActionPlan.get_by_uuid(base.context(),
                                              action_plan_uuid, eager=True)
        if not plan.MACHINE.may(states.USER, 'launch', plan.state):
            raise exception.StartError(state=plan.state)
        plan.fire('launch', states.USER)
        rpc.launch_action_plan(base.context(), plan.uuid)
        return view(plan, detail=True)

    @expose.expose(types.uuid, body=[types.JsonPatchType])
    def patch(self, action_plan_uuid, patch):
        base.authorize('action_plan:update')
        plan = objects.ActionPlan.get_by_uuid(base.context(),
                                              action_plan_uuid, eager=True)
        new = api_utils.apply_jsonpatch({'state': plan.state}, patch,
                                        {'state'})
        state = new.get('state')
        if state != plan.state:
            if state not in State.ALL:
                raise exception.PatchError(
                    patch=[op.as_dict() for op in patch],
                    reason=_('Invalid state: %s') % state)
            if (plan.state, state) not in PATCH_TRANSITIONS:
                raise exception.PatchError(
                    patch=[op.as_dict() for op in patch],
                    reason=_('State transition not allowed: '
                             '(%(old)s -> %(new)s)') %
                    {'old': plan.state, 'new': state})
            plan.fire(plan.MACHINE.find(states.USER, plan.state, state).name,
                      states.USER)
            if state == State.CANCELLED:
                _cancel_actions(plan)
            elif state == State.PENDING:
                rpc.launch_action_plan(base.context(), plan.uuid)
        return view(plan, detail=True)

    @expose.expose(types.uuid, status_code=HTTPStatus.NO_CONTENT)
    def delete(self, action_plan_uuid):
        base.authorize('action_plan:delete')
        plan = objects.ActionPlan.get_by_uuid(base.context(),
                                              action_plan_uuid)
        if plan.state not in DELETABLE:
            raise exception.DeleteError(state=plan.state)
        plan.fire('delete', states.USER)
