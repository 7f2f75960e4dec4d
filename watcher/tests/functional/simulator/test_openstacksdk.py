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

"""Drive the simulated cloud only through openstacksdk (and the control
API for fault injection), like Watcher's collectors and actions will."""

import threading
import warnings

import openstack
import oslo_messaging
import pytest
from oslo_config import cfg

from watcher.simulator.fixture import SimulatedCloud

warnings.filterwarnings('ignore', category=DeprecationWarning)


class Collector:
    """oslo.messaging notification endpoint recording every message."""

    def __init__(self):
        self.messages = []
        self.cond = threading.Condition()

    def _record(self, ctxt, publisher_id, event_type, payload, metadata):
        with self.cond:
            self.messages.append((publisher_id, event_type, payload))
            self.cond.notify_all()

    info = warn = error = _record

    def wait_for(self, event_type, count=1, timeout=10):
        with self.cond:
            self.cond.wait_for(lambda: len(self.of(event_type)) >= count,
                               timeout)
            return self.of(event_type)

    def of(self, event_type):
        return [m for m in self.messages if m[1] == event_type]


@pytest.fixture(scope='module')
def transport():
    conf = cfg.ConfigOpts()
    conf([])
    transport = oslo_messaging.get_notification_transport(
        conf, url='fake://')
    yield transport
    transport.cleanup()


@pytest.fixture(scope='module')
def _listening(transport):
    endpoint = Collector()
    listener = oslo_messaging.get_notification_listener(
        transport,
        [oslo_messaging.Target(exchange='nova',
                               topic='versioned_notifications'),
         oslo_messaging.Target(exchange='openstack',
                               topic='notifications')],
        [endpoint], executor='threading')
    listener.start()
    yield endpoint
    listener.stop()
    listener.wait()


@pytest.fixture
def collector(_listening):
    with _listening.cond:
        _listening.messages.clear()
    return _listening


@pytest.fixture
def cloud(transport):
    with SimulatedCloud(scenario='demo', transport=transport) as sim:
        yield sim


@pytest.fixture
def conn(cloud):
    connection = openstack.connect(**cloud.cloud_config())
    yield connection
    connection.close()


def _server(conn, name):
    found = [s for s in conn.compute.servers(details=True, all_projects=True)
             if s.name == name]
    assert len(found) == 1
    return found[0]


def test_list_hypervisors_and_servers_with_paging(cloud, conn):
    hyps = list(conn.compute.hypervisors(details=True, limit=2))
    assert [h.name for h in hyps] == ['compute-%d' % i for i in range(6)]
    assert all(h.state == 'up' and h.status == 'enabled' for h in hyps)
    # Hypervisor ids are uuids and equal the resource provider uuids.
    rps = {rp.name: rp.id for rp in conn.placement.resource_providers()}
    assert {h.name: h.id for h in hyps} == rps

    paged = list(conn.compute.servers(details=True, all_projects=True,
                                      limit=3))
    everything = list(conn.compute.servers(details=True, all_projects=True))
    assert len(paged) == len(everything) == len(cloud.state.servers) == 14
    assert [s.id for s in paged] == [s.id for s in everything]
    web0 = [s for s in paged if s.name == 'web-0'][0]
    assert web0.compute_host == 'compute-0'
    assert web0.hypervisor_hostname == 'compute-0'
    assert web0.availability_zone == 'nova'
    assert web0.flavor.vcpus == 2 and web0.flavor.ram == 4096
    assert web0.flavor.original_name == 'm1.medium'
    assert web0.metadata == {'role': 'web'}
    assert web0.status == 'ACTIVE' and web0.task_state is None
    assert web0.is_locked is False
    on_host = list(conn.compute.servers(details=True, all_projects=True,
                                        compute_host='compute-5'))
    assert sorted(s.name for s in on_host) == ['hot-%d' % i
                                               for i in range(5)]


def test_services_flavors_aggregates_groups(conn):
    services = list(conn.compute.services(binary='nova-compute'))
    assert len(services) == 6
    assert {s.binary for s in conn.compute.services()} >= {
        'nova-compute', 'nova-scheduler', 'nova-conductor'}
    flavors = {f.name: f for f in conn.compute.flavors()}
    assert flavors['m1.large'].vcpus == 4
    groups = list(conn.compute.server_groups(all_projects=True))
    assert groups[0].policy == 'anti-affinity'
    assert len(groups[0].member_ids) == 2
    zones = list(conn.compute.availability_zones(details=True))
    assert 'nova' in [z.name for z in zones]


def test_disable_service_emits_service_update(cloud, conn, collector):
    svc = [s for s in conn.compute.services(binary='nova-compute')
           if s.host == 'compute-2'][0]
    updated = conn.compute.disable_service(
        svc, disabled_reason='watcher_disabled')
    assert updated.status == 'disabled'
    assert updated.disabled_reason == 'watcher_disabled'
    hyp = [h for h in conn.compute.hypervisors(details=True)
           if h.name == 'compute-2'][0]
    assert hyp.status == 'disabled'
    cloud.wait_idle()
    publisher, _, payload = collector.wait_for('service.update')[-1]
    assert publisher == 'nova-compute:compute-2'
    data = payload['nova_object.data']
    assert payload['nova_object.name'] == 'ServiceStatusPayload'
    assert data['disabled'] is True
    assert data['disabled_reason'] == 'watcher_disabled'
    assert data['uuid'] == svc.id
    conn.compute.enable_service(svc)
    assert cloud.state.hosts['compute-2'].service.status == 'enabled'


def test_live_migration_moves_usages_and_notifies(cloud, conn, collector):
    server = _server(conn, 'idle-2')
    src = {rp.name: rp for rp in conn.placement.resource_providers()}

    def usage(host):
        return conn.placement.get_resource_provider_usage(src[host].id) \
            if hasattr(conn.placement, 'get_resource_provider_usage') \
            else cloud.state.usage(host)

    before_src = cloud.state.usage('compute-2')
    before_dst = cloud.state.usage('compute-3')
    conn.compute.live_migrate_server(server, host='compute-3',
                                     block_migration='auto')
    assert conn.compute.get_server(server.id).status in ('MIGRATING',
                                                         'ACTIVE')
    cloud.wait_idle()
    moved = conn.compute.get_server(server.id)
    assert moved.status == 'ACTIVE' and moved.task_state is None
    assert moved.compute_host == 'compute-3'
    # Placement usages followed the server.
    resp = conn.placement.get(
        '/resource_providers/%s/usages' % src['compute-3'].id,
        microversion='1.39').json()
    assert resp['usages']['VCPU'] == before_dst['VCPU'] + 1
    resp = conn.placement.get(
        '/resource_providers/%s/usages' % src['compute-2'].id,
        microversion='1.39').json()
    assert resp['usages'] == {'VCPU': 0, 'MEMORY_MB': 0, 'DISK_GB': 0}
    assert before_src['VCPU'] == 1
    alloc = conn.placement.get('/allocations/%s' % server.id,
                               microversion='1.39').json()
    assert list(alloc['allocations']) == [src['compute-3'].id]
    # Notifications as Nova sends them.
    post_dest = collector.wait_for('instance.live_migration_post_dest.end')
    publisher, _, payload = post_dest[-1]
    assert publisher == 'nova-compute:compute-3'
    assert payload['nova_object.data']['host'] == 'compute-3'
    assert payload['nova_object.data']['uuid'] == server.id
    pre = collector.wait_for('instance.live_migration_pre.start')[-1]
    assert pre[0] == 'nova-compute:compute-3'
    assert pre[2]['nova_object.data']['host'] == 'compute-2'
    post = collector.wait_for('instance.live_migration_post.end')[-1]
    assert post[0] == 'nova-compute:compute-2'
    assert collector.wait_for('instance.update')
    migrations = list(conn.compute.migrations(instance_uuid=server.id))
    assert migrations[0].status == 'completed'
    assert migrations[0].dest_compute == 'compute-3'


def test_live_migration_without_host_uses_scheduler(cloud, conn):
    server = _server(conn, 'hot-0')
    conn.compute.live_migrate_server(server, host=None,
                                     block_migration='auto')
    cloud.wait_idle()
    moved = conn.compute.get_server(server.id)
    assert moved.compute_host not in ('compute-5', None)
    assert moved.status == 'ACTIVE'


def test_failed_migration_leaves_server_on_source(cloud, conn, collector):
    server = _server(conn, 'app-0')
    resp = conn.session.post(cloud.control_url + '/faults', json={
        'target': server.id, 'operation': 'live_migration', 'count': 1})
    assert resp.status_code == 201
    conn.compute.live_migrate_server(server, host='compute-4',
                                     block_migration='auto')
    cloud.wait_idle()
    after = conn.compute.get_server(server.id)
    assert after.compute_host == 'compute-0'
    assert after.status == 'ACTIVE' and after.task_state is None
    migration = list(conn.compute.migrations(instance_uuid=server.id))[-1]
    assert migration.status == 'error'
    # Allocations went back to the source.
    assert cloud.state.usage('compute-4')['VCPU'] == 1
    assert collector.wait_for('instance.live_migration_rollback.end')
    # The fault was used once: the next try succeeds.
    conn.compute.live_migrate_server(server, host='compute-4',
                                     block_migration='auto')
    cloud.wait_idle()
    assert conn.compute.get_server(server.id).compute_host == 'compute-4'


def test_live_migration_to_full_or_disabled_host_fails(cloud, conn):
    server = _server(conn, 'db-0')
    conn.compute.disable_service(
        [s for s in conn.compute.services(binary='nova-compute')
         if s.host == 'compute-1'][0], disabled_reason='maintenance')
    conn.compute.live_migrate_server(server, host='compute-1',
                                     block_migration='auto')
    cloud.wait_idle()
    assert conn.compute.get_server(server.id).compute_host == 'compute-0'
    assert list(conn.compute.migrations(
        instance_uuid=server.id))[-1].status == 'error'


def test_cold_migrate_confirm_and_resize_revert(cloud, conn, collector):
    server = _server(conn, 'idle-3')
    conn.compute.migrate_server(server, host='compute-4')
    cloud.wait_idle()
    after = conn.compute.get_server(server.id)
    assert after.status == 'VERIFY_RESIZE'
    assert after.compute_host == 'compute-4'
    conn.compute.confirm_server_resize(server)
    cloud.wait_idle()
    after = conn.compute.get_server(server.id)
    assert after.status == 'ACTIVE'
    assert cloud.state.usage('compute-3')['VCPU'] == 0
    confirm = collector.wait_for('instance.resize_confirm.end')[-1]
    assert confirm[2]['nova_object.data']['host'] == 'compute-4'

    medium = conn.compute.find_flavor('m1.medium')
    conn.compute.resize_server(server, medium)
    cloud.wait_idle()
    resized = conn.compute.get_server(server.id)
    assert resized.status == 'VERIFY_RESIZE'
    assert resized.flavor.original_name == 'm1.medium'
    conn.compute.revert_server_resize(server)
    cloud.wait_idle()
    reverted = conn.compute.get_server(server.id)
    assert reverted.status == 'ACTIVE'
    assert reverted.compute_host == 'compute-4'
    assert reverted.flavor.original_name == 'm1.small'


def test_stop_start_shelve_delete(cloud, conn, collector):
    server = _server(conn, 'cache-1')
    conn.compute.stop_server(server)
    cloud.wait_idle()
    assert conn.compute.get_server(server.id).status == 'SHUTOFF'
    assert collector.wait_for('instance.power_off.end')
    conn.compute.start_server(server)
    cloud.wait_idle()
    assert conn.compute.get_server(server.id).status == 'ACTIVE'
    conn.compute.shelve_server(server)
    cloud.wait_idle()
    shelved = conn.compute.get_server(server.id)
    assert shelved.status == 'SHELVED_OFFLOADED'
    assert shelved.compute_host is None
    assert collector.wait_for('instance.shelve.end')
    conn.compute.delete_server(server)
    cloud.wait_idle()
    assert conn.compute.find_server(server.id) is None
    deleted = collector.wait_for('instance.delete.end')[-1]
    assert deleted[2]['nova_object.data']['state'] == 'deleted'


def test_boot_server(cloud, conn, collector):
    flavor = conn.compute.find_flavor('m1.tiny')
    server = conn.compute.create_server(
        name='new-vm', flavor_id=flavor.id,
        image_id='a2a5cbd7-0c1a-4b4f-9c2e-000000000001', networks='none')
    conn.compute.wait_for_server(server, wait=10, interval=0.05)
    server = conn.compute.get_server(server.id)
    assert server.status == 'ACTIVE' and server.compute_host
    created = collector.wait_for('instance.create.end')[-1]
    assert created[2]['nova_object.name'] == 'InstanceCreatePayload'


def test_block_storage(cloud, conn, collector):
    volumes = list(conn.block_storage.volumes(all_projects=True, limit=2))
    assert len(volumes) == 4
    pools = {p.name: p for p in conn.block_storage.backend_pools()}
    assert pools['storage-0@lvm#pool0'].capabilities[
        'allocated_capacity_gb'] == 120
    types = {t.name for t in conn.block_storage.types()}
    assert types == {'lvm', 'ceph'}
    scratch = [v for v in volumes if v.name == 'scratch'][0]
    conn.block_storage.migrate_volume(scratch,
                                      host='storage-0@lvm#pool0')
    cloud.wait_idle()
    moved = conn.block_storage.get_volume(scratch.id)
    assert moved.host == 'storage-0@lvm#pool0'
    assert moved.migration_status == 'success'
    conn.block_storage.retype_volume(scratch, 'ceph',
                                     migration_policy='on-demand')
    cloud.wait_idle()
    retyped = conn.block_storage.get_volume(scratch.id)
    assert retyped.volume_type == 'ceph'
    assert retyped.host == 'storage-2@ceph#rbd'
    assert collector.wait_for('volume.retype')
    capacity = collector.wait_for('capacity.pool')[-1]
    assert capacity[0].startswith('capacity.')


def test_baremetal_power(cloud, conn):
    nodes = list(conn.baremetal.nodes(details=True))
    assert len(nodes) == 6
    node = [n for n in nodes if n.name == 'ironic-4'][0]
    assert node.power_state == 'power on'
    assert node.extra['compute_node_id'] == cloud.state.hosts[
        'compute-4'].uuid
    conn.baremetal.set_node_power_state(node, 'power off')
    cloud.wait_idle()
    assert conn.baremetal.get_node(node.id).power_state == 'power off'
    # The compute service of a powered-off node goes down.
    hyp = [h for h in conn.compute.hypervisors(details=True)
           if h.name == 'compute-4'][0]
    assert hyp.state == 'down'
    conn.baremetal.set_node_power_state(node, 'power on')
    cloud.wait_idle()
    assert cloud.state.hosts['compute-4'].service.state == 'up'
