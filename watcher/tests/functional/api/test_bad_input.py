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

"""Malformed input anywhere gives a 4xx with the error body, never a 5xx."""
import json

from watcher import objects
from watcher.tests.functional.api import base
from watcher.tests.functional.api import seed

U = seed.UUIDS
COLLECTIONS = ('goals', 'strategies', 'audit_templates', 'audits',
               'action_plans', 'actions', 'services', 'scoring_engines')
ITEMS = ('/v1/goals/dummy', '/v1/strategies/dummy',
         '/v1/strategies/dummy/state', '/v1/audits/audit-dummy',
         '/v1/action_plans/%s' % U['PLAN_UUID'],
         '/v1/actions/%s' % U['ACTION1_UUID'], '/v1/services/1',
         '/v1/scoring_engines/dummy_scorer', '/v1/audit_templates/nothing')
WRITES = (
    ('POST', '/v1/audits'),
    ('POST', '/v1/audit_templates'),
    ('PATCH', '/v1/audits/audit-dummy'),
    ('PATCH', '/v1/audits/audit-continuous'),
    ('PATCH', '/v1/action_plans/%s' % U['PLAN_UUID']),
    ('PATCH', '/v1/actions/%s' % U['ACTION1_UUID']),
    ('POST', '/v1/action_plans/%s/start' % U['ONGOING_PLAN_UUID']),
    ('POST', '/v1/webhooks/audit-event'),
    ('POST', '/v1/webhooks/audit-dummy'),
)
BODIES = [
    b'{', b'not json', b'[', b'{"a": }', b'null', b'42',
    b'"text"', b'[]', b'{}', b'[1, 2]', b'[null]', b'[{}]', b'[[]]',
    b'{"audit_type": null}', b'{"audit_type": 1, "goal": []}',
    b'{"audit_type": "ONESHOT", "goal": {"a": 1}}',
    b'{"audit_type": "CONTINUOUS", "goal": "dummy", "interval": 5.5}',
    b'{"audit_type": "CONTINUOUS", "goal": "dummy", "interval": true}',
    b'{"audit_type": "CONTINUOUS", "goal": "dummy", "interval": "0"}',
    b'{"audit_type": "ONESHOT", "goal": "dummy", "parameters": "x"}',
    b'{"audit_type": "ONESHOT", "goal": "dummy", "name": ""}',
    b'{"name": "a\\u0000b", "goal": "dummy", "description": "\\u0000"}',
    b'{"audit_type": "ONESHOT", "goal": "dummy", "force": "x"}',
    b'{"audit_type": "ONESHOT", "goal": "dummy", "start_time": 5}',
    b'{"name": "x", "goal": "dummy", "scope": "everything"}',
    b'{"name": "x", "goal": "dummy", "scope": [1]}',
    b'{"name": "x", "goal": "dummy", "description": 5}',
    b'{"name": null, "goal": null}',
    b'{"name": "' + b'x' * 300 + b'", "goal": "dummy"}',
    b'{"audit_type": "ONESHOT", "audit_template_uuid": 7}',
    b'[{"op": "replace", "path": "/state"}]',
    b'[{"op": "replace", "path": "/state", "value": null}]',
    b'[{"op": "replace", "path": "/state", "value": ["x"]}]',
    b'[{"op": "replace", "path": "/name", "value": {"a": 1}}]',
    b'[{"op": "replace", "path": "/name", "value": null}]',
    b'[{"op": "remove", "path": "/name"}]',
    b'[{"op": "remove", "path": "/state"}]',
    b'[{"op": "add", "path": "/parameters/x/y", "value": 1}]',
    b'[{"op": "replace", "path": "/parameters", "value": 3}]',
    b'[{"op": "replace", "path": "/interval", "value": 99}]',
    b'[{"op": "replace", "path": "/start_time", "value": "x"}]',
    b'[{"op": "replace", "path": "/end_time", "value": 5}]',
    b'[{"op": "replace", "path": "/auto_trigger", "value": "x"}]',
    b'[{"op": "replace", "path": "/status_message", "value": 5}]',
    b'[{"op": "replace", "path": "/state", "value": "SKIPPED"},'
    b' {"op": "add", "path": "/status_message", "value": "' + b'm' * 300 +
    b'"}]',
    b'[{"op": "replace", "path": "", "value": 1}]',
    b'[{"op": "replace", "path": "/", "value": 1}]',
    b'[{"op": "test", "path": "/name", "value": 1}]',
    b'[{"path": "/name", "value": 1}]',
    b'[{"op": "replace", "path": "/name", "value": 1, "extra": 2}]',
]
QUERIES = ('limit=-1', 'limit=0', 'limit=abc', 'limit=1.5',
           'limit=99999999999999999999999', 'marker=x',
           'marker=00000000-0000-4000-8000-000000000000', 'sort_key=x',
           'sort_key=parameters', 'sort_key=goal', 'sort_dir=x',
           'sort_dir=', 'goal=%00', 'strategy=' + 'x' * 500,
           'audit_uuid=x', 'action_plan_uuid=x', 'limit=1&limit=2',
           'name=%ff', 'x=1')
IDENTS = ('%00', '..', 'x' * 300, '-1', '0', '99999999999999999999999',
          '%ff%fe', 'detail', ' ', '1.5', "'or'1'='1")
VERSIONS = (None, '1.0', '1.5', '1.7')


class TestNoServerErrors(base.APITestCase):

    def _check(self, method, url, body=None, content_type=None,
               version=None):
        headers = self.headers(version)
        if content_type:
            headers['Content-Type'] = content_type
        resp = self.app.request(url, method=method, body=body,
                                headers=headers, expect_errors=True)
        self.assertLess(resp.status_int, 500, '%s %s %r -> %s %s' % (
            method, url, body, resp.status, resp.text[:300]))
        if resp.status_int >= 400 and resp.status_int != 401 and \
                method != 'HEAD':
            error = json.loads(resp.body)['error_message']
            self.assertIsInstance(error, str)
            if resp.status_int != 406 or 'html' not in error:
                fault = json.loads(error)
                self.assertEqual(['faultcode', 'faultstring', 'debuginfo'],
                                 list(fault))
        return resp

    def test_bodies(self):
        before = self._snapshot()
        for method, url in WRITES:
            for body in BODIES:
                for version in ('1.0', '1.7'):
                    self._check(method, url, body, 'application/json',
                                version)
            self._check(method, url, b'a=b',
                        'application/x-www-form-urlencoded')
            self._check(method, url, b'<a/>', 'application/xml')
            self._check(method, url, b'', 'application/json')
        after = self._snapshot()
        # Only well-formed requests may have changed something; the audit
        # names and states of the seeded rows stayed as they were.
        self.assertEqual(before['audits'], after['audits'])

    def _snapshot(self):
        audits = {a.uuid: (a.name, a.state)
                  for a in objects.Audit.list(self.context)
                  if a.uuid in U.values()}
        return {'audits': audits}

    def test_queries(self):
        for collection in COLLECTIONS:
            for query in QUERIES:
                for suffix in ('', '/detail', '/'):
                    self._check('GET', '/v1/%s%s?%s' % (collection, suffix,
                                                        query))
        for query in QUERIES:
            self._check('GET', '/v1/data_model?%s' % query, version='1.7')

    def test_identifiers(self):
        for collection in COLLECTIONS:
            for ident in IDENTS:
                for version in VERSIONS:
                    self._check('GET', '/v1/%s/%s' % (collection, ident),
                                version=version)
                self._check('DELETE', '/v1/%s/%s' % (collection, ident))
                self._check('PATCH', '/v1/%s/%s' % (collection, ident),
                            b'[{"op": "replace", "path": "/name", '
                            b'"value": "n"}]', 'application/json', '1.7')
        for ident in IDENTS:
            self._check('POST', '/v1/webhooks/%s' % ident, b'{}',
                        'application/json')
            self._check('POST', '/v1/action_plans/%s/start' % ident, b'{}',
                        'application/json')
            self._check('GET', '/v1/strategies/%s/state' % ident)

    def test_item_reads_at_every_version(self):
        for url in ITEMS:
            for version in VERSIONS + ('1.1', '1.2', '1.3', '1.4', '1.6'):
                self._check('GET', url, version=version)
            for method in ('PUT', 'POST', 'HEAD', 'OPTIONS'):
                self._check(method, url)

    def test_oversized_body_is_413(self):
        self.flags(max_request_body_size=2048, group='api')
        big = json.dumps({'audit_type': 'ONESHOT', 'goal': 'dummy',
                          'parameters': {'para2': 'x' * 4096}})
        resp = self._check('POST', '/v1/audits', big.encode(),
                           'application/json')
        self.assertEqual(413, resp.status_int)
        self.assertIn('larger than the accepted 2048 bytes',
                      self.fault(resp)['faultstring'])
        self.assertEqual('infra-optim 1.0',
                         resp.headers['OpenStack-API-Version'])

    def test_bad_content_length(self):
        import io

        from watcher.api.middleware import body_limit
        called = []
        app = body_limit.BodySizeLimitMiddleware(
            lambda env, start: called.append(env))
        statuses = []
        body = app({'CONTENT_LENGTH': 'abc', 'wsgi.input': io.BytesIO()},
                   lambda status, headers: statuses.append(status))
        self.assertEqual(['400 Bad Request'], statuses)
        self.assertIn(b'Invalid Content-Length', b''.join(body))
        self.assertEqual([], called)
