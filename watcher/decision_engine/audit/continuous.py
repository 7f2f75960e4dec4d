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

"""CONTINUOUS audits: re-run on an interval or a cron schedule.

How it works
------------
* A poll (every ``[watcher_decision_engine] continuous_audit_interval``
  seconds, and right away at start) lists the CONTINUOUS audits that are
  PENDING or ONGOING. For each one this decision engine owns -- it already
  does, the audit has no owner, or the owner's heartbeat stopped and this
  engine won the takeover (``watcher.decision_engine.ha``, a
  compare-and-set on ``audits.hostname``) -- it makes sure one scheduler
  job is planned. Audits owned by another live engine are left to it.
  ``register()`` does the same for one audit at once (a new audit does not
  wait for the next poll).
* A PENDING audit is claimed (-> ONGOING, this host recorded) when it is
  picked up; it then stays ONGOING across runs.
* Each job is a one-off APScheduler ``date`` job at the audit's next run;
  the run itself goes to the audit worker pool; when it ends, the next run
  is computed (:mod:`~watcher.decision_engine.audit.scheduling`) and
  persisted as the audit's ``next_run_time``, and the next job planned.
  A restarted engine resumes from the persisted ``next_run_time`` (missed
  runs are not replayed: 07:30 missed with 3600 s, back at 09:00 -> 09:30).
* Window: nothing runs before ``start_time``; when the next run would fall
  at or after ``end_time``, a final job at ``end_time`` marks the audit
  SUCCEEDED; no more runs (an ``end_time`` moved later in the meantime is
  honoured).
* An audit found SUSPENDED, CANCELLED, DELETED, FAILED or SUCCEEDED (at the
  poll or when its job fires) loses its job and its strategy is not run. A
  resumed audit (SUSPENDED -> ONGOING) is picked up again by the next poll.
  A run that FAILS leaves the audit FAILED and unscheduled.
* A change of ``interval``, ``start_time`` or ``end_time`` is picked up by
  the next poll and the job re-planned.
* Each run's plan cancels the RECOMMENDED plan of the previous run (it
  becomes CANCELLED, as upstream; see
  :mod:`~watcher.decision_engine.audit.superseding`).
"""
import dataclasses
import datetime
import threading
import typing

from oslo_log import log

from watcher.common import context as watcher_context
from watcher.common import exception
from watcher.conf import CONF
from watcher.decision_engine.audit import base
from watcher.decision_engine.audit import scheduling
from watcher.decision_engine import ha
from watcher import objects
from watcher.objects import states

LOG = log.getLogger(__name__)

POLL_JOB_ID = 'watcher-continuous-audits-poll'
JOB_ID_PREFIX = 'watcher-continuous-audit-'

ACTIVE_STATES = (base.AUDIT_STATE.PENDING, base.AUDIT_STATE.ONGOING)


def job_id(audit_uuid):
    return JOB_ID_PREFIX + audit_uuid


@dataclasses.dataclass
class PlannedRun:
    """The one planned job of an audit, as this engine knows it."""
    audit_uuid: str
    when: datetime.datetime
    action: str                      # scheduling.RUN or scheduling.FINISH
    interval: typing.Optional[str]
    start_time: typing.Optional[datetime.datetime]
    end_time: typing.Optional[datetime.datetime]
    last_due: typing.Optional[datetime.datetime] = None
    running: bool = False

    def settings_differ(self, audit):
        return (self.interval != audit.interval
                or scheduling.as_utc(self.start_time)
                != scheduling.as_utc(audit.start_time)
                or scheduling.as_utc(self.end_time)
                != scheduling.as_utc(audit.end_time))


class _DefaultOwnership:
    """Ownership through :mod:`watcher.decision_engine.ha`."""

    def __init__(self, host):
        self.host = host

    def claim(self, context, audit):
        return ha.claim_continuous_audit(context, audit, host=self.host)


class ContinuousAuditHandler(base.AuditHandler):
    """Schedules and runs the CONTINUOUS audits this engine owns."""

    audit_type = base.AUDIT_TYPE.CONTINUOUS
    claimable_states = ACTIVE_STATES

    def __init__(self, submit=None, context_factory=None, ownership=None,
                 **kwargs):
        """Build the handler.

        ``submit(fn, *args)`` hands a run to the audit worker pool;
        ``ownership.claim(context, audit) -> bool`` decides whether this
        engine may run an audit (default: :mod:`ha`).
        """
        super().__init__(**kwargs)
        self._submit = submit or (lambda fn, *args: fn(*args))
        self._context_factory = (context_factory
                                 or watcher_context.get_admin_context)
        self.ownership = ownership or _DefaultOwnership(self.host)
        self._scheduler = None
        self._planned = {}
        self._lock = threading.RLock()

    # -- lifecycle -----------------------------------------------------------
    def start(self, scheduler, poll_interval=None):
        """Plan the poll on ``scheduler`` and run it once right away.

        ``scheduler`` is an APScheduler scheduler or watcher's
        ``cmd.service.Scheduler``.
        """
        self._scheduler = scheduler
        seconds = (poll_interval
                   or CONF.watcher_decision_engine.continuous_audit_interval)
        scheduler.add_job(self.poll, 'interval', seconds=seconds,
                          id=POLL_JOB_ID, replace_existing=True,
                          next_run_time=self.clock(), coalesce=True,
                          max_instances=1, misfire_grace_time=None)

    def stop(self):
        with self._lock:
            uuids = list(self._planned)
            self._planned.clear()
        for uuid in uuids:
            self._remove_job(uuid)
        if self._scheduler is not None:
            self._remove_job_id(POLL_JOB_ID)
        self._scheduler = None

    def planned(self, audit_uuid):
        """The :class:`PlannedRun` of an audit (None if not planned)."""
        with self._lock:
            return self._planned.get(audit_uuid)

    # -- poll ----------------------------------------------------------------
    def poll(self):
        """Plan the jobs of the active audits we own; drop the others."""
        context = self._context_factory()
        try:
            audits = objects.Audit.list(context, filters={
                'audit_type': self.audit_type,
                'state__in': list(ACTIVE_STATES)})
        except Exception:
            LOG.exception('Cannot list the continuous audits')
            return
        active = set()
        for audit in audits:
            try:
                if self._adopt(context, audit):
                    active.add(audit.uuid)
            except Exception:
                LOG.exception('Cannot schedule continuous audit %s',
                              audit.uuid)
        with self._lock:
            gone = [uuid for uuid, run in self._planned.items()
                    if uuid not in active and not run.running]
        for uuid in gone:
            LOG.info('Continuous audit %s is no longer active here; its '
                     'job is removed', uuid)
            self._forget(uuid)

    def register(self, context, audit_uuid):
        """Plan a new (or resumed) audit now instead of at the next poll."""
        try:
            audit = objects.Audit.get_by_uuid(context, audit_uuid)
        except exception.AuditNotFound:
            return False
        if audit.state not in ACTIVE_STATES:
            return False
        return self._adopt(context, audit)

    def _adopt(self, context, audit):
        """True when the audit is ours and planned."""
        if not self.ownership.claim(context, audit):
            return False
        if audit.state == base.AUDIT_STATE.PENDING:
            if not self.claim(context, audit):
                return False
        with self._lock:
            current = self._planned.get(audit.uuid)
            if current is not None:
                if current.running or not current.settings_differ(audit):
                    return True
                LOG.info('Continuous audit %s changed its schedule; '
                         're-planning', audit.uuid)
                self._plan(context, audit, previous_due=current.last_due)
                return True
            self._plan(context, audit)
        return True

    # -- planning ------------------------------------------------------------
    def _plan(self, context, audit, previous_due=None):
        """Compute and plan the next job of ``audit`` (lock held)."""
        try:
            schedule = scheduling.parse_interval(audit.interval)
        except exception.InvalidIntervalOrCron as exc:
            self.fail(context, audit, str(exc))
            self._forget(audit.uuid)
            return None
        try:
            when, action = scheduling.plan_next_run(
                schedule, self.clock(), previous_due=previous_due,
                persisted_next=(None if previous_due is not None
                                else audit.next_run_time),
                start_time=audit.start_time, end_time=audit.end_time)
        except (ArithmeticError, ValueError) as exc:
            # a stored schedule whose next run is beyond any date: it
            # would fail the same way at every poll, so it fails once
            self.fail(context, audit, 'The schedule %r has no next run: %s'
                      % (audit.interval, exc))
            self._forget(audit.uuid)
            return None
        run = PlannedRun(audit.uuid, when, action, audit.interval,
                         audit.start_time, audit.end_time,
                         last_due=previous_due)
        self._planned[audit.uuid] = run
        self._persist_next_run(audit, when if action == scheduling.RUN
                               else None)
        if self._scheduler is not None:
            self._scheduler.add_job(
                self._fire, 'date', run_date=when,
                args=[audit.uuid, when], id=job_id(audit.uuid),
                replace_existing=True, misfire_grace_time=None)
        LOG.debug('Continuous audit %s: %s at %s', audit.uuid, action, when)
        return run

    def _persist_next_run(self, audit, when):
        current = scheduling.as_utc(audit.next_run_time)
        if current == scheduling.as_utc(when):
            return
        audit.next_run_time = when
        try:
            audit.save()
        except exception.AuditNotFound:
            pass
        except Exception:
            LOG.exception('Cannot record the next run of audit %s',
                          audit.uuid)

    def _forget(self, audit_uuid):
        with self._lock:
            self._planned.pop(audit_uuid, None)
        self._remove_job(audit_uuid)

    def _remove_job(self, audit_uuid):
        self._remove_job_id(job_id(audit_uuid))

    def _remove_job_id(self, ident):
        if self._scheduler is None:
            return
        try:
            self._scheduler.remove_job(ident)
        except Exception:
            pass  # already fired or removed

    # -- running -------------------------------------------------------------
    def _fire(self, audit_uuid, due):
        """Scheduler thread: hand the due job to the audit pool."""
        with self._lock:
            run = self._planned.get(audit_uuid)
            if run is None or run.running or run.when != due:
                return
            run.running = True
        try:
            self._submit(self.tick, audit_uuid, due)
        except Exception:
            LOG.exception('Cannot hand continuous audit %s to the pool',
                          audit_uuid)
            with self._lock:
                run.running = False

    def tick(self, audit_uuid, due):
        """Do what the job planned at ``due`` is for, then plan the next."""
        context = self._context_factory()
        with self._lock:
            run = self._planned.get(audit_uuid)
            if run is None:
                run = PlannedRun(audit_uuid, due, scheduling.RUN, None,
                                 None, None)
                self._planned[audit_uuid] = run
            run.running = True
        try:
            self._tick(context, audit_uuid, due)
        finally:
            with self._lock:
                current = self._planned.get(audit_uuid)
                if current is not None:
                    current.running = False

    def _tick(self, context, audit_uuid, due):
        try:
            audit = objects.Audit.get_by_uuid(context, audit_uuid,
                                              eager=True)
        except exception.AuditNotFound:
            self._forget(audit_uuid)
            return
        if audit.state not in ACTIVE_STATES:
            LOG.info('Continuous audit %s is %s: not run, job removed',
                     audit_uuid, audit.state)
            self._forget(audit_uuid)
            return
        if not self.ownership.claim(context, audit):
            LOG.info('Continuous audit %s belongs to %s now; job removed',
                     audit_uuid, audit.hostname)
            self._forget(audit_uuid)
            return
        position = scheduling.window_position(
            self.clock(), audit.start_time, audit.end_time)
        if position == scheduling.AFTER_WINDOW:
            self.finish(context, audit)
            self._forget(audit_uuid)
            return
        with self._lock:
            planned = self._planned.get(audit_uuid)
            action = planned.action if planned else scheduling.RUN
        if position == scheduling.BEFORE_WINDOW or \
                action == scheduling.FINISH:
            # The window moved since the job was planned: plan again.
            with self._lock:
                self._plan(context, audit, previous_due=None)
            return
        result = self.execute(context, audit)
        if result.outcome == base.FAILED:
            self._forget(audit_uuid)
            return
        try:
            audit.refresh()
        except exception.AuditNotFound:
            self._forget(audit_uuid)
            return
        if audit.state not in ACTIVE_STATES:
            self._forget(audit_uuid)
            return
        with self._lock:
            self._plan(context, audit, previous_due=due)

    # -- pipeline hooks ------------------------------------------------------
    def succeed(self, context, audit, plan):
        """A continuous audit stays ONGOING after a run."""

    def finish(self, context, audit):
        """The window is over: the audit is SUCCEEDED, no more runs."""
        if audit.state == base.AUDIT_STATE.PENDING and \
                not self.claim(context, audit):
            return False
        try:
            audit.fire('succeed', states.ENGINE, next_run_time=None)
        except (exception.ObjectStateChanged,
                exception.IllegalStateTransition):
            LOG.info('Continuous audit %s changed state before its end',
                     audit.uuid)
            return False
        LOG.info('Continuous audit %s reached its end time: SUCCEEDED',
                 audit.uuid)
        return True
