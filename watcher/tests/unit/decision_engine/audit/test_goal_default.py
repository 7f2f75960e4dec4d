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

"""A goal-only audit runs the goal's ``default_strategy`` when it has one
(workload_balancing: workload_stabilization), else the first by name.
"""
import fixtures

from watcher.decision_engine.audit import selection
from watcher.decision_engine.goal import goals
from watcher.tests import db_utils
from watcher.tests.unit.decision_engine.audit import fakes


class TestGoalDefault(fakes.AuditTestCase):

    def _goal_only_audit(self, goal_name, strategies):
        goal = db_utils.create_test_goal(name=goal_name)
        for name in strategies:
            db_utils.create_test_strategy(name=name, goal_id=goal.id)
        return self.create_audit(goal_id=goal.id, strategy_id=None)

    def test_workload_balancing_runs_the_compute_balancer(self):
        # recorded by name, as watcher-sync does: the storage one first
        audit = self._goal_only_audit('workload_balancing', [
            'storage_capacity_balance', 'workload_balance',
            'workload_stabilization'])
        record, plugin = selection.select_strategy(self.context, audit)
        self.assertEqual('workload_stabilization', record.name)
        self.assertEqual('workload_stabilization', plugin.name)

    def test_first_by_name_when_the_default_is_not_installed(self):
        self.useFixture(fixtures.MockPatchObject(
            goals.WorkloadBalancing, 'default_strategy', 'not_installed'))
        audit = self._goal_only_audit('workload_balancing', [
            'storage_capacity_balance', 'workload_balance'])
        record, _plugin = selection.select_strategy(self.context, audit)
        self.assertEqual('storage_capacity_balance', record.name)

    def test_goals_without_a_default_keep_the_first_by_name(self):
        audit = self._goal_only_audit('server_consolidation', [
            'basic', 'node_resource_consolidation',
            'vm_workload_consolidation'])
        record, _plugin = selection.select_strategy(self.context, audit)
        self.assertEqual('basic', record.name)
