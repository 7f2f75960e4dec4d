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

"""Keystone authentication, policy on every call, webhook auth both ways."""
from keystonemiddleware import fixture as ksm_fixture

from watcher.tests.functional.api import base
from watcher.tests.functional.api import seed

ADMIN_TOKEN = 'admin-token'
MEMBER_TOKEN = 'member-token'
SERVICE_TOKEN = 'service-token'
WATCHER_READER_TOKEN = 'watcher-reader-token'
TRUST_TOKEN = 'aodh-trust-token'


class KeystoneTestCase(base.APITestCase):

    auth_strategy = 'keystone'

    def setUp(self):
        from keystonemiddleware import auth_token  # noqa: registers opts
        super().setUp()
        self.flags(www_authenticate_uri='http://keystone.test/identity/v3',
                   group='keystone_authtoken')
        tokens = self.useFixture(ksm_fixture.AuthTokenFixture())
        tokens.add_token_data(token_id=ADMIN_TOKEN, user_id='u1',
                              project_id='p1',
                              role_list=['admin', 'member', 'reader'])
        tokens.add_token_data(token_id=MEMBER_TOKEN, user_id='u2',
                              project_id='p1', role_list=['member', 'reader'])
        tokens.add_token_data(token_id=WATCHER_READER_TOKEN, user_id='u3',
                              project_id='p1',
                              role_list=['watcher_reader', 'reader'])
        tokens.add_token_data(token_id=SERVICE_TOKEN, user_id='aodh',
                              project_id='service', role_list=['service'])
        # What Aodh's trust+http action carries: the alarm owner's roles.
        tokens.add_token_data(token_id=TRUST_TOKEN, user_id='admin',
                              project_id='admin',
                              role_list=['admin', 'manager', 'member',
                                         'reader'])

    def call(self, method, url, token=None, body=None, status=None,
             version=None, **headers):
        headers = dict(self.headers(version), **headers)
        if token:
            headers['X-Auth-Token'] = token
        if body is not None:
            return getattr(self.app, method + '_json')(
                url, body, headers=headers, status=status)
        return getattr(self.app, method)(url, headers=headers, status=status)


class TestKeystoneAuth(KeystoneTestCase):

    def test_version_documents_are_public(self):
        self.call('get', '/', status=200)
        self.call('get', '/v1', status=200)
        self.call('get', '/v1/', status=200)

    def test_no_token_is_401_from_keystonemiddleware(self):
        resp = self.call('get', '/v1/goals', status=401)
        self.assertIn('WWW-Authenticate', resp.headers)
        self.assertEqual(401, resp.json['error']['code'])

    def test_forged_identity_headers_do_not_help(self):
        self.call('get', '/v1/goals', status=401, **{'X-Roles': 'admin',
                                                     'X-Identity-Status':
                                                     'Confirmed'})

    READS = ('/v1/goals', '/v1/strategies/detail', '/v1/audits',
             '/v1/audit_templates', '/v1/action_plans', '/v1/actions',
             '/v1/services', '/v1/scoring_engines', '/v1/goals/dummy',
             '/v1/strategies/dummy/state')

    def test_reads_are_admin_only_by_default(self):
        for url in self.READS:
            self.call('get', url, token=ADMIN_TOKEN, status=200)
            resp = self.call('get', url, token=MEMBER_TOKEN, status=403)
            self.assertIn("Policy doesn't allow",
                          self.fault(resp)['faultstring'])
        self.call('get', '/v1/data_model', token=MEMBER_TOKEN,
                  version='1.3', status=403)

    def test_watcher_reader_persona_is_an_opt_in(self):
        from oslo_policy import policy as oslo_policy

        from watcher.common import policy
        enforcer = policy.init()
        enforcer.set_rules(oslo_policy.Rules.from_dict(
            {'reader_api': 'rule:admin_api or role:watcher_reader'}),
            overwrite=False, use_conf=False)
        for url in self.READS:
            self.call('get', url, token=WATCHER_READER_TOKEN, status=200)
        # reads only: not the cloud-wide data model, no write
        self.call('get', '/v1/data_model', token=WATCHER_READER_TOKEN,
                  version='1.3', status=403)
        self.call('post', '/v1/audits', token=WATCHER_READER_TOKEN,
                  body={'audit_type': 'ONESHOT', 'goal': 'dummy'},
                  status=403)
        # a plain project reader stays out
        self.call('get', '/v1/audits', token=MEMBER_TOKEN, status=403)

    def test_member_gets_403_on_admin_operations(self):
        plan = '/v1/action_plans/%s' % seed.UUIDS['PLAN_UUID']
        cases = [
            ('post', '/v1/audits', {'audit_type': 'ONESHOT',
                                    'goal': 'dummy'}),
            ('post', '/v1/audit_templates', {'name': 'x', 'goal': 'dummy'}),
            ('patch', '/v1/audits/audit-dummy',
             [{'op': 'replace', 'path': '/name', 'value': 'y'}]),
            ('post', plan + '/start', {}),
            ('patch', plan, [{'op': 'replace', 'path': '/state',
                              'value': 'CANCELLED'}]),
        ]
        for method, url, body in cases:
            resp = self.call(method, url, token=MEMBER_TOKEN, body=body,
                             status=403)
            self.assertIn("Policy doesn't allow",
                          self.fault(resp)['faultstring'])
        self.call('delete', '/v1/audits/audit-dummy', token=MEMBER_TOKEN,
                  status=403)
        self.call('delete', plan, token=MEMBER_TOKEN, status=403)
        self.call('patch', '/v1/actions/%s' % seed.UUIDS['ACTION1_UUID'],
                  token=MEMBER_TOKEN, version='1.5', status=403,
                  body=[{'op': 'replace', 'path': '/state',
                         'value': 'SKIPPED'}])
        # Nothing was changed.
        self.assertEqual('RECOMMENDED', self.call(
            'get', plan, token=ADMIN_TOKEN).json['state'])
        self.assertEqual([], self.rpc.calls)

    def test_admin_may_write(self):
        self.call('post', '/v1/audits', token=ADMIN_TOKEN, status=201,
                  body={'audit_type': 'ONESHOT', 'goal': 'dummy'})

    def test_policy_file_override(self):
        from oslo_policy import policy as oslo_policy

        from watcher.common import policy
        enforcer = policy.init()
        enforcer.set_rules(oslo_policy.Rules.from_dict(
            {'goal:get_all': '!'}), overwrite=False, use_conf=False)
        self.call('get', '/v1/goals', token=ADMIN_TOKEN, status=403)


class TestWebhookAuthOn(KeystoneTestCase):

    url = '/v1/webhooks/%s' % seed.UUIDS['EVENT_AUDIT_UUID']

    def test_no_token(self):
        self.call('post', self.url, body={}, status=401)
        self.assertEqual([], self.rpc.calls)

    def test_member_token_is_refused(self):
        resp = self.call('post', self.url, token=MEMBER_TOKEN, body={},
                         status=403)
        self.assertEqual("Policy doesn't allow webhook:trigger to be "
                         "performed.", self.fault(resp)['faultstring'])

    def test_service_and_trust_tokens(self):
        self.call('post', self.url, token=SERVICE_TOKEN, body={}, status=202)
        self.call('post', self.url, token=TRUST_TOKEN, body={}, status=202)
        self.assertEqual(2, len(self.rpc.calls))


class TestWebhookAuthOff(KeystoneTestCase):

    url = '/v1/webhooks/%s' % seed.UUIDS['EVENT_AUDIT_UUID']

    def setUp(self):
        super().setUp()
        self.flags(enable_webhooks_auth=False, group='api')

    def test_no_token_is_accepted(self):
        self.call('post', self.url, body={'alarm_name': 'a'}, status=202)
        self.assertEqual([('trigger_audit', seed.UUIDS['EVENT_AUDIT_UUID'])],
                         self.rpc.calls)

    def test_member_token_is_accepted(self):
        self.call('post', self.url, token=MEMBER_TOKEN, body={}, status=202)

    def test_only_the_webhook_is_public(self):
        self.call('get', '/v1/audits', status=401)
        self.call('post', '/v1/audits', status=401,
                  body={'audit_type': 'ONESHOT', 'goal': 'dummy'})


class TestLegacyNoAuthSwitch(base.APITestCase):

    auth_strategy = 'keystone'

    def test_enable_authentication_false_is_noauth(self):
        self.flags(enable_authentication=False)
        self.get('/v1/goals')
        self.post('/v1/audits', {'audit_type': 'ONESHOT', 'goal': 'dummy'})


class TestMisconfiguredKeystone(base.APITestCase):
    """keystonemiddleware with no [keystone_authtoken] auth plugin."""

    auth_strategy = 'keystone'

    def test_an_error_below_the_app_is_answered_500(self):
        res = self.app.get('/v1/goals', headers={'X-Auth-Token': 'any'},
                           status=500)
        self.assertNotIn('Traceback', res.text)
        self.assertNotIn('MissingAuthPlugin', res.text)
