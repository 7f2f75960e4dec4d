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

import pytest

from watcher.common import exception
from watcher.decision_engine.model import element
from watcher.decision_engine.model import model_root
from watcher.tests.unit.decision_engine import model_fakes as fakes


def _model():
    return fakes.build({'h1': [('a', 2), ('b', 4)], 'h2': [('c', 1)],
                        'h3': []})


def test_lookups_are_indexed_and_typed():
    m = _model()
    assert m.get_node_by_name('h1').uuid == 'uuid-h1'
    assert m.get_node_by_uuid('uuid-h2').hostname == 'h2'
    assert m.get_node_by_instance_uuid('uuid-c').hostname == 'h2'
    assert [i.name for i in m.get_node_instances('uuid-h1')] == ['a', 'b']
    assert m.get_instance_by_uuid('uuid-a').vcpus == 2
    with pytest.raises(exception.ComputeNodeNotFound):
        m.get_node_by_name('nope')
    with pytest.raises(exception.ComputeNodeNotFound):
        m.get_node_by_uuid('nope')
    with pytest.raises(exception.InstanceNotFound):
        m.get_instance_by_uuid('nope')
    assert len(m) == 6
    assert m.stats['nodes'] == 3 and m.stats['instances'] == 3


def test_migrate_unmap_remove():
    m = _model()
    assert m.migrate_instance('uuid-a', 'uuid-h1', 'h3')
    assert m.get_node_by_instance_uuid('uuid-a').hostname == 'h3'
    assert not m.migrate_instance('uuid-a', 'h3', 'h3')
    with pytest.raises(exception.InstanceNotFound):
        m.migrate_instance('uuid-a', 'h1', 'h2')
    m.unmap_instance('uuid-a')
    assert m.get_node_instances('h3') == []
    with pytest.raises(exception.ComputeNodeNotFound):
        m.get_node_by_instance_uuid('uuid-a')
    m.remove_instance('uuid-b')
    assert [i.name for i in m.get_node_instances('h1')] == []
    m.remove_node(m.get_node_by_name('h2'))
    assert not m.has_node('uuid-h2')
    assert m.has_instance('uuid-c')


def test_resources_use_ratios_and_reserved():
    n = fakes.node('big', vcpus=10, memory=1000, disk=100, vcpu_reserved=2,
                   vcpu_ratio=4.0, memory_mb_reserved=200, memory_ratio=1.5,
                   disk_gb_reserved=10, disk_ratio=1.0)
    assert n.vcpu_capacity == 32
    assert n.memory_mb_capacity == 1200
    assert n.disk_gb_capacity == 90
    m = fakes.build({'big': [fakes.server('x', vcpus=3, memory=100,
                                          disk=5)]}, nodes={'big': n})
    assert m.get_node_used_resources(n) == {'vcpu': 3, 'memory': 100,
                                            'disk': 5}
    assert m.get_node_free_resources('big') == {'vcpu': 29, 'memory': 1100,
                                                'disk': 85}


def test_server_groups():
    m = _model()
    m.add_server_group('g', 'grp', 'anti-affinity', ['uuid-a', 'uuid-c'])
    groups = m.get_instance_server_groups('uuid-a')
    assert [g.uuid for g in groups] == ['g']
    assert groups[0].members == {'uuid-a', 'uuid-c'}
    m.remove_instance('uuid-a')
    assert m.get_server_group('g').members == {'uuid-c'}
    m.remove_server_group('g')
    assert m.get_instance_server_groups('uuid-c') == []


def test_copy_is_independent():
    m = _model()
    m.get_instance_by_uuid('uuid-a').metadata['k'] = 'v'
    m.add_server_group('g', 'grp', 'anti-affinity', ['uuid-a'])
    c = m.copy()
    c.migrate_instance('uuid-a', 'h1', 'h2')
    c.get_instance_by_uuid('uuid-a').metadata['k'] = 'changed'
    c.get_node_by_name('h1').status = 'disabled'
    c.get_server_group('g').members.add('uuid-b')
    assert m.get_node_by_instance_uuid('uuid-a').hostname == 'h1'
    assert m.get_instance_by_uuid('uuid-a').metadata == {'k': 'v'}
    assert m.get_node_by_name('h1').status == 'enabled'
    assert m.get_server_group('g').members == {'uuid-a'}


def test_data_model_rows():
    m = _model()
    rows = m.to_data_model_rows()
    assert len(rows) == 4          # 3 servers + the empty h3
    first = rows[0]
    assert set(first) == {
        'server_uuid', 'server_name', 'server_vcpus', 'server_memory',
        'server_disk', 'server_state', 'server_watcher_exclude',
        'server_metadata', 'server_project_id', 'server_locked',
        'node_uuid', 'node_hostname', 'node_status', 'node_disabled_reason',
        'node_state', 'node_vcpus', 'node_vcpu_reserved', 'node_vcpu_ratio',
        'node_memory', 'node_memory_mb_reserved', 'node_memory_ratio',
        'node_disk', 'node_disk_gb_reserved', 'node_disk_ratio'}
    assert first['server_name'] == 'a' and first['node_hostname'] == 'h1'
    empty = [r for r in rows if r['node_hostname'] == 'h3'][0]
    assert 'server_uuid' not in empty
    extended = m.to_data_model_rows(extended=True)[0]
    assert extended['server_pinned_az'] == ''
    assert extended['server_flavor_extra_specs'] == {}


def test_element_constructor():
    n = element.ComputeNode('u', 1, 'h', vcpus=4)
    assert (n.uuid, n.id, n.hostname, n.vcpus) == ('u', 1, 'h', 4)
    assert n.aggregates == [] and n.state == 'up'
    with pytest.raises(TypeError):
        element.Instance(bogus=1)
    i = element.Instance(uuid='i')
    assert i.watcher_exclude is False and i.metadata == {}
    assert i.copy() == i and i.copy() is not i


def test_disabled_by_watcher():
    n = fakes.node('h', status='disabled', disabled_reason='watcher_x')
    assert n.disabled_by_watcher
    n.disabled_reason = 'ops'
    assert not n.disabled_by_watcher


def test_storage_model():
    m = model_root.StorageModelRoot()
    m.add_node(element.StorageNode(host='host@lvm', zone='nova'))
    m.add_pool(element.Pool(name='host@lvm#pool', total_capacity_gb=100))
    m.map_pool('host@lvm#pool', 'host@lvm')
    v = element.Volume(uuid='v1', size=10)
    m.map_volume(v, 'host@lvm#pool')
    assert m.get_pool_by_volume('v1').name == 'host@lvm#pool'
    assert m.get_node_by_pool_name('host@lvm#pool').host == 'host@lvm'
    assert [x.uuid for x in m.get_pool_volumes('host@lvm#pool')] == ['v1']
    c = m.copy()
    c.remove_volume('v1')
    assert m.get_volume_by_uuid('v1').size == 10
    with pytest.raises(exception.VolumeNotFound):
        c.get_volume_by_uuid('v1')
    with pytest.raises(exception.PoolNotFound):
        m.get_pool_by_pool_name('x')


def test_baremetal_model():
    m = model_root.BaremetalModelRoot()
    m.add_node(element.IronicNode(uuid='i1', power_state='power on',
                                  extra={'compute_node_id': 1}))
    assert m.get_node_by_uuid('i1').extra['compute_node_id'] == 1
    assert len(m.copy()) == 1
    with pytest.raises(exception.IronicNodeNotFound):
        m.get_node_by_uuid('x')
