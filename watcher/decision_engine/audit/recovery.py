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

"""One-shot audits that no live decision engine holds, found and run again.

A ONESHOT audit reaches a decision engine as an RPC cast. The cast can be
lost (published while the engine's queue was gone, e.g. around a broker
restart), and an engine that took the audit can die before or while it
runs it (a killed engine loses the audits queued in its worker pool).
Nothing else would ever look at those audits again, so every engine sweeps
for them (every ``[watcher_decision_engine] audit_recovery_interval``
seconds, and once at start):

* **owner** -- ``audits.hostname``. The engine the cast reaches fires
  ``claim`` (the audit stays PENDING, its host recorded) before queueing
  the run; the sweep fires ``claim`` on the audits it takes. Each claim is
  a compare-and-set on the state *and* on the owner the engine saw, so of
  two engines taking the same audit only one wins.
* **PENDING, no owner** -- the cast was lost (or is late): taken once the
  audit has not changed for ``audit_recovery_grace`` seconds, so that a
  cast in flight is not raced.
* **PENDING or ONGOING, owner dead** -- the owner's heartbeat is older
  than ``[DEFAULT] service_down_time``; a PENDING audit is claimed, an
  ONGOING one is re-queued (``requeue``: ONGOING -> PENDING, this engine
  recorded) and run again from the start, unless its run had already
  stored its plan: then the audit is finished (``succeed``), as the run
  would have done, so that no complete plan is left beside an unfinished
  audit.
* **owner is this host, unknown to this process and last changed before
  the process started** -- the audit of this host's previous incarnation (a
  restart): treated as an owner that died.

Never twice: every run starts with ``start`` (PENDING -> ONGOING, a
compare-and-set on PENDING), which only one engine can win; a run that
loses does nothing.
"""
from oslo_log import log

from watcher.common import exception
from watcher.common import utils
from watcher.conf import CONF
from watcher.decision_engine.audit import scheduling
from watcher.decision_engine import ha
from watcher import objects
from watcher.objects import states

LOG = log.getLogger(__name__)

AUDIT_STATE = objects.audit.State
PLAN_STATE = objects.action_plan.State

#: what a finished run's plan can have become since (a user or the applier
#: may already have acted on it)
STORED_PLAN_STATES = tuple(s for s in PLAN_STATE.ALL
                           if s != PLAN_STATE.DELETED)


def claim(audit, host, actor=states.ENGINE):
    """Record ``host`` as the owner of ``audit``; False when another engine
    changed it first (or it left the claimable states).
    """
    try:
        audit.fire('claim', actor, expected={'hostname': audit.hostname},
                   hostname=host)
    except (exception.ObjectStateChanged, exception.IllegalStateTransition,
            exception.AuditNotFound) as exc:
        LOG.info('Audit %s not claimed by %s: %s', audit.uuid, host, exc)
        return False
    return True


def owner_lost(audit, host, alive, known=(), started=None):
    """Whether the owner of ``audit`` will never run it: none, dead, or this
    host's previous incarnation (``known``: the audits this process holds;
    ``started``: when this process started -- an audit of this host changed
    since is not an orphan, even if another process of the same host name
    holds it).
    """
    owner = audit.hostname
    if owner is None:
        return True
    if owner == host:
        if audit.uuid in known:
            return False
        changed = scheduling.as_utc(audit.updated_at or audit.created_at)
        return started is None or changed is None or changed < started
    return owner not in alive


def quiet_for(audit, now):
    """Seconds since ``audit`` last changed."""
    changed = scheduling.as_utc(audit.updated_at or audit.created_at)
    if changed is None:
        return float('inf')
    return (now - changed).total_seconds()


def lost_audits(context, host, known=(), now=None, grace=None,
                started=None):
    """``(pending, ongoing)``: the one-shot audits this engine should take.

    ``pending`` are PENDING audits with no owner (quiet for ``grace``
    seconds) or a lost one; ``ongoing`` are ONGOING audits whose owner is
    lost.
    """
    now = now or utils.utcnow()
    if grace is None:
        grace = CONF.watcher_decision_engine.audit_recovery_grace
    audits = objects.Audit.list(context, filters={
        'audit_type': objects.audit.AuditType.ONESHOT,
        'state__in': [AUDIT_STATE.PENDING, AUDIT_STATE.ONGOING]})
    candidates = [a for a in audits if a.uuid not in known]
    if not candidates:
        return [], []
    alive = ha.live_hosts(context, ha.DECISION_ENGINE, now=now)
    pending, ongoing = [], []
    for audit in candidates:
        if not owner_lost(audit, host, alive, known, started):
            continue
        if audit.state == AUDIT_STATE.PENDING:
            if audit.hostname is None and quiet_for(audit, now) < grace:
                continue
            pending.append(audit)
        else:
            ongoing.append(audit)
    return pending, ongoing


def stored_plan(context, audit):
    """The plan the audit's interrupted run stored (None if it stored none).

    A plan is stored with its actions in one transaction, so a plan found
    is complete.
    """
    plans = objects.ActionPlan.list(
        context, filters={'audit_id': audit.id,
                          'state__in': list(STORED_PLAN_STATES)},
        sort_key='id', sort_dir='desc', limit=1)
    return plans[0] if plans else None


def take_over_run(context, audit, host):
    """Settle the ONGOING run of a lost owner.

    Returns ``(outcome, plan)``: ``'requeued'`` (now PENDING and owned by
    ``host``: run it), ``'finished'`` (its ``plan`` was stored: the audit is
    SUCCEEDED) or None (another engine was faster, or the audit changed
    meanwhile).
    """
    actor = states.ENGINE if audit.hostname == host else states.TAKEOVER
    previous = audit.hostname
    plan = stored_plan(context, audit)
    try:
        if plan is not None:
            audit.fire('succeed', actor, expected={'hostname': previous},
                       hostname=host)
            LOG.warning('Audit %s: its run on %s stored action plan %s '
                        'before the engine stopped; the audit is SUCCEEDED',
                        audit.uuid, previous, plan.uuid)
            return 'finished', plan
        audit.fire('requeue', actor, expected={'hostname': previous},
                   hostname=host, status_message=None)
    except (exception.ObjectStateChanged, exception.IllegalStateTransition,
            exception.AuditNotFound) as exc:
        LOG.info('Audit %s not taken over: %s', audit.uuid, exc)
        return None, None
    LOG.warning('Audit %s was running on %s, which stopped; running it '
                'again here (%s)', audit.uuid, previous, host)
    return 'requeued', None
