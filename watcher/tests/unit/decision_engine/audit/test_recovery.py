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

"""One-shot audits that no live decision engine holds: the sweep."""
import datetime

from watcher.db import api as db_api
from watcher.decision_engine.audit import base
from watcher.decision_engine.audit import dispatcher as dispatcher_mod
from watcher.decision_engine.audit import recovery
from watcher.decision_engine import ha
from watcher import objects
from watcher.tests import db_utils
from watcher.tests.unit.decision_engine.audit import fakes

AUDIT = objects.audit.State
PLAN = objects.action_plan.State
UTC = datetime.timezone.utc
WAIT = 10


class TestRecovery(fakes.AuditTestCase):

    def setUp(self):
        super().setUp()
        self.flags(audit_recovery_grace=30, group='watcher_decision_engine')
        self.flags(service_down_time=60)
        self.now = datetime.datetime.now(UTC)
        self.engine = self.dispatcher(fakes.HOST)

    def dispatcher(self, host):
        engine = dispatcher_mod.AuditDispatcher(
            sources=self.sources, applier_api=self.applier, host=host,
            ownership=fakes.Ownership())
        self.addCleanup(engine.stop)
        return engine

    def heartbeat(self, host, seconds_ago):
        db_utils.create_test_service(
            name=ha.DECISION_ENGINE, host=host,
            last_seen_up=self.now - datetime.timedelta(seconds=seconds_ago))

    def old_audit(self, seconds=120, **kw):
        """An audit last changed ``seconds`` ago."""
        audit = self.create_audit(**kw)
        then = self.now - datetime.timedelta(seconds=seconds)
        db_api.get_instance().update_audit(
            audit.uuid, {'updated_at': then.replace(tzinfo=None)})
        return self.reload(audit)

    def sweep(self, engine=None):
        engine = engine or self.engine
        queued = engine.recover_audits(now=self.now)
        engine.stop()  # waits for the runs
        return queued

    def test_lost_cast_is_run_after_the_grace(self):
        fresh = self.create_audit()
        lost = self.old_audit()
        self.assertEqual([lost.uuid], self.sweep())
        self.assertEqual(AUDIT.SUCCEEDED, self.reload(lost).state)
        self.assertEqual(fakes.HOST, self.reload(lost).hostname)
        self.assertEqual(1, len(self.plans_of(lost)))
        # a cast may still be on its way to the young one
        self.assertEqual(AUDIT.PENDING, self.reload(fresh).state)
        self.assertIsNone(self.reload(fresh).hostname)

    def test_audit_of_a_live_peer_is_left_to_it(self):
        self.heartbeat('peer', seconds_ago=1)
        audit = self.old_audit(hostname='peer')
        self.assertEqual([], self.sweep())
        self.assertEqual(AUDIT.PENDING, self.reload(audit).state)
        self.assertEqual('peer', self.reload(audit).hostname)

    def test_pending_audit_of_a_dead_peer_is_taken(self):
        self.heartbeat('peer', seconds_ago=600)
        audit = self.old_audit(seconds=1, hostname='peer')
        self.assertEqual([audit.uuid], self.sweep())
        self.assertEqual(AUDIT.SUCCEEDED, self.reload(audit).state)
        self.assertEqual(fakes.HOST, self.reload(audit).hostname)

    def test_own_audit_of_a_previous_run_is_taken(self):
        audit = self.old_audit(seconds=1, hostname=fakes.HOST)
        self.assertEqual([audit.uuid], self.sweep())
        self.assertEqual(AUDIT.SUCCEEDED, self.reload(audit).state)

    def test_own_audit_changed_since_this_process_started_is_left(self):
        # another process with the same host name holds it
        audit = self.old_audit(seconds=-5, state=AUDIT.ONGOING,
                               hostname=fakes.HOST)
        self.assertEqual([], self.sweep())
        self.assertEqual(AUDIT.ONGOING, self.reload(audit).state)

    def test_audit_held_by_this_process_is_not_queued_twice(self):
        audit = self.old_audit()
        with self.engine._held_lock:
            self.engine._held.add(audit.uuid)
        self.assertEqual([], self.engine.recover_audits(now=self.now))
        self.assertEqual(AUDIT.PENDING, self.reload(audit).state)

    def test_ongoing_run_of_a_dead_peer_is_run_again(self):
        self.heartbeat('peer', seconds_ago=600)
        audit = self.old_audit(state=AUDIT.ONGOING, hostname='peer')
        self.assertEqual([audit.uuid], self.sweep())
        self.assertEqual(AUDIT.SUCCEEDED, self.reload(audit).state)
        self.assertEqual(fakes.HOST, self.reload(audit).hostname)
        self.assertEqual(1, len(self.plans_of(audit)))

    def test_ongoing_run_that_stored_its_plan_is_finished(self):
        # killed between storing the plan and marking the audit: the
        # complete plan stays, the audit is SUCCEEDED (not CANCELLED beside
        # a startable plan), and nothing runs again
        self.heartbeat('peer', seconds_ago=600)
        audit = self.old_audit(state=AUDIT.ONGOING, hostname='peer')
        plan = db_utils.create_test_action_plan(
            audit_id=audit.id, strategy_id=self.strategy.id)
        self.assertEqual([], self.sweep())
        self.assertEqual(AUDIT.SUCCEEDED, self.reload(audit).state)
        self.assertEqual([plan.uuid], [p.uuid for p in self.plans_of(audit)])
        self.assertEqual(PLAN.RECOMMENDED, self.plans_of(audit)[0].state)

    def test_ongoing_run_of_a_live_peer_is_left_alone(self):
        self.heartbeat('peer', seconds_ago=1)
        audit = self.old_audit(state=AUDIT.ONGOING, hostname='peer')
        self.assertEqual([], self.sweep())
        self.assertEqual(AUDIT.ONGOING, self.reload(audit).state)

    def test_two_engines_never_both_take_an_audit(self):
        self.heartbeat('peer', seconds_ago=600)
        audit = self.old_audit(state=AUDIT.ONGOING, hostname='peer')
        seen_by_a = self.reload(audit)
        seen_by_b = self.reload(audit)
        self.assertEqual(('requeued', None), recovery.take_over_run(
            self.context, seen_by_a, 'engine-a'))
        # b read the audit before a took it: its compare-and-set on the
        # owner it saw loses, also once a's run made the audit ONGOING again
        self.assertTrue(recovery.claim(self.reload(audit), 'engine-a'))
        self.reload(audit).fire('start', 'decision-engine')
        self.assertEqual((None, None), recovery.take_over_run(
            self.context, seen_by_b, 'engine-b'))
        stale = self.reload(audit)
        stale.hostname = 'peer'
        stale.obj_reset_changes(['hostname'])
        self.assertFalse(recovery.claim(stale, 'engine-b'))
        self.assertEqual('engine-a', self.reload(audit).hostname)

    def test_cast_for_an_audit_a_live_peer_holds_is_ignored(self):
        self.heartbeat('peer', seconds_ago=1)
        audit = self.create_audit(hostname='peer')
        self.assertIsNone(self.engine.execute_audit(self.context,
                                                    audit.uuid))
        self.assertEqual('peer', self.reload(audit).hostname)

    def test_cast_claims_before_queueing(self):
        audit = self.create_audit()
        run = self.engine.execute_audit(self.context, audit.uuid).result(
            timeout=WAIT)
        self.assertEqual(base.RECOMMENDED, run.outcome)
        self.assertEqual(fakes.HOST, self.reload(audit).hostname)
        # a duplicate cast of a finished audit does nothing
        self.assertIsNone(self.engine.execute_audit(self.context,
                                                    audit.uuid))
        self.assertEqual(1, len(self.plans_of(audit)))

    def test_sweep_is_planned_at_start(self):
        self.flags(audit_recovery_interval=7,
                   group='watcher_decision_engine')
        scheduler = fakes.FakeScheduler()
        self.engine.start(scheduler=scheduler)
        job = scheduler.jobs[dispatcher_mod.RECOVERY_JOB_ID]
        self.assertEqual(('interval', 7), (job['trigger'], job['seconds']))
        self.engine.stop()
        self.assertEqual({}, scheduler.jobs)
