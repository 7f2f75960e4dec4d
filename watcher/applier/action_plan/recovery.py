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

"""Work a stopped applier left behind, and launches nobody picked up
(the start-up and periodic seams of ``watcher.applier.manager``).

An action plan that was ONGOING or CANCELLING when its applier stopped
cannot be resumed. It is settled:

1. the cloud is asked how the actions left ONGOING/CANCELLING ended
   (:mod:`watcher.applier.action_plan.outcome`; reads only, waiting for a
   change still in progress);
2. the plan goes CANCELLED (event ``settle``) as one compare-and-set, which
   is the claim: of the appliers that try (the same host restarting, live
   peers), exactly one goes on;
3. right after, its actions: the running ones as the cloud showed
   (SUCCEEDED, FAILED, or CANCELLED when it did not happen or nobody can
   tell), the PENDING ones CANCELLED (never run);
4. with ``[watcher_applier] reenable_hosts_on_recovery``, the nova-compute
   services the plan disabled are enabled again.

Who settles:

* :func:`settle_orphans` - an applier starting settles the plans its own
  host left (actor ``applier``);
* :func:`take_over` - periodically, the plans of appliers whose heartbeat
  is older than ``[DEFAULT] service_down_time`` (actor ``ha-takeover``);
* :func:`settle_strays` - actions left running under a plan that is
  already final (a settling applier that stopped between steps 2 and 3).

:func:`lost_launches` lists the PENDING plans older than
``[watcher_applier] launch_grace`` (their launch cast was lost, e.g. sent
while no applier ran); the manager hands them to its executor, whose claim
(PENDING -> ONGOING, a compare-and-set) runs each once.
"""
import datetime

from oslo_log import log

from watcher.applier.action_plan import outcome as outcome_mod
from watcher.applier.actions import change_nova_service_state as svc_state
from watcher.applier.workflow import base as wf_base
from watcher.common import exception
from watcher.conf import CONF
from watcher import objects
from watcher.objects import states

LOG = log.getLogger(__name__)

PlanState = objects.action_plan.State
ActionState = objects.action.State

APPLIER_SERVICE = 'watcher-applier'
RUNNING_PLAN = (PlanState.ONGOING, PlanState.CANCELLING)
RUNNING = (ActionState.ONGOING, ActionState.CANCELLING)
FINAL_PLAN = (PlanState.SUCCEEDED, PlanState.FAILED, PlanState.CANCELLED)

#: verdict on an interrupted action -> the event recording it
VERDICT_EVENTS = {outcome_mod.DONE: 'confirm',
                  outcome_mod.NOT_DONE: 'settle',
                  outcome_mod.WENT_WRONG: 'fail',
                  outcome_mod.UNKNOWN: 'settle'}

LOST = (exception.ObjectStateChanged, exception.IllegalStateTransition)


def _fire(obj, event, actor, message):
    """Fire; False when another writer moved the object first."""
    try:
        wf_base.fire_retrying(obj, event, actor,
                              status_message=wf_base.truncate(message))
        return True
    except LOST as exc:
        LOG.info('%s %s not settled here: %s', obj.obj_name(), obj.uuid, exc)
        return False


def _action_message(verdict, dead_host):
    if verdict.outcome == outcome_mod.DONE:
        return ('Completed (found on recovery: %s); the applier on %s '
                'stopped before recording it' % (verdict.message, dead_host))
    if verdict.outcome == outcome_mod.NOT_DONE:
        return ('Interrupted: the applier on %s stopped while this action '
                'was running; it did not take place (%s)'
                % (dead_host, verdict.message))
    if verdict.outcome == outcome_mod.WENT_WRONG:
        return ('Interrupted: the applier on %s stopped while this action '
                'was running, and it went wrong: %s'
                % (dead_host, verdict.message))
    return ('Interrupted: the applier on %s stopped while this action was '
            'running; its outcome on the cloud is unknown (%s)'
            % (dead_host, verdict.message))


def verdicts(context, plan_uuid, config=None, action_loader=None):
    """``{action uuid: Verdict}`` for the running actions of a plan.

    Only reads: it may wait (``recovery_outcome_wait``) for a change still
    in progress in the cloud, so it is done before the claim: the actions
    reach their final states right after the plan, not a wait later.
    """
    found = {}
    for action in objects.Action.list(
            context, filters={'action_plan_uuid': plan_uuid,
                              'state__in': list(RUNNING)}):
        found[action.uuid] = outcome_mod.find_out(
            context, action, config=config, action_loader=action_loader)
    return found


def settle_actions(context, plan_uuid, dead_host, actor=states.APPLIER,
                   config=None, action_loader=None, known=None):
    """Final states for the unfinished actions of a plan; how many moved.

    ``known``: verdicts already found (see :func:`verdicts`).
    """
    known = known or {}
    moved = 0
    for action in objects.Action.list(
            context, filters={'action_plan_uuid': plan_uuid}):
        if action.state in RUNNING:
            verdict = known.get(action.uuid) or outcome_mod.find_out(
                context, action, config=config, action_loader=action_loader)
            event = VERDICT_EVENTS[verdict.outcome]
            message = _action_message(verdict, dead_host)
        elif action.state == ActionState.PENDING:
            event = 'settle'
            message = ('Not executed: the applier on %s stopped during the '
                       'action plan' % dead_host)
        else:
            continue
        if _fire(action, event, actor, message):
            moved += 1
    return moved


def _reenable_hosts(context, plan_uuid, config, action_loader):
    hosts = []
    for action in objects.Action.list(
            context, filters={'action_plan_uuid': plan_uuid,
                              'state': ActionState.SUCCEEDED}):
        if action.action_type != svc_state.ChangeNovaServiceState.name:
            continue
        try:
            host = outcome_mod.reenable_host(context, action, config=config,
                                             action_loader=action_loader)
        except Exception:
            LOG.exception('Could not enable again the host action %s '
                          'disabled', action.uuid)
            continue
        if host:
            hosts.append(host)
    return hosts


def settle_plan(context, plan, dead_host, actor=states.APPLIER, by=None,
                config=None, action_loader=None):
    """Claim and settle one interrupted plan; True when this call did."""
    config = config if config is not None else CONF
    previous = plan.state
    message = ('Interrupted: the applier on %s stopped while running this '
               'action plan' % dead_host)
    if by and by != dead_host:
        message += '; settled by the applier on %s' % by
    known = verdicts(context, plan.uuid, config=config,
                     action_loader=action_loader)
    if not _fire(plan, 'settle', actor, message):
        return False
    actions = settle_actions(context, plan.uuid, dead_host, actor,
                             config=config, action_loader=action_loader,
                             known=known)
    LOG.warning('Action plan %s left %s by the applier on %s is now '
                'CANCELLED (%d action(s) settled)', plan.uuid, previous,
                dead_host, actions)
    if config.watcher_applier.reenable_hosts_on_recovery:
        hosts = _reenable_hosts(context, plan.uuid, config, action_loader)
        if hosts:
            plan.status_message = wf_base.truncate(
                '%s; nova-compute enabled again on %s'
                % (message, ', '.join(sorted(hosts))))
            try:
                wf_base.retrying(plan.save, 'Saving the status message')
            except Exception:
                LOG.exception('Could not record the hosts enabled again')
    return True


def settle_orphans(context, hostname, config=None, action_loader=None):
    """Settle the plans ``hostname`` left running; their uuids."""
    settled = []
    plans = objects.ActionPlan.list(
        context, filters={'state__in': list(RUNNING_PLAN),
                          'hostname': hostname})
    for plan in plans:
        if settle_plan(context, plan, hostname, states.APPLIER, by=hostname,
                       config=config, action_loader=action_loader):
            settled.append(plan.uuid)
    return settled


def live_applier_hosts(context, now=None):
    """Hosts whose applier heartbeat is within service_down_time."""
    services = objects.Service.list(context,
                                    filters={'name': APPLIER_SERVICE})
    return {svc.host for svc in services
            if objects.Service.status_of(svc, now=now) ==
            objects.service.ServiceStatus.ACTIVE}


def take_over(context, host, config=None, action_loader=None, now=None):
    """Settle the running plans of appliers that are not alive; uuids.

    ``host`` (this applier) leaves its own plans alone: they run here, or
    were settled when it started.
    """
    live = live_applier_hosts(context, now=now) | {host}
    settled = []
    for plan in objects.ActionPlan.list(
            context, filters={'state__in': list(RUNNING_PLAN)}):
        owner = plan.hostname
        if owner in live:
            continue
        LOG.warning('The applier on %s is down; taking over its action '
                    'plan %s (%s)', owner, plan.uuid, plan.state)
        if settle_plan(context, plan, owner or 'an unknown host',
                       states.TAKEOVER, by=host,
                       config=config, action_loader=action_loader):
            settled.append(plan.uuid)
    return settled


def settle_strays(context, host, config=None, action_loader=None):
    """Settle actions left running under a final plan; how many moved."""
    moved = 0
    plans = {}
    for action in objects.Action.list(
            context, filters={'state__in': list(RUNNING)}):
        if action.action_plan_id in plans:
            continue
        plan = objects.ActionPlan.get_by_id(context, action.action_plan_id)
        plans[action.action_plan_id] = plan
        if plan.state not in FINAL_PLAN:
            continue
        moved += settle_actions(context, plan.uuid, plan.hostname or host,
                                states.TAKEOVER, config=config,
                                action_loader=action_loader)
    return moved


def lost_launches(context, grace, now=None):
    """PENDING plans whose launch is older than ``grace`` seconds."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    lost = []
    for plan in objects.ActionPlan.list(
            context, filters={'state': PlanState.PENDING}):
        since = plan.updated_at or plan.created_at
        if since is None:
            continue
        if since.tzinfo is None:
            since = since.replace(tzinfo=datetime.timezone.utc)
        if (now - since).total_seconds() >= grace:
            lost.append(plan)
    return lost
