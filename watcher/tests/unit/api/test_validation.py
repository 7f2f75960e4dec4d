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

"""Schema selection by microversion and the 400 messages it gives."""
import testtools

from watcher.api import microversion as mv
from watcher.api.schemas import audit as audit_schemas
from watcher.api import validation
from watcher.common import exception

V1_0 = mv.Version(1, 0)
V1_1 = mv.Version(1, 1)
GOOD = {'state': 'PENDING', 'name': 'a', 'auto_trigger': False,
        'interval': None, 'parameters': {}}


class TestAuditPatchSchema(testtools.TestCase):

    def refused(self, version=V1_1, **fields):
        doc = dict(GOOD, **fields)
        error = self.assertRaises(exception.Invalid, validation.validate,
                                  doc, audit_schemas.PATCH, version)
        self.assertEqual(400, error.kwargs['code'])
        return str(error)

    def test_good_document_passes(self):
        validation.validate(dict(GOOD), audit_schemas.PATCH, V1_1)
        validation.validate(dict(GOOD, parameters=None, interval=60,
                                 auto_trigger='yes'),
                            audit_schemas.PATCH, V1_0)

    def test_messages_name_the_field_in_json_terms(self):
        self.assertEqual('Invalid auto_trigger: must be a boolean '
                         '(true or false)', self.refused(auto_trigger=2))
        self.assertEqual('Invalid parameters: must be a JSON object',
                         self.refused(parameters=0))
        self.assertIn('at most 63', self.refused(name='x' * 64))
        self.assertIn('non-empty', self.refused(name='  '))
        self.assertIn('Invalid state: must be one of',
                      self.refused(state='ASLEEP'))
        for text in (self.refused(auto_trigger=[]),
                     self.refused(interval=1.5)):
            self.assertNotIn('list', text)
            self.assertNotIn('float', text)

    def test_removed_required_field(self):
        doc = dict(GOOD)
        del doc['name']
        error = self.assertRaises(exception.Invalid, validation.validate,
                                  doc, audit_schemas.PATCH, V1_0)
        self.assertEqual('name is required', str(error))

    def test_times_are_checked_from_1_1(self):
        doc = dict(GOOD, start_time=5)
        validation.validate(doc, audit_schemas.PATCH, V1_0)
        self.assertIn('Invalid start_time: must be an ISO 8601',
                      self.refused(start_time=5))
