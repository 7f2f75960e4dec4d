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

"""The simulator held to real Nova 34 / Placement 16 / Keystone 30.

Every openstacksdk call the compute collector
(:mod:`watcher.decision_engine.model.collector.nova`) and the applier's Nova
actions (:mod:`watcher.applier.actions`) make is run against both clouds of
the ``cloud`` fixture - the simulator and the real cloud of the harness -
with the same assertions on shapes and effects; the ``test_same_*`` tests
put the two side by side and compare whole responses key by key and type
by type (:func:`~watcher.tests.realcloud.backends.shape`).

Differences this suite found, all fixed in the simulator:

1. ``GET /servers/detail`` listed servers oldest first; Nova lists newest
   first (``created_at`` then ``id`` descending) and pages with the marker
   in that order.
2. Servers carried ``security_groups``; Nova only shows them for servers
   with ports, and the simulated servers have none (``addresses: {}``).
3. ``progress`` was shown in every status; Nova shows it only for ACTIVE,
   BUILD, REBUILD, RESIZE, VERIFY_RESIZE and MIGRATING servers.
4. ``GET /servers/{id}`` lacked ``server_groups`` (microversion 2.71+).
5. ``GET /os-migrations`` had ``source_region``/``dest_region`` (not a Nova
   field), string ``old/new_instance_type_id`` (Nova: integers), a
   ``links`` entry on every record (Nova: only for live migrations in
   progress) and a ``dest_host`` on live migrations (Nova: null).
6. Placement allocations said ``consumer_type: INSTANCE``; Nova 34 does not
   set a consumer type, so Placement reports ``unknown``.
7. Notifications: a live migration ended with ``post.start, post.end,
   post_dest.start, post_dest.end``; Nova sends ``post.start,
   post_dest.start, post_dest.end, post.end`` (the destination finishes
   inside the source's post step). A delete lacked the
   ``instance.shutdown.start/end`` pair Nova sends between
   ``instance.delete.start`` and ``.end``; resize, cold migration and shelve
   lacked ``instance.exists``.

Accepted differences (not the simulator's to change), listed in
:data:`ACCEPTED`: the fake virt driver reports no ``uptime`` (null at 2.88;
a libvirt host gives a string, as the simulator does); allocations are
keyed by provider uuids, which differ between two clouds; the real cloud
also sends ``scheduler.select_destinations.*`` (from nova-scheduler, not
consumed by watcher) and more ``instance.update`` in between.

Found in the harness on the way: shelving needs Glance to accept an image
creation (the snapshot), its upload, PATCH and DELETE - the stub only
served reads and answered the POST with the image list, so nova-api failed
with 500. And a real shelve offload first saves ``SHELVED_OFFLOADED`` with
the host still set, then clears host and node in a second save: a poller
can see the first state (the tests wait for the host to be cleared).
"""
import time
import uuid

import pytest

from watcher.tests.realcloud import backends

HOSTS = backends.HOSTS
FLAVORS = {'m1.small': (1, 2048, 20), 'm1.medium': (2, 4096, 40),
           'm1.large': (4, 8192, 80), 'm1.xlarge': (8, 16384, 160)}

#: differences between the two clouds that are not the simulator's fault
ACCEPTED = {
    'hypervisors[].uptime',      # fake virt driver: null; libvirt: string
}


#: payload fields null in one event and set in the next of the same type
#: (the first event of a type seen on each cloud is compared)
NULLABLE_IN_EVENTS = {
    'nova_object.data.task_state',
    'nova_object.data.state_update.nova_object.data.old_task_state',
    'nova_object.data.state_update.nova_object.data.new_task_state',
    'nova_object.data.host', 'nova_object.data.node',
}


def resources(*flavors):
    totals = [0, 0, 0]
    for name in flavors:
        for i, amount in enumerate(FLAVORS[name]):
            totals[i] += amount
    return dict(zip(('VCPU', 'MEMORY_MB', 'DISK_GB'), totals))


def assert_usages(cloud, expected, timeout=30):
    """``expected``: host -> flavors whose resources it holds.

    Placement follows a move a little after the server's host changed (the
    source frees the migration's allocation last), so this polls.
    """
    want = {h: resources(*expected.get(h, ())) for h in HOSTS}
    deadline = time.monotonic() + timeout
    while True:
        got = {h: cloud.usages(h) for h in HOSTS}
        if got == want or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert got == want, cloud.name


def find_service(cloud, host):
    services = [s for s in cloud.conn.compute.services(
        binary='nova-compute', host=host) if s.host == host]
    assert len(services) == 1, (cloud.name, services)
    return services[0]


def event_types(messages, uuid=None):
    out = []
    for message in messages:
        data = (message['payload'] or {}).get('nova_object.data', {})
        if uuid is None or data.get('uuid') == uuid:
            out.append(message['event_type'])
    return out


def significant(types):
    """Event types without the ones only the real cloud sends, or sends
    several of in between (see the module docstring).
    """
    return [t for t in types if t != 'instance.update'
            and not t.startswith('scheduler.')]


def wait_events(cloud, mark, server_id, last, timeout=60):
    assert cloud.notifications.wait_event(last, server_id, mark,
                                          timeout), (cloud.name, last)
    time.sleep(0.3)      # stragglers sent right after
    return event_types(cloud.notifications.since(mark), server_id)


def wait_shelved(cloud, server_id, timeout=120):
    """SHELVED_OFFLOADED with host and node cleared (see the docstring)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        server = cloud.server(server_id)
        if server['status'] == 'SHELVED_OFFLOADED' and not server[
                'OS-EXT-STS:task_state'] and not server[
                'OS-EXT-SRV-ATTR:host']:
            return server
        time.sleep(0.2)
    raise AssertionError('%s: %s not offloaded' % (cloud.name, server_id))


# --------------------------------------------------------------------------
# what the compute collector reads
# --------------------------------------------------------------------------

def test_hypervisors_detail(cloud):
    body = cloud.get('/os-hypervisors/detail', microversion='2.87',
                     params={'limit': 1000})
    hyps = {h['hypervisor_hostname']: h for h in body['hypervisors']}
    assert sorted(hyps) == list(HOSTS)
    for host, hyp in hyps.items():
        uuid.UUID(hyp['id'])
        assert hyp['state'] == 'up' and hyp['status'] == 'enabled'
        assert hyp['service']['host'] == host
        assert hyp['service']['disabled_reason'] is None
        assert (hyp['vcpus'], hyp['memory_mb'], hyp['local_gb']) == (
            16, 32768, 500)
        assert isinstance(hyp['hypervisor_type'], str)
        # the collector reads each host's inventory by the hypervisor id
        assert cloud.provider(host) == hyp['id']
    newer = cloud.get('/os-hypervisors/detail', microversion='2.88')
    for hyp in newer['hypervisors']:
        assert not {'vcpus', 'memory_mb', 'local_gb', 'vcpus_used',
                    'running_vms'} & set(hyp)
    one = cloud.get('/os-hypervisors/detail', microversion='2.87',
                    params={'hypervisor_hostname_pattern': 'compute2'})
    assert [h['hypervisor_hostname'] for h in one['hypervisors']] == [
        'compute2']


def test_placement_inventories_and_usages(cloud):
    for host in HOSTS:
        body = cloud.inventories(host)
        assert isinstance(body['resource_provider_generation'], int)
        inv = body['inventories']
        assert {rc: (v['total'], v['reserved'], v['allocation_ratio'])
                for rc, v in inv.items()} == {
            'VCPU': (16, 0, 4.0), 'MEMORY_MB': (32768, 512, 1.0),
            'DISK_GB': (500, 0, 1.0)}
        assert cloud.usages(host) == resources()
    a = cloud.boot(cloud.unique('a'), 'compute1', 'm1.medium')
    cloud.boot(cloud.unique('b'), 'compute1', 'm1.small')
    cloud.boot(cloud.unique('c'), 'compute3', 'm1.large')
    assert_usages(cloud, {'compute1': ['m1.medium', 'm1.small'],
                          'compute3': ['m1.large']})
    allocation = cloud.allocations(a)
    assert allocation['allocations'] == {cloud.provider('compute1'): {
        'resources': resources('m1.medium'),
        'generation': allocation['allocations'][cloud.provider(
            'compute1')]['generation']}}
    assert allocation['consumer_type'] == 'unknown'


def test_services_disable_enable_forced_down(cloud):
    """The calls of ``change_nova_service_state`` and the collector."""
    mark = cloud.notifications.mark()
    service = find_service(cloud, 'compute2')
    assert (service.status, service.state, service.is_forced_down,
            service.availability_zone) == ('enabled', 'up', False, 'nova')
    cloud.conn.compute.disable_service(
        service, host=service.host, binary=service.binary,
        disabled_reason='watcher_maintaining')
    service = find_service(cloud, 'compute2')
    assert (service.status, service.disabled_reason) == (
        'disabled', 'watcher_maintaining')
    listed = cloud.get('/os-services', params={'binary': 'nova-compute'})
    by_host = {s['host']: s for s in listed['services']}
    assert by_host['compute2']['status'] == 'disabled'
    assert by_host['compute2']['disabled_reason'] == 'watcher_maintaining'
    assert by_host['compute2']['zone'] == 'nova'
    hyp = {h['hypervisor_hostname']: h for h in cloud.get(
        '/os-hypervisors/detail', microversion='2.87')['hypervisors']}
    assert hyp['compute2']['status'] == 'disabled'
    assert hyp['compute2']['service']['disabled_reason'] == \
        'watcher_maintaining'
    message = cloud.notifications.wait_for(
        lambda m: m['event_type'] == 'service.update' and
        m['payload']['nova_object.data']['host'] == 'compute2' and
        m['payload']['nova_object.data']['disabled'], mark)
    assert message, cloud.name
    data = message['payload']['nova_object.data']
    assert data['disabled_reason'] == 'watcher_maintaining'
    assert message['publisher_id'] == 'nova-compute:compute2'

    cloud.conn.compute.update_service_forced_down(
        service, host=service.host, binary=service.binary, forced=True)
    service = find_service(cloud, 'compute2')
    assert (service.is_forced_down, service.state) == (True, 'down')
    hyp = {h['hypervisor_hostname']: h for h in cloud.get(
        '/os-hypervisors/detail', microversion='2.87')['hypervisors']}
    assert hyp['compute2']['state'] == 'down'

    cloud.conn.compute.update_service_forced_down(
        service, host=service.host, binary=service.binary, forced=False)
    cloud.conn.compute.enable_service(service, host=service.host,
                                      binary=service.binary)
    service = find_service(cloud, 'compute2')
    assert (service.status, service.state, service.is_forced_down,
            service.disabled_reason) == ('enabled', 'up', False, None)


def test_servers_detail_paging_and_fields(cloud):
    names = [cloud.unique(n) for n in ('first', 'second', 'third')]
    ids = [cloud.boot(names[0], 'compute1', 'm1.small'),
           cloud.boot(names[1], 'compute2', 'm1.medium'),
           cloud.boot(names[2], 'compute3', 'm1.large')]
    cloud.request('PUT', '/servers/%s/metadata' % ids[0],
                  json={'metadata': {'owner': 'demo'}})
    cloud.request('POST', '/servers/%s/action' % ids[1],
                  json={'lock': {'locked_reason': 'keep'}},
                  microversion='2.73')
    try:
        page = cloud.get('/servers/detail',
                         params={'all_tenants': 1, 'limit': 2})
        assert len(page['servers']) == 2
        last = page['servers'][-1]['id']
        [link] = page['servers_links']
        assert link['rel'] == 'next' and 'marker=%s' % last in link['href']
        rest = cloud.get('/servers/detail', params={
            'all_tenants': 1, 'limit': 2, 'marker': last})
        assert len(rest['servers']) == 1
        assert 'servers_links' not in rest
        listed = page['servers'] + rest['servers']
        assert sorted(s['id'] for s in listed) == sorted(ids)
        # newest first (Nova breaks ties within a second its own way)
        created = [s['created'] for s in listed]
        assert created == sorted(created, reverse=True)
        servers = {s['id']: s for s in listed}
        for server_id, host, flavor in zip(ids, HOSTS, ('m1.small',
                                                        'm1.medium',
                                                        'm1.large')):
            s = servers[server_id]
            assert s['OS-EXT-SRV-ATTR:host'] == host
            assert s['OS-EXT-SRV-ATTR:hypervisor_hostname'] == host
            assert s['OS-EXT-AZ:availability_zone'] == 'nova'
            assert s['pinned_availability_zone'] == 'nova'
            assert (s['status'], s['OS-EXT-STS:vm_state'],
                    s['OS-EXT-STS:task_state']) == ('ACTIVE', 'active', None)
            assert s['flavor'] == {
                'vcpus': FLAVORS[flavor][0], 'ram': FLAVORS[flavor][1],
                'disk': FLAVORS[flavor][2], 'ephemeral': 0, 'swap': 0,
                'original_name': flavor, 'extra_specs': {}}
            assert isinstance(s['tenant_id'], str)
        assert servers[ids[0]]['metadata'] == {'owner': 'demo'}
        assert servers[ids[1]]['locked'] is True
        assert servers[ids[1]]['locked_reason'] == 'keep'
        assert servers[ids[2]]['locked'] is False
        # the single read the notification handlers fall back to
        shown = cloud.server(ids[0])
        assert shown['id'] == ids[0] and shown['server_groups'] == []
        # and the openstacksdk view the actions read
        sdk = cloud.conn.compute.get_server(ids[0])
        assert (sdk.compute_host, sdk.hypervisor_hostname, sdk.status,
                sdk.task_state) == ('compute1', 'compute1', 'ACTIVE', None)
        assert sdk.flavor.original_name == 'm1.small'
    finally:
        cloud.request('POST', '/servers/%s/action' % ids[1],
                      json={'unlock': None})


def test_collector_builds_the_same_model(cloud):
    """The compute collector itself, on each cloud."""
    from watcher.decision_engine.model.collector import nova as collector
    a = cloud.boot(cloud.unique('a'), 'compute1', 'm1.medium')
    b = cloud.boot(cloud.unique('b'), 'compute2', 'm1.small')
    made = collector.NovaClusterDataModelCollector(connection=cloud.conn,
                                                   inventory_mode='exact')
    try:
        model = made.execute()
    finally:
        made.stop(5)
    nodes = model.get_all_compute_nodes()
    assert sorted(n.hostname for n in nodes.values()) == list(HOSTS)
    for node in nodes.values():
        assert (node.vcpus, node.memory, node.disk) == (16, 32768, 500)
        assert (node.vcpu_ratio, node.memory_ratio, node.disk_ratio) == (
            4.0, 1.0, 1.0)
        assert node.memory_mb_reserved == 512
        assert node.state == 'up' and node.status == 'enabled'
        assert node.availability_zone == 'nova'
    placed = {i.uuid: model.get_node_by_instance_uuid(i.uuid).hostname
              for i in model.get_all_instances().values()}
    assert placed == {a: 'compute1', b: 'compute2'}
    instance = model.get_instance_by_uuid(a)
    assert (instance.vcpus, instance.memory, instance.disk) == (2, 4096, 40)
    assert instance.state == 'active' and instance.flavor_name == 'm1.medium'


# --------------------------------------------------------------------------
# what the applier's actions do
# --------------------------------------------------------------------------

def test_live_migration_with_host(cloud):
    server_id = cloud.boot(cloud.unique('live'), 'compute1', 'm1.medium')
    mark = cloud.notifications.mark()
    cloud.conn.compute.live_migrate_server(server_id, host='compute3',
                                           block_migration='auto')
    server = cloud.wait_server(server_id, 'ACTIVE', host='compute3')
    assert server['OS-EXT-SRV-ATTR:hypervisor_hostname'] == 'compute3'
    assert_usages(cloud, {'compute3': ['m1.medium']})
    assert cloud.allocations(server_id)['allocations'].keys() == {
        cloud.provider('compute3')}
    types = wait_events(cloud, mark, server_id,
                        'instance.live_migration_post.end')
    assert significant(types) == [
        'instance.live_migration_pre.start',
        'instance.live_migration_pre.end',
        'instance.live_migration_post.start',
        'instance.live_migration_post_dest.start',
        'instance.live_migration_post_dest.end',
        'instance.live_migration_post.end']
    post_dest = cloud.notifications.wait_event(
        'instance.live_migration_post_dest.end', server_id, mark)
    data = post_dest['payload']['nova_object.data']
    assert (data['host'], data['node']) == ('compute3', 'compute3')
    assert post_dest['publisher_id'] == 'nova-compute:compute3'
    [migration] = list(cloud.conn.compute.migrations(
        instance_uuid=server_id))
    assert (migration.migration_type, migration.status,
            migration.source_compute, migration.dest_compute) == (
        'live-migration', 'completed', 'compute1', 'compute3')
    # no live migration left in flight (what ``abort`` looks for)
    assert list(cloud.conn.compute.server_migrations(server_id)) == []


def test_live_migration_without_host(cloud):
    server_id = cloud.boot(cloud.unique('sched'), 'compute2')
    cloud.conn.compute.live_migrate_server(server_id, host=None,
                                           block_migration='auto')
    deadline = time.monotonic() + backends.WAIT
    while time.monotonic() < deadline:
        server = cloud.server(server_id)
        if server['OS-EXT-SRV-ATTR:host'] != 'compute2' and not server[
                'OS-EXT-STS:task_state']:
            break
        time.sleep(0.2)
    assert server['status'] == 'ACTIVE'
    dest = server['OS-EXT-SRV-ATTR:host']
    assert dest in ('compute1', 'compute3')
    assert_usages(cloud, {dest: ['m1.small']})


def test_cold_migration_and_confirm(cloud):
    server_id = cloud.boot(cloud.unique('cold'), 'compute2', 'm1.medium')
    mark = cloud.notifications.mark()
    cloud.conn.compute.migrate_server(server_id, host='compute1')
    server = cloud.wait_server(server_id, 'VERIFY_RESIZE')
    assert server['OS-EXT-SRV-ATTR:host'] == 'compute1'
    # the source still holds the resources (for the migration) until the
    # resize is confirmed
    assert_usages(cloud, {'compute1': ['m1.medium'],
                          'compute2': ['m1.medium']})
    [migration] = list(cloud.conn.compute.migrations(
        instance_uuid=server_id))
    assert (migration.migration_type, migration.status) == (
        'migration', 'finished')
    cloud.conn.compute.confirm_server_resize(server_id)
    cloud.wait_server(server_id, 'ACTIVE', host='compute1')
    assert_usages(cloud, {'compute1': ['m1.medium']})
    [migration] = list(cloud.conn.compute.migrations(
        instance_uuid=server_id))
    assert migration.status == 'confirmed'
    types = wait_events(cloud, mark, server_id,
                        'instance.resize_confirm.end')
    assert significant(types) == [
        'instance.exists', 'instance.resize_prep.start',
        'instance.resize_prep.end', 'instance.resize.start',
        'instance.resize.end', 'instance.resize_finish.start',
        'instance.resize_finish.end', 'instance.resize_confirm.start',
        'instance.resize_confirm.end']


def test_resize_and_confirm(cloud):
    server_id = cloud.boot(cloud.unique('resize'), 'compute3', 'm1.small')
    flavor = cloud.conn.compute.find_flavor('m1.large')
    cloud.conn.compute.resize_server(server_id, flavor.id)
    server = cloud.wait_server(server_id, 'VERIFY_RESIZE')
    dest = server['OS-EXT-SRV-ATTR:host']
    assert server['flavor']['original_name'] == 'm1.large'
    cloud.conn.compute.confirm_server_resize(server_id)
    server = cloud.wait_server(server_id, 'ACTIVE')
    assert server['OS-EXT-SRV-ATTR:host'] == dest
    assert server['flavor']['vcpus'] == 4
    assert_usages(cloud, {dest: ['m1.large']})
    [migration] = list(cloud.conn.compute.migrations(
        instance_uuid=server_id))
    assert (migration.migration_type, migration.status) == (
        'resize', 'confirmed')


def test_stop_and_start(cloud):
    server_id = cloud.boot(cloud.unique('stop'), 'compute1', 'm1.medium')
    mark = cloud.notifications.mark()
    cloud.conn.compute.stop_server(server_id)
    server = cloud.wait_server(server_id, 'SHUTOFF')
    assert (server['OS-EXT-STS:vm_state'],
            server['OS-EXT-STS:power_state']) == ('stopped', 4)
    assert 'progress' not in server
    # a stopped server keeps its resources
    assert_usages(cloud, {'compute1': ['m1.medium']})
    types = wait_events(cloud, mark, server_id, 'instance.power_off.end')
    assert significant(types) == ['instance.power_off.start',
                                  'instance.power_off.end']
    cloud.conn.compute.start_server(server_id)
    server = cloud.wait_server(server_id, 'ACTIVE', host='compute1')
    assert server['OS-EXT-STS:power_state'] == 1


def test_shelve_and_unshelve(cloud):
    server_id = cloud.boot(cloud.unique('shelve'), 'compute2', 'm1.medium')
    mark = cloud.notifications.mark()
    cloud.conn.compute.shelve_server(server_id)
    server = wait_shelved(cloud, server_id)
    assert server['OS-EXT-SRV-ATTR:hypervisor_hostname'] is None
    assert server['OS-EXT-STS:vm_state'] == 'shelved_offloaded'
    assert_usages(cloud, {})
    types = wait_events(cloud, mark, server_id,
                        'instance.shelve_offload.end')
    assert significant(types) == [
        'instance.exists', 'instance.shelve.start', 'instance.shelve.end',
        'instance.shelve_offload.start', 'instance.shelve_offload.end']
    cloud.conn.compute.unshelve_server(server_id)
    server = cloud.wait_server(server_id, 'ACTIVE')
    assert server['OS-EXT-SRV-ATTR:host'] in HOSTS
    assert_usages(cloud, {server['OS-EXT-SRV-ATTR:host']: ['m1.medium']})


def test_delete(cloud):
    server_id = cloud.boot(cloud.unique('delete'), 'compute3', 'm1.large')
    mark = cloud.notifications.mark()
    cloud.conn.compute.delete_server(server_id, ignore_missing=True)
    cloud.wait_gone(server_id)
    assert cloud.server(server_id) is None
    assert_usages(cloud, {})
    types = wait_events(cloud, mark, server_id, 'instance.delete.end')
    assert significant(types) == [
        'instance.delete.start', 'instance.shutdown.start',
        'instance.shutdown.end', 'instance.delete.end']
    end = cloud.notifications.wait_event('instance.delete.end', server_id,
                                         mark)
    assert end['payload']['nova_object.data']['state'] == 'deleted'


@pytest.fixture
def fast_polling():
    from watcher.tests import base as test_base
    conf = test_base.ConfFixture()
    conf.setUp()
    for opt in ('migration_interval', 'shelve_interval', 'delete_interval'):
        conf.conf.set_override(opt, 0.2, group='nova')
    for opt in ('migration_max_retries', 'shelve_max_retries',
                'delete_max_retries'):
        conf.conf.set_override(opt, 600, group='nova')
    yield conf.conf
    conf.cleanUp()


def run_action(cloud, config, name, params):
    """One applier action, through its whole life, on ``cloud``."""
    from watcher.applier import loading
    action = loading.get_action_class(name)(
        input_parameters=params, connection=cloud.conn, config=config)
    action.validate_parameters()
    action.pre_condition()
    assert action.execute() is not False
    action.post_condition()
    return action


def test_applier_actions(cloud, fast_polling):
    """Each Nova action plugin of the applier, end to end, on each cloud."""
    a = cloud.boot(cloud.unique('act-a'), 'compute1', 'm1.small')
    b = cloud.boot(cloud.unique('act-b'), 'compute1', 'm1.small')
    c = cloud.boot(cloud.unique('act-c'), 'compute2', 'm1.small')
    run_action(cloud, fast_polling, 'migrate', {
        'resource_id': a, 'migration_type': 'live',
        'source_node': 'compute1', 'destination_node': 'compute2'})
    run_action(cloud, fast_polling, 'migrate', {
        'resource_id': b, 'migration_type': 'cold',
        'source_node': 'compute1', 'destination_node': 'compute3'})
    run_action(cloud, fast_polling, 'change_nova_service_state', {
        'resource_id': 'compute1', 'state': 'disabled',
        'disabled_reason': 'watcher_maintaining'})
    assert find_service(cloud, 'compute1').status == 'disabled'
    run_action(cloud, fast_polling, 'change_nova_service_state', {
        'resource_id': 'compute1', 'state': 'enabled'})
    run_action(cloud, fast_polling, 'resize', {'resource_id': c,
                                               'flavor': 'm1.medium'})
    run_action(cloud, fast_polling, 'stop', {'resource_id': a})
    run_action(cloud, fast_polling, 'shelve', {'resource_id': b})
    run_action(cloud, fast_polling, 'delete', {'resource_id': a})
    assert cloud.server(a) is None
    assert cloud.server(b)['status'] == 'SHELVED_OFFLOADED'
    server = cloud.server(c)
    assert server['flavor']['original_name'] == 'm1.medium'
    assert_usages(cloud, {server['OS-EXT-SRV-ATTR:host']: ['m1.medium']})


# --------------------------------------------------------------------------
# the two clouds side by side
# --------------------------------------------------------------------------

def compare(sim, real, fetch, ignore=()):
    left, right = fetch(sim), fetch(real)
    diffs = backends.differences(backends.shape(left),
                                 backends.shape(right),
                                 ignore=set(ignore) | ACCEPTED)
    assert not diffs, 'simulator vs real: %s' % '; '.join(diffs)


def _layout(cloud):
    """The same small layout on either cloud; returns the server ids."""
    ids = {'a': cloud.boot('same-a', 'compute1', 'm1.small'),
           'b': cloud.boot('same-b', 'compute2', 'm1.medium')}
    # both carry metadata: booted within one second, the two may be listed
    # in either order (Nova breaks created_at ties its own way), and the
    # first of the list is compared
    for server_id in ids.values():
        cloud.request('PUT', '/servers/%s/metadata' % server_id,
                      json={'metadata': {'owner': 'demo'}})
    return ids


def test_same_inventory_shapes(sim, real):
    for cloud in (sim, real):
        cloud.ids = _layout(cloud)
    for mv in ('2.53', '2.87', '2.88'):
        compare(sim, real, lambda c: c.get('/os-hypervisors/detail',
                                           microversion=mv))
    compare(sim, real, lambda c: c.get('/os-services',
                                       params={'binary': 'nova-compute'}))
    compare(sim, real, lambda c: c.get('/os-aggregates'))
    compare(sim, real, lambda c: c.get('/os-server-groups', params={
        'all_projects': 'True', 'limit': 1000}))
    compare(sim, real, lambda c: c.get('/flavors/detail',
                                       params={'is_public': 'None'}))
    for mv in ('2.47', '2.73', '2.96'):
        compare(sim, real, lambda c: c.get(
            '/servers/detail', microversion=mv,
            params={'all_tenants': 1, 'limit': 1}))
        compare(sim, real, lambda c: c.server(c.ids['a'], mv))
    compare(sim, real, lambda c: c.get('/resource_providers', 'placement'))
    compare(sim, real, lambda c: c.inventories('compute1'))
    compare(sim, real, lambda c: c.get(
        '/resource_providers/%s/usages' % c.provider('compute1'),
        'placement'))
    compare(sim, real, lambda c: c.allocations(c.ids['a']),
            ignore={'allocations'})
    compare(sim, real, lambda c: c.allocations(c.ids['a'])['allocations'][
        c.provider('compute1')])


def test_same_migration_and_notification_shapes(sim, real):
    for cloud in (sim, real):
        cloud.ids = _layout(cloud)
        cloud.mark = cloud.notifications.mark()
        cloud.conn.compute.live_migrate_server(
            cloud.ids['a'], host='compute3', block_migration='auto')
        cloud.conn.compute.migrate_server(cloud.ids['b'], host='compute1')
    for cloud in (sim, real):
        cloud.wait_server(cloud.ids['a'], 'ACTIVE', host='compute3')
        cloud.wait_server(cloud.ids['b'], 'VERIFY_RESIZE')
    compare(sim, real, lambda c: c.server(c.ids['b']))
    for kind in ('live-migration', 'migration'):
        compare(sim, real, lambda c: c.get('/os-migrations', params={
            'migration_type': kind}, microversion='2.96'))
        compare(sim, real, lambda c: c.get('/os-migrations', params={
            'migration_type': kind}, microversion='2.1'))
    for cloud in (sim, real):
        cloud.conn.compute.confirm_server_resize(cloud.ids['b'])
        cloud.conn.compute.stop_server(cloud.ids['a'])
    for cloud in (sim, real):
        cloud.wait_server(cloud.ids['b'], 'ACTIVE')
        cloud.wait_server(cloud.ids['a'], 'SHUTOFF')
        cloud.conn.compute.delete_server(cloud.ids['a'])
        service = find_service(cloud, 'compute2')
        cloud.conn.compute.disable_service(
            service, host='compute2', binary='nova-compute',
            disabled_reason='watcher_disabled')
    for cloud in (sim, real):
        cloud.wait_gone(cloud.ids['a'])
        cloud.conn.compute.shelve_server(cloud.ids['b'])
    for cloud in (sim, real):
        wait_shelved(cloud, cloud.ids['b'])
        cloud.conn.compute.unshelve_server(cloud.ids['b'])
    for cloud in (sim, real):
        cloud.wait_server(cloud.ids['b'], 'ACTIVE')
        assert cloud.notifications.wait_event(
            'instance.unshelve.end', cloud.ids['b'], cloud.mark)
        time.sleep(0.5)
    seen = {}
    for cloud in (sim, real):
        for message in cloud.notifications.since(cloud.mark):
            seen.setdefault(message['event_type'], {}).setdefault(
                cloud.name, message)
    compared, problems = 0, []
    for event_type, by_cloud in sorted(seen.items()):
        if len(by_cloud) < 2:
            assert event_type.startswith('scheduler.'), (
                'only %s sent %s' % (list(by_cloud), event_type))
            continue
        left, right = by_cloud['simulator'], by_cloud['real']
        assert left['publisher_id'].split(':')[0] == \
            right['publisher_id'].split(':')[0], event_type
        diffs = backends.differences(backends.shape(left['payload']),
                                     backends.shape(right['payload']),
                                     ignore=NULLABLE_IN_EVENTS)
        problems.extend('%s: %s' % (event_type, d) for d in diffs)
        compared += 1
    assert not problems, '\n'.join(problems)
    assert compared >= 15
