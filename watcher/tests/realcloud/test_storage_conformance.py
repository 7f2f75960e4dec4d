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

"""The simulator's Cinder and Ironic held to real Cinder 29 and Ironic 39.

The requests the storage and baremetal collectors
(:mod:`watcher.decision_engine.model.collector.cinder`,
:mod:`~watcher.decision_engine.model.collector.ironic`) and the
``volume_migrate`` / ``change_node_power_state`` actions read are sent to
both clouds, at the microversions watcher asks for, and the answers are
compared key by key and type by type
(:func:`~watcher.tests.realcloud.backends.shape`).  The simulated cloud is
shaped like the harness: two pools ``storage@gold#gold`` (100 GiB) and
``storage@silver#silver`` (60 GiB), Ironic fake-hardware nodes named after
the compute hosts.
"""
import openstack
import pytest

from watcher.simulator import fixture as sim_fixture
from watcher.tests.realcloud import backends
from watcher.tests.realcloud import harness

VOLUME_MV = '3.60'
BAREMETAL_MV = '1.46'

#: differences that are not the simulator's to change (paths, or their
#: ends): how the harness enrolled its nodes and made its default type
ACCEPTED = (
    # the harness's __DEFAULT__ type names no backend; a simulated type
    # always names one
    'extra_specs.volume_backend_name',
    # the harness enrols its nodes bare (no properties, no resource class)
    # and moves them to manageable (provision_updated_at set); simulated
    # nodes are enrolled active with the properties of their compute host
    'properties.cpus', 'properties.memory_mb', 'properties.local_gb',
    'properties.cpu_arch', 'resource_class', 'provision_updated_at',
    # watcher's saving_energy links a node to its compute node there; the
    # harness's nodes carry the link only while test_storage_audits runs
    'extra.compute_node_id',
    # pool capabilities a driver may or may not report: the simulated
    # pools report what Cinder's LVM driver does, the harness's sized fake
    # driver less
    'capabilities.backend_state', 'capabilities.location_info',
    'capabilities.max_over_subscription_ratio',
    'capabilities.provisioned_capacity_gb',
)

SCENARIO = dict(backends.SCENARIO, storage={
    'volume_types': [{'name': '__DEFAULT__', 'backend': 'gold',
                      'description': 'Default Volume Type'}],
    'pools': [{'name': 'storage@%s#%s' % (name, name),
               'total_capacity_gb': size}
              for name, size in harness.CINDER_POOLS],
    'volumes': [{'name': 'conformance', 'size': 1,
                 'pool': 'storage@gold#gold', 'type': '__DEFAULT__'}],
}, baremetal={'nodes': [{'name': h, 'compute_host': h,
                         'driver': 'fake-hardware'}
                        for h in backends.HOSTS]})


@pytest.fixture(scope='module')
def clouds(real_storage):
    """``(simulated connection, real connection, real system-scoped
    connection)`` with one volume on each cloud.
    """
    with sim_fixture.SimulatedCloud(scenario=SCENARIO) as sim:
        sim_conn = openstack.connect(**sim.cloud_config())
        # as the harness did to its nodes at enrolment
        for node in sim_conn.baremetal.nodes():
            sim_conn.baremetal.set_node_power_state(node, 'power on',
                                                    wait=True)
        sim.wait_idle()
        real_conn = openstack.connect(**real_storage.cloud_config())
        system = real_storage.connection(system_scope='all')
        volume = real_conn.block_storage.create_volume(size=1,
                                                       name='conformance')
        real_conn.block_storage.wait_for_status(volume, 'available',
                                                wait=120)
        try:
            yield sim_conn, real_conn, system
        finally:
            real_conn.block_storage.delete_volume(volume)
            real_conn.block_storage.wait_for_delete(volume, wait=120)
            for conn in (sim_conn, real_conn, system):
                conn.close()


def _get(proxy, path, microversion, params=None):
    resp = proxy.get(path, params=params or {}, microversion=microversion)
    assert resp.status_code == 200, (path, resp.status_code, resp.text)
    return resp.json()


def _compare(what, sim, real):
    found = [d for d in backends.differences(backends.shape(sim),
                                             backends.shape(real))
             if not d.split(':', 1)[0].endswith(ACCEPTED)]
    assert not found, '%s: simulator vs real: %s' % (what, found)


def test_cinder_reads_have_the_same_shapes(clouds):
    sim, real, _system = clouds
    for path, params in (('/os-services', {'binary': 'cinder-volume'}),
                         ('/types', None),
                         ('/scheduler-stats/get_pools', {'detail': True}),
                         ('/volumes/detail', {'all_tenants': 1})):
        _compare(path, _get(sim.block_storage, path, VOLUME_MV, params),
                 _get(real.block_storage, path, VOLUME_MV, params))
    ids = [_get(c.block_storage, '/volumes', VOLUME_MV)['volumes'][0]['id']
           for c in (sim, real)]
    _compare('/volumes/{id}',
             _get(sim.block_storage, '/volumes/%s' % ids[0], VOLUME_MV),
             _get(real.block_storage, '/volumes/%s' % ids[1], VOLUME_MV))


def test_ironic_reads_have_the_same_shapes(clouds):
    sim, _real, system = clouds
    _compare('/nodes/detail',
             _get(sim.baremetal, '/nodes/detail', BAREMETAL_MV),
             _get(system.baremetal, '/nodes/detail', BAREMETAL_MV))
    ids = [_get(c.baremetal, '/nodes', BAREMETAL_MV)['nodes'][0]['uuid']
           for c in (sim, system)]
    _compare('/nodes/{id}',
             _get(sim.baremetal, '/nodes/%s' % ids[0], BAREMETAL_MV),
             _get(system.baremetal, '/nodes/%s' % ids[1], BAREMETAL_MV))
