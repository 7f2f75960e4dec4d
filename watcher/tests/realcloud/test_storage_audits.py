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

"""Audits on the real Cinder and Ironic (the ``real_storage`` fixture).

* ``storage_capacity_balance`` moves a volume from the fuller real pool to
  the other one; afterwards the storage model, read again from Cinder,
  shows the pool figures Cinder reports;
* ``saving_energy`` powers the idle compute hosts' Ironic twins off and on
  again, watcher's Ironic calls on a system-scoped token
  (``[ironic] system_scope = all``), its Nova calls on the project one;
* ``zone_migration`` drains a compute node (live migrations on the real
  Nova) and a pool (migrations on the real Cinder) in one plan.
"""
import time
import types

from keystoneauth1 import loading as ka_loading
import openstack
import pytest

from watcher.common import clients
from watcher.conf import CONF
from watcher.decision_engine.model.collector import manager
from watcher.tests.realcloud import harness
from watcher.tests.realcloud.test_end_to_end import hosts_of
from watcher.tests.realcloud.test_end_to_end import layout
from watcher.tests.realcloud.test_end_to_end import RealAuditEnvironment


def _wait(what, predicate, timeout=120):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError('timed out waiting for %s' % what)
        time.sleep(0.5)


def _pools(conn):
    """{pool name: (total GiB, free GiB)} as Cinder reports them."""
    return {p.name: (float(p.capabilities['total_capacity_gb']),
                     float(p.capabilities['free_capacity_gb']))
            for p in conn.block_storage.backend_pools()}


def _pool_named(conn, short):
    return next(name for name in _pools(conn)
                if name.split('#')[1] == short)


@pytest.fixture
def volumes(real_storage):
    """The volumes a test creates, deleted afterwards."""
    conn = openstack.connect(**real_storage.cloud_config())
    made = []
    yield conn, made
    for volume in made:
        conn.block_storage.delete_volume(volume, ignore_missing=True)
    for volume in made:
        conn.block_storage.wait_for_delete(volume, wait=120)
    conn.close()


def _volume_on(conn, made, size, pool):
    volume = conn.block_storage.create_volume(size=size,
                                              name='scb-%d' % len(made))
    made.append(volume)
    volume = conn.block_storage.wait_for_status(volume, 'available',
                                                wait=120)
    if volume.host != pool:
        conn.block_storage.migrate_volume(volume, host=pool)
        volume = conn.block_storage.wait_for_status(
            volume, 'success', attribute='migration_status', wait=120)
    assert volume.host == pool
    return volume


def test_storage_capacity_balance_on_real_pools(real_storage, volumes):
    conn, made = volumes
    gold = _pool_named(conn, 'gold')         # 100 GiB
    silver = _pool_named(conn, 'silver')     # 60 GiB
    for size in (20, 20, 10):
        _volume_on(conn, made, size, silver)
    # 50 of 60 GiB used: over 80 %, 2 GiB over the threshold
    _wait('silver to report 10 GiB free',
          lambda: _pools(conn)[silver][1] == 10)
    env = RealAuditEnvironment(types.SimpleNamespace(cloud=real_storage))
    with env:
        actions = env.audit_and_apply('storage_capacity_balance',
                                      {'volume_threshold': 80.0})
        [move] = [a.input_parameters for a in actions
                  if a.action_type == 'volume_migrate']
        # the smallest volume that brings silver under the threshold
        moved = conn.block_storage.get_volume(move['resource_id'])
        assert (moved.size, moved.host) == (10, gold)
        assert move['destination_node'] == gold
        _wait('the pools to report the move', lambda: _pools(conn) == {
            gold: (100.0, 90.0), silver: (60.0, 20.0)})
        model = manager.CollectorManager().get_cluster_model_collector(
            'storage').synchronize()
        seen = {p.name: (float(p.total_capacity_gb),
                         float(p.free_capacity_gb))
                for p in model.get_all_pools().values()}
        assert seen == _pools(conn)


def _service_credentials(real_storage):
    group = 'watcher_clients_auth'
    CONF.register_opts(ka_loading.get_auth_plugin_conf_options('password'),
                       group=group)
    config = real_storage.cloud_config()
    overrides = dict(auth_type='password', auth_url=config['auth_url'],
                     username=config['username'],
                     password=config['password'],
                     project_name=config['project_name'],
                     user_domain_name='Default',
                     project_domain_name='Default')
    for key, value in overrides.items():
        CONF.set_override(key, value, group=group)
    CONF.set_override('system_scope', 'all', group='ironic')
    clients.reset_connection()

    def undo():
        for key in overrides:
            CONF.clear_override(key, group=group)
        CONF.clear_override('system_scope', group='ironic')
        clients.reset_connection()
    return undo


def test_saving_energy_powers_real_ironic_twins(real_storage):
    system = real_storage.connection(system_scope='all')
    conn = real_storage.connection()
    hypervisors = {h.name: h for h in conn.compute.hypervisors()}
    nodes = {n.name: n for n in system.baremetal.nodes(details=True)}
    for host, node in nodes.items():
        system.baremetal.patch_node(node, [{
            'op': 'add', 'path': '/extra/compute_node_id',
            'value': hypervisors[host].id}])
    undo = _service_credentials(real_storage)
    env = RealAuditEnvironment(types.SimpleNamespace(cloud=real_storage))
    try:
        with env:
            env.audit_and_apply('saving_energy', {'min_free_hosts_num': 1})
            power = {n.name: n.power_state for n in
                     system.baremetal.nodes(details=True)}
            # three empty hosts, one kept: the other two (by name) go off
            assert power == {'compute1': 'power off',
                             'compute2': 'power off',
                             'compute3': 'power on'}, power
            services = {s.host: (s.status, s.disabled_reason) for s in
                        conn.compute.services(binary='nova-compute')}
            assert services['compute1'] == ('disabled', 'watcher_disabled')
            # no notification tells the compute model: read Nova again
            manager.CollectorManager().get_cluster_model_collector(
                'compute').synchronize()
            env.audit_and_apply('saving_energy', {'min_free_hosts_num': 3})
            power = {n.name: n.power_state for n in
                     system.baremetal.nodes(details=True)}
            assert set(power.values()) == {'power on'}, power
            services = {s.host: s.status for s in
                        conn.compute.services(binary='nova-compute')}
            assert set(services.values()) == {'enabled'}, services
    finally:
        undo()
        for node in system.baremetal.nodes(details=True):
            if node.power_state != 'power on':
                system.baremetal.set_node_power_state(node, 'power on',
                                                      wait=True)
        for service in conn.compute.services(binary='nova-compute'):
            if service.status != 'enabled':
                conn.compute.enable_service(service)
        system.close()
        conn.close()


def test_zone_migration_drains_a_node_and_a_pool(real, real_storage,
                                                 volumes, mirrored_metrics):
    conn, made = volumes
    gold = _pool_named(conn, 'gold')
    silver = _pool_named(conn, 'silver')
    placed = layout(real, {'compute1': ['m1.small', 'm1.medium'],
                           'compute2': ['m1.small']})
    moving = [_volume_on(conn, made, size, silver).id for size in (3, 2)]
    mirror = mirrored_metrics(cpu=0.1)
    env = RealAuditEnvironment(real, metrics_url=mirror.url)
    with env:
        actions = env.audit_and_apply('zone_migration', {
            'compute_nodes': [{'src_node': 'compute1'}],
            'storage_pools': [{'src_pool': silver, 'dst_pool': gold}],
            'parallel_per_node': 3, 'parallel_per_pool': 3})
    kinds = sorted(a.action_type for a in actions)
    assert kinds == ['migrate', 'migrate', 'volume_migrate',
                     'volume_migrate'], kinds
    now = hosts_of(real)
    assert set(now) == set(placed)
    assert 'compute1' not in now.values()
    assert all(s['status'] == 'ACTIVE' for s in real.servers())
    assert {conn.block_storage.get_volume(v).host for v in moving} == {gold}


def test_harness_pools_are_the_expected_ones(real_storage):
    conn = openstack.connect(**real_storage.cloud_config())
    try:
        assert sorted(name.split('#')[1] for name in _pools(conn)) == sorted(
            name for name, _ in harness.CINDER_POOLS)
    finally:
        conn.close()
