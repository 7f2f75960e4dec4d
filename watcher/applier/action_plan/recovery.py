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

"""Settling what an applier left behind (the start-up seam of
``watcher.applier.manager``).

``settle_orphans(context, hostname)`` is called when the applier of
``hostname`` starts.  Plans that this host left ONGOING or CANCELLING (it
stopped or died while running them) cannot be resumed: their actions left
ONGOING/CANCELLING become CANCELLED with a status message saying the applier
was interrupted, their PENDING actions CANCELLED (never run), and the plans
CANCELLED with a status message.  Nothing is left ONGOING.  Returns the
uuids of the plans settled.
"""
from oslo_log import log

from watcher.applier.workflow import base as wf_base
from watcher.common import exception
from watcher import objects

LOG = log.getLogger(__name__)

PlanState = objects.action_plan.State
ActionState = objects.action.State

RUNNING = (ActionState.ONGOING, ActionState.CANCELLING)


def _settle(obj, message):
    try:
        wf_base.fire_retrying(obj, 'settle',
                              status_message=wf_base.truncate(message))
        return True
    except (exception.ObjectStateChanged,
            exception.IllegalStateTransition) as exc:
        LOG.warning('Could not settle %s %s: %s', obj.obj_name(), obj.uuid,
                    exc)
        return False


def settle_actions(context, plan_uuid, hostname):
    """CANCELLED for the unfinished actions of a plan; how many moved."""
    moved = 0
    for action in objects.Action.list(
            context, filters={'action_plan_uuid': plan_uuid}):
        if action.state in RUNNING:
            message = ('Interrupted: the applier on %s stopped while this '
                       'action was running; its outcome on the cloud is '
                       'unknown' % hostname)
        elif action.state == ActionState.PENDING:
            message = ('Not executed: the applier on %s stopped during the '
                       'action plan' % hostname)
        else:
            continue
        if _settle(action, message):
            moved += 1
    return moved


def settle_orphans(context, hostname):
    """Settle the plans ``hostname`` left running; their uuids."""
    settled = []
    plans = objects.ActionPlan.list(
        context, filters={'state__in': [PlanState.ONGOING,
                                        PlanState.CANCELLING],
                          'hostname': hostname})
    for plan in plans:
        previous = plan.state
        actions = settle_actions(context, plan.uuid, hostname)
        message = ('Interrupted: the applier on %s stopped while running '
                   'this action plan' % hostname)
        if _settle(plan, message):
            settled.append(plan.uuid)
            LOG.warning('Action plan %s left %s by a previous run of the '
                        'applier on %s is now CANCELLED (%d action(s) '
                        'settled)', plan.uuid, previous, hostname, actions)
    return settled
