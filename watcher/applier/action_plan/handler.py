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

"""Carrying out one action plan: claim it, run its actions, settle it.

:class:`ActionPlanHandler` is what a worker of the applier does with a plan
uuid (see :mod:`watcher.applier.action_plan.executor` for the pool):

1. claim: PENDING -> ONGOING with this host as ``hostname``, as a
   compare-and-set in the database, so exactly one applier runs a plan (a
   plan that is no longer PENDING -- cancelled, or taken by another applier
   -- is left alone);
2. refuse to run beside an ONGOING plan whose actions touch the same
   resources (the plan goes CANCELLED with a status message saying why);
3. supersede the other RECOMMENDED plans (stale-plan rule "on launch");
4. ``action_plan.execution.start``, then the workflow engine
   (``[watcher_applier] workflow_engine``) runs the actions;
5. settle: CANCELLED when a cancel came (``action_plan.cancel.start`` when
   the applier noticed CANCELLING, ``action_plan.cancel.end`` at the end),
   else FAILED when at least one action FAILED (``action_plan.execution
   .error`` with the failing action's message as fault), else SUCCEEDED
   (``action_plan.execution.end``).  ``status_message`` tells about the
   failing action and the skipped ones.
"""
import time

from oslo_log import log

from watcher.applier import loading
from watcher.applier.workflow import base as wf_base
from watcher.common import exception
from watcher.conf import CONF
from watcher import notifications
from watcher import objects
from watcher.objects import states

LOG = log.getLogger(__name__)

PlanState = objects.action_plan.State
ActionState = objects.action.State

# how a plan the applier ran reaches each final state
FINAL_EVENTS = {PlanState.SUCCEEDED: 'succeed',
                PlanState.FAILED: 'fail',
                PlanState.CANCELLED: 'cancelled'}


class ActionPlanHandler:
    """Runs the plan ``action_plan_uuid`` on this applier."""

    def __init__(self, context, action_plan_uuid, hostname=None,
                 config=None, connection=None, engine_name=None,
                 cancel_poll_interval=None, action_loader=None):
        self.context = context
        self.uuid = action_plan_uuid
        self.config = config if config is not None else CONF
        self.hostname = hostname or self.config.host
        self.connection = connection
        self.engine_name = engine_name
        self.cancel_poll_interval = cancel_poll_interval
        self.action_loader = action_loader
        self.engine = None
        self._cancel_noticed = False

    # -- notifications ------------------------------------------------------
    def _notify(self, plan, action, phase, fault=None):
        try:
            notifications.action_plan.send_action_notification(
                self.context, plan, action=action, phase=phase, fault=fault,
                host=self.hostname)
        except Exception:
            LOG.exception('Could not emit action_plan.%s.%s for %s', action,
                          phase, self.uuid)

    def _get_plan(self, eager=False):
        return objects.ActionPlan.get_by_uuid(self.context, self.uuid,
                                              eager=eager)

    # -- the steps ------------------------------------------------------------
    def claim(self):
        """PENDING -> ONGOING for this host; the plan, or None if not ours."""
        try:
            plan = self._get_plan(eager=True)
        except exception.ActionPlanNotFound:
            LOG.warning('Action plan %s does not exist', self.uuid)
            return None
        if plan.state != PlanState.PENDING:
            LOG.info('Action plan %s is %s, not PENDING: not executing it',
                     self.uuid, plan.state)
            return None
        try:
            wf_base.fire_retrying(plan, 'start', hostname=self.hostname)
        except (exception.ObjectStateChanged,
                exception.IllegalStateTransition) as exc:
            LOG.info('Action plan %s was taken or changed meanwhile: %s',
                     self.uuid, exc)
            return None
        return plan

    def conflicting_plan(self, actions):
        """An ONGOING plan of another run touching the same resources."""
        mine = {a.input_parameters.get('resource_id')
                for a in actions if a.input_parameters} - {None}
        if not mine:
            return None
        for other in objects.ActionPlan.list(
                self.context, filters={'state': PlanState.ONGOING,
                                       'uuid__neq': self.uuid}):
            theirs = objects.Action.list(
                self.context, filters={'action_plan_uuid': other.uuid})
            for action in theirs:
                if action.state not in (ActionState.PENDING,
                                        ActionState.ONGOING,
                                        ActionState.CANCELLING):
                    continue
                rid = (action.input_parameters or {}).get('resource_id')
                if rid in mine:
                    return other, rid
        return None

    def supersede_others(self):
        superseded = []
        for other in objects.ActionPlan.list(
                self.context, filters={'state': PlanState.RECOMMENDED}):
            if other.uuid == self.uuid:
                continue
            try:
                other.fire('supersede', states.APPLIER)
            except (exception.ObjectStateChanged,
                    exception.IllegalStateTransition):
                continue
            superseded.append(other.uuid)
        if superseded:
            LOG.info('Launching action plan %s superseded %d recommended '
                     'plan(s)', self.uuid, len(superseded))
        return superseded

    def is_cancelled(self):
        """The engine's look at the plan: is it being cancelled?"""
        plan = self._get_plan()
        cancelled = plan.state in (PlanState.CANCELLING, PlanState.CANCELLED)
        if cancelled and not self._cancel_noticed:
            self._cancel_noticed = True
            LOG.info('Action plan %s is being cancelled', self.uuid)
            self._notify(plan, 'cancel', 'start')
        return cancelled

    def make_engine(self, plan):
        strategy = getattr(plan, 'strategy', None) if plan.obj_attr_is_set(
            'strategy') else None
        engine = loading.load_workflow_engine(
            self.engine_name, context=self.context, config=self.config,
            connection=self.connection, is_cancelled=self.is_cancelled,
            strategy_name=getattr(strategy, 'name', None),
            hostname=self.hostname, action_loader=self.action_loader)
        if self.cancel_poll_interval is not None:
            engine.cancel_poll_interval = self.cancel_poll_interval
        return engine

    def execute(self):
        """Run the plan; its final state, or None when it was not ours."""
        plan = self.claim()
        if plan is None:
            return None
        actions = sorted(
            objects.Action.list(self.context,
                                filters={'action_plan_uuid': self.uuid}),
            key=lambda a: a.id)
        conflict = self.conflicting_plan(actions)
        if conflict is not None:
            other, rid = conflict
            message = ('Refused: action plan %s is running actions on the '
                       'same resource %s' % (other.uuid, rid))
            LOG.warning('Action plan %s: %s', self.uuid, message)
            self._settle_actions(actions, 'Not executed: ' + message)
            return self._finish(PlanState.CANCELLED, message)

        self.supersede_others()
        self._notify(plan, 'execution', 'start')
        started = time.monotonic()
        try:
            self.engine = self.make_engine(plan)
            outcome = self.engine.execute(plan, actions)
        except Exception as exc:
            message = wf_base.truncate('The execution of the action plan '
                                       'broke: %s' % wf_base.error_text(exc))
            LOG.exception('Action plan %s: %s', self.uuid, message)
            self._settle_actions(actions, 'Not executed: ' + message)
            return self._finish(PlanState.FAILED, message, fault=exc)
        LOG.info('Action plan %s ran in %.2fs: %d succeeded, %d failed, '
                 '%d skipped, %d cancelled', self.uuid,
                 time.monotonic() - started, outcome.count(wf_base.SUCCEEDED),
                 outcome.count(wf_base.FAILED), outcome.count(wf_base.SKIPPED),
                 outcome.count(wf_base.CANCELLED))
        message = wf_base.summarize(outcome)
        if outcome.cancelled:
            return self._finish(PlanState.CANCELLED, message)
        if outcome.failed:
            return self._finish(PlanState.FAILED, message)
        return self._finish(PlanState.SUCCEEDED, message)

    # -- settling -------------------------------------------------------------
    def _settle_actions(self, actions, message):
        """CANCELLED, with ``message``, for the actions not run to the end."""
        for action in actions:
            if action.state not in (ActionState.PENDING,
                                    ActionState.ONGOING,
                                    ActionState.CANCELLING):
                continue
            try:
                action.refresh()
                if action.state not in (ActionState.PENDING,
                                        ActionState.ONGOING,
                                        ActionState.CANCELLING):
                    continue
                wf_base.fire_retrying(
                    action, 'settle',
                    status_message=wf_base.truncate(message))
            except Exception:
                LOG.exception('Could not settle action %s', action.uuid)

    def _finish(self, target, message, fault=None):
        """Move the plan to its final state (compare-and-set, retried)."""
        for _attempt in range(10):
            plan = self._get_plan(eager=True)
            current = plan.state
            final = target
            if current in (PlanState.CANCELLING, PlanState.CANCELLED):
                final = PlanState.CANCELLED
            if current == final:
                break
            if current not in (PlanState.ONGOING, PlanState.CANCELLING):
                LOG.warning('Action plan %s is %s; not moving it to %s',
                            self.uuid, current, final)
                return current
            try:
                wf_base.fire_retrying(
                    plan, FINAL_EVENTS[final],
                    status_message=(wf_base.truncate(message)
                                    if message else None))
            except exception.ObjectStateChanged:
                continue
            break
        else:
            LOG.error('Could not settle action plan %s', self.uuid)
            return None
        if final == PlanState.CANCELLED:
            if not self._cancel_noticed and current == PlanState.CANCELLING:
                self._notify(plan, 'cancel', 'start')
            self._notify(plan, 'cancel', 'end')
        elif final == PlanState.FAILED:
            self._notify(plan, 'execution', 'error',
                         fault=fault or exception.ActionPlanExecutionFailed(
                             uuid=self.uuid, reason=message or 'failed'))
        else:
            self._notify(plan, 'execution', 'end')
        LOG.info('Action plan %s is %s%s', self.uuid, final,
                 (': %s' % message) if message else '')
        return final
