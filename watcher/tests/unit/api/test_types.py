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

"""WSME types and the helpers of the v1 controllers."""
import testtools

from watcher.api.controllers.v1 import types
from watcher.api.controllers.v1 import utils
from watcher.api.middleware import parsable_error
from watcher.common import exception


class TestTypes(testtools.TestCase):

    def test_interval_or_cron(self):
        for good in ('60', 3600, '*/5 * * * *', '0 0 * * 1-5'):
            self.assertTrue(types.interval_or_cron.frombasetype(good))
        for bad in ('0', '-5', 'soon', '61 * * * *', '* * *', 5.5, True,
                    [], '* * * * * *'):
            self.assertRaises(exception.InvalidIntervalOrCron,
                              types.interval_or_cron.frombasetype, bad)

    def test_uuid_and_name(self):
        self.assertRaises(exception.InvalidUUID, types.uuid.validate, 'x')
        self.assertEqual('dummy', types.uuid_or_name.validate('dummy'))
        self.assertRaises(exception.InvalidUuidOrName,
                          types.uuid_or_name.validate, 'a b')

    def test_parameters_defaults_and_strictness(self):
        spec = {'properties': {'a': {'type': 'number', 'default': 1},
                               'b': {'type': 'string'}}}
        self.assertEqual({'a': 1, 'b': 'x'},
                         utils.validate_parameters(spec, {'b': 'x'}))
        self.assertRaises(exception.Invalid, utils.validate_parameters,
                          spec, {'c': 1})
        self.assertRaises(exception.Invalid, utils.validate_parameters,
                          spec, {'a': 'one'})

    def test_scope(self):
        utils.validate_scope([])
        utils.validate_scope([
            {'compute': [{'host_aggregates': [{'id': 1}]}]},
            {'storage': [{'volume_types': [{'name': 'l'}]}]}])
        utils.validate_scope([{'availability_zones': [{'name': 'AZ1'}]}])
        self.assertRaises(exception.InvalidScope, utils.validate_scope,
                          [{'compute': [{'racks': []}]}])
        self.assertRaises(exception.InvalidScope, utils.validate_scope, {})


class TestErrorBody(testtools.TestCase):

    def test_fault_is_wrapped_as_a_string(self):
        body = parsable_error.error_body(
            404, b'{"faultcode": "Client", "faultstring": "x", '
                 b'"debuginfo": null}')
        self.assertEqual(b'{"error_message": "{\\"faultcode\\": \\"Client\\",'
                         b' \\"faultstring\\": \\"x\\", \\"debuginfo\\": '
                         b'null}"}', body)

    def test_html_becomes_a_fault(self):
        import json
        body = parsable_error.error_body(
            405, b'<html><body><h1>405 Method Not Allowed</h1>The method '
                 b'is not allowed.</body></html>')
        fault = json.loads(json.loads(body)['error_message'])
        self.assertEqual('Client', fault['faultcode'])
        self.assertIn('not allowed', fault['faultstring'])
