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

"""The seam between the decision engine's RPC manager and the audit pipeline.

Functions the manager (:mod:`watcher.decision_engine.manager`) calls:

``execute_audit(context, audit_uuid)``
    On RPC ``trigger_audit``. ONESHOT: the audit is run in the audit worker
    pool (``[watcher_decision_engine] max_audit_workers`` threads); returns
    the future of the run. CONTINUOUS: the audit is planned now
    (:mod:`~watcher.decision_engine.audit.continuous`) rather than at the
    next poll. EVENT: same as ``trigger_event_audit`` (the only caller of
    ``trigger_audit`` for an EVENT audit is the webhook).
``trigger_event_audit(context, audit_uuid)``
    The webhook of an EVENT audit: one run per trigger, triggers arriving
    during a run coalesced into one more run
    (:mod:`~watcher.decision_engine.audit.event`). Returns ``"started"``
    or ``"coalesced"``.
``start(service=None, scheduler=None)``
    Called once the service is up: plans, on the service's background
    scheduler (``service.scheduler``, or ``scheduler`` given directly; an
    APScheduler scheduler or ``watcher.cmd.service.Scheduler``), the
    continuous-audit poll (every ``continuous_audit_interval`` s) and the
    stale action plan expiry (every ``check_periodic_interval`` s,
    RECOMMENDED plans older than ``action_plan_expiry`` hours ->
    SUPERSEDED) and the sweep for one-shot audits no live engine holds
    (every ``audit_recovery_interval`` s and right away;
    :mod:`~watcher.decision_engine.audit.recovery`).
``stop()``
    Removes those jobs and shuts the worker pool down (waiting for the runs
    in progress).

Everything goes through one :class:`AuditDispatcher` per process
(:func:`get_dispatcher`); tests may build their own.
"""
import threading

import futurist
from oslo_log import log

from watcher.common import context as watcher_context
from watcher.common import exception
from watcher.common import utils
from watcher.conf import CONF
from watcher.decision_engine.audit import base
from watcher.decision_engine.audit import continuous
from watcher.decision_engine.audit import event
from watcher.decision_engine.audit import oneshot
from watcher.decision_engine.audit import recovery
from watcher.decision_engine.audit import superseding
from watcher.decision_engine import ha
from watcher import objects

LOG = log.getLogger(__name__)

EXPIRY_JOB_ID = 'watcher-action-plan-expiry'
RECOVERY_JOB_ID = 'watcher-audit-recovery'


class AuditDispatcher:
    """Owns the audit worker pool and the three audit handlers."""

    def __init__(self, max_workers=None, sources=None, applier_api=None,
                 clock=None, host=None, ownership=None,
                 context_factory=None):
        self.max_workers = (max_workers or
                            CONF.watcher_decision_engine.max_audit_workers)
        self._executor = None
        self._executor_lock = threading.Lock()
        self._context_factory = (context_factory
                                 or watcher_context.get_admin_context)
        common = {'sources': sources, 'applier_api': applier_api,
                  'clock': clock, 'host': host}
        self.oneshot = oneshot.OneShotAuditHandler(**common)
        self.continuous = continuous.ContinuousAuditHandler(
            submit=self.submit, context_factory=self._context_factory,
            ownership=ownership, **common)
        self.event = event.EventAuditHandler(
            submit=self.submit, context_factory=self._context_factory,
            **common)
        self._scheduler = None
        self.host = self.oneshot.host
        # one-shot audits this process has claimed and not finished running
        self._held = set()
        self._started = utils.utcnow()
        self._held_lock = threading.Lock()

    # -- pool ----------------------------------------------------------------
    @property
    def executor(self):
        with self._executor_lock:
            if self._executor is None:
                self._executor = futurist.ThreadPoolExecutor(
                    max_workers=self.max_workers)
            return self._executor

    def submit(self, fn, *args, **kwargs):
        return self.executor.submit(self._guard, fn, *args, **kwargs)

    @staticmethod
    def _guard(fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception:
            LOG.exception('Audit work %s failed', getattr(fn, '__name__', fn))
            raise

    # -- seams ---------------------------------------------------------------
    def execute_audit(self, context, audit_uuid):
        try:
            audit = objects.Audit.get_by_uuid(context, audit_uuid)
        except exception.AuditNotFound:
            LOG.warning('Audit %s to execute does not exist', audit_uuid)
            return None
        if audit.audit_type == base.AUDIT_TYPE.CONTINUOUS:
            return self.submit(self.continuous.register, context,
                               audit_uuid)
        if audit.audit_type == base.AUDIT_TYPE.EVENT:
            return self.trigger_event_audit(context, audit_uuid)
        if audit.hostname not in (None, self.host) and ha.owner_is_alive(
                context, audit.hostname):
            LOG.info('Audit %s is held by %s; not run here', audit_uuid,
                     audit.hostname)
            return None
        return self.take_oneshot(context, audit)

    def take_oneshot(self, context, audit):
        """Claim a PENDING one-shot audit for this engine and queue its run.

        Returns the future of the run, or None when the audit was not ours
        to run (not PENDING, already held here, or claimed by another engine
        meanwhile).
        """
        with self._held_lock:
            if audit.uuid in self._held:
                return None
            self._held.add(audit.uuid)
        if audit.state != base.AUDIT_STATE.PENDING or \
                not recovery.claim(audit, self.host):
            self._release(audit.uuid)
            LOG.info('Audit %s is %s (on %s); not run here', audit.uuid,
                     audit.state, audit.hostname)
            return None
        try:
            return self.submit(self._run_oneshot, context, audit.uuid)
        except Exception:
            self._release(audit.uuid)
            raise

    def _run_oneshot(self, context, audit_uuid):
        try:
            return self.oneshot.execute(context, audit_uuid)
        finally:
            self._release(audit_uuid)

    def _release(self, audit_uuid):
        with self._held_lock:
            self._held.discard(audit_uuid)

    def held(self):
        with self._held_lock:
            return set(self._held)

    def recover_audits(self, now=None):
        """The sweep: take and run the one-shot audits no live engine holds.

        Returns the uuids of the audits queued here.
        """
        context = self._context_factory()
        try:
            pending, ongoing = recovery.lost_audits(
                context, self.host, known=self.held(), now=now,
                started=self._started)
        except Exception:
            LOG.exception('Cannot look for one-shot audits to recover')
            return []
        queued = []
        for audit in ongoing:
            try:
                outcome, plan = recovery.take_over_run(context, audit,
                                                       self.host)
                if outcome == 'requeued':
                    pending.append(audit)
                elif outcome == 'finished' and audit.auto_trigger and \
                        plan.state == objects.action_plan.State.RECOMMENDED:
                    self.oneshot.auto_trigger(context, audit, plan)
            except Exception:
                LOG.exception('Cannot take over audit %s', audit.uuid)
        for audit in pending:
            try:
                if self.take_oneshot(context, audit) is not None:
                    queued.append(audit.uuid)
            except Exception:
                LOG.exception('Cannot recover audit %s', audit.uuid)
        if queued:
            LOG.warning('Recovered one-shot audits no live decision engine '
                        'held: %s', ', '.join(queued))
        return queued

    def trigger_event_audit(self, context, audit_uuid):
        return self.event.trigger(context, audit_uuid)

    def start(self, service=None, scheduler=None):
        scheduler = scheduler or getattr(service, 'scheduler', None)
        if scheduler is None:
            LOG.error('No scheduler given: continuous audits and action '
                      'plan expiry are not scheduled')
            return
        self._scheduler = scheduler
        self.continuous.start(scheduler)
        scheduler.add_job(
            self.expire_action_plans, 'interval',
            seconds=CONF.watcher_decision_engine.check_periodic_interval,
            id=EXPIRY_JOB_ID, replace_existing=True, coalesce=True,
            max_instances=1, misfire_grace_time=None)
        scheduler.add_job(
            self.recover_audits, 'interval',
            seconds=CONF.watcher_decision_engine.audit_recovery_interval,
            id=RECOVERY_JOB_ID, replace_existing=True, coalesce=True,
            max_instances=1, misfire_grace_time=None,
            next_run_time=utils.utcnow())
        LOG.info('Audit dispatcher started (%d workers)', self.max_workers)

    def stop(self):
        self.continuous.stop()
        self.event.stop()
        if self._scheduler is not None:
            for job in (EXPIRY_JOB_ID, RECOVERY_JOB_ID):
                try:
                    self._scheduler.remove_job(job)
                except Exception:
                    pass  # already removed
            self._scheduler = None
        with self._executor_lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)

    def expire_action_plans(self):
        try:
            return superseding.expire_stale_plans(self._context_factory())
        except Exception:
            LOG.exception('Expiring stale action plans failed')
            return []


_DISPATCHER = None
_LOCK = threading.Lock()


def get_dispatcher():
    """The dispatcher of this process (made on first use)."""
    global _DISPATCHER
    with _LOCK:
        if _DISPATCHER is None:
            _DISPATCHER = AuditDispatcher()
        return _DISPATCHER


def execute_audit(context, audit_uuid):
    return get_dispatcher().execute_audit(context, audit_uuid)


def trigger_event_audit(context, audit_uuid):
    return get_dispatcher().trigger_event_audit(context, audit_uuid)


def start(service=None, scheduler=None):
    return get_dispatcher().start(service=service, scheduler=scheduler)


def stop():
    global _DISPATCHER
    with _LOCK:
        dispatcher, _DISPATCHER = _DISPATCHER, None
    if dispatcher is not None:
        dispatcher.stop()
