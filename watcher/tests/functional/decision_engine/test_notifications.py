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

"""Nova and Cinder notifications from the simulated cloud, over a shared
fake oslo.messaging transport, keep the live models current without a
resync."""
import oslo_messaging

from watcher.conf import CONF
from watcher.decision_engine.model.collector import manager
from watcher.decision_engine.model import notification
from watcher.simulator import scenario as scenario_mod
from watcher.tests import base
from watcher.tests.functional.decision_engine import simcloud


class TestLiveModel(base.TestCase):

    def setUp(self):
        super().setUp()
        manager.CollectorManager.reset()
        self.transport = oslo_messaging.get_notification_transport(
            CONF, url='fake://')
        self.addCleanup(self.transport.cleanup)
        scenario = scenario_mod.generate(hosts=4, vms_per_host=3, seed=7,
                                         volumes_per_host=1)
        scenario['storage']['pools'].append(
            {'name': 'storage-1@lvm#pool0', 'total_capacity_gb': 1000})
        self.cloud, self.conn, _ = simcloud.start_cloud(
            self, scenario, transport=self.transport)
        self.collectors = manager.CollectorManager()
        self.collectors.set_connection(self.conn)
        self.addCleanup(manager.CollectorManager.reset)
        self.compute = self.collectors.get_cluster_model_collector('compute')
        self.compute.get_latest_cluster_data_model()
        self.listener = notification.start_listener(self.transport,
                                                    self.collectors)
        self.addCleanup(self.listener.wait)
        self.addCleanup(self.listener.stop)

    def live(self):
        return self.compute.cluster_data_model

    def host_of(self, uuid):
        with self.compute.lock:
            return self.live().get_node_by_instance_uuid(uuid).hostname

    def test_live_migration_moves_the_server_in_the_model(self):
        state = self.cloud.state
        source = 'compute-00000'
        server = state.servers_on(source)[0]
        dest = 'compute-00002'
        self.conn.compute.live_migrate_server(server.id, host=dest,
                                              block_migration='auto')
        self.cloud.wait_idle()
        self.assertEqual(dest, state.server_host(server.id))
        self.assertTrue(simcloud.wait_for(
            lambda: self.host_of(server.id) == dest))
        self.assertEqual(1, self.compute.builds)      # no resync

    def test_disabled_host_and_stopped_server(self):
        service = next(s for s in self.conn.compute.services()
                       if s.host == 'compute-00001' and
                       s.binary == 'nova-compute')
        self.conn.compute.disable_service(service, service.host,
                                          service.binary,
                                          'watcher_maintaining')
        server = self.cloud.state.servers_on('compute-00003')[0]
        self.conn.compute.stop_server(server.id)
        self.cloud.wait_idle()

        def applied():
            with self.compute.lock:
                node = self.live().get_node_by_name('compute-00001')
                inst = self.live().get_instance_by_uuid(server.id)
                return (node.status, node.disabled_reason, inst.state) == (
                    'disabled', 'watcher_maintaining', 'stopped')
        self.assertTrue(simcloud.wait_for(applied))
        self.assertEqual(1, self.compute.builds)

    def test_created_and_deleted_servers(self):
        flavor = next(iter(self.conn.compute.flavors()))
        image_id = next(iter(self.cloud.state.servers.values())).image_id
        created = self.conn.compute.create_server(
            name='new-vm', flavor_id=flavor.id, image_id=image_id,
            networks='none')
        self.cloud.wait_idle()
        self.assertTrue(simcloud.wait_for(
            lambda: self.live().has_instance(created.id)))
        self.assertEqual(self.cloud.state.server_host(created.id),
                         self.host_of(created.id))
        self.conn.compute.delete_server(created.id)
        self.cloud.wait_idle()
        self.assertTrue(simcloud.wait_for(
            lambda: not self.live().has_instance(created.id)))
        self.assertEqual(1, self.compute.builds)

    def test_cinder_volume_migration(self):
        storage = self.collectors.get_cluster_model_collector('storage')
        model = storage.get_latest_cluster_data_model()
        volume = next(iter(model.get_all_volumes().values()))
        source = model.get_pool_by_volume(volume.uuid).name
        dest = next(p for p in sorted(model.get_all_pools())
                    if p != source and p.partition('@')[2] ==
                    source.partition('@')[2])
        self.cloud.state.migrate_volume(volume.uuid, dest)
        self.cloud.wait_idle()

        def moved():
            with storage.lock:
                live = storage.cluster_data_model
                return live.get_pool_by_volume(volume.uuid).name == dest
        self.assertTrue(simcloud.wait_for(moved))
        with storage.lock:
            live = storage.cluster_data_model
            self.assertEqual(
                len(live.get_pool_volumes(dest)),
                live.get_pool_by_pool_name(dest).total_volumes)
        self.assertEqual(1, storage.builds)
