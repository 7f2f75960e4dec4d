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

"""Continuous audits: polling, planning, window, suspension, HA ownership."""
import datetime
import logging

import fixtures

from watcher.decision_engine.audit import continuous
from watcher.decision_engine.audit import scheduling
from watcher import objects
from watcher.tests import db_utils
from watcher.tests.unit.decision_engine.audit import fakes

AUDIT = objects.audit.State
PLAN = objects.action_plan.State
UTC = datetime.timezone.utc


def at(hour, minute=0, second=0):
    return datetime.datetime(2024, 3, 1, hour, minute, second, tzinfo=UTC)


class ContinuousTestCase(fakes.AuditTestCase):

    def setUp(self):
        super().setUp()
        self.clock = fakes.FakeClock(at(9))
        self.scheduler = fakes.FakeScheduler()
        self.ownership = fakes.Ownership()
        self.handler = continuous.ContinuousAuditHandler(
            sources=self.sources, applier_api=self.applier,
            clock=self.clock, ownership=self.ownership)
        self.handler.start(self.scheduler, poll_interval=30)

    def create_audit(self, **kw):
        kw.setdefault('audit_type', 'CONTINUOUS')
        kw.setdefault('interval', '3600')
        return super().create_audit(**kw)

    def job(self, audit):
        return self.scheduler.jobs.get(continuous.job_id(audit.uuid))

    def fire(self, audit):
        """Run the planned job of ``audit`` at its planned time."""
        job = self.job(audit)
        self.assertIsNotNone(job, 'no job planned')
        uuid, due = job['args']
        self.clock.now = max(self.clock.now, due)
        del self.scheduler.jobs[continuous.job_id(uuid)]
        self.handler.tick(uuid, due)
        return due


class TestPlanning(ContinuousTestCase):

    def test_poll_job_every_continuous_audit_interval(self):
        poll = self.scheduler.jobs[continuous.POLL_JOB_ID]
        self.assertEqual('interval', poll['trigger'])
        self.assertEqual(30, poll['seconds'])

    def test_pending_audit_is_claimed_and_planned_now(self):
        audit = self.create_audit()
        self.handler.poll()
        audit = self.reload(audit)
        self.assertEqual(AUDIT.ONGOING, audit.state)
        self.assertEqual(fakes.HOST, audit.hostname)
        job = self.job(audit)
        self.assertEqual('date', job['trigger'])
        self.assertEqual(at(9), job['run_date'])
        self.assertEqual(at(9), scheduling.as_utc(audit.next_run_time))

    def test_runs_then_plans_the_next_run(self):
        audit = self.create_audit()
        self.handler.poll()
        self.clock.now = at(9, 0, 20)
        self.handler.tick(audit.uuid, at(9))
        audit = self.reload(audit)
        self.assertEqual(AUDIT.ONGOING, audit.state)
        [plan] = self.plans_of(audit)
        self.assertEqual(PLAN.RECOMMENDED, plan.state)
        self.assertEqual(at(10), self.job(audit)['run_date'])
        self.assertEqual(at(10), scheduling.as_utc(audit.next_run_time))

    def test_each_run_cancels_the_previous_plan(self):
        audit = self.create_audit()
        self.handler.poll()
        self.fire(audit)
        self.fire(audit)
        self.fire(audit)
        plans = self.plans_of(audit)
        self.assertEqual([PLAN.CANCELLED, PLAN.CANCELLED,
                          PLAN.RECOMMENDED], [p.state for p in plans])
        self.assertEqual(at(12), self.job(audit)['run_date'])

    def test_restart_resumes_from_the_persisted_next_run(self):
        # Missed 07:30 with 3600 s, the engine is back at 09:00: 09:30.
        audit = self.create_audit(state=AUDIT.ONGOING, hostname=fakes.HOST,
                                  next_run_time=at(7, 30))
        self.handler.poll()
        self.assertEqual(at(9, 30), self.job(audit)['run_date'])
        self.assertEqual(at(9, 30),
                         scheduling.as_utc(self.reload(audit).next_run_time))

    def test_cron_interval(self):
        audit = self.create_audit(interval='*/20 * * * *')
        self.clock.now = at(9, 5)
        self.handler.poll()
        self.assertEqual(at(9, 20), self.job(audit)['run_date'])
        self.fire(audit)
        self.assertEqual(at(9, 40), self.job(audit)['run_date'])

    def test_invalid_interval_fails_the_audit(self):
        audit = self.create_audit(interval='every now and then')
        self.handler.poll()
        audit = self.reload(audit)
        self.assertEqual(AUDIT.FAILED, audit.state)
        self.assertIn('every now and then', audit.status_message)
        self.assertIsNone(self.job(audit))

    def test_overflowing_interval_fails_the_audit_once(self):
        audit = self.create_audit(interval='99999999999999999999')
        self.handler.poll()
        audit = self.reload(audit)
        self.assertEqual(AUDIT.FAILED, audit.state)
        self.assertIn('99999999999999999999', audit.status_message)
        self.assertIsNone(self.job(audit))
        logs = self.useFixture(fixtures.FakeLogger(level=logging.DEBUG))
        self.handler.poll()
        self.handler.poll()
        self.assertNotIn('Traceback', logs.output)
        self.assertNotIn(audit.uuid, logs.output)
        self.assertEqual(AUDIT.FAILED, self.reload(audit).state)

    def test_schedule_beyond_the_last_date_fails_the_audit(self):
        audit = self.create_audit(
            state=AUDIT.ONGOING, hostname=fakes.HOST,
            interval=str(3600 * 24 * 365),
            next_run_time=datetime.datetime(9999, 12, 1))
        self.clock.now = datetime.datetime(9999, 12, 2, tzinfo=UTC)
        self.handler.poll()
        audit = self.reload(audit)
        self.assertEqual(AUDIT.FAILED, audit.state)
        self.assertIn('has no next run', audit.status_message)
        self.assertIsNone(self.job(audit))

    def test_interval_change_replans(self):
        audit = self.create_audit()
        self.handler.poll()
        self.fire(audit)
        self.assertEqual(at(10), self.job(audit)['run_date'])
        fresh = self.reload(audit)
        fresh.interval = '600'
        fresh.save()
        self.handler.poll()
        self.assertEqual(at(9, 10), self.job(audit)['run_date'])

    def test_audit_of_another_live_engine_is_left_alone(self):
        self.ownership.mine = False
        audit = self.create_audit(state=AUDIT.ONGOING, hostname='other')
        self.handler.poll()
        self.assertIsNone(self.job(audit))
        self.assertEqual('other', self.reload(audit).hostname)

    def test_ownership_lost_between_runs(self):
        audit = self.create_audit()
        self.handler.poll()
        self.ownership.mine = False
        self.fire(audit)
        self.assertEqual([], self.plans_of(audit))
        self.assertIsNone(self.handler.planned(audit.uuid))


class TestWindow(ContinuousTestCase):

    def test_waits_for_start_time(self):
        audit = self.create_audit(start_time=at(12))
        self.handler.poll()
        self.assertEqual(at(12), self.job(audit)['run_date'])

    def test_past_end_is_succeeded_without_running(self):
        audit = self.create_audit(state=AUDIT.ONGOING, hostname=fakes.HOST,
                                  next_run_time=at(8), end_time=at(8, 30))
        self.handler.poll()
        # finishing job planned at once
        job = self.job(audit)
        self.assertEqual(at(9), job['run_date'])
        self.fire(audit)
        audit = self.reload(audit)
        self.assertEqual(AUDIT.SUCCEEDED, audit.state)
        self.assertIsNone(audit.next_run_time)
        self.assertEqual([], self.plans_of(audit))
        self.assertIsNone(self.job(audit))

    def test_stops_at_end_time(self):
        audit = self.create_audit(end_time=at(11, 30))
        self.handler.poll()
        for expected in (at(9), at(10), at(11)):
            self.assertEqual(expected, self.fire(audit))
            self.assertEqual(AUDIT.ONGOING, self.reload(audit).state)
        # the 12:00 run falls after the end: the last job finishes at 11:30
        job = self.job(audit)
        self.assertEqual(at(11, 30), job['run_date'])
        self.assertEqual(scheduling.FINISH,
                         self.handler.planned(audit.uuid).action)
        self.fire(audit)
        self.assertEqual(AUDIT.SUCCEEDED, self.reload(audit).state)
        self.assertEqual(3, len(self.plans_of(audit)))
        self.assertIsNone(self.job(audit))

    def test_end_time_moved_later_is_honoured(self):
        audit = self.create_audit(end_time=at(9, 30))
        self.handler.poll()
        self.fire(audit)
        self.assertEqual(at(9, 30), self.job(audit)['run_date'])
        fresh = self.reload(audit)
        fresh.end_time = at(12)
        fresh.save()
        self.handler.poll()
        self.assertEqual(at(10), self.job(audit)['run_date'])
        self.fire(audit)
        self.assertEqual(AUDIT.ONGOING, self.reload(audit).state)
        self.assertEqual(2, len(self.plans_of(audit)))


class TestStates(ContinuousTestCase):

    def test_suspended_audit_loses_its_job_and_is_resumed(self):
        audit = self.create_audit()
        self.handler.poll()
        self.fire(audit)
        fresh = self.reload(audit)
        fresh.state = AUDIT.SUSPENDED
        fresh.save()
        self.handler.poll()
        self.assertIsNone(self.job(audit))
        self.assertIsNone(self.handler.planned(audit.uuid))
        # resumed two hours later: the rhythm is kept
        self.clock.now = at(11, 15)
        fresh = self.reload(audit)
        fresh.state = AUDIT.ONGOING
        fresh.save()
        self.handler.poll()
        self.assertEqual(at(12), self.job(audit)['run_date'])

    def test_job_of_a_cancelled_audit_does_not_run(self):
        for state in (AUDIT.CANCELLED, AUDIT.SUSPENDED, AUDIT.FAILED):
            audit = self.create_audit()
            self.handler.poll()
            fresh = self.reload(audit)
            fresh.state = (AUDIT.ONGOING if state == AUDIT.FAILED
                           else fresh.state)
            fresh.save()
            fresh.state = state
            fresh.save()
            self.fire(audit)
            self.assertEqual([], self.plans_of(audit), state)
            self.assertIsNone(self.handler.planned(audit.uuid))

    def test_deleted_audit_loses_its_job(self):
        audit = self.create_audit()
        self.handler.poll()
        fresh = self.reload(audit)
        fresh.state = AUDIT.SUSPENDED
        fresh.save()
        fresh.soft_delete()
        self.fire(audit)
        self.assertIsNone(self.handler.planned(audit.uuid))

    def test_failed_run_stops_the_audit(self):
        self.sources.models['compute'] = None
        audit = self.create_audit()
        self.handler.poll()
        self.fire(audit)
        audit = self.reload(audit)
        self.assertEqual(AUDIT.FAILED, audit.state)
        self.assertIn('compute cluster data model', audit.status_message)
        self.assertIsNone(self.job(audit))
        self.handler.poll()
        self.assertIsNone(self.job(audit))

    def test_register_plans_at_once(self):
        audit = self.create_audit()
        self.assertTrue(self.handler.register(self.context, audit.uuid))
        self.assertIsNotNone(self.job(audit))

    def test_stop_removes_every_job(self):
        audit = self.create_audit()
        self.handler.poll()
        self.handler.stop()
        self.assertEqual({}, self.scheduler.jobs)
        self.assertIsNone(self.handler.planned(audit.uuid))

    def test_running_audit_is_not_planned_twice(self):
        audit = self.create_audit()
        self.handler.poll()
        job = self.job(audit)
        submitted = []
        self.handler._submit = lambda fn, *args: submitted.append(args)
        self.handler._fire(*job['args'])
        self.handler._fire(*job['args'])
        self.assertEqual(1, len(submitted))
        self.assertTrue(self.handler.planned(audit.uuid).running)
        # a poll during the run keeps the plan
        self.handler.poll()
        self.assertIsNotNone(self.handler.planned(audit.uuid))


class TestDefaultOwnership(fakes.AuditTestCase):
    """The handler asks watcher.decision_engine.ha by default."""

    def test_dead_owner_is_taken_over(self):
        db_utils.create_test_service(
            name='watcher-decision-engine', host='dead-host',
            last_seen_up=datetime.datetime(2000, 1, 1))
        audit = self.create_audit(audit_type='CONTINUOUS', interval='60',
                                  state=AUDIT.ONGOING, hostname='dead-host')
        handler = continuous.ContinuousAuditHandler(
            sources=self.sources, applier_api=self.applier)
        scheduler = fakes.FakeScheduler()
        handler.start(scheduler)
        handler.poll()
        self.assertEqual(fakes.HOST, self.reload(audit).hostname)
        self.assertIn(continuous.job_id(audit.uuid), scheduler.jobs)

    def test_live_owner_keeps_its_audit(self):
        db_utils.create_test_service(
            name='watcher-decision-engine', host='live-host',
            last_seen_up=datetime.datetime.now(UTC).replace(tzinfo=None))
        audit = self.create_audit(audit_type='CONTINUOUS', interval='60',
                                  state=AUDIT.ONGOING, hostname='live-host')
        handler = continuous.ContinuousAuditHandler(
            sources=self.sources, applier_api=self.applier)
        scheduler = fakes.FakeScheduler()
        handler.start(scheduler)
        handler.poll()
        self.assertEqual('live-host', self.reload(audit).hostname)
        self.assertNotIn(continuous.job_id(audit.uuid), scheduler.jobs)
