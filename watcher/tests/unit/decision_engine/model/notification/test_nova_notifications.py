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

"""Nova notification handlers fed with real captured notifications
(``samples/``, from real-nova-examples.md)."""
import copy
import json
import os

from watcher.decision_engine.model.collector import nova as nova_collector
from watcher.decision_engine.model import element
from watcher.decision_engine.model import model_root
from watcher.decision_engine.model import notification
from watcher.decision_engine.model.notification import nova
from watcher.tests import base

SAMPLES = os.path.join(os.path.dirname(__file__), 'samples')

# the hypervisor uuids of the capture
NODES = {'compute1': 'e0a3e0ac-30ce-48fc-9fa4-4ffdad7168a2',
         'compute2': 'f79e878c-006a-4ab4-bf3b-f2a8cf06fcdc',
         'compute3': '5ead6381-3746-4d97-a1dc-14660c066c92'}
VM_A = 'f7865d34-0212-4906-adf3-17a555b30906'
VM_C = 'af766a93-92b4-450e-b7a7-1b105f6e3dc1'


def sample(event_type):
    with open(os.path.join(SAMPLES, event_type + '.json')) as fobj:
        return json.load(fobj)


class FakeCollector(nova_collector.NovaClusterDataModelCollector):
    """A compute collector whose cloud reads are recorded, not sent."""

    def __init__(self, model):
        super().__init__(connection=object())
        self.set_cluster_data_model(model)
        self.fetched = []
        self.cloud_nodes = {}
        self.cloud_instances = {}

    def fetch_node(self, host):
        self.fetched.append(('node', host))
        return [n.copy() for n in self.cloud_nodes.get(host, [])]

    def fetch_instance(self, uuid):
        self.fetched.append(('instance', uuid))
        return self.cloud_instances.get(uuid)


class FakeManager:
    def __init__(self, collector):
        self.collector = collector

    def get_cluster_model_collector(self, name):
        assert name == 'compute'
        return self.collector


def make_model():
    model = model_root.ModelRoot()
    for name, uuid in NODES.items():
        model.add_node(element.ComputeNode(uuid=uuid, id=uuid, hostname=name,
                                           vcpus=16, memory=32768, disk=500))
    vm_a = element.Instance(uuid=VM_A, name='vm-a', vcpus=1, memory=512,
                            disk=1, state='active')
    model.add_instance(vm_a)
    model.map_instance(vm_a, NODES['compute3'])
    return model


class TestNovaNotifications(base.TestCase):

    def setUp(self):
        super().setUp()
        self.model = make_model()
        self.collector = FakeCollector(self.model)
        self.endpoint = nova.NovaNotificationEndpoint(
            FakeManager(self.collector))

    def send(self, message):
        return self.endpoint.info({}, message['publisher_id'],
                                  message['event_type'], message['payload'],
                                  {})

    def node_of(self, uuid):
        return self.model.get_node_by_instance_uuid(uuid).hostname

    def test_endpoints_and_filter(self):
        endpoints = notification.get_notification_endpoints(
            FakeManager(self.collector))
        self.assertEqual(2, len(endpoints))
        rule = self.endpoint.filter_rule
        self.assertTrue(rule.match({}, 'nova-compute:compute2',
                                   'service.update', {}, {}))
        self.assertTrue(rule.match({}, 'nova-api:ctl', 'instance.update',
                                   {}, {}))
        self.assertFalse(rule.match({}, 'volume.host@lvm',
                                    'volume.create.end', {}, {}))
        self.assertIn('instance.live_migration_post_dest.end',
                      self.endpoint.event_types)

    def test_create_end_adds_the_instance_from_the_payload(self):
        self.send(sample('instance.create.end'))
        inst = self.model.get_instance_by_uuid(VM_C)
        self.assertEqual(('vm-c', 'active', 1, 512, 1),
                         (inst.name, inst.state, inst.vcpus, inst.memory,
                          inst.disk))
        self.assertEqual('1ebb7744909646a4b11bb915fc45c6ff', inst.project_id)
        self.assertEqual('compute2', self.node_of(VM_C))
        self.assertEqual([], self.collector.fetched)

    def test_power_off_end_updates_the_state(self):
        self.send(sample('instance.create.end'))
        self.send(sample('instance.power_off.end'))
        self.assertEqual('stopped',
                         self.model.get_instance_by_uuid(VM_C).state)

    def test_delete_end_removes_the_instance(self):
        self.send(sample('instance.create.end'))
        self.send(sample('instance.delete.end'))
        self.assertFalse(self.model.has_instance(VM_C))
        self.assertEqual([], self.model.get_node_instances(NODES['compute2']))

    def test_live_migration_post_dest_moves_the_instance(self):
        # Nova sends post_dest.end from the destination with the new host;
        # built from the captured post.end of the same migration.
        message = copy.deepcopy(sample('instance.live_migration_post.end'))
        message['event_type'] = 'instance.live_migration_post_dest.end'
        message['publisher_id'] = 'nova-compute:compute1'
        data = message['payload']['nova_object.data']
        data.update(host='compute1', node='compute1', task_state=None)
        self.assertEqual('compute3', self.node_of(VM_A))
        self.send(message)
        self.assertEqual('compute1', self.node_of(VM_A))
        self.assertEqual({'owner': 'demo'},
                         self.model.get_instance_by_uuid(VM_A).metadata)

    def test_migration_events_we_do_not_handle_change_nothing(self):
        self.send(sample('instance.live_migration_pre.start'))
        self.send(sample('instance.live_migration_post.end'))
        self.assertEqual('compute3', self.node_of(VM_A))
        self.assertEqual('active',
                         self.model.get_instance_by_uuid(VM_A).state)

    def test_service_update_disables_the_node(self):
        self.send(sample('service.update'))
        node = self.model.get_node_by_name('compute2')
        self.assertEqual(('disabled', 'maint', 'up'),
                         (node.status, node.disabled_reason, node.state))
        message = sample('service.update')
        data = message['payload']['nova_object.data']
        data.update(disabled=False, disabled_reason=None, forced_down=True)
        self.send(message)
        self.assertEqual(('enabled', None, 'down'),
                         (node.status, node.disabled_reason, node.state))

    def test_service_update_of_an_unknown_host_fetches_it(self):
        message = sample('service.update')
        message['payload']['nova_object.data']['host'] = 'compute9'
        self.collector.cloud_nodes['compute9'] = [element.ComputeNode(
            uuid='uuid-9', hostname='compute9', vcpus=8)]
        self.send(message)
        self.assertEqual([('node', 'compute9')], self.collector.fetched)
        node = self.model.get_node_by_name('compute9')
        self.assertEqual(('disabled', 'maint'),
                         (node.status, node.disabled_reason))

    def test_instance_on_an_unknown_node_fetches_the_node(self):
        message = sample('instance.create.end')
        data = message['payload']['nova_object.data']
        data.update(host='compute7', node='compute7')
        self.collector.cloud_nodes['compute7'] = [element.ComputeNode(
            uuid='uuid-7', hostname='compute7', vcpus=8)]
        self.send(message)
        self.assertEqual('compute7', self.node_of(VM_C))
        self.assertEqual([('node', 'compute7')], self.collector.fetched)

    def test_unknown_instance_with_extended_attributes_is_fetched(self):
        self.flags(enable_extended_attributes=True, group='compute_model')
        fetched = element.Instance(uuid=VM_C, name='vm-c', vcpus=1,
                                   memory=512, disk=1, pinned_az='nova',
                                   flavor_extra_specs={'hw:cpu': '1'})
        self.collector.cloud_instances[VM_C] = (fetched, 'compute2',
                                                'compute2')
        self.send(sample('instance.create.end'))
        self.assertEqual([('instance', VM_C)], self.collector.fetched)
        inst = self.model.get_instance_by_uuid(VM_C)
        self.assertEqual('nova', inst.pinned_az)
        # the payload's flavor extra specs are applied on updates
        self.send(sample('instance.power_off.end'))
        self.assertEqual('stopped', inst.state)
        self.assertEqual({}, inst.flavor_extra_specs)

    def test_nothing_happens_before_the_first_build(self):
        self.collector.set_cluster_data_model(None)
        self.assertIsNone(self.send(sample('instance.create.end')))

    def test_service_delete_removes_node_and_instances(self):
        message = sample('service.update')
        message['event_type'] = 'service.delete'
        message['payload']['nova_object.data']['host'] = 'compute3'
        self.send(message)
        self.assertFalse(self.model.has_node(NODES['compute3']))
        self.assertFalse(self.model.has_instance(VM_A))

    def test_legacy_unversioned_events(self):
        self.send({'publisher_id': 'compute.compute1',
                   'event_type': 'compute.instance.create.end',
                   'payload': {'instance_id': 'legacy-1',
                               'display_name': 'old', 'state': 'active',
                               'host': 'compute1', 'node': 'compute1',
                               'vcpus': 2, 'memory_mb': 1024, 'root_gb': 10,
                               'ephemeral_gb': 0, 'tenant_id': 'p',
                               'metadata': {}}})
        self.assertEqual('compute1', self.node_of('legacy-1'))
        self.send({'publisher_id': 'compute.compute1',
                   'event_type': 'compute.instance.delete.end',
                   'payload': {'instance_id': 'legacy-1'}})
        self.assertFalse(self.model.has_instance('legacy-1'))

    def test_changes_during_a_build_are_replayed(self):
        # a notification arriving while the model is rebuilt is applied to
        # the new model too
        collector = self.collector
        new_model = make_model()

        def execute():
            self.send(sample('instance.create.end'))
            return new_model
        collector.execute = execute
        collector._connection = None
        collector.set_connection(type('C', (), {'session': None})())
        collector.synchronize()
        self.assertIs(new_model, collector.cluster_data_model)
        self.assertTrue(new_model.has_instance(VM_C))
