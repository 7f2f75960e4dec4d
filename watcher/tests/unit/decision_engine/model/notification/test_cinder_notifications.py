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

"""Cinder notification handlers (legacy payloads, as cinder sends them)."""
from watcher.decision_engine.model.collector import cinder as cinder_collector
from watcher.decision_engine.model import element
from watcher.decision_engine.model import model_root
from watcher.decision_engine.model.notification import cinder
from watcher.tests import base

POOL = 'stor1@lvm#pool0'


class FakeCollector(cinder_collector.CinderClusterDataModelCollector):
    def __init__(self, model):
        super().__init__(connection=object())
        self.set_cluster_data_model(model)
        self.fetched = []

    def fetch_volume(self, uuid):
        self.fetched.append(uuid)
        return element.Volume(uuid=uuid, name='fetched', size=5,
                              status='available', host=POOL)


class FakeManager:
    def __init__(self, collector):
        self.collector = collector

    def get_cluster_model_collector(self, name):
        return self.collector


def make_model():
    model = model_root.StorageModelRoot()
    model.add_node(element.StorageNode(host='stor1@lvm', zone='nova'))
    model.add_pool(element.Pool(name=POOL, total_capacity_gb=100))
    model.map_pool(POOL, 'stor1@lvm')
    return model


class TestCinderNotifications(base.TestCase):

    def setUp(self):
        super().setUp()
        self.model = make_model()
        self.collector = FakeCollector(self.model)
        self.endpoint = cinder.CinderNotificationEndpoint(
            FakeManager(self.collector))

    def send(self, publisher, event_type, payload):
        return self.endpoint.info({}, publisher, event_type, payload, {})

    def test_capacity_pool(self):
        self.send('capacity.stor1@lvm', 'capacity.pool', {
            'name_to_id': POOL, 'total': 200, 'free': 150, 'allocated': 50,
            'provisioned': 60, 'virtual_free': 3000,
            'reserved_percentage': 0})
        pool = self.model.get_pool_by_pool_name(POOL)
        self.assertEqual((200, 150, 60, 50, 3000),
                         (pool.total_capacity_gb, pool.free_capacity_gb,
                          pool.provisioned_capacity_gb,
                          pool.allocated_capacity_gb, pool.virtual_free))
        self.send('capacity.stor1@lvm', 'capacity.pool', {
            'name_to_id': 'stor1@lvm#pool1', 'total': 10, 'free': 10})
        self.assertEqual('stor1@lvm', self.model.get_node_by_pool_name(
            'stor1@lvm#pool1').host)

    def test_volume_lifecycle(self):
        payload = {'volume_id': 'v1', 'display_name': 'data', 'size': 10,
                   'status': 'available', 'host': POOL,
                   'tenant_id': 'p1', 'volume_attachment': [],
                   'metadata': [{'key': 'a', 'value': 'b'}],
                   'snapshot_id': None}
        self.send('volume.stor1@lvm', 'volume.create.end', payload)
        vol = self.model.get_volume_by_uuid('v1')
        self.assertEqual(('data', 10, 'p1', {'a': 'b'}),
                         (vol.name, vol.size, vol.project_id, vol.metadata))
        self.assertEqual(1, self.model.get_pool_by_pool_name(
            POOL).total_volumes)
        self.send('volume.stor1@lvm', 'volume.resize.end',
                  dict(payload, size=20, status='in-use'))
        self.assertEqual((20, 'in-use'), (vol.size, vol.status))
        self.send('volume.stor1@lvm', 'volume.delete.end',
                  {'volume_id': 'v1'})
        self.assertEqual({}, self.model.get_all_volumes())
        self.assertEqual(0, self.model.get_pool_by_pool_name(
            POOL).total_volumes)
        self.assertEqual([], self.collector.fetched)

    def test_incomplete_payload_of_unknown_volume_is_fetched(self):
        self.send('volume.stor1@lvm', 'volume.attach.end',
                  {'volume_id': 'v9', 'status': 'in-use'})
        self.assertEqual(['v9'], self.collector.fetched)
        vol = self.model.get_volume_by_uuid('v9')
        self.assertEqual(('fetched', 'in-use'), (vol.name, vol.status))
        self.assertEqual(POOL, self.model.get_pool_by_volume('v9').name)

    def test_publisher_filter(self):
        rule = self.endpoint.filter_rule
        self.assertTrue(rule.match({}, 'volume.stor1@lvm',
                                   'volume.create.end', {}, {}))
        self.assertTrue(rule.match({}, 'capacity.stor1@lvm',
                                   'capacity.pool', {}, {}))
        self.assertFalse(rule.match({}, 'nova-compute:c1',
                                    'instance.create.end', {}, {}))
