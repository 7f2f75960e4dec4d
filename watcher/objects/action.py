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

"""Action: one step of an action plan, and its state machine."""
from watcher.objects import base
from watcher.objects import fields as wfields
from watcher.objects import states


class State:
    PENDING = 'PENDING'
    ONGOING = 'ONGOING'
    SUCCEEDED = 'SUCCEEDED'
    FAILED = 'FAILED'
    CANCELLING = 'CANCELLING'
    CANCELLED = 'CANCELLED'
    SKIPPED = 'SKIPPED'
    DELETED = 'DELETED'

    ALL = (PENDING, ONGOING, SUCCEEDED, FAILED, CANCELLING, CANCELLED,
           SKIPPED, DELETED)


_S = State
# What may happen to an action, and who makes it happen. Deleting a plan
# deletes its actions whatever their state (the plan's own delete is the
# checked one), so an action has no delete event of its own besides that.
MACHINE = states.Machine('action', State.ALL, [
    states.Event('start', [_S.PENDING], _S.ONGOING, [states.APPLIER]),
    # PATCH state=SKIPPED (1.5) while the plan has not run it yet
    states.Event('skip', [_S.PENDING], _S.SKIPPED,
                 [states.USER, states.APPLIER]),
    states.Event('succeed', [_S.ONGOING], _S.SUCCEEDED, [states.APPLIER]),
    # also recovery, when the cloud shows an interrupted action went wrong
    states.Event('fail', [_S.PENDING, _S.ONGOING, _S.CANCELLING],
                 _S.FAILED, [states.APPLIER, states.TAKEOVER]),
    # a pending action of a cancelled plan, or (user) of a plan cancelled
    # before it ran, or (decision engine) of a continuous audit's plan that
    # a newer run replaced
    states.Event('cancel', [_S.PENDING], _S.CANCELLED,
                 [states.USER, states.APPLIER, states.ENGINE]),
    states.Event('request_cancel', [_S.ONGOING], _S.CANCELLING,
                 [states.APPLIER]),
    # the applier stopped it
    states.Event('cancelled', [_S.ONGOING, _S.CANCELLING], _S.CANCELLED,
                 [states.APPLIER]),
    # the plan will not run or finish it: refused or broken plan, or
    # recovery after the applier running it died, when the cloud cannot
    # tell how it ended
    states.Event('settle', [_S.PENDING, _S.ONGOING, _S.CANCELLING],
                 _S.CANCELLED, [states.APPLIER, states.TAKEOVER]),
    # recovery found in the cloud that an interrupted action did complete
    states.Event('confirm', [_S.ONGOING, _S.CANCELLING], _S.SUCCEEDED,
                 [states.APPLIER, states.TAKEOVER]),
    states.Event('delete', [_S.SUCCEEDED, _S.FAILED, _S.CANCELLED,
                            _S.SKIPPED], _S.DELETED, [states.USER]),
])
# from state -> states it may move to, derived from the events
TRANSITIONS = MACHINE.transitions()


@base.WatcherObjectRegistry.register
class Action(states.Stateful, base.WatcherPersistentObject):
    # Version 1.0: Initial version (with status_message)
    VERSION = '1.0'

    DB = base.DbCalls(
        get_list=lambda db: db.get_action_list,
        create=lambda db: db.create_action,
        get_by_id=lambda db: db.get_action_by_id,
        get_by_uuid=lambda db: db.get_action_by_uuid,
        update=lambda db: db.update_action,
        soft_delete=lambda db: db.soft_delete_action,
        destroy=lambda db: db.destroy_action)
    EAGER = {'action_plan': 'ActionPlan'}
    MACHINE = MACHINE
    TRANSITIONS = TRANSITIONS
    INITIAL_STATE = State.PENDING
    DEFAULTS = {'input_parameters': dict, 'parents': list}

    fields = dict(base.WatcherPersistentObject.fields, **{
        'id': wfields.IntegerField(),
        'uuid': wfields.UUIDField(),
        'action_plan_id': wfields.IntegerField(),
        'action_type': wfields.StringField(),
        'input_parameters': wfields.FlexibleDictField(nullable=True),
        'state': wfields.StringField(nullable=True),
        'parents': wfields.FlexibleListField(nullable=True),
        'status_message': wfields.StringField(nullable=True),
        'action_plan': wfields.ObjectField('ActionPlan', nullable=True),
    })
