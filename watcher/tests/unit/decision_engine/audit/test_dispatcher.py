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

"""The seam the decision engine manager calls."""
import datetime
import types

from watcher.decision_engine.audit import base
from watcher.decision_engine.audit import continuous
from watcher.decision_engine.audit import dispatcher as dispatcher_mod
from watcher import objects
from watcher.tests import db_utils
from watcher.tests.unit.decision_engine.audit import fakes

AUDIT = objects.audit.State
PLAN = objects.action_plan.State
WAIT = 10


class TestDispatcher(fakes.AuditTestCase):

    def setUp(self):
        super().setUp()
        self.dispatcher = dispatcher_mod.AuditDispatcher(
            sources=self.sources, applier_api=self.applier,
            ownership=fakes.Ownership())
        self.addCleanup(self.dispatcher.stop)

    def test_pool_size_from_configuration(self):
        self.flags(max_audit_workers=3, group='watcher_decision_engine')
        self.assertEqual(3, dispatcher_mod.AuditDispatcher().max_workers)

    def test_oneshot_audit_runs_in_the_pool(self):
        audit = self.create_audit()
        future = self.dispatcher.execute_audit(self.context, audit.uuid)
        run = future.result(timeout=WAIT)
        self.assertEqual(base.RECOMMENDED, run.outcome)
        self.assertEqual(AUDIT.SUCCEEDED, self.reload(audit).state)

    def test_unknown_audit(self):
        self.assertIsNone(self.dispatcher.execute_audit(
            self.context, '00000000-0000-4000-8000-000000000000'))

    def test_continuous_audit_is_planned_at_once(self):
        scheduler = fakes.FakeScheduler()
        self.dispatcher.start(scheduler=scheduler)
        audit = self.create_audit(audit_type='CONTINUOUS', interval='60')
        future = self.dispatcher.execute_audit(self.context, audit.uuid)
        self.assertTrue(future.result(timeout=WAIT))
        self.assertIn(continuous.job_id(audit.uuid), scheduler.jobs)
        self.assertEqual(AUDIT.ONGOING, self.reload(audit).state)

    def test_event_audit_trigger(self):
        audit = self.create_audit(audit_type='EVENT')
        self.assertEqual('started', dispatcher_mod.AuditDispatcher.
                         trigger_event_audit(self.dispatcher, self.context,
                                             audit.uuid))
        self.assertTrue(self.dispatcher.event.wait_idle(audit.uuid, WAIT))
        self.assertEqual(AUDIT.SUCCEEDED, self.reload(audit).state)
        # trigger_audit on an EVENT audit is a trigger too
        self.dispatcher.execute_audit(self.context, audit.uuid)
        self.assertTrue(self.dispatcher.event.wait_idle(audit.uuid, WAIT))
        self.assertEqual(2, len(self.plans_of(audit)))

    def test_start_with_the_service_plans_the_background_jobs(self):
        self.flags(check_periodic_interval=77, continuous_audit_interval=9,
                   group='watcher_decision_engine')
        scheduler = fakes.FakeScheduler()
        self.dispatcher.start(service=types.SimpleNamespace(
            scheduler=scheduler))
        expiry = scheduler.jobs[dispatcher_mod.EXPIRY_JOB_ID]
        self.assertEqual(('interval', 77), (expiry['trigger'],
                                            expiry['seconds']))
        poll = scheduler.jobs[continuous.POLL_JOB_ID]
        self.assertEqual(('interval', 9), (poll['trigger'], poll['seconds']))
        self.dispatcher.stop()
        self.assertEqual({}, scheduler.jobs)

    def test_expiry_job(self):
        self.flags(action_plan_expiry=1, group='watcher_decision_engine')
        plan = db_utils.create_test_action_plan(
            created_at=datetime.datetime(2000, 1, 1))
        self.dispatcher.expire_action_plans()
        plan = objects.ActionPlan.get_by_uuid(self.context, plan.uuid)
        self.assertEqual(PLAN.SUPERSEDED, plan.state)


class TestModuleSeams(fakes.AuditTestCase):

    def test_functions_use_one_dispatcher(self):
        self.addCleanup(dispatcher_mod.stop)
        first = dispatcher_mod.get_dispatcher()
        self.assertIs(first, dispatcher_mod.get_dispatcher())
        dispatcher_mod.stop()
        self.assertIsNot(first, dispatcher_mod.get_dispatcher())

    def test_start_without_scheduler_does_not_raise(self):
        self.addCleanup(dispatcher_mod.stop)
        dispatcher_mod.start()
        dispatcher_mod.start(service=None)
