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

"""Audit scopes applied to a compute model built from the simulated
cloud (availability zones and aggregates as Nova reports them)."""
from watcher.decision_engine.model.collector import nova
from watcher.decision_engine import scope
from watcher.simulator import scenario as scenario_mod
from watcher.tests import base
from watcher.tests.functional.decision_engine import simcloud


class TestScopeOnTheSimulator(base.TestCase):

    def setUp(self):
        super().setUp()
        spec = scenario_mod.generate(hosts=6, vms_per_host=2, seed=4)
        spec['aggregates'] = [
            {'name': 'fast', 'availability_zone': 'az1',
             'hosts': ['compute-00000', 'compute-00001']},
            {'name': 'gpu', 'hosts': ['compute-00001', 'compute-00002']}]
        self.cloud, conn, _ = simcloud.start_cloud(self, spec)
        self.model = simcloud.collector(
            self, nova.NovaClusterDataModelCollector,
            conn).get_latest_cluster_data_model()

    def hosts(self, model):
        return sorted(n.hostname
                      for n in model.get_all_compute_nodes().values())

    def test_zone_aggregate_and_exclusions(self):
        node = self.model.get_node_by_name('compute-00001')
        self.assertEqual('az1', node.availability_zone)
        self.assertEqual(['fast', 'gpu'],
                         sorted(a['name'] for a in node.aggregates))
        scoped = scope.apply_scope('compute', self.model, [{'compute': [
            {'availability_zones': [{'name': 'az1'}]}]}])
        self.assertEqual(['compute-00000', 'compute-00001'],
                         self.hosts(scoped))
        gpu_id = next(a['id'] for a in node.aggregates if a['name'] == 'gpu')
        victim = self.cloud.state.servers_on('compute-00003')[0].id
        scoped = scope.apply_scope('compute', self.model, [{'compute': [
            {'exclude': [{'host_aggregates': [{'id': gpu_id}]},
                         {'instances': [{'uuid': victim}]}]}]}])
        self.assertEqual(['compute-00000', 'compute-00003',
                          'compute-00004', 'compute-00005'],
                         self.hosts(scoped))
        self.assertTrue(scoped.get_instance_by_uuid(victim).watcher_exclude)
        self.assertEqual(6, len(self.model.get_all_compute_nodes()))
