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

"""Audit: one optimisation request, and its state machine."""
from watcher.objects import action_plan
from watcher.objects import base
from watcher.objects import fields as wfields
from watcher.objects import states


class State:
    PENDING = 'PENDING'
    ONGOING = 'ONGOING'
    SUCCEEDED = 'SUCCEEDED'
    FAILED = 'FAILED'
    CANCELLED = 'CANCELLED'
    SUSPENDED = 'SUSPENDED'
    DELETED = 'DELETED'

    ALL = (PENDING, ONGOING, SUCCEEDED, FAILED, CANCELLED, SUSPENDED,
           DELETED)


class AuditType:
    ONESHOT = 'ONESHOT'
    CONTINUOUS = 'CONTINUOUS'
    EVENT = 'EVENT'

    ALL = (ONESHOT, CONTINUOUS, EVENT)


_S = State
# What may happen to an audit, and who makes it happen.
MACHINE = states.Machine('audit', State.ALL, [
    # a decision engine takes the audit (the RPC cast reached it, or its
    # sweep found it with no live owner): ``hostname`` changes, the state
    # does not; fired with ``expected={'hostname': <the owner seen>}`` so
    # that of two engines taking it only one wins
    states.Event('claim', [_S.PENDING, _S.ONGOING], states.UNCHANGED,
                 [states.ENGINE, states.TAKEOVER]),
    states.Event('start', [_S.PENDING], _S.ONGOING, [states.ENGINE]),
    # a run whose engine died is queued again by the engine taking it over
    # (a peer after the heartbeat timeout, or the same host restarted)
    states.Event('requeue', [_S.ONGOING], _S.PENDING,
                 [states.ENGINE, states.TAKEOVER]),
    # the taker-over finishes a dead peer's run that had stored its plan
    states.Event('succeed', [_S.ONGOING], _S.SUCCEEDED,
                 [states.ENGINE, states.TAKEOVER]),
    # a dead peer's ONGOING ONESHOT audit is failed by the taker-over
    states.Event('fail', [_S.ONGOING], _S.FAILED,
                 [states.ENGINE, states.TAKEOVER]),
    # a dead peer's ONGOING CONTINUOUS audit is cancelled by the taker-over
    states.Event('cancel', [_S.PENDING, _S.ONGOING], _S.CANCELLED,
                 [states.USER, states.ENGINE, states.TAKEOVER]),
    states.Event('suspend', [_S.ONGOING], _S.SUSPENDED, [states.USER]),
    states.Event('resume', [_S.SUSPENDED], _S.ONGOING, [states.USER]),
    # an EVENT audit runs again on each trigger (a webhook call); while it
    # runs the decision engine coalesces the trigger into one more run, and
    # a failed run does not stop later triggers
    states.Event('trigger', [_S.PENDING, _S.ONGOING, _S.SUCCEEDED,
                             _S.FAILED], _S.ONGOING,
                 [states.WEBHOOK, states.ENGINE]),
    states.Event('delete', [_S.SUCCEEDED, _S.FAILED, _S.CANCELLED,
                            _S.SUSPENDED], _S.DELETED, [states.USER]),
])
# from state -> states it may move to, derived from the events
TRANSITIONS = MACHINE.transitions()


@base.WatcherObjectRegistry.register
class Audit(states.Stateful, base.WatcherPersistentObject):
    # Version 1.0: Initial version (with start/end time, force,
    #              status_message)
    VERSION = '1.0'

    DB = base.DbCalls(
        get_list=lambda db: db.get_audit_list,
        create=lambda db: db.create_audit,
        get_by_id=lambda db: db.get_audit_by_id,
        get_by_uuid=lambda db: db.get_audit_by_uuid,
        get_by_name=lambda db: db.get_audit_by_name,
        update=lambda db: db.update_audit,
        soft_delete=lambda db: db.soft_delete_audit,
        destroy=lambda db: db.destroy_audit)
    NAME_FIELD = 'name'
    EAGER = {'goal': 'Goal', 'strategy': 'Strategy'}
    MACHINE = MACHINE
    TRANSITIONS = TRANSITIONS
    INITIAL_STATE = State.PENDING
    DEFAULTS = {'parameters': dict, 'scope': list, 'auto_trigger': False,
                'force': False}

    fields = dict(base.WatcherPersistentObject.fields, **{
        'id': wfields.IntegerField(),
        'uuid': wfields.UUIDField(),
        'name': wfields.StringField(nullable=True),
        'audit_type': wfields.StringField(),
        'state': wfields.StringField(),
        'parameters': wfields.FlexibleDictField(nullable=True),
        'interval': wfields.StringField(nullable=True),
        'goal_id': wfields.IntegerField(),
        'strategy_id': wfields.IntegerField(nullable=True),
        'scope': wfields.FlexibleListOfDictField(nullable=True),
        'auto_trigger': wfields.BooleanField(),
        'next_run_time': wfields.DateTimeField(nullable=True),
        'hostname': wfields.StringField(nullable=True),
        'start_time': wfields.DateTimeField(nullable=True),
        'end_time': wfields.DateTimeField(nullable=True),
        'force': wfields.BooleanField(default=False),
        'status_message': wfields.StringField(nullable=True),
        'goal': wfields.ObjectField('Goal', nullable=True),
        'strategy': wfields.ObjectField('Strategy', nullable=True),
    })

    def _cascaded_children(self):
        """Live action plans (each must be deletable), actions, indicators.

        Raises IllegalStateTransition when a plan cannot be deleted (e.g.
        it is ONGOING); nothing is written then.
        """
        plans = action_plan.ActionPlan.list(
            self._context, filters={'audit_id': self.id, 'deleted': False})
        for plan in plans:
            plan._check_delete()
        children = []
        for plan in plans:
            children.extend(plan._cascaded_children())
        return children + plans
