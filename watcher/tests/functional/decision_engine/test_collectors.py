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

"""Collectors against the simulated cloud (through openstacksdk)."""
from watcher.common import exception
from watcher.decision_engine.model.collector import cinder
from watcher.decision_engine.model.collector import ironic
from watcher.decision_engine.model.collector import manager
from watcher.decision_engine.model.collector import nova
from watcher.decision_engine import data_model_api
from watcher.simulator import scenario as scenario_mod
from watcher.tests import base
from watcher.tests.functional.decision_engine import simcloud


class TestComputeCollector(base.TestCase):

    def test_cold_build_matches_the_cloud(self):
        cloud, conn, requests = simcloud.start_cloud(self)
        collector = simcloud.collector(
            self, nova.NovaClusterDataModelCollector, conn)
        model = collector.get_latest_cluster_data_model()
        state = cloud.state
        self.assertEqual(sorted(state.hosts),
                         sorted(n.hostname for n in
                                model.get_all_compute_nodes().values()))
        for name in state.hosts:
            node = model.get_node_by_name(name)
            expected = sorted(s.id for s in state.servers_on(name))
            self.assertEqual(expected, sorted(
                i.uuid for i in model.get_node_instances(node)), name)
            for server in state.servers_on(name):
                # Nova gives the creation time to the second
                created = model.get_instance_by_uuid(server.id).created_at
                self.assertLess(abs(created - server.created_at), 1.0)
            host = state.hosts[name]
            self.assertEqual((host.vcpus, host.memory_mb, host.disk_gb),
                             (node.vcpus, node.memory, node.disk))
        node = model.get_node_by_name('compute-0')
        self.assertEqual((4.0, 512), (node.vcpu_ratio,
                                      node.memory_mb_reserved))
        web = [g for g in model.get_all_server_groups().values()
               if g.name == 'web']
        self.assertEqual(1, len(web))
        self.assertEqual(2, len(web[0].members))
        # the build counted its own requests as the server saw them; the
        # five other hosts' inventories were read after it
        self.assertTrue(collector.wait_for_inventories(20))
        self.assertEqual(collector.last_build.requests + 5, requests.count)
        self.assertEqual(set(), collector.estimated_nodes)

    def _cold_build_requests(self, vms_per_host):
        scenario = scenario_mod.generate(hosts=40, vms_per_host=vms_per_host,
                                         seed=3)
        cloud, conn, requests = simcloud.start_cloud(self, scenario)
        collector = simcloud.collector(
            self, nova.NovaClusterDataModelCollector, conn)
        model = collector.get_latest_cluster_data_model()
        self.assertTrue(collector.wait_for_inventories(20))
        return (collector.last_build.requests,
                len(model.get_all_instances()), requests)

    def test_request_count_does_not_grow_with_servers(self):
        few, n_few, _ = self._cold_build_requests(1)
        many, n_many, requests = self._cold_build_requests(20)
        self.assertGreater(n_many, 10 * n_few)
        self.assertEqual(few, many)
        self.assertLessEqual(many, 20)
        # the background refresh then reads the other 39 inventories
        self.assertEqual(many + 39, requests.count)

    def test_exact_inventory_mode(self):
        scenario = scenario_mod.generate(hosts=12, vms_per_host=2, seed=3)
        cloud, conn, requests = simcloud.start_cloud(self, scenario)
        collector = simcloud.collector(
            self, nova.NovaClusterDataModelCollector, conn,
            inventory_mode='exact')
        collector.get_latest_cluster_data_model()
        self.assertEqual(12, len([p for p in requests.paths
                                  if p.endswith('/inventories')]))

    def test_extended_attributes(self):
        self.flags(enable_extended_attributes=True, group='compute_model')
        cloud, conn, _ = simcloud.start_cloud(self)
        collector = simcloud.collector(
            self, nova.NovaClusterDataModelCollector, conn)
        model = collector.get_latest_cluster_data_model()
        inst = next(iter(model.get_all_instances().values()))
        self.assertIsInstance(inst.flavor_extra_specs, dict)
        self.assertIsInstance(inst.pinned_az, str)


class TestStorageAndBaremetal(base.TestCase):

    def test_storage_and_baremetal_models(self):
        scenario = scenario_mod.generate(hosts=6, vms_per_host=2, seed=5,
                                         volumes_per_host=2, ironic=True)
        cloud, conn, _ = simcloud.start_cloud(self, scenario)
        storage = simcloud.collector(
            self, cinder.CinderClusterDataModelCollector,
            conn).get_latest_cluster_data_model()
        state = cloud.state
        self.assertEqual(len(state.volumes), len(storage.get_all_volumes()))
        for vol in state.volumes.values():
            self.assertAlmostEqual(
                vol.created_at,
                storage.get_volume_by_uuid(vol.id).created_at, places=5)
        self.assertEqual(len(state.pools), len(storage.get_all_pools()))
        for pool in storage.get_all_pools().values():
            self.assertEqual(len(storage.get_pool_volumes(pool)),
                             pool.total_volumes)
            self.assertGreater(pool.total_capacity_gb, 0)
            self.assertIsNotNone(storage.get_node_by_pool_name(pool.name))
        baremetal = simcloud.collector(
            self, ironic.BaremetalClusterDataModelCollector,
            conn).get_latest_cluster_data_model()
        self.assertEqual(6, len(baremetal.get_all_ironic_nodes()))
        node = next(iter(baremetal.get_all_ironic_nodes().values()))
        self.assertIn('compute_node_id', node.extra)


class TestDataModelApi(base.TestCase):

    def test_rows_scoped_and_unscoped(self):
        manager.CollectorManager.reset()
        cloud, conn, _ = simcloud.start_cloud(self)
        self.addCleanup(manager.CollectorManager.reset)
        collectors = manager.CollectorManager()
        collectors.set_connection(conn)
        rows = data_model_api.get_data_model(self.context)['context']
        self.assertEqual(len(cloud.state.servers), len(rows))
        self.assertIn('server_pinned_az', rows[0])
        scope = [{'compute': [
            {'compute_nodes': [{'name': 'compute-5'}]},
            {'exclude': [{'instances': [{'uuid': rows[0]['server_uuid']}]}]}
        ]}]
        scoped = data_model_api.get_data_model(self.context, 'compute',
                                               scope=scope)['context']
        self.assertEqual({'compute-5'}, {r['node_hostname'] for r in scoped})
        self.assertEqual(len(cloud.state.servers_on('compute-5')),
                         len(scoped))
        self.assertRaises(exception.InvalidParameterValue,
                          data_model_api.get_data_model,
                          self.context, 'storage')
