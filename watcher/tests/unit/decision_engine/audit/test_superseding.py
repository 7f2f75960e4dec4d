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

"""Stale RECOMMENDED plans: newer runs supersede them, time expires them."""
import datetime

from watcher.decision_engine.audit import selection
from watcher.decision_engine.audit import superseding
from watcher import objects
from watcher.common import exception
from watcher.tests import db_utils
from watcher.tests.unit.decision_engine.audit import fakes

PLAN = objects.action_plan.State
UTC = datetime.timezone.utc


class TestSupersede(fakes.AuditTestCase):

    def state(self, plan):
        return objects.ActionPlan.get_by_uuid(self.context, plan.uuid).state

    def test_same_audit_only(self):
        audit = self.create_audit()
        other = self.create_audit()
        old = db_utils.create_test_action_plan(audit_id=audit.id)
        new = db_utils.create_test_action_plan(audit_id=audit.id)
        foreign = db_utils.create_test_action_plan(audit_id=other.id)
        moved = superseding.supersede_recommended_plans(
            self.context, exclude_uuid=new.uuid, audit=audit)
        self.assertEqual([old.uuid], [p.uuid for p in moved])
        self.assertEqual(PLAN.SUPERSEDED, self.state(old))
        self.assertEqual(PLAN.RECOMMENDED, self.state(new))
        self.assertEqual(PLAN.RECOMMENDED, self.state(foreign))
        plan = objects.ActionPlan.get_by_uuid(self.context, old.uuid)
        self.assertIn(new.uuid, plan.status_message)

    def test_all_audits_on_launch(self):
        launched = db_utils.create_test_action_plan(state=PLAN.PENDING)
        a = db_utils.create_test_action_plan()
        b = db_utils.create_test_action_plan()
        done = db_utils.create_test_action_plan(state=PLAN.SUCCEEDED)
        moved = superseding.supersede_recommended_plans(
            self.context, exclude_uuid=launched.uuid)
        self.assertEqual({a.uuid, b.uuid}, {p.uuid for p in moved})
        self.assertEqual(PLAN.SUCCEEDED, self.state(done))
        self.assertEqual(PLAN.PENDING, self.state(launched))

    def test_plan_started_meanwhile_is_left_alone(self):
        plan = db_utils.create_test_action_plan()
        stale = objects.ActionPlan.get_by_uuid(self.context, plan.uuid)
        fresh = objects.ActionPlan.get_by_uuid(self.context, plan.uuid)
        fresh.state = PLAN.PENDING
        fresh.save()
        self.assertFalse(superseding._retire(stale, 'x'))
        self.assertEqual(PLAN.PENDING, self.state(plan))

    def test_continuous_audit_cancels_its_earlier_plan(self):
        changes = []

        def listener(event, obj, old_state):
            changes.append((obj.obj_name(), obj.uuid, old_state, obj.state))

        objects.base.register_change_listener(listener)
        self.addCleanup(objects.base.unregister_change_listener, listener)
        audit = self.create_audit(audit_type='CONTINUOUS', interval='60')
        other = self.create_audit(audit_type='CONTINUOUS', interval='60')
        old = db_utils.create_test_action_plan(audit_id=audit.id)
        action = db_utils.create_test_action(action_plan_id=old.id)
        new = db_utils.create_test_action_plan(audit_id=audit.id)
        foreign = db_utils.create_test_action_plan(audit_id=other.id)
        moved = superseding.retire_previous_runs(self.context, audit,
                                                 new.uuid)
        self.assertEqual([old.uuid], [p.uuid for p in moved])
        self.assertEqual(PLAN.CANCELLED, self.state(old))
        self.assertIn(new.uuid, objects.ActionPlan.get_by_uuid(
            self.context, old.uuid).status_message)
        self.assertEqual(PLAN.RECOMMENDED, self.state(new))
        self.assertEqual(PLAN.RECOMMENDED, self.state(foreign))
        self.assertEqual('CANCELLED', objects.Action.get_by_uuid(
            self.context, action.uuid).state)
        # what a cancel through the API tells the listeners (and so the
        # notifications): the plan's and its actions' state updates
        self.assertEqual([
            ('ActionPlan', old.uuid, PLAN.RECOMMENDED, PLAN.CANCELLED),
            ('Action', action.uuid, 'PENDING', 'CANCELLED')], changes)

    def test_event_audit_supersedes_its_earlier_plan(self):
        audit = self.create_audit(audit_type='EVENT')
        old = db_utils.create_test_action_plan(audit_id=audit.id)
        new = db_utils.create_test_action_plan(audit_id=audit.id)
        superseding.retire_previous_runs(self.context, audit, new.uuid)
        self.assertEqual(PLAN.SUPERSEDED, self.state(old))


class TestExpiry(fakes.AuditTestCase):

    def make_plan(self, hours_ago, state=PLAN.RECOMMENDED):
        created = (datetime.datetime(2024, 5, 1, 12, tzinfo=UTC)
                   - datetime.timedelta(hours=hours_ago))
        return db_utils.create_test_action_plan(
            state=state, created_at=created.replace(tzinfo=None))

    def test_expired_plans_are_superseded(self):
        now = datetime.datetime(2024, 5, 1, 12, tzinfo=UTC)
        old = self.make_plan(25)
        young = self.make_plan(23)
        old_done = self.make_plan(48, state=PLAN.SUCCEEDED)
        moved = superseding.expire_stale_plans(self.context, now=now)
        self.assertEqual([old.uuid], [p.uuid for p in moved])
        plan = objects.ActionPlan.get_by_uuid(self.context, old.uuid)
        self.assertEqual(PLAN.SUPERSEDED, plan.state)
        self.assertIn('24 hours', plan.status_message)
        for untouched, state in ((young, PLAN.RECOMMENDED),
                                 (old_done, PLAN.SUCCEEDED)):
            self.assertEqual(state, objects.ActionPlan.get_by_uuid(
                self.context, untouched.uuid).state)

    def test_configured_expiry(self):
        self.flags(action_plan_expiry=2, group='watcher_decision_engine')
        now = datetime.datetime(2024, 5, 1, 12, tzinfo=UTC)
        plan = self.make_plan(3)
        self.assertEqual([plan.uuid], [p.uuid for p in
                                       superseding.expire_stale_plans(
                                           self.context, now=now)])

    def test_zero_disables_expiry(self):
        self.flags(action_plan_expiry=0, group='watcher_decision_engine')
        self.make_plan(1000)
        self.assertEqual([], superseding.expire_stale_plans(self.context))


class TestSelection(fakes.AuditTestCase):

    def test_named_strategy(self):
        audit = self.create_audit()
        record, plugin = selection.select_strategy(self.context, audit)
        self.assertEqual('dummy', record.name)
        self.assertEqual('dummy', plugin.name)

    def test_named_strategy_not_installed(self):
        missing = self.create_strategy('not_installed_here')
        audit = self.create_audit(strategy_id=missing.id)
        err = self.assertRaises(exception.StrategyNotAvailable,
                                selection.select_strategy, self.context,
                                audit)
        self.assertIn('not_installed_here', str(err))

    def test_first_available_of_the_goal(self):
        goal = db_utils.create_test_goal(name='server_consolidation')
        db_utils.create_test_strategy(name='gone', goal_id=goal.id)
        db_utils.create_test_strategy(name='vm_workload_consolidation',
                                      goal_id=goal.id)
        db_utils.create_test_strategy(name='basic', goal_id=goal.id)
        audit = self.create_audit(goal_id=goal.id, strategy_id=None)
        record, plugin = selection.select_strategy(self.context, audit)
        self.assertEqual('vm_workload_consolidation', record.name)

    def test_goal_without_strategy(self):
        goal = db_utils.create_test_goal(name='thermal_optimization')
        audit = self.create_audit(goal_id=goal.id, strategy_id=None)
        err = self.assertRaises(exception.NoAvailableStrategyForGoal,
                                selection.select_strategy, self.context,
                                audit)
        self.assertIn('thermal_optimization', str(err))
