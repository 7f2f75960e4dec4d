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

"""Action plugins: entry points, descriptions, input-parameter schemas."""
import testtools

from watcher.applier.actions import base
from watcher.applier import loading
from watcher.common import exception

UUID = '8a7d6a4e-6e1c-4f5e-9c3b-2f1f0e4c1a11'

DESCRIPTIONS = {
    'change_node_power_state':
        'Compute node power on/off through Ironic or MaaS.',
    'change_nova_service_state':
        'Disables or enables the nova-compute service.A disabled '
        'nova-compute service can not be selected by the nova for future '
        'deployment of new server.',
    'delete': 'Delete a VM instance',
    'migrate': 'Moving a VM instance from source_node to destination_node',
    'nop': 'Logging a NOP message',
    'resize': 'Resize a server with specified flavor.',
    'shelve': 'Shelve a VM instance',
    'sleep': 'Wait for a given interval in seconds.',
    'stop': 'Stop a VM instance',
    'volume_migrate':
        'Moving a volume to destination_node or destination_type',
}

VALID = {
    'migrate': [
        {'resource_id': UUID, 'migration_type': 'live',
         'source_node': 'c0', 'destination_node': 'c1'},
        {'resource_id': UUID, 'migration_type': 'cold', 'source_node': 'c0'},
        {'resource_id': UUID, 'migration_type': 'live', 'source_node': 'c0',
         'destination_node': None, 'resource_name': 'vm'},
    ],
    'resize': [{'resource_id': UUID, 'flavor': 'm1.small'}],
    'change_nova_service_state': [
        {'resource_id': 'c0', 'state': 'enabled'},
        {'resource_id': 'c0', 'state': 'disabled',
         'disabled_reason': 'watcher_maintaining', 'resource_name': 'c0'},
    ],
    'change_node_power_state': [{'resource_id': 'n0', 'state': 'off'},
                                {'resource_id': 'n0', 'state': 'on'}],
    'volume_migrate': [
        {'resource_id': 'v0', 'migration_type': 'migrate',
         'destination_node': 'h@b#p'},
        {'resource_id': 'v0', 'migration_type': 'retype',
         'destination_type': 'ceph'},
    ],
    'stop': [{'resource_id': UUID}],
    'shelve': [{'resource_id': UUID}],
    'delete': [{'resource_id': UUID, 'resource_name': 'vm-1'}],
    'nop': [{'message': 'hi'},
            {'message': 'hi', 'fail_execute': True,
             'skip_pre_condition': False}],
    'sleep': [{'duration': 0}, {'duration': 2.5}],
}

INVALID = {
    'migrate': [
        {},
        {'resource_id': 'not-a-uuid', 'migration_type': 'live',
         'source_node': 'c0'},
        {'resource_id': UUID, 'migration_type': 'teleport',
         'source_node': 'c0'},
        {'resource_id': UUID, 'migration_type': 'live'},
        {'resource_id': UUID, 'migration_type': 'live', 'source_node': ''},
    ],
    'resize': [{'resource_id': UUID}, {'flavor': 'x'}],
    'change_nova_service_state': [
        {'resource_id': 'c0', 'state': 'off'},
        {'resource_id': 'c0', 'state': 'disabled',
         'disabled_reason': 'maintenance'},
        {'state': 'enabled'},
    ],
    'change_node_power_state': [{'resource_id': 'n0', 'state': 'reboot'},
                                {'resource_id': 'n0'}],
    'volume_migrate': [
        {'resource_id': 'v0', 'migration_type': 'swap'},
        {'resource_id': 'v0', 'migration_type': 'migrate'},
        {'resource_id': 'v0', 'migration_type': 'retype',
         'destination_node': 'h@b#p'},
    ],
    'stop': [{}, {'resource_id': 'nope'}],
    'shelve': [{}],
    'delete': [{'resource_id': 42}],
    'nop': [{}, {'message': 'x', 'fail_execute': 'yes'}],
    'sleep': [{}, {'duration': -1}, {'duration': 'long'}],
}


class TestActionPlugins(testtools.TestCase):

    def test_every_entry_point_loads(self):
        self.assertEqual(sorted(DESCRIPTIONS), loading.list_action_types())
        for name in DESCRIPTIONS:
            cls = loading.get_action_class(name)
            self.assertTrue(issubclass(cls, base.BaseAction))
            self.assertEqual(name, cls.name)

    def test_descriptions_are_the_upstream_texts(self):
        self.assertEqual(DESCRIPTIONS, loading.action_descriptions())

    def test_unknown_action_type(self):
        self.assertRaises(exception.LoadingError,
                          loading.get_action_class, 'teleport')

    def test_valid_parameters(self):
        for name, cases in VALID.items():
            for params in cases:
                action = loading.load_action(name, params)
                self.assertTrue(action.validate_parameters(),
                                '%s %s' % (name, params))

    def test_invalid_parameters(self):
        for name, cases in INVALID.items():
            for params in cases:
                action = loading.load_action(name, params)
                err = self.assertRaises(
                    exception.InvalidActionParameters,
                    action.validate_parameters)
                self.assertIn(name, str(err), params)

    def test_schema_message_names_the_field(self):
        action = loading.load_action('migrate', {
            'resource_id': UUID, 'migration_type': 'teleport',
            'source_node': 'c0'})
        err = self.assertRaises(exception.InvalidActionParameters,
                                action.validate_parameters)
        self.assertIn('migration_type', str(err))

    def test_resource_id_and_name(self):
        action = loading.load_action('stop', {'resource_id': UUID,
                                              'resource_name': 'vm-1'})
        self.assertEqual(UUID, action.resource_id)
        self.assertEqual('vm-1', action.resource_name)


class TestNop(testtools.TestCase):

    def _nop(self, **flags):
        return loading.load_action('nop', dict(message='m', **flags))

    def test_happy(self):
        action = self._nop()
        action.pre_condition()
        self.assertTrue(action.execute())
        action.post_condition()

    def test_flags(self):
        self.assertRaises(exception.ActionSkipped,
                          self._nop(skip_pre_condition=True).pre_condition)
        self.assertRaises(exception.ActionExecutionFailure,
                          self._nop(fail_pre_condition=True).pre_condition)
        self.assertRaises(exception.ActionExecutionFailure,
                          self._nop(fail_execute=True).execute)
        self.assertRaises(exception.ActionExecutionFailure,
                          self._nop(fail_post_condition=True).post_condition)


class TestSleep(testtools.TestCase):

    def test_abort_wakes_the_sleep(self):
        import threading
        import time
        action = loading.load_action('sleep', {'duration': 30})
        threading.Timer(0.05, action.abort).start()
        started = time.monotonic()
        self.assertRaises(exception.ActionAborted, action.execute)
        self.assertLess(time.monotonic() - started, 10)


class TestWaitUntil(testtools.TestCase):

    def test_timeout(self):
        action = loading.load_action('nop', {'message': 'x'})
        err = self.assertRaises(exception.ActionTimeout, action.wait_until,
                                lambda: None, 0.001, 3, 'Waiting')
        self.assertIn('Waiting did not finish', str(err))

    def test_result(self):
        calls = []

        def check():
            calls.append(1)
            return 'done' if len(calls) == 3 else None

        action = loading.load_action('nop', {'message': 'x'})
        self.assertEqual('done', action.wait_until(check, 0.001, 5, 'x'))
        self.assertEqual(3, len(calls))


class TestConnectionProvider(testtools.TestCase):

    def test_provider_is_used_and_restored(self):
        marker = object()
        previous = base.set_connection_provider(lambda: marker)
        self.addCleanup(base.set_connection_provider, previous)
        action = loading.load_action('stop', {'resource_id': UUID})
        self.assertIs(marker, action.conn)
        explicit = object()
        action = loading.load_action('stop', {'resource_id': UUID},
                                     connection=explicit)
        self.assertIs(explicit, action.conn)
