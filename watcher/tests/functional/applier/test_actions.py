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

"""Every action type on the simulated cloud: happy path, skip, failure."""
import threading

from watcher.applier import loading
from watcher.common import exception
from watcher import objects
from watcher.tests.functional.applier import base
from watcher.tests.unit.applier import utils

GONE = '00000000-1111-4222-8333-444444444444'


class TestActions(base.SimulatorTestCase):

    def act(self, action_type, params):
        action = loading.load_action(action_type, params,
                                     connection=self.conn)
        action.validate_parameters()
        return action

    def run_action(self, action_type, params):
        action = self.act(action_type, params)
        action.pre_condition()
        self.assertTrue(action.execute())
        action.post_condition()
        return action

    def assert_skips(self, action_type, params, text):
        err = self.assertRaises(exception.ActionSkipped,
                                self.act(action_type, params).pre_condition)
        self.assertIn(text, str(err))

    def assert_fails(self, action_type, params, text):
        err = self.assertRaises(exception.ActionPreConditionFailed,
                                self.act(action_type, params).pre_condition)
        self.assertIn(text, str(err))

    # migrate -------------------------------------------------------------
    def test_migrate_live_cold_with_and_without_destination(self):
        self.run_action('migrate', self.migrate('idle-2', dest='compute-3'))
        self.assertEqual('compute-3', self.host_of('idle-2'))
        self.run_action('migrate', self.migrate('idle-2'))
        self.assertNotEqual('compute-3', self.host_of('idle-2'))
        self.run_action('migrate', self.migrate('idle-2', dest='compute-4',
                                                kind='cold'))
        self.assertEqual('compute-4', self.host_of('idle-2'))
        server = self.state.servers[self.server_id('idle-2')]
        self.assertEqual('ACTIVE', server.status)
        self.run_action('migrate', self.migrate('idle-2', kind='cold'))
        self.assertNotEqual('compute-4', self.host_of('idle-2'))

    def test_migrate_skips(self):
        self.assert_skips('migrate', {'resource_id': GONE,
                                      'migration_type': 'live',
                                      'source_node': 'compute-2'},
                          'not found')
        self.assert_skips('migrate', self.migrate('idle-2',
                                                  source='compute-0'),
                          'is not on the source node compute-0')
        params = self.migrate('idle-2', dest='compute-2')
        self.assert_skips('migrate', params, 'already on the destination')

    def test_migrate_fails(self):
        self.assert_fails('migrate', self.migrate('idle-2', dest='nowhere'),
                          'has no nova-compute service')
        self.state.set_service_by_host('compute-3', status='disabled')
        self.assert_fails('migrate', self.migrate('idle-2', dest='compute-3'),
                          'is disabled')
        self.run_action('stop', {'resource_id': self.server_id('idle-2')})
        self.assert_fails('migrate', self.migrate('idle-2'),
                          'status is SHUTOFF, not ACTIVE')
        # a stopped server still moves cold
        self.run_action('migrate', self.migrate('idle-2', dest='compute-4',
                                                kind='cold'))
        self.assertEqual('compute-4', self.host_of('idle-2'))

    def test_migrate_revert(self):
        action = self.run_action('migrate', self.migrate('idle-2',
                                                         dest='compute-3'))
        action.revert()
        self.assertEqual('compute-2', self.host_of('idle-2'))

    def test_live_migration_abort(self):
        self.state.settings['migration_duration'] = 60.0
        action = self.act('migrate', self.migrate('idle-2', dest='compute-3'))
        action.pre_condition()
        errors = []

        def run():
            try:
                action.execute()
            except Exception as exc:
                errors.append(exc)

        thread = threading.Thread(target=run)
        thread.start()
        self.wait_for(lambda: self.state.migrations)
        self.assertTrue(action.abort())
        thread.join(30)
        self.assertIsInstance(errors[0], exception.ActionAborted)
        self.assertEqual('compute-2', self.host_of('idle-2'))
        self.assertFalse(self.act('migrate', self.migrate(
            'idle-3', kind='cold')).abort())

    # resize ----------------------------------------------------------------
    def test_resize(self):
        sid = self.server_id('idle-2')
        action = self.run_action('resize', {'resource_id': sid,
                                            'flavor': 'm1.medium'})
        self.assertEqual('m1.medium', self.state.servers[sid].flavor.name)
        self.assertEqual('ACTIVE', self.state.servers[sid].status)
        self.assert_skips('resize', {'resource_id': sid,
                                     'flavor': 'm1.medium'},
                          'already has the flavor')
        self.assert_skips('resize', {'resource_id': GONE, 'flavor': 'x'},
                          'not found')
        self.assert_fails('resize', {'resource_id': sid,
                                     'flavor': 'm1.huge'},
                          'Flavor m1.huge not found')
        action.revert()
        self.assertEqual('m1.small', self.state.servers[sid].flavor.name)

    # change_nova_service_state ---------------------------------------------
    def test_change_nova_service_state(self):
        params = {'resource_id': 'compute-3', 'state': 'disabled',
                  'disabled_reason': 'watcher_maintaining'}
        action = self.run_action('change_nova_service_state', params)
        service = self.state.find_service('compute-3', 'nova-compute')
        self.assertEqual(('disabled', 'watcher_maintaining'),
                         (service.status, service.disabled_reason))
        self.assert_skips('change_nova_service_state', params,
                          'already disabled')
        self.assert_skips('change_nova_service_state',
                          {'resource_id': 'compute-99', 'state': 'enabled'},
                          'does not exist')
        action.revert()
        self.assertEqual('enabled', self.state.find_service(
            'compute-3', 'nova-compute').status)
        self.run_action('change_nova_service_state',
                        {'resource_id': 'compute-4', 'state': 'disabled'})
        self.assertEqual('watcher_disabled', self.state.find_service(
            'compute-4', 'nova-compute').disabled_reason)

    # change_node_power_state -----------------------------------------------
    def _node(self, host):
        for node in self.state.nodes.values():
            if node.compute_host == host:
                return node
        raise AssertionError(host)

    def test_change_node_power_state(self):
        self.run_action('migrate', self.migrate('idle-2', dest='compute-3'))
        node = self._node('compute-2')
        params = {'resource_id': node.uuid, 'state': 'off',
                  'resource_name': 'compute-2'}
        action = self.run_action('change_node_power_state', params)
        self.assertEqual('power off', node.power_state)
        self.assert_skips('change_node_power_state', params, 'already')
        self.assert_fails('change_node_power_state',
                          {'resource_id': GONE, 'state': 'on'},
                          'Ironic has no node %s: it cannot be powered on'
                          % GONE)
        busy = self._node('compute-0')
        self.assert_fails('change_node_power_state',
                          {'resource_id': busy.uuid, 'state': 'off',
                           'resource_name': 'compute-0'},
                          'still hosts 3 instance(s)')
        action.revert()
        self.assertEqual('power on', node.power_state)

    # volume_migrate ----------------------------------------------------------
    def _volume(self, name):
        for volume in self.state.volumes.values():
            if volume.name == name:
                return volume
        raise AssertionError(name)

    def test_volume_migrate_and_retype(self):
        vol = self._volume('scratch')
        params = {'resource_id': vol.id, 'migration_type': 'migrate',
                  'destination_node': 'storage-0@lvm#pool0'}
        action = self.run_action('volume_migrate', params)
        self.assertEqual('storage-0@lvm#pool0', vol.pool)
        self.assert_skips('volume_migrate', params, 'already in pool')
        self.assert_fails('volume_migrate',
                          dict(params, destination_node='nowhere@x#y'),
                          'Storage pool nowhere@x#y not found')
        action.revert()
        self.assertEqual('storage-1@lvm#pool0', vol.pool)

        retype = {'resource_id': vol.id, 'migration_type': 'retype',
                  'destination_type': 'ceph'}
        self.run_action('volume_migrate', retype)
        self.assertEqual('ceph', vol.volume_type.name)
        self.assert_skips('volume_migrate', retype, 'already of type ceph')
        self.assert_fails('volume_migrate',
                          dict(retype, destination_type='gold'),
                          'Volume type gold not found')
        self.assert_skips('volume_migrate', dict(retype, resource_id=GONE),
                          'not found')

    # stop, shelve, delete ----------------------------------------------------
    def test_stop_shelve_delete(self):
        sid = self.server_id('idle-2')
        stop = self.run_action('stop', {'resource_id': sid})
        self.assertEqual('SHUTOFF', self.state.servers[sid].status)
        self.assert_skips('stop', {'resource_id': sid}, 'already stopped')
        stop.revert()
        self.assertEqual('ACTIVE', self.state.servers[sid].status)

        shelve = self.run_action('shelve', {'resource_id': sid})
        self.assertIn(self.state.servers[sid].status,
                      ('SHELVED', 'SHELVED_OFFLOADED'))
        self.assert_skips('shelve', {'resource_id': sid}, 'already shelved')
        shelve.revert()
        self.wait_for(lambda: self.state.servers[sid].status == 'ACTIVE')

        self.run_action('delete', {'resource_id': sid})
        self.assertNotIn(sid, self.state.servers)
        for kind in ('stop', 'shelve', 'delete'):
            self.assert_skips(kind, {'resource_id': sid}, 'not found')


class TestEveryActionTypeInOnePlan(base.SimulatorTestCase):

    def test_plan(self):
        vol = [v for v in self.state.volumes.values()
               if v.name == 'scratch'][0]
        node = [n for n in self.state.nodes.values()
                if n.compute_host == 'compute-4'][0]
        plan, acts = utils.make_plan(self.context, [
            ('nop', 'nop', {'message': 'start'}, []),
            ('sleep', 'sleep', {'duration': 0.01}, ['nop']),
            ('migrate', 'migrate', self.migrate('idle-4', dest='compute-3'),
             ['sleep']),
            ('disable', 'change_nova_service_state',
             {'resource_id': 'compute-4', 'state': 'disabled'}, ['migrate']),
            ('power', 'change_node_power_state',
             {'resource_id': node.uuid, 'state': 'off',
              'resource_name': 'compute-4'}, ['disable']),
            ('resize', 'resize', {'resource_id': self.server_id('idle-2'),
                                  'flavor': 'm1.medium'}, ['disable']),
            ('volume', 'volume_migrate',
             {'resource_id': vol.id, 'migration_type': 'retype',
              'destination_type': 'ceph'}, ['nop']),
            ('stop', 'stop', {'resource_id': self.server_id('idle-3')},
             ['migrate']),
            ('shelve', 'shelve', {'resource_id': self.server_id('app-0')},
             ['nop']),
            ('delete', 'delete', {'resource_id': self.server_id('cache-1')},
             ['nop']),
        ])
        self.assertEqual(objects.action_plan.State.SUCCEEDED,
                         self.run_plan(plan))
        self.assertEqual({objects.action.State.SUCCEEDED},
                         set(utils.states(self.context, plan).values()))
        self.assertEqual('power off', node.power_state)
        self.assertEqual('ceph', vol.volume_type.name)
