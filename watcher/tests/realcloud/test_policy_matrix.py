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

"""Policy with real Keystone tokens: every endpoint and method of the API,
for an admin, a member, a reader, a user without a role on the project and
no token at all, then for the opt-in ``watcher_reader`` persona.

The tokens come from a real Keystone (the ``keystone`` fixture: Keystone
alone when this module runs by itself) and are validated by
keystonemiddleware against it; the API runs in-process over a seeded
database, with the decision engine and applier calls recorded (they are
not what is under test).
"""
import json
import uuid

from keystoneauth1 import loading as ks_loading
from keystonemiddleware import auth_token  # noqa: F401 (registers opts)
import openstack
from oslo_policy import policy as oslo_policy
import pytest
import webtest

from watcher.api import app as api_app
from watcher.common import policy
from watcher.tests import base
from watcher.tests.functional.api import seed

U = seed.UUIDS
PLAN = '/v1/action_plans/%s' % U['PLAN_UUID']
ACTION = '/v1/actions/%s' % U['ACTION1_UUID']
WEBHOOK = '/v1/webhooks/%s' % U['EVENT_AUDIT_UUID']

# (method, path, body, microversion, what an admin gets), in an order that
# lets the admin's writes succeed one after the other.
CALLS = [
    ('GET', '/', None, None, 200),
    ('GET', '/v1', None, None, 200),
    ('GET', '/v1/goals', None, None, 200),
    ('GET', '/v1/goals/detail', None, None, 200),
    ('GET', '/v1/goals/dummy', None, None, 200),
    ('GET', '/v1/strategies', None, None, 200),
    ('GET', '/v1/strategies/detail', None, None, 200),
    ('GET', '/v1/strategies/dummy', None, None, 200),
    ('GET', '/v1/strategies/dummy/state', None, None, 200),
    ('POST', '/v1/audit_templates', {'name': 'at-matrix', 'goal': 'dummy'},
     None, 201),
    ('GET', '/v1/audit_templates', None, None, 200),
    ('GET', '/v1/audit_templates/detail', None, None, 200),
    ('GET', '/v1/audit_templates/at-matrix', None, None, 200),
    ('PATCH', '/v1/audit_templates/at-matrix',
     [{'op': 'replace', 'path': '/description', 'value': 'x'}], None, 200),
    ('DELETE', '/v1/audit_templates/at-matrix', None, None, 204),
    ('POST', '/v1/audits', {'audit_type': 'ONESHOT', 'goal': 'dummy',
                            'name': 'audit-matrix'}, None, 201),
    ('GET', '/v1/audits', None, None, 200),
    ('GET', '/v1/audits/detail', None, None, 200),
    ('GET', '/v1/audits/audit-matrix', None, None, 200),
    ('PATCH', '/v1/audits/audit-matrix',
     [{'op': 'replace', 'path': '/state', 'value': 'CANCELLED'}], None, 200),
    ('DELETE', '/v1/audits/audit-matrix', None, None, 204),
    ('GET', '/v1/actions', None, None, 200),
    ('GET', '/v1/actions/detail', None, None, 200),
    ('GET', ACTION, None, None, 200),
    ('PATCH', ACTION, [{'op': 'replace', 'path': '/state',
                        'value': 'SKIPPED'}], '1.5', 200),
    ('GET', '/v1/action_plans', None, None, 200),
    ('GET', '/v1/action_plans/detail', None, None, 200),
    ('GET', PLAN, None, None, 200),
    ('POST', PLAN + '/start', {}, None, 200),
    ('PATCH', PLAN, [{'op': 'replace', 'path': '/state',
                      'value': 'CANCELLED'}], None, 200),
    ('DELETE', PLAN, None, None, 204),
    ('GET', '/v1/services', None, None, 200),
    ('GET', '/v1/services/detail', None, None, 200),
    ('GET', '/v1/services/watcher-applier', None, None, 200),
    ('GET', '/v1/scoring_engines', None, None, 200),
    ('GET', '/v1/scoring_engines/detail', None, None, 200),
    ('GET', '/v1/scoring_engines/%s' % U['SCORER_UUID'], None, None, 200),
    ('GET', '/v1/data_model', None, '1.3', 200),
    ('POST', WEBHOOK, {}, '1.4', 202),
]

PUBLIC = {'/', '/v1'}
PERSONAS = ('admin', 'member', 'reader', 'no_role', 'watcher_reader')


def _row(call):
    method, path, _body, _version, _status = call
    return '%s %s' % (method, path)


class Identities:
    """A project, its users (one per persona) and their tokens."""

    def __init__(self, keystone):
        self.config = keystone.cloud_config()
        self.conn = openstack.connect(**self.config)
        self.tag = uuid.uuid4().hex[:8]
        self.password = uuid.uuid4().hex
        self.created = []

    def _keep(self, resource, deleter):
        self.created.append((deleter, resource))
        return resource

    def _role(self, name):
        role = self.conn.identity.find_role(name)
        if role is None:
            role = self._keep(self.conn.identity.create_role(name=name),
                              self.conn.identity.delete_role)
        return role

    def _project(self, name):
        return self._keep(self.conn.identity.create_project(
            name='%s-%s' % (name, self.tag), domain_id='default'),
            self.conn.identity.delete_project)

    def setup(self):
        ident = self.conn.identity
        project = self._project('watcher-policy')
        other = self._project('watcher-policy-other')
        grants = {'admin': (project, 'admin'), 'member': (project, 'member'),
                  'reader': (project, 'reader'),
                  # a role elsewhere only: no token scoped to this project
                  'no_role': (other, 'member'),
                  'watcher_reader': (project, 'watcher_reader')}
        tokens = {}
        for persona, (scope, role) in grants.items():
            user = self._keep(ident.create_user(
                name='%s-%s' % (persona, self.tag), password=self.password,
                domain_id='default'), ident.delete_user)
            ident.assign_project_role_to_user(scope, user, self._role(role))
            tokens[persona] = openstack.connect(
                auth_url=self.config['auth_url'], username=user.name,
                password=self.password, project_name=scope.name,
                user_domain_name='Default', project_domain_name='Default',
                region_name=self.config['region_name']).auth_token
        return tokens

    def cleanup(self):
        for deleter, resource in reversed(self.created):
            deleter(resource, ignore_missing=True)
        self.conn.close()


@pytest.fixture(scope='module')
def tokens(keystone):
    identities = Identities(keystone)
    try:
        yield identities.setup()
    finally:
        identities.cleanup()


@pytest.fixture
def api(keystone, tokens):
    """The in-process API validating tokens with the real Keystone."""
    conf_fixture = base.ConfFixture()
    conf_fixture.setUp()
    db = base.DbFixture()
    db.setUp()
    patches = []
    try:
        conf = conf_fixture.conf
        config = keystone.cloud_config()
        group = 'keystone_authtoken'
        # what keystonemiddleware registers when it loads the plugin: here
        # first, so that the options can be set
        conf.register_opts(ks_loading.get_auth_plugin_conf_options(
            'password'), group=group)
        conf.set_override('auth_strategy', 'keystone')
        for name, value in (
                ('www_authenticate_uri', config['auth_url']),
                ('auth_type', 'password'),
                ('auth_url', config['auth_url']),
                ('username', config['username']),
                ('password', config['password']),
                ('project_name', config['project_name']),
                ('user_domain_name', 'Default'),
                ('project_domain_name', 'Default')):
            conf.set_override(name, value, group=group)
        policy.reset()
        rpc = seed.FakeRPC()

        def use(fix):
            fix.setUp()
            patches.append(fix)

        rpc.patch(use)
        goals, strategies = seed.catalogue()
        seed.history(goals, strategies)
        yield webtest.TestApp(api_app.setup_app())
    finally:
        for fix in reversed(patches):
            fix.cleanUp()
        policy.reset()
        db.cleanUp()
        conf_fixture.cleanUp()


def _call(app, call, token):
    method, path, body, version, _status = call
    headers = {'Accept': 'application/json'}
    if version:
        headers['OpenStack-API-Version'] = 'infra-optim %s' % version
    if token:
        headers['X-Auth-Token'] = token
    if body is None:
        return getattr(app, method.lower())(path, headers=headers,
                                            expect_errors=True)
    return getattr(app, method.lower() + '_json')(
        path, body, headers=headers, expect_errors=True)


def _matrix(app, personas, tokens):
    return {persona: {_row(call): _call(app, call, tokens.get(persona))
                      .status_int for call in CALLS}
            for persona in personas}


def _denial(response):
    return json.loads(response.json['error_message'])['faultstring']


def test_defaults_admit_administrators_only(api, tokens):
    # everyone but the admin first: their calls must change nothing
    seen = _matrix(api, ('member', 'reader', 'no_role', 'no_token'),
                   tokens)
    seen.update(_matrix(api, ('admin',), tokens))
    expected = {
        'admin': {_row(c): c[4] for c in CALLS},
        'no_token': {_row(c): 200 if c[1] in PUBLIC else 401
                     for c in CALLS},
    }
    for persona in ('member', 'reader', 'no_role'):
        expected[persona] = {_row(c): 200 if c[1] in PUBLIC else 403
                             for c in CALLS}
    assert expected == seen


def test_denial_names_the_rule(api, tokens):
    response = _call(api, ('GET', '/v1/audits', None, None, 200),
                     tokens['reader'])
    assert 403 == response.status_int
    assert ("Policy doesn't allow audit:get_all to be performed." ==
            _denial(response))


def test_watcher_reader_persona_is_an_opt_in(api, tokens):
    reads = {_row(c) for c in CALLS
             if c[0] == 'GET' and c[1] not in PUBLIC}
    # before the operator opts in: nothing
    before = _matrix(api, ('watcher_reader',), tokens)['watcher_reader']
    assert {row for row, status in before.items() if status == 403} == (
        {_row(c) for c in CALLS if c[1] not in PUBLIC})

    # the line the operator adds to policy.yaml (the admin guide's Policy
    # page), loaded as oslo.policy loads that file
    opt_in = '"reader_api": "rule:admin_api or role:watcher_reader"\n'
    policy.init().set_rules(oslo_policy.Rules.load(opt_in), overwrite=False,
                            use_conf=False)
    after = _matrix(api, ('watcher_reader', 'reader'), tokens)
    opened = {row for row, status in after['watcher_reader'].items()
              if status not in (401, 403)}
    assert reads - {'GET /v1/data_model'} == opened - {'GET /', 'GET /v1'}
    # Keystone's own reader role (implied by member) is not the persona
    assert {row for row, status in after['reader'].items()
            if status == 403} == {_row(c) for c in CALLS
                                  if c[1] not in PUBLIC}
