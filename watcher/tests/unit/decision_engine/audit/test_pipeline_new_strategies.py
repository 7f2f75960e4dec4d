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

"""The audit pipeline with the hardware, storage and power strategies: the
models a run builds come from its parameters, a metric without any value
fails the audit naming it.
"""
from watcher.decision_engine.audit import base
from watcher.decision_engine.audit import oneshot
from watcher.tests import synthetic
from watcher import objects
from watcher.tests import db_utils
from watcher.tests.unit.decision_engine.audit import fakes

AUDIT = objects.audit.State


class TestNewStrategiesInThePipeline(fakes.AuditTestCase):

    def run_audit(self, strategy, goal, parameters):
        record = self.create_strategy(strategy, goal=db_utils.create_test_goal(
            name=goal))
        audit = self.create_audit(goal_id=record.goal_id,
                                  strategy_id=record.id,
                                  parameters=parameters)
        run = oneshot.OneShotAuditHandler(
            sources=self.sources, applier_api=self.applier).execute(
                self.context, audit.uuid)
        return run, self.reload(audit)

    def test_zone_migration_of_compute_nodes_builds_no_storage_model(self):
        # the sources have no storage model at all (a cloud without Cinder)
        host = sorted(n.hostname for n in self.sources.cluster.model
                      .get_all_compute_nodes().values())[0]
        run, audit = self.run_audit('zone_migration', 'hardware_maintenance',
                                    {'compute_nodes': [{'src_node': host}]})
        self.assertEqual(base.RECOMMENDED, run.outcome, run.message)
        self.assertEqual(['compute'], [m for m, _s in self.sources.scopes])
        [plan] = self.plans_of(audit)
        self.assertTrue(self.actions_of(plan))

    def test_zone_migration_of_pools_needs_the_storage_model(self):
        run, audit = self.run_audit('zone_migration', 'hardware_maintenance',
                                    {'storage_pools': [{'src_pool': 'a#p',
                                                        'dst_pool': 'b#p'}]})
        self.assertEqual(AUDIT.FAILED, audit.state)
        self.assertIn('storage cluster data model', audit.status_message)
        self.assertEqual([], self.sources.fetches)   # no metric either

    def test_unknown_pool_fails_the_audit_before_any_plan(self):
        self.sources.models['storage'] = synthetic.storage_model(3)
        run, audit = self.run_audit('zone_migration', 'hardware_maintenance',
                                    {'storage_pools': [{'src_pool': 'nope',
                                                        'dst_type': 'lvm'}]})
        self.assertEqual(AUDIT.FAILED, audit.state)
        self.assertIn('storage pool nope', audit.status_message)
        self.assertEqual([], self.plans_of(audit))

    def test_metric_without_values_fails_naming_it(self):
        cluster = self.sources.cluster
        cluster.hardware = synthetic.hardware_values(cluster)
        cluster.hardware['host_outlet_temp'] = {}
        run, audit = self.run_audit('outlet_temperature',
                                    'thermal_optimization', {})
        self.assertEqual(AUDIT.FAILED, audit.state)
        self.assertIn('Metric host_outlet_temp could not be fetched for '
                      'strategy outlet_temperature', audit.status_message)
        self.assertEqual([], self.plans_of(audit))

    def test_outlet_temperature_recommends_a_plan(self):
        run, audit = self.run_audit('outlet_temperature',
                                    'thermal_optimization',
                                    {'threshold': 30})
        self.assertEqual(base.RECOMMENDED, run.outcome, run.message)
        self.assertEqual(1, len(self.sources.fetches))
        self.assertEqual(3, len(self.sources.fetches[0][1]))
