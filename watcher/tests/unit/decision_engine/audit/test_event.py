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

"""EVENT audits: one run per trigger, coalescing, superseding, re-arming."""
from concurrent import futures

from watcher.decision_engine.audit import coalescing
from watcher.decision_engine.audit import event
from watcher import objects
from watcher.tests.unit.decision_engine.audit import fakes

AUDIT = objects.audit.State
PLAN = objects.action_plan.State
WAIT = 10  # upper bound of a thread hand-off; never an assertion on time


class EventTestCase(fakes.AuditTestCase):

    def setUp(self):
        super().setUp()
        self.pool = futures.ThreadPoolExecutor(max_workers=2)
        self.addCleanup(self.pool.shutdown, wait=True)
        self.handler = event.EventAuditHandler(
            submit=self.pool.submit, sources=self.sources,
            applier_api=self.applier, poll_interval=0.01,
            peer_alive=lambda audit: False)
        self.addCleanup(self.handler.stop)

    def create_audit(self, **kw):
        kw.setdefault('audit_type', 'EVENT')
        return super().create_audit(**kw)

    def trigger(self, audit):
        return self.handler.trigger(self.context, audit.uuid)

    def settle(self, audit):
        self.assertTrue(self.handler.wait_idle(audit.uuid, WAIT))


class TestEventAudit(EventTestCase):

    def test_trigger_runs_once(self):
        audit = self.create_audit()
        self.assertEqual(coalescing.STARTED, self.trigger(audit))
        self.settle(audit)
        audit = self.reload(audit)
        self.assertEqual(AUDIT.SUCCEEDED, audit.state)
        self.assertEqual(fakes.HOST, audit.hostname)
        [plan] = self.plans_of(audit)
        self.assertEqual(PLAN.RECOMMENDED, plan.state)

    def test_triggered_again_and_again(self):
        audit = self.create_audit()
        for _ in range(3):
            self.trigger(audit)
            self.settle(audit)
            self.assertEqual(AUDIT.SUCCEEDED, self.reload(audit).state)
        plans = self.plans_of(audit)
        self.assertEqual([PLAN.SUPERSEDED, PLAN.SUPERSEDED,
                          PLAN.RECOMMENDED], [p.state for p in plans])

    def test_failed_event_audit_is_rearmed(self):
        audit = self.create_audit(state=AUDIT.FAILED,
                                  status_message='old failure')
        self.trigger(audit)
        self.settle(audit)
        audit = self.reload(audit)
        self.assertEqual(AUDIT.SUCCEEDED, audit.state)
        self.assertIsNone(audit.status_message)

    def test_rearming_is_notified(self):
        changes = []

        def listener(event_, obj, old):
            changes.append((obj.obj_name(), old, obj.state))

        objects.base.register_change_listener(listener)
        self.addCleanup(objects.base.unregister_change_listener, listener)
        audit = self.create_audit(state=AUDIT.SUCCEEDED)
        self.trigger(audit)
        self.settle(audit)
        self.assertIn(('Audit', AUDIT.SUCCEEDED, AUDIT.ONGOING), changes)

    def test_cancelled_event_audit_is_not_run(self):
        audit = self.create_audit(state=AUDIT.CANCELLED)
        self.trigger(audit)
        self.settle(audit)
        self.assertEqual([], self.plans_of(audit))

    def test_other_audit_types_are_not_triggered(self):
        audit = super().create_audit(audit_type='ONESHOT')
        self.trigger(audit)
        self.settle(audit)
        self.assertEqual(AUDIT.PENDING, self.reload(audit).state)

    def test_failure_is_recorded_and_retriggerable(self):
        self.sources.models['compute'] = None
        audit = self.create_audit()
        self.trigger(audit)
        self.settle(audit)
        self.assertEqual(AUDIT.FAILED, self.reload(audit).state)
        self.sources.models['compute'] = self.sources.cluster.model
        self.trigger(audit)
        self.settle(audit)
        self.assertEqual(AUDIT.SUCCEEDED, self.reload(audit).state)


class TestCoalescing(EventTestCase):

    def test_triggers_during_a_run_make_exactly_one_more_run(self):
        entered, release = fakes.make_blocking()
        blocking = self.create_strategy('blocking')
        audit = self.create_audit(strategy_id=blocking.id)

        self.assertEqual(coalescing.STARTED, self.trigger(audit))
        self.assertTrue(entered.acquire(timeout=WAIT))   # run 1 computing
        for _ in range(4):
            self.assertEqual(coalescing.COALESCED, self.trigger(audit))
        release.release()                                 # run 1 ends
        self.assertTrue(entered.acquire(timeout=WAIT))   # run 2 computing
        release.release()
        self.settle(audit)

        self.assertEqual(2, fakes.BlockingStrategy.runs)
        plans = self.plans_of(audit)
        self.assertEqual([PLAN.SUPERSEDED, PLAN.RECOMMENDED],
                         [p.state for p in plans])
        self.assertEqual(AUDIT.SUCCEEDED, self.reload(audit).state)

    def test_trigger_waits_for_a_peer_engine(self):
        answers = iter([True, True, False])
        self.handler._peer_alive = lambda audit: next(answers, False)
        audit = self.create_audit(state=AUDIT.ONGOING, hostname='peer')
        self.trigger(audit)
        self.settle(audit)
        audit = self.reload(audit)
        self.assertEqual(AUDIT.SUCCEEDED, audit.state)
        self.assertEqual(fakes.HOST, audit.hostname)

    def test_trigger_dropped_when_a_peer_never_finishes(self):
        self.handler._peer_alive = lambda audit: True
        self.handler.max_wait = 0.03
        audit = self.create_audit(state=AUDIT.ONGOING, hostname='peer')
        self.trigger(audit)
        self.settle(audit)
        audit = self.reload(audit)
        self.assertEqual(AUDIT.ONGOING, audit.state)
        self.assertEqual('peer', audit.hostname)
        self.assertEqual([], self.plans_of(audit))
