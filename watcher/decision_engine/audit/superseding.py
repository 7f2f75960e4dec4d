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

"""RECOMMENDED action plans that became stale, and their retirement.

Three rules of the decision engine retire RECOMMENDED plans (the
user guide, ``doc/source/user/audits.rst``):

* a newer run of the same audit replaces the plan it recommended before
  (:func:`retire_previous_runs`): a CONTINUOUS audit's earlier plan is
  CANCELLED, as upstream does (clients list CANCELLED plans to find them),
  with its pending actions, like a cancel through the API; an EVENT
  audit's is SUPERSEDED;
* a plan left RECOMMENDED for more than ``[watcher_decision_engine]
  action_plan_expiry`` hours expires -> SUPERSEDED:
  :func:`expire_stale_plans`, run every ``check_periodic_interval`` seconds
  by the dispatcher;
* a plan was launched, every other RECOMMENDED plan is stale ->
  SUPERSEDED: :func:`supersede_recommended_plans` without ``audit``, which
  the API and the applier apply on launch.

Every move is a compare-and-set on the RECOMMENDED state: a plan that was
started or cancelled in the meantime is left alone, so two decision engines
(or a decision engine and the API) may run these at the same time.
"""
import datetime

from oslo_log import log

from watcher.common import exception
from watcher.common import utils
from watcher.conf import CONF
from watcher.decision_engine.audit import scheduling
from watcher import objects
from watcher.objects import states

LOG = log.getLogger(__name__)


def _retire(plan, message, event='supersede'):
    """Fire ``event`` (``supersede`` or ``cancel``) on a RECOMMENDED plan."""
    changes = ({'status_message': utils.truncate(message)}
               if message else {})
    try:
        plan.fire(event, states.ENGINE, **changes)
    except (exception.ObjectStateChanged, exception.ActionPlanNotFound,
            exception.IllegalStateTransition):
        LOG.debug('Action plan %s left RECOMMENDED meanwhile; no %s',
                  plan.uuid, event)
        return False
    return True


def _cancel_pending_actions(context, plan):
    pending = objects.Action.list(context, filters={
        'action_plan_id': plan.id,
        'state': objects.action.State.PENDING})
    for action in pending:
        try:
            action.fire('cancel', states.ENGINE)
        except (exception.ObjectStateChanged,
                exception.IllegalStateTransition):
            LOG.debug('Action %s left PENDING meanwhile', action.uuid)


def retire_previous_runs(context, audit, new_plan_uuid):
    """Retire the RECOMMENDED plans of ``audit`` but ``new_plan_uuid``.

    CANCELLED (and their pending actions too) for a CONTINUOUS audit,
    SUPERSEDED otherwise; returns the plans moved.
    """
    message = ('Replaced by action plan %s of a newer run of the audit'
               % new_plan_uuid)
    if audit.audit_type != objects.audit.AuditType.CONTINUOUS:
        return supersede_recommended_plans(
            context, exclude_uuid=new_plan_uuid, audit=audit,
            message=message)
    moved = []
    for plan in objects.ActionPlan.list(context, filters={
            'state': objects.action_plan.State.RECOMMENDED,
            'audit_id': audit.id, 'uuid__neq': new_plan_uuid}):
        if _retire(plan, message, 'cancel'):
            _cancel_pending_actions(context, plan)
            moved.append(plan)
    if moved:
        LOG.info('Cancelled action plans %s of earlier runs of audit %s',
                 ', '.join(p.uuid for p in moved), audit.uuid)
    return moved


def supersede_recommended_plans(context, exclude_uuid=None, audit=None,
                                message=None):
    """Move RECOMMENDED plans to SUPERSEDED; return the plans moved.

    :param exclude_uuid: a plan to keep (the new or the launched one).
    :param audit: only the plans of this audit (an Audit object, or
        anything with an ``id``); every RECOMMENDED plan when None.
    :param message: ``status_message`` written on the superseded plans;
        by default one naming ``exclude_uuid``.
    """
    filters = {'state': objects.action_plan.State.RECOMMENDED}
    if audit is not None:
        filters['audit_id'] = audit.id
    if exclude_uuid is not None:
        filters['uuid__neq'] = exclude_uuid
    if message is None and exclude_uuid is not None:
        message = ('Superseded by action plan %s' % exclude_uuid)
    moved = []
    for plan in objects.ActionPlan.list(context, filters=filters):
        if _retire(plan, message):
            moved.append(plan)
    if moved:
        LOG.info('Superseded action plans %s',
                 ', '.join(p.uuid for p in moved))
    return moved


def expire_stale_plans(context, now=None, expiry_hours=None):
    """SUPERSEDE the RECOMMENDED plans older than the expiry; return them.

    ``expiry_hours`` defaults to ``[watcher_decision_engine]
    action_plan_expiry``; 0 disables expiry.
    """
    if expiry_hours is None:
        expiry_hours = CONF.watcher_decision_engine.action_plan_expiry
    if not expiry_hours or expiry_hours <= 0:
        return []
    now = scheduling.as_utc(now) if now is not None else utils.utcnow()
    cutoff = now - datetime.timedelta(hours=expiry_hours)
    filters = {'state': objects.action_plan.State.RECOMMENDED,
               'created_at__lt': scheduling.as_naive_utc(cutoff)}
    message = ('Expired: not started within %d hours of its creation '
               '([watcher_decision_engine] action_plan_expiry)'
               % expiry_hours)
    moved = []
    for plan in objects.ActionPlan.list(context, filters=filters):
        if _retire(plan, message):
            moved.append(plan)
    if moved:
        LOG.info('Expired %d RECOMMENDED action plan(s) older than %d '
                 'hours: %s', len(moved), expiry_hours,
                 ', '.join(p.uuid for p in moved))
    return moved
