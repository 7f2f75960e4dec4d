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

"""The api-ref's JSON samples against the live API.

Every call of ``api-ref/source`` has a row in ``CALLS``; each row sends its
request sample (when it has one) to the in-process API over the seeded
SQLite database and compares the response with its response sample: the
same keys at every level and the same JSON types, so the reference cannot
drift from what the API answers. A ``.. rest_method::`` of the api-ref with
no row here, or a sample file no row uses, fails too.

``WATCHER_TEST_WRITE_API_SAMPLES=1`` rewrites the response samples from the
live answers instead (then review the diff).
"""
import json
import os
import pathlib
import re

import fixtures

from watcher.decision_engine.model.collector import nova
from watcher.decision_engine import data_model_api
from watcher.tests.functional.api import base
from watcher.tests.functional.api import seed
from watcher.tests.functional.decision_engine import simcloud

ROOT = pathlib.Path(__file__).resolve().parents[4] / 'api-ref' / 'source'
SAMPLES = ROOT / 'samples'
WRITE = os.environ.get('WATCHER_TEST_WRITE_API_SAMPLES') == '1'
U = seed.UUIDS

#: (sample stem, method, path as in the api-ref, concrete url,
#:  microversion, expected status); request sample: ``<stem>-request.json``
#: when it exists, response sample: ``<stem>-response.json`` unless the
#: call answers no body.
CALLS = [
    ('versions-list', 'GET', '/', '/', None, 200),
    ('versions-v1', 'GET', '/v1', '/v1', None, 200),
    ('goal-list', 'GET', '/v1/goals', '/v1/goals', None, 200),
    ('goal-list-detail', 'GET', '/v1/goals/detail', '/v1/goals/detail',
     None, 200),
    ('goal-show', 'GET', '/v1/goals/{goal_ident}',
     '/v1/goals/server_consolidation', None, 200),
    ('strategy-list', 'GET', '/v1/strategies', '/v1/strategies', None, 200),
    ('strategy-list-detail', 'GET', '/v1/strategies/detail',
     '/v1/strategies/detail', None, 200),
    ('strategy-show', 'GET', '/v1/strategies/{strategy_ident}',
     '/v1/strategies/dummy', None, 200),
    ('strategy-state', 'GET', '/v1/strategies/{strategy_ident}/state',
     '/v1/strategies/dummy/state', None, 200),
    ('audittemplate-create', 'POST', '/v1/audit_templates',
     '/v1/audit_templates', '1.7', 201),
    ('audittemplate-list', 'GET', '/v1/audit_templates',
     '/v1/audit_templates', '1.7', 200),
    ('audittemplate-list-detail', 'GET', '/v1/audit_templates/detail',
     '/v1/audit_templates/detail', '1.7', 200),
    ('audittemplate-show', 'GET',
     '/v1/audit_templates/{audit_template_ident}',
     '/v1/audit_templates/at-actuator', '1.7', 200),
    ('audittemplate-update', 'PATCH',
     '/v1/audit_templates/{audit_template_ident}',
     '/v1/audit_templates/at-actuator', '1.7', 200),
    ('audittemplate-delete', 'DELETE',
     '/v1/audit_templates/{audit_template_ident}',
     '/v1/audit_templates/at-actuator', '1.7', 204),
    ('audit-create', 'POST', '/v1/audits', '/v1/audits', '1.7', 201),
    ('audit-list', 'GET', '/v1/audits', '/v1/audits', '1.7', 200),
    ('audit-list-detail', 'GET', '/v1/audits/detail', '/v1/audits/detail',
     '1.7', 200),
    ('audit-show', 'GET', '/v1/audits/{audit_ident}',
     '/v1/audits/audit-dummy', '1.7', 200),
    ('audit-update', 'PATCH', '/v1/audits/{audit_ident}',
     '/v1/audits/audit-continuous', '1.7', 200),
    ('audit-delete', 'DELETE', '/v1/audits/{audit_ident}',
     '/v1/audits/audit-dummy', '1.7', 204),
    ('actionplan-list', 'GET', '/v1/action_plans', '/v1/action_plans',
     '1.7', 200),
    ('actionplan-list-detail', 'GET', '/v1/action_plans/detail',
     '/v1/action_plans/detail', '1.7', 200),
    ('actionplan-show', 'GET', '/v1/action_plans/{action_plan_uuid}',
     '/v1/action_plans/%s' % U['PLAN_UUID'], '1.7', 200),
    ('actionplan-start', 'POST', '/v1/action_plans/{action_plan_uuid}/start',
     '/v1/action_plans/%s/start' % U['PLAN_UUID'], '1.7', 200),
    ('actionplan-update', 'PATCH', '/v1/action_plans/{action_plan_uuid}',
     '/v1/action_plans/%s' % U['PLAN_UUID'], '1.7', 200),
    ('actionplan-delete', 'DELETE', '/v1/action_plans/{action_plan_uuid}',
     '/v1/action_plans/%s' % U['PLAN_UUID'], '1.7', 204),
    ('action-list', 'GET', '/v1/actions', '/v1/actions', '1.7', 200),
    ('action-list-detail', 'GET', '/v1/actions/detail',
     '/v1/actions/detail', '1.7', 200),
    ('action-show', 'GET', '/v1/actions/{action_uuid}',
     '/v1/actions/%s' % U['ACTION1_UUID'], '1.7', 200),
    ('action-update', 'PATCH', '/v1/actions/{action_uuid}',
     '/v1/actions/%s' % U['ACTION1_UUID'], '1.7', 200),
    ('service-list', 'GET', '/v1/services', '/v1/services', None, 200),
    ('service-list-detail', 'GET', '/v1/services/detail',
     '/v1/services/detail', None, 200),
    ('service-show', 'GET', '/v1/services/{service_ident}',
     '/v1/services/watcher-applier', None, 200),
    ('scoringengine-list', 'GET', '/v1/scoring_engines',
     '/v1/scoring_engines', None, 200),
    ('scoringengine-list-detail', 'GET', '/v1/scoring_engines/detail',
     '/v1/scoring_engines/detail', None, 200),
    ('scoringengine-show', 'GET', '/v1/scoring_engines/{scoring_engine_ident}',
     '/v1/scoring_engines/dummy_scorer', None, 200),
    ('datamodel-list', 'GET', '/v1/data_model',
     '/v1/data_model?data_model_type=compute', '1.7', 200),
    ('webhook-trigger', 'POST', '/v1/webhooks/{audit_ident}',
     '/v1/webhooks/audit-event', '1.7', 202),
]

#: calls whose request sample is sent before the call (the objects they
#: act on are not in the seeded database)
SETUP = {
    'audittemplate-list': 'audittemplate-create',
    'audittemplate-list-detail': 'audittemplate-create',
    'audittemplate-show': 'audittemplate-create',
    'audittemplate-update': 'audittemplate-create',
    'audittemplate-delete': 'audittemplate-create',
}


def json_type(value):
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'boolean'
    if isinstance(value, (int, float)):
        return 'number'
    return {str: 'string', list: 'array', dict: 'object'}[type(value)]


def differences(sample, live, where='$'):
    """Where ``sample`` and ``live`` differ in keys or JSON types."""
    if json_type(sample) != json_type(live):
        return ['%s: sample has %s, the API answers %s'
                % (where, json_type(sample), json_type(live))]
    found = []
    if isinstance(sample, dict):
        for key in sorted(set(sample) ^ set(live)):
            found.append('%s.%s: %s' % (
                where, key, 'only in the sample' if key in sample
                else 'missing from the sample'))
        for key in sorted(set(sample) & set(live)):
            found += differences(sample[key], live[key],
                                 '%s.%s' % (where, key))
    elif isinstance(sample, list):
        if bool(sample) != bool(live):
            found.append('%s: sample list %s, API list %s' % (
                where, 'empty' if not sample else 'not empty',
                'empty' if not live else 'not empty'))
        elif sample:
            found += differences(sample[0], live[0], where + '[0]')
    return found


def _shortened(value):
    """A sample keeps two items of a list longer than four (the rest say
    nothing more).
    """
    if isinstance(value, dict):
        return {k: _shortened(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shortened(v)
                for v in (value if len(value) <= 4 else value[:2])]
    return value


def _read(path):
    with open(path) as f:
        return json.load(f)


def _documented_methods():
    methods = set()
    for page in ROOT.glob('*.rst'):
        for method, path in re.findall(
                r'^\.\. rest_method:: (\w+) (\S+)', page.read_text(), re.M):
            methods.add((method, path))
    return methods


class TestAPIRefSamples(base.APITestCase):

    def serve_simulated_data_model(self):
        """``GET /v1/data_model`` answered by the decision engine's own
        code over the compute model collected from the simulated cloud
        (instead of the seed's canned rows).
        """
        _cloud, conn, _requests = simcloud.start_cloud(self)
        collector = simcloud.collector(
            self, nova.NovaClusterDataModelCollector, conn)
        self.useFixture(fixtures.MonkeyPatch(
            'watcher.decision_engine.model.collector.manager.'
            'CollectorManager.get_cluster_model_collector',
            lambda _self, name, osc=None: collector))
        self.useFixture(fixtures.MonkeyPatch(
            'watcher.api.rpc.get_data_model',
            lambda context, data_model_type, audit_uuid=None:
                data_model_api.get_data_model(context, data_model_type,
                                              audit_uuid)))

    def _call(self, stem, method, url, version, status):
        request = SAMPLES / ('%s-request.json' % stem)
        headers = self.headers(version)
        if request.exists():
            return self.app.request(
                url, method=method, headers=dict(
                    headers, **{'Content-Type': 'application/json'}),
                body=request.read_bytes(), status=status)
        if method in ('POST', 'PATCH'):
            return self.app.request(url, method=method, body=b'{}',
                                    headers=dict(headers, **{
                                        'Content-Type': 'application/json'}),
                                    status=status)
        return self.app.request(url, method=method, headers=headers,
                                status=status)

    def _check(self, stem, method, url, version, status):
        if stem == 'datamodel-list':
            self.serve_simulated_data_model()
        if stem in SETUP:
            setup = next(c for c in CALLS if c[0] == SETUP[stem])
            self._call(setup[0], setup[1], setup[3], setup[4], setup[5])
        response = self._call(stem, method, url, version, status)
        sample = SAMPLES / ('%s-response.json' % stem)
        if not response.body:
            self.assertFalse(sample.exists(),
                             '%s: the API answers no body' % sample.name)
            return
        live = response.json
        if WRITE:
            text = json.dumps(_shortened(live), indent=4,
                              sort_keys=True) + '\n'
            sample.write_text(text.replace('http://localhost/',
                                           'http://controller:9322/'))
        self.assertTrue(sample.exists(), 'no sample %s' % sample.name)
        self.assertEqual([], differences(_read(sample), live),
                         'sample %s differs from the API' % sample.name)

    def test_every_documented_call_has_a_row(self):
        rows = {(c[1], c[2]) for c in CALLS}
        self.assertEqual(set(), _documented_methods() - rows)
        self.assertEqual(set(), rows - _documented_methods())

    def test_every_sample_is_used(self):
        used = set()
        for stem, *_ in CALLS:
            used.add('%s-request.json' % stem)
            used.add('%s-response.json' % stem)
        self.assertEqual(set(), {p.name for p in SAMPLES.glob('*.json')}
                         - used)

    def test_differences_sees_keys_and_types(self):
        self.assertEqual([], differences({'a': [{'b': 1}]}, {'a': [{'b': 2}]}))
        self.assertEqual(['$.a[0].b: sample has number, the API answers '
                          'string'],
                         differences({'a': [{'b': 1}]}, {'a': [{'b': 'x'}]}))
        self.assertEqual(['$.c: missing from the sample'],
                         differences({'a': 1}, {'a': 1, 'c': None}))
        self.assertEqual(['$.a: only in the sample'],
                         differences({'a': 1}, {}))


def _make_test(call):
    def test(self):
        self._check(call[0], call[1], call[3], call[4], call[5])
    test.__name__ = 'test_%s' % call[0].replace('-', '_')
    return test


for _call in CALLS:
    setattr(TestAPIRefSamples, 'test_%s' % _call[0].replace('-', '_'),
            _make_test(_call))
