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

"""/v1/actions: the steps of action plans; skipped by PATCH from 1.5.

List fields: uuid, action_plan_uuid, action_type, state, parents, links;
detail and show add description (the text of the action type),
input_parameters, status_message (1.5) and the timestamps.
"""
from wsme import types as wtypes

from watcher.api.controllers.v1 import base
from watcher.api.controllers.v1 import types
from watcher.api.controllers.v1 import utils as api_utils
from watcher.api import expose
from watcher.api import microversion
from watcher.common import exception
from watcher.common.i18n import _
from watcher import objects
from watcher.objects import states

State = objects.action.State
PlanState = objects.action_plan.State

SKIPPED_BY_USER = _('Action skipped by user.')
# Detail fields newer than 1.0 -> the microversion that brought them.
VERSIONED_FIELDS = {'status_message': microversion.STATUS_MESSAGE}
# A user may skip an action only before its plan runs.
SKIPPABLE_PLAN_STATES = (PlanState.RECOMMENDED, PlanState.PENDING)


def descriptions():
    """{action_type: description}, one query (the table is small)."""
    rows = objects.ActionDescription.list(base.context())
    return {row.action_type: row.description for row in rows}


def _prepare(actions, detail):
    return {'descriptions': descriptions() if detail else {}}


def view(action, detail=False, extra=None):
    plan = base.related(action, 'action_plan', extra)
    doc = {
        'uuid': action.uuid,
        'action_plan_uuid': plan.uuid if plan else None,
        'action_type': action.action_type,
        'state': action.state,
        'parents': action.parents or [],
        'links': base.make_links('actions', action.uuid),
    }
    if detail:
        if extra and 'descriptions' in extra:
            texts = extra['descriptions']
        else:
            texts = descriptions()
        doc['description'] = texts.get(action.action_type, '')
        doc['input_parameters'] = action.input_parameters or {}
        doc['status_message'] = action.status_message
        doc.update(base.timestamps(action))
        microversion.hide_newer_fields(doc, VERSIONED_FIELDS)
    return doc


class ActionsController(base.ListController):

    plural = 'actions'
    object_class = objects.Action
    sort_keys = ('id', 'uuid', 'action_type', 'state', 'action_plan_id',
                 'created_at', 'updated_at')
    relations = ('action_plan',)
    _custom_actions = {'detail': ['GET']}

    def _list(self, action_plan_uuid, audit_uuid, marker, limit, sort_key,
              sort_dir, detail):
        if action_plan_uuid is not None and audit_uuid is not None:
            raise exception.ActionFilterCombinationProhibited()
        filters = {}
        if action_plan_uuid is not None:
            filters['action_plan_uuid'] = action_plan_uuid
        if audit_uuid is not None:
            filters['audit_uuid'] = audit_uuid
        return self.collection(
            view, filters, limit, marker, sort_key, sort_dir, detail=detail,
            params={'action_plan_uuid': action_plan_uuid,
                    'audit_uuid': audit_uuid},
            prepare=_prepare)

    @expose.expose(types.uuid, types.uuid, wtypes.text, int, wtypes.text,
                   wtypes.text)
    def get_all(self, action_plan_uuid=None, audit_uuid=None, marker=None,
                limit=None, sort_key='id', sort_dir='asc'):
        base.authorize('action:get_all')
        return self._list(action_plan_uuid, audit_uuid, marker, limit,
                          sort_key, sort_dir, False)

    @expose.expose(types.uuid, types.uuid, wtypes.text, int, wtypes.text,
                   wtypes.text)
    def detail(self, action_plan_uuid=None, audit_uuid=None, marker=None,
               limit=None, sort_key='id', sort_dir='asc'):
        base.authorize('action:detail')
        return self._list(action_plan_uuid, audit_uuid, marker, limit,
                          sort_key, sort_dir, True)

    @expose.expose(types.uuid)
    def get_one(self, action_uuid):
        base.authorize('action:get')
        action = objects.Action.get_by_uuid(base.context(), action_uuid,
                                            eager=True)
        return view(action, detail=True)

    @expose.expose(types.uuid, body=[types.JsonPatchType])
    def patch(self, action_uuid, patch):
        if not microversion.allows(microversion.SKIP_ACTION):
            raise exception.Invalid(
                _('API microversion 1.5 or higher is required.'))
        base.authorize('action:update')
        action = objects.Action.get_by_uuid(base.context(), action_uuid,
                                            eager=True)
        patch_doc = [op.as_dict() for op in patch]
        old = {'state': action.state,
               'status_message': action.status_message}
        new = api_utils.apply_jsonpatch(dict(old), patch,
                                        {'state', 'status_message'})
        state = new.get('state')
        reason = new.get('status_message')
        if reason is not None and not isinstance(reason, str):
            raise exception.PatchError(
                patch=patch_doc, reason=_('status_message must be a string'))
        if state != action.state:
            if state not in State.ALL:
                raise exception.PatchError(
                    patch=patch_doc, reason=_('Invalid state: %s') % state)
            if state != State.SKIPPED or not objects.action.MACHINE.may(
                    states.USER, 'skip', action.state):
                raise exception.Conflict(
                    _('State transition not allowed: (%(old)s -> %(new)s)')
                    % {'old': action.state, 'new': state})
            plan = action.action_plan
            if plan is None or plan.state not in SKIPPABLE_PLAN_STATES:
                raise exception.Conflict(
                    _('State update not allowed for actionplan state: %s')
                    % (plan.state if plan else None))
        elif reason != action.status_message and \
                action.state != State.SKIPPED:
            raise exception.Conflict(
                _('status_message update only allowed when action state is '
                  'SKIPPED'))

        message = SKIPPED_BY_USER
        if reason is not None and reason != action.status_message:
            message = _('%(message)s Reason: %(reason)s') % {
                'message': SKIPPED_BY_USER, 'reason': reason}
        elif action.state == State.SKIPPED and action.status_message:
            message = action.status_message
        if len(message) > 255:
            raise exception.PatchError(
                patch=patch_doc,
                reason=_('status_message is limited to 255 characters'))
        if state != old['state']:
            action.fire('skip', states.USER, status_message=message)
        else:
            action.status_message = message
            action.save(expected_state=old['state'])
        return view(action, detail=True)
