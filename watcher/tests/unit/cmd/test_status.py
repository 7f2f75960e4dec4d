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

"""watcher-status upgrade check."""
import os
import subprocess
import sys

import fixtures
from oslo_upgradecheck import upgradecheck

from watcher.cmd import status
from watcher.conf import CONF
from watcher.tests import base

Code = upgradecheck.Code


class TestSchemaCheck(base.TestCase):

    def setUp(self):
        super().setUp()
        from oslo_db.sqlalchemy import enginefacade
        from watcher.db.sqlalchemy import api as sqla_api
        tmp = self.useFixture(fixtures.TempDir()).path
        manager = enginefacade.transaction_context()
        manager.configure(connection='sqlite:///%s/w.sqlite' % tmp)
        self.engine = manager.writer.get_engine()
        self.addCleanup(sqla_api.get_context_manager().patch_factory(
            manager))
        self.addCleanup(self.engine.dispose)

    def test_unversioned_fails(self):
        result = status.Checks()._check_schema()
        self.assertEqual(Code.FAILURE, result.code)
        self.assertIn('watcher-db-manage upgrade', result.details)

    def test_head_succeeds(self):
        from watcher.db.sqlalchemy import migration
        migration.upgrade('head', engine=self.engine)
        self.assertEqual(Code.SUCCESS, status.Checks()._check_schema().code)

    def test_unknown_revision_warns(self):
        from watcher.db.sqlalchemy import migration
        migration.upgrade('head', engine=self.engine)
        import sqlalchemy as sa
        with self.engine.begin() as conn:
            conn.execute(sa.text("UPDATE alembic_version SET "
                                 "version_num='9999_future'"))
        self.assertEqual(Code.WARNING, status.Checks()._check_schema().code)


class TestDatasourceCheck(base.TestCase):

    def test_none_configured(self):
        self.flags(datasources=[], group='watcher_datasources')
        self.assertEqual(Code.FAILURE,
                         status.Checks()._check_datasources().code)

    def test_prometheus_and_aetos(self):
        self.flags(datasources=['prometheus', 'aetos'],
                   group='watcher_datasources')
        result = status.Checks()._check_datasources()
        self.assertEqual(Code.FAILURE, result.code)
        self.assertIn('both', result.details)

    def test_loadable(self):
        self.flags(datasources=['gnocchi'], group='watcher_datasources')
        self.useFixture(fixtures.MockPatch(
            'stevedore.driver.DriverManager'))
        self.assertEqual(Code.SUCCESS,
                         status.Checks()._check_datasources().code)

    def test_partly_loadable(self):
        self.flags(datasources=['gnocchi', 'grafana'],
                   group='watcher_datasources')

        def fake(namespace, name, invoke_on_load=False):
            if name == 'grafana':
                raise RuntimeError('no module')
        self.useFixture(fixtures.MockPatch(
            'stevedore.driver.DriverManager', side_effect=fake))
        result = status.Checks()._check_datasources()
        self.assertEqual(Code.WARNING, result.code)
        self.assertIn('grafana', result.details)

    def test_nothing_loadable(self):
        self.flags(datasources=['grafana'], group='watcher_datasources')
        self.useFixture(fixtures.MockPatch(
            'stevedore.driver.DriverManager',
            side_effect=RuntimeError('no module')))
        self.assertEqual(Code.FAILURE,
                         status.Checks()._check_datasources().code)


class TestPolicyCheck(base.TestCase):

    def setUp(self):
        super().setUp()
        status._register_policy_opts(CONF)
        self.tmp = self.useFixture(fixtures.TempDir()).path

    def check(self, text, name='policy.yaml'):
        path = os.path.join(self.tmp, name)
        with open(path, 'w') as stream:
            stream.write(text)
        self.flags(policy_file=path, group='oslo_policy')
        return status.Checks()._check_policy()

    def known_rule(self):
        from watcher.common import policies
        return policies.list_rules()[0].name

    def test_no_file(self):
        self.flags(policy_file='does-not-exist.yaml', group='oslo_policy')
        self.assertEqual(Code.SUCCESS, status.Checks()._check_policy().code)

    def test_good_file(self):
        result = self.check('"%s": "role:admin"\n' % self.known_rule())
        self.assertEqual(Code.SUCCESS, result.code)

    def test_unknown_rule_warns(self):
        result = self.check('"%s": "role:admin"\n"audit:frobnicate": ""\n'
                            % self.known_rule())
        self.assertEqual(Code.WARNING, result.code)
        self.assertIn('audit:frobnicate', result.details)

    def test_bad_rule_fails(self):
        result = self.check('"%s": "role admin and ("\n' % self.known_rule())
        self.assertEqual(Code.FAILURE, result.code)

    def test_json_fails(self):
        result = self.check('{"%s": "role:admin"}' % self.known_rule(),
                            name='policy.json')
        self.assertEqual(Code.FAILURE, result.code)
        self.assertIn('JSON', result.details)

    def test_not_yaml_fails(self):
        self.assertEqual(Code.FAILURE, self.check('a: [b\n').code)
        self.assertEqual(Code.FAILURE, self.check('- a\n- b\n').code)


class TestCommand(base.TestCase):

    def test_exit_code_on_empty_database(self):
        tmp = self.useFixture(fixtures.TempDir()).path
        conf = os.path.join(tmp, 'watcher.conf')
        with open(conf, 'w') as stream:
            stream.write('[database]\nconnection = sqlite:///%s/e.sqlite\n'
                         % tmp)
        proc = subprocess.run(
            [sys.executable, '-m', 'watcher.cmd.status', '--config-file',
             conf, 'upgrade', 'check'],
            capture_output=True, text=True, timeout=120)
        self.assertEqual(2, proc.returncode, proc.stdout + proc.stderr)
        self.assertIn('Database schema', proc.stdout)
        self.assertIn('Datasources', proc.stdout)
        self.assertIn('Policy file', proc.stdout)
