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

"""``openstack optimize audit create -g <goal>`` (a goal, no strategy) for
every one of the ten goals on the demo cloud, through the API.

The decision engine runs the goal's default strategy: the first by name,
as upstream, except workload_balancing, which runs
workload_stabilization rather than storage_capacity_balance (see
``watcher.decision_engine.goal.goals.WorkloadBalancing``).  Three
defaults need parameters that a goal-only audit cannot carry (the API
refuses parameters without a strategy, as upstream): their audits fail
naming what is missing, and plan nothing.
"""
from watcher.tests.functional.end_to_end import stack

PLANNING = {
    'airflow_optimization': 'uniform_airflow',
    'dummy': 'dummy',
    'noisy_neighbor': 'noisy_neighbor',
    'saving_energy': 'saving_energy',
    'server_consolidation': 'basic',
    'thermal_optimization': 'outlet_temperature',
    'workload_balancing': 'workload_stabilization',
}
NEEDS_PARAMETERS = {
    # goal: (its default strategy, what the failed audit says)
    'cluster_maintaining': ('host_maintenance', "'maintenance_node' is a "
                                                "required property"),
    'hardware_maintenance': ('zone_migration', 'give compute_nodes or '
                                               'storage_pools'),
    'unclassified': ('actuator', "'actions' is a required property"),
}


class TestGoalOnlyAudits(stack.StackTestCase):
    scenario = 'demo'

    def test_every_goal_runs_its_default_strategy(self):
        goals = {g['name'] for g in self.get('/v1/goals')['goals']}
        self.assertEqual(set(PLANNING) | set(NEEDS_PARAMETERS), goals)
        strategies = self.get('/v1/strategies?limit=100')['strategies']
        goal_of = {s['name']: s['goal_name'] for s in strategies}
        for goal in sorted(goals):
            audit = self.audit(goal)
            if goal in PLANNING:
                self.assertEqual('SUCCEEDED', audit['state'],
                                 '%s: %s' % (goal, audit['status_message']))
                plan = self.plan_of(audit)
                self.assertEqual(PLANNING[goal], plan['strategy_name'])
                self.assertEqual(goal, goal_of[plan['strategy_name']])
            else:
                strategy, message = NEEDS_PARAMETERS[goal]
                self.assertEqual(goal, goal_of[strategy])
                self.assertEqual('FAILED', audit['state'], goal)
                self.assertIn(message, audit['status_message'])
                self.assertEqual([], self.get(
                    '/v1/action_plans?audit_uuid=%s'
                    % audit['uuid'])['action_plans'])

    def test_workload_balancing_needs_no_cinder(self):
        # the demo cloud's storage is not read at all: the default of the
        # goal is a compute strategy
        self.requests.reset()
        audit = self.audit('workload_balancing')
        self.assertEqual('SUCCEEDED', audit['state'])
        self.assertEqual('workload_stabilization',
                         self.plan_of(audit)['strategy_name'])
        self.assertFalse([p for p in self.requests.paths
                          if p.split(' ', 1)[1].startswith('/volume')],
                         self.requests.paths)
