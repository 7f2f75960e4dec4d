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

"""The in-memory cloud: moves, capacity, faults, notifications."""

import pytest

from watcher.simulator import errors
from watcher.simulator import scenario
from watcher.simulator.cloud import index as index_mod


@pytest.fixture
def cloud():
    c = scenario.build(scenario.load({
        'settings': {'migration_duration': 0.01, 'resize_duration': 0.01,
                     'action_duration': 0.01},
        'defaults': {'host': {'vcpus': 4, 'memory_mb': 8192,
                              'disk_gb': 100, 'cpu_allocation_ratio': 1.0,
                              'reserved_memory_mb': 0}},
        'server_groups': [{'name': 'g', 'policy': 'anti-affinity'}],
        'hosts': [
            {'name': 'h0', 'servers': [
                {'name': 'a', 'flavor': 'm1.medium', 'server_group': 'g'},
                {'name': 'b', 'flavor': 'm1.small'}]},
            {'name': 'h1', 'servers': [
                {'name': 'c', 'flavor': 'm1.medium', 'server_group': 'g'}]},
            {'name': 'h2'},
            {'name': 'h3', 'status': 'disabled',
             'disabled_reason': 'ops'},
        ]}))
    yield c
    c.stop_background()


def events(cloud):
    return [m['event_type'] for m in cloud.notifier.history]


def test_usage_matches_servers(cloud):
    assert cloud.usage('h0') == {'VCPU': 3, 'MEMORY_MB': 6144,
                                 'DISK_GB': 60}
    assert cloud.usage('h2') == {'VCPU': 0, 'MEMORY_MB': 0, 'DISK_GB': 0}


def test_live_migration_moves_allocations(cloud):
    b = cloud.get_server('b')
    mig = cloud.live_migrate(b.id, 'h2')
    assert b.status == 'MIGRATING'
    # During the move the migration holds the source, the server the dest.
    assert cloud.allocations_of(mig.uuid) == {
        cloud.hosts['h0'].uuid: {'VCPU': 1, 'MEMORY_MB': 2048,
                                 'DISK_GB': 20}}
    assert cloud.usage('h2')['VCPU'] == 1
    assert cloud.wait_idle(5)
    assert b.host == 'h2' and b.status == 'ACTIVE'
    assert mig.status == 'completed'
    assert cloud.usage('h0')['VCPU'] == 2
    assert cloud.allocations_of(mig.uuid) == {}
    assert 'instance.live_migration_post_dest.end' in events(cloud)


def test_scheduler_honours_capacity_state_and_policy(cloud):
    a = cloud.get_server('a')
    # h1 holds the other anti-affinity member, h3 is disabled: h2 wins.
    cloud.live_migrate(a.id)
    cloud.wait_idle(5)
    assert a.host == 'h2'
    # Disabled host is not a valid pick even when asked for.
    b = cloud.get_server('b')
    mig = cloud.live_migrate(b.id, 'h3')
    assert mig.status == 'error' and b.host == 'h0' and b.task_state is None
    # A full host is refused.
    big = cloud.add_flavor('big', vcpus=4, ram=8192, disk=10)
    with pytest.raises(errors.BadRequest):
        cloud.add_server('x', big, check_capacity=True, host='h1')
    assert cloud.schedule(b, big) is None or cloud.schedule(b, big).name in (
        'h0',)


def test_fault_makes_a_migration_fail(cloud):
    b = cloud.get_server('b')
    cloud.add_fault('b', 'live_migration', count=1)
    mig = cloud.live_migrate(b.id, 'h2')
    cloud.wait_idle(5)
    assert mig.status == 'error'
    assert b.host == 'h0' and b.status == 'ACTIVE'
    assert cloud.usage('h2')['VCPU'] == 0
    assert 'instance.live_migration_rollback.end' in events(cloud)
    assert not cloud.faults


def test_failed_cold_migration_leaves_error_on_source(cloud):
    b = cloud.get_server('b')
    cloud.add_fault('h0', 'cold_migration', count=None)
    cloud.cold_migrate(b.id, 'h2')
    cloud.wait_idle(5)
    assert b.host == 'h0' and b.status == 'ERROR'
    assert b.fault['code'] == 500
    assert cloud.usage('h2')['VCPU'] == 0
    assert cloud.usage('h0')['VCPU'] == 3


def test_resize_confirm_and_abort(cloud):
    b = cloud.get_server('b')
    mig = cloud.resize(b.id, 'm1.medium')
    cloud.wait_idle(5)
    assert b.status == 'VERIFY_RESIZE' and b.flavor.name == 'm1.medium'
    assert b.host == 'h2'
    # Source still held by the migration until confirmed.
    assert cloud.allocations_of(mig.uuid)
    cloud.confirm_resize(b.id)
    assert b.status == 'ACTIVE' and not cloud.allocations_of(mig.uuid)
    assert cloud.usage('h2')['VCPU'] == 2
    with pytest.raises(errors.BadRequest):
        cloud.resize(b.id, 'm1.medium')
    with pytest.raises(errors.Conflict):
        cloud.confirm_resize(b.id)


def test_abort_live_migration(cloud):
    cloud.settings['migration_duration'] = 30
    b = cloud.get_server('b')
    mig = cloud.live_migrate(b.id, 'h2')
    cloud.abort_live_migration(b.id, mig.id)
    assert mig.status == 'cancelled' and b.host == 'h0'
    assert b.status == 'ACTIVE'
    assert cloud.usage('h2')['VCPU'] == 0
    with pytest.raises(errors.BadRequest):
        cloud.abort_live_migration(b.id, mig.id)


def test_power_and_delete(cloud):
    b = cloud.get_server('b')
    with pytest.raises(errors.Conflict):
        cloud.start(b.id)
    cloud.stop(b.id)
    cloud.wait_idle(5)
    assert b.status == 'SHUTOFF'
    with pytest.raises(errors.Conflict):
        cloud.live_migrate(b.id)
    cloud.delete_server(b.id)
    cloud.wait_idle(5)
    assert b.id not in cloud.servers
    assert cloud.usage('h0')['VCPU'] == 2
    assert events(cloud)[-1] == 'instance.delete.end'


def test_simple_actions_follow_their_table_rows(cloud):
    b = cloud.get_server('b')
    mark = len(cloud.notifier.history)
    cloud.stop(b.id)
    cloud.wait_idle(5)
    assert (b.status, b.power_state, b.host) == ('SHUTOFF', 4, 'h0')
    cloud.start(b.id)
    cloud.wait_idle(5)
    assert (b.status, b.power_state, b.cpu_since is not None) == (
        'ACTIVE', 1, True)
    cloud.shelve(b.id)
    cloud.wait_idle(5)
    assert (b.status, b.host, b.availability_zone) == (
        'SHELVED_OFFLOADED', None, None)
    assert cloud.usage('h0')['VCPU'] == 2
    assert events(cloud)[mark:] == [
        'instance.update',
        'instance.power_off.start', 'instance.power_off.end',
        'instance.update',
        'instance.update',
        'instance.power_on.start', 'instance.power_on.end',
        'instance.update',
        'instance.update',
        'instance.exists', 'instance.shelve.start', 'instance.shelve.end',
        'instance.shelve_offload.start', 'instance.shelve_offload.end',
        'instance.update']
    update = cloud.notifier.history[-1]['payload']['nova_object.data']
    assert (update['state_update']['nova_object.data']['old_state'],
            update['state']) == ('active', 'shelved_offloaded')


def test_a_faulted_simple_action_keeps_the_server_as_it_was(cloud):
    b = cloud.get_server('b')
    cloud.add_fault('b', 'stop')
    cloud.stop(b.id)
    cloud.wait_idle(5)
    assert (b.status, b.power_state, b.task_state) == ('ACTIVE', 1, None)
    assert b.fault['message'] == 'Simulated failure'
    assert events(cloud)[-2:] == ['instance.power_off.error',
                                  'instance.update']


def test_service_update_notifies(cloud):
    cloud.set_service_by_host('h2', status='disabled',
                              disabled_reason='watcher_maintaining')
    msg = cloud.notifier.history[-1]
    assert msg['event_type'] == 'service.update'
    assert msg['publisher_id'] == 'nova-compute:h2'
    assert msg['payload']['nova_object.data']['disabled'] is True
    with pytest.raises(errors.BadRequest):
        cloud.update_service(cloud.hosts['h2'].service.id, status='sleepy')


def test_paginate_uses_markers():
    index = index_mod.OrderedIndex()
    items = {i: 'v%d' % i for i in range(10)}
    for i in range(10):
        index.append(i, i)
    page, more = index_mod.paginate(index, items.get, None, 4)
    assert page == ['v0', 'v1', 'v2', 'v3'] and more
    page, more = index_mod.paginate(index, items.get, 7, 4)
    assert page == ['v8', 'v9'] and not more
    index.remove(8)
    page, more = index_mod.paginate(index, items.get, 7, 4)
    assert page == ['v9']
    page, more = index_mod.paginate(index, items.get, None, 5,
                                    lambda v: v != 'v1')
    assert page == ['v0', 'v2', 'v3', 'v4', 'v5'] and more


def test_snapshot_is_json_friendly(cloud):
    import json
    dump = cloud.snapshot()
    json.dumps(dump)
    assert [h['name'] for h in dump['hosts']] == ['h0', 'h1', 'h2', 'h3']
