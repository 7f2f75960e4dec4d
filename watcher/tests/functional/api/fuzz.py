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

"""Seeded random requests: whatever is sent, no 5xx and the error body.

Shared by the SQLite functional test and the MariaDB integration test.
Every example is one request built from a method, a path (collections,
items that exist and that do not, actions, webhooks), an optional query,
an API version, a Content-Type and a body: random JSON (deep, wide,
strings of every kind), JSON patches and bytes.
"""
import json

from hypothesis import given
from hypothesis import HealthCheck
from hypothesis import settings
from hypothesis import strategies as st

PATHS = (
    '/', '/v1', '/v1/goals', '/v1/goals/dummy', '/v1/strategies',
    '/v1/strategies/dummy', '/v1/strategies/dummy/state',
    '/v1/audit_templates', '/v1/audit_templates/detail',
    '/v1/audit_templates/fuzz-template', '/v1/audits', '/v1/audits/detail',
    '/v1/audits/fuzz-audit', '/v1/action_plans', '/v1/action_plans/detail',
    '/v1/actions', '/v1/actions/detail', '/v1/services', '/v1/services/1',
    '/v1/scoring_engines', '/v1/data_model', '/v1/webhooks/fuzz-audit',
    '/v1/action_plans/00000000-0000-4000-8000-000000000000/start',
)
FIELDS = ('name', 'goal', 'strategy', 'audit_type', 'interval', 'state',
          'description', 'scope', 'parameters', 'audit_template_uuid',
          'auto_trigger', 'force', 'start_time', 'end_time',
          'status_message', 'default_parameters', 'hostname')
CONTENT_TYPES = ('application/json', 'application/json; charset=utf-8',
                 'application/json; charset=latin-1',
                 'application/json; charset=bogus', 'multipart/form-data',
                 'text/plain', 'application/x-www-form-urlencoded', '')

scalars = (st.none() | st.booleans() | st.integers() |
           st.floats(allow_nan=False) | st.text(max_size=300) |
           st.sampled_from(['dummy', 'ONESHOT', 'CONTINUOUS', 'EVENT',
                            '3600', '*/5 * * * *', '99999999999999999999',
                            'PENDING', 'SUSPENDED', 'CANCELLED',
                            '2024-01-01T00:00:00', 'x' * 256]))
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) |
    st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), inner,
                    max_size=4),
    max_leaves=12)
objects_ = st.dictionaries(st.sampled_from(FIELDS), json_values,
                           max_size=6)
patches = st.lists(st.fixed_dictionaries(
    {'op': st.sampled_from(['add', 'replace', 'remove', 'test', 'x']),
     'path': st.sampled_from(['/' + f for f in FIELDS] +
                             ['', '/', '/parameters/a'])},
    optional={'value': json_values}), max_size=3)
bodies = (objects_.map(json.dumps).map(str.encode) |
          patches.map(json.dumps).map(str.encode) |
          json_values.map(json.dumps).map(str.encode) |
          st.binary(max_size=64) |
          st.integers(1, 3000).map(lambda n: b'[' * n + b']' * n) |
          st.just(b''))
queries = st.one_of(st.just(''), st.builds(
    lambda key, value: '?%s=%s' % (key, value),
    st.sampled_from(['limit', 'marker', 'sort_key', 'sort_dir', 'goal',
                     'strategy', 'audit_type', 'state', 'x']),
    st.sampled_from(['-1', '0', '1', 'abc', '%00', 'name', 'desc',
                     '99999999999999999999', 'dummy'])))
requests = st.tuples(
    st.sampled_from(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']),
    st.sampled_from(PATHS), queries,
    st.sampled_from([None, '1.0', '1.1', '1.7', '1.99', 'latest', 'x']),
    st.sampled_from(CONTENT_TYPES), bodies)


def seed_rows(test, app, headers):
    """The named template and audit the paths refer to."""
    for url, body in (('/v1/audit_templates',
                       {'name': 'fuzz-template', 'goal': 'dummy'}),
                      ('/v1/audits',
                       {'name': 'fuzz-audit', 'goal': 'dummy',
                        'audit_type': 'EVENT'})):
        resp = app.post_json(url, body, headers=headers, expect_errors=True)
        test.assertEqual(201, resp.status_int, resp.text[:300])


def check(test, app, examples):
    """Send ``examples`` seeded random requests through ``app``."""
    seen = {'requests': 0}

    @settings(max_examples=examples, derandomize=True, deadline=None,
              database=None, suppress_health_check=list(HealthCheck))
    @given(requests)
    def one(request):
        method, path, query, version, content_type, body = request
        headers = {'Accept': 'application/json'}
        if version:
            headers['OpenStack-API-Version'] = 'infra-optim %s' % version
        if content_type:
            headers['Content-Type'] = content_type
        resp = app.request(path + query, method=method, headers=headers,
                           body=body if method in ('POST', 'PATCH', 'PUT')
                           else b'', expect_errors=True)
        seen['requests'] += 1
        where = '%s %s%s %r %r' % (method, path, query, content_type,
                                   body[:80])
        test.assertLess(resp.status_int, 500, '%s -> %s %s' % (
            where, resp.status, resp.text[:300]))
        if resp.status_int >= 400:
            error = json.loads(resp.body)['error_message']
            if resp.status_int == 406 and error.startswith('<html>'):
                return  # the reference's microversion refusal, as it is
            fault = json.loads(error)
            test.assertEqual(['faultcode', 'faultstring', 'debuginfo'],
                             list(fault), where)
            test.assertEqual('Client', fault['faultcode'], where)
            test.assertNotIn('Traceback', fault['faultstring'], where)

    one()
    return seen['requests']
