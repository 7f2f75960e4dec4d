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

"""The real Cinder and Ironic that the harness adds for storage and
baremetal tests: pools that differ, volumes that really move between them,
and baremetal twins of the compute hosts whose power really changes.
"""
import openstack

from watcher.tests.realcloud import harness


def _pools(conn):
    return {pool.name.split('#')[1]: pool.capabilities
            for pool in conn.block_storage.backend_pools()}


def test_cinder_pools_differ_and_a_volume_moves(real_storage):
    conn = openstack.connect(**real_storage.cloud_config())
    pools = _pools(conn)
    assert {name: caps['total_capacity_gb'] for name, caps in pools.items()
            } == dict(harness.CINDER_POOLS)
    volume = conn.block_storage.create_volume(size=5, name='moving')
    volume = conn.block_storage.wait_for_status(volume, 'available',
                                                wait=60)
    source = volume.host
    target = next(pool.name for pool in conn.block_storage.backend_pools()
                  if pool.name != source)
    conn.block_storage.migrate_volume(volume, host=target)
    volume = conn.block_storage.wait_for_status(
        volume, 'success', attribute='migration_status', wait=60)
    assert volume.host == target
    conn.block_storage.delete_volume(volume)


def test_ironic_twins_power_off_and_on(real_storage):
    conn = real_storage.connection(system_scope='all')
    nodes = {node.name: node for node in conn.baremetal.nodes(details=True)}
    assert sorted(nodes) == sorted(real_storage.computes)
    node = nodes[real_storage.computes[0]]
    assert node.power_state == 'power on'
    conn.baremetal.set_node_power_state(node, 'power off', wait=True)
    assert conn.baremetal.get_node(node.id).power_state == 'power off'
    conn.baremetal.set_node_power_state(node, 'power on', wait=True)
    assert conn.baremetal.get_node(node.id).power_state == 'power on'
