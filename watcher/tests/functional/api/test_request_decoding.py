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

"""Bodies the API cannot decode are refused with a 4xx, never a 500."""
from watcher.tests.functional.api import base
from watcher.tests.functional.api import length_limits
from watcher.tests.functional.api import seed
from watcher.tests.functional.api import test_bad_input

U = seed.UUIDS
WRITES = (
    ('POST', '/v1/audits'),
    ('POST', '/v1/audit_templates'),
    ('PATCH', '/v1/audits/audit-dummy'),
    ('PATCH', '/v1/action_plans/%s' % U['PLAN_UUID']),
    ('POST', '/v1/webhooks/audit-dummy'),
)

# What Python says about its own objects, never the user's terms.
INTERNALS = ("<class", "object has no attribute", "NoneType", "object is not",
             "Traceback", "unhashable", "takes no")


class TestRequestDecoding(base.APITestCase):

    def _send(self, method, url, body, content_type):
        return self.app.request(
            url, method=method, body=body, expect_errors=True,
            headers=self.headers('1.7', **{'Content-Type': content_type}))

    def _assert_refused(self, resp, status, words):
        self.assertEqual(status, resp.status_int, resp.text[:300])
        self.assertIn(words, self.fault(resp)['faultstring'])
        self.assertEqual('Client', self.fault(resp)['faultcode'])

    def test_multipart_without_boundary(self):
        for method, url in WRITES:
            resp = self._send(method, url, b'{}', 'multipart/form-data')
            self._assert_refused(resp, 415, 'application/json')

    def test_unknown_charset(self):
        for method, url in WRITES:
            resp = self._send(method, url, b'{}',
                              'application/json; charset=bogus')
            self._assert_refused(resp, 415, "charset 'bogus'")

    def test_known_charset_is_accepted(self):
        resp = self._send('POST', '/v1/audits',
                          b'{"audit_type": "ONESHOT", "goal": "dummy"}',
                          'application/json; charset=UTF-8')
        self.assertEqual(201, resp.status_int, resp.text[:300])

    def test_deeply_nested_json(self):
        for method, url in WRITES:
            resp = self._send(method, url, b'[' * 2000 + b']' * 2000,
                              'application/json')
            self._assert_refused(resp, 400, 'nests')
            resp = self._send(method, url,
                              b'{"a": ' * 2000 + b'1' + b'}' * 2000,
                              'application/json')
            self._assert_refused(resp, 400, 'nests')

    def test_moderate_nesting_still_reaches_the_controller(self):
        body = b'{"audit_type": "ONESHOT", "goal": "dummy", ' \
            b'"parameters": {"a": [[[[1]]]]}}'
        resp = self._send('POST', '/v1/audits', body, 'application/json')
        self.assertLess(resp.status_int, 500)
        self.assertNotIn('nests', resp.text)

    def test_body_of_wrong_json_type_named_in_user_terms(self):
        resp = self._send('POST', '/v1/audits', b'"text"',
                          'application/json')
        self.assertEqual(400, resp.status_int)
        message = self.fault(resp)['faultstring']
        self.assertNotIn('attribute', message)
        self.assertNotIn("<class", message)
        self.assertIn('JSON object', message)

    def test_server_header_does_not_name_python(self):
        resp = self.app.get('/v1/goals', headers=self.headers())
        self.assertEqual('OpenStack-Watcher', resp.headers['Server'])

    def test_error_messages_do_not_show_python_internals(self):
        leaks = []
        for method, url in test_bad_input.WRITES:
            for body in test_bad_input.BODIES:
                resp = self._send(method, url, body, 'application/json')
                if resp.status_int < 400:
                    continue
                message = self.fault(resp)['faultstring']
                if any(word in message for word in INTERNALS):
                    leaks.append('%s %s %r: %s' % (method, url, body[:60],
                                                   message))
        self.assertEqual([], leaks)


class TestLengthLimits(base.APITestCase):
    seed_history = False

    def test_too_long_strings_are_400_naming_the_field(self):
        length_limits.check(self, self.app, self.headers('1.7'))
