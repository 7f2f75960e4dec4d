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

"""saving_energy (the simulator's Ironic), storage_capacity_balance and
zone_migration (its Cinder pools) end to end: audit through the API, the
plan, the applier, the cloud afterwards.
"""
from watcher.tests.functional.end_to_end import stack

HOST = {'vcpus': 16, 'memory_mb': 65536, 'disk_gb': 500,
        'cpu_allocation_ratio': 4.0, 'reserved_memory_mb': 512}


def _server(name, flavor='m1.medium', cpu=0.3):
    return {'name': name, 'flavor': flavor,
            'workload': {'profile': 'steady', 'cpu': cpu, 'ram': 0.5}}


def _twins(hosts):
    return {'nodes': [{'name': 'ironic-%s' % h.rsplit('-', 1)[1],
                       'compute_host': h} for h in hosts]}


class TestSavingEnergy(stack.StackTestCase):
    # two busy hosts, three idle ones: compute-4 is the largest
    scenario = {
        'name': 'energy', 'seed': 5,
        'settings': {'migration_duration': 0.2, 'power_duration': 0.1},
        'defaults': {'host': HOST},
        'hosts': [
            {'name': 'compute-0', 'servers': [_server('a'), _server('b')]},
            {'name': 'compute-1', 'servers': [_server('c')]},
            {'name': 'compute-2'}, {'name': 'compute-3'},
            {'name': 'compute-4', 'vcpus': 32, 'memory_mb': 131072}],
        'baremetal': _twins(['compute-%d' % i for i in range(5)]),
    }

    def _power(self, host):
        state = self.cloud.state
        [node] = [n for n in state.nodes.values() if n.compute_host == host]
        return node.power_state

    def _service(self, host):
        svc = self.cloud.state.hosts[host].service
        return svc.status, svc.state, svc.disabled_reason

    def test_powers_idle_hosts_off_then_on_again(self):
        # one idle host is enough: the two smaller idle ones go off
        plan, actions = self.recommended('saving_energy', 'saving_energy',
                                         {'min_free_hosts_num': 1,
                                          'free_used_percent': 10.0})
        power = stack.of_type(actions, 'change_node_power_state')
        self.assertEqual([('compute-2', 'off'), ('compute-3', 'off')],
                         sorted((p['resource_name'], p['state'])
                                for p in power))
        self.assertEqual('SUCCEEDED', self.apply(plan)['state'])
        for host in ('compute-2', 'compute-3'):
            self.assertEqual('power off', self._power(host))
            self.assertEqual(('disabled', 'down', 'watcher_disabled'),
                             self._service(host))
        self.assertEqual('power on', self._power('compute-4'))
        self.assertEqual(('enabled', 'up'), self._service('compute-4')[:2])

        # three idle hosts wanted: both come back, enabled again
        plan, actions = self.recommended('saving_energy', 'saving_energy',
                                         {'min_free_hosts_num': 3,
                                          'free_used_percent': 10.0})
        power = stack.of_type(actions, 'change_node_power_state')
        self.assertEqual([('compute-2', 'on'), ('compute-3', 'on')],
                         sorted((p['resource_name'], p['state'])
                                for p in power))
        self.assertEqual('SUCCEEDED', self.apply(plan)['state'])
        for host in ('compute-2', 'compute-3'):
            self.assertEqual('power on', self._power(host))
            self.assertEqual(('enabled', 'up'), self._service(host)[:2])


POOL_A = 'storage-0@lvm#pool0'
POOL_B = 'storage-1@lvm#pool0'
POOL_C = 'storage-2@lvm#pool0'


def _storage(volumes, pools=(POOL_A, POOL_B)):
    return {'volume_types': [{'name': 'lvm', 'backend': 'lvm'}],
            'pools': [{'name': p, 'total_capacity_gb': 1000} for p in pools],
            'volumes': volumes}


def _volume(name, size, pool, **extra):
    return dict(extra, name=name, size=size, pool=pool, type='lvm')


class TestStorageCapacityBalance(stack.StackTestCase):
    # pool A is 90 % full, pool B 10 %
    scenario = {
        'name': 'pools', 'seed': 5, 'defaults': {'host': HOST},
        'settings': {'volume_migration_duration': 0.1},
        'hosts': [{'name': 'compute-0', 'servers': [_server('app')]}],
        'storage': _storage([
            _volume('big', 500, POOL_A), _volume('mid', 300, POOL_A),
            _volume('small', 100, POOL_A, attached_to='app'),
            _volume('other', 100, POOL_B)]),
    }

    def _used(self, pool):
        state = self.cloud.state
        return sum(v.size for v in state.volumes.values() if v.pool == pool)

    def test_full_pool_moves_the_volume_that_brings_it_under(self):
        plan, actions = self.recommended(
            'workload_balancing', 'storage_capacity_balance',
            {'volume_threshold': 80.0})
        [move] = stack.of_type(actions, 'volume_migrate')
        # 100 GB over the threshold: the smallest volume larger than that
        self.assertEqual(('migrate', POOL_B), (move['migration_type'],
                                               move['destination_node']))
        moved = self.cloud.state.volumes[move['resource_id']]
        self.assertEqual('mid', moved.name)
        self.assertEqual('SUCCEEDED', self.apply(plan)['state'])
        self.assertEqual(POOL_B, self.cloud.state.volumes[moved.id].pool)
        self.assertEqual((600, 400), (self._used(POOL_A),
                                      self._used(POOL_B)))
        # the storage model reads what Cinder now says: nothing to do
        audit = self.audit('workload_balancing', 'storage_capacity_balance',
                           {'volume_threshold': 80.0})
        self.assertEqual('SUCCEEDED', audit['state'])
        self.assertEqual([], self.actions_of(self.plan_of(audit)))


class TestZoneMigration(stack.StackTestCase):
    scenario = {
        'name': 'zones', 'seed': 5, 'defaults': {'host': HOST},
        'settings': {'migration_duration': 0.2,
                     'volume_migration_duration': 0.1},
        'hosts': [
            {'name': 'compute-0', 'servers': [
                _server('old-a', 'm1.large'), _server('old-b'),
                _server('old-c', 'm1.small')]},
            {'name': 'compute-1', 'servers': [_server('new-a')]},
            {'name': 'compute-2'}],
        'storage': _storage([
            _volume('vol-a', 50, POOL_A), _volume('vol-b', 20, POOL_A),
            _volume('vol-c', 10, POOL_A, attached_to='new-a')],
            pools=(POOL_A, POOL_B, POOL_C)),
    }

    def test_drains_a_node_and_a_pool(self):
        plan, actions = self.recommended('hardware_maintenance',
                                         'zone_migration', {
                                             'compute_nodes': [
                                                 {'src_node': 'compute-0'}],
                                             'storage_pools': [
                                                 {'src_pool': POOL_A,
                                                  'dst_pool': POOL_B}],
                                             'parallel_per_node': 3,
                                             'parallel_per_pool': 3})
        servers = {m['resource_name']: m['destination_node']
                   for m in stack.of_type(actions, 'migrate')}
        self.assertEqual({'old-a', 'old-b', 'old-c'}, set(servers))
        self.assertLessEqual(set(servers.values()),
                             {'compute-1', 'compute-2'})
        volumes = stack.of_type(actions, 'volume_migrate')
        self.assertEqual(3, len(volumes))
        self.assertEqual({POOL_B}, {v['destination_node'] for v in volumes})
        self.assertEqual('SUCCEEDED', self.apply(plan)['state'])
        self.assertEqual([], self.server_names('compute-0'))
        for name, host in servers.items():
            self.assertEqual(host, self.host_of(name))
        state = self.cloud.state
        self.assertEqual({POOL_B}, {v.pool for v in state.volumes.values()})
