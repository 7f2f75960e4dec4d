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

"""The real ``openstack optimize`` CLI against a real ``watcher-api``.

Starts ``watcher-api`` as a subprocess on a free loopback port (noauth,
SQLite file prepared with ``watcher-db-manage upgrade``), seeds goals and
strategies directly in that database, then runs python-openstackclient
with the python-watcherclient plugin and checks what it prints.
"""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

import testtools

from watcher.tests.functional.api import seed
from watcher.tests.integration import daemons

OPENSTACK = daemons.OPENSTACK
WATCHER_API = daemons.script('watcher-api')
DB_MANAGE = daemons.script('watcher-db-manage')


_seed = daemons.seed_database


@unittest.skipUnless(os.path.exists(OPENSTACK) and os.path.exists(WATCHER_API),
                     'openstack CLI or watcher-api script not installed')
class TestOpenStackOptimizeCLI(testtools.TestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.mkdtemp(prefix='watcher-cli-')
        db_path = os.path.join(cls.tmp, 'watcher.sqlite')
        cls.db_url = 'sqlite:///%s' % db_path
        cls.conf = daemons.write_file(
            os.path.join(cls.tmp, 'watcher.conf'),
            '[DEFAULT]\nauth_strategy = noauth\n'
            'transport_url = fake://\nuse_stderr = true\n'
            # the seeded applier (seen at seeding) stays ACTIVE however
            # long the class runs; the decision engine (an hour ago) not
            'service_down_time = 1800\n'
            '[database]\nconnection = %s\n' % cls.db_url)
        if os.path.exists(DB_MANAGE):
            subprocess.run([DB_MANAGE, '--config-file', cls.conf, 'upgrade'],
                           capture_output=True, timeout=120)
        _seed(cls.db_url)
        cls.processes = daemons.Processes(cls.tmp)
        cls.processes.setUp()
        try:
            cls.endpoint = daemons.start_api(cls.processes, [cls.conf])
        except Exception:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.processes.cleanUp()
        shutil.rmtree(cls.tmp, ignore_errors=True)
        super().tearDownClass()

    def cli(self, *args, expect_json=True, ok=True):
        result = daemons.openstack(self.endpoint, *args,
                                   as_json=expect_json)
        if ok:
            self.assertEqual(0, result.returncode,
                             '%s\nstdout: %s\nstderr: %s' % (
                                 ' '.join(args), result.stdout,
                                 result.stderr))
        if expect_json and ok:
            return result.data
        return result

    def test_goals_strategies_services_scoring_engines(self):
        goals = self.cli('goal', 'list')
        self.assertEqual({'dummy', 'unclassified', 'server_consolidation'},
                         {g['Name'] for g in goals})
        goal = self.cli('goal', 'show', 'server_consolidation')
        self.assertEqual(seed.UUIDS['CONSOLIDATION_GOAL_UUID'], goal['UUID'])
        self.assertEqual('Server Consolidation', goal['Display name'])
        # upper-case names resolve, as upstream on MariaDB
        self.assertEqual('dummy', self.cli('goal', 'show', 'DUMMY')['Name'])

        strategies = self.cli('strategy', 'list')
        self.assertIn('actuator', {s['Name'] for s in strategies})
        strategies = self.cli('strategy', 'list', '--goal', 'dummy')
        self.assertEqual(['dummy'], [s['Name'] for s in strategies])
        strategy = self.cli('strategy', 'show', 'dummy')
        self.assertEqual('dummy', strategy['Goal'])
        self.assertIn('para1', json.dumps(strategy['Parameters spec']))

        services = self.cli('service', 'list')
        by_name = {s['Name']: s for s in services}
        self.assertEqual('ACTIVE', by_name['watcher-applier']['Status'])
        self.assertEqual('FAILED',
                         by_name['watcher-decision-engine']['Status'])
        engines = self.cli('scoringengine', 'list')
        self.assertEqual(['dummy_scorer'], [e['Name'] for e in engines])

    def test_api_with_worker_processes(self):
        # every pre-forked worker must serve (a thread started before the
        # fork once left the children deadlocked on an inherited lock)
        import urllib.request
        url = daemons.start_api(self.processes, [self.conf],
                                name='watcher-api-workers', workers=2)
        for _ in range(20):
            with urllib.request.urlopen(url + '/v1/goals', timeout=15) as r:
                self.assertEqual(200, r.status)
                self.assertTrue(json.loads(r.read())['goals'])
        names = {g['Name'] for g in daemons.openstack(url, 'goal',
                                                      'list').data}
        self.assertIn('dummy', names)

    def test_audit_templates(self):
        created = self.cli('audittemplate', 'create', 'at-cli', 'DUMMY',
                           '--strategy', 'Dummy', '--description', 'cli')
        self.assertEqual('at-cli', created['Name'])
        self.assertEqual('dummy', created['Strategy'])
        listed = self.cli('audittemplate', 'list')
        self.assertIn('at-cli', {t['Name'] for t in listed})
        shown = self.cli('audittemplate', 'show', 'at-cli')
        self.assertEqual(created['UUID'], shown['UUID'])
        self.assertEqual('dummy', shown['Goal'])
        updated = self.cli('audittemplate', 'update', 'at-cli', 'replace',
                           'description=changed')
        self.assertEqual('changed', updated['Description'])
        result = self.cli('audittemplate', 'delete', 'at-cli',
                          expect_json=False)
        self.assertEqual('', result.stdout.strip())
        missing = self.cli('audittemplate', 'show', 'at-cli', ok=False)
        self.assertNotEqual(0, missing.returncode)
        self.assertIn('could not be found', missing.stderr)

    def test_audits(self):
        created = self.cli('audit', 'create', '-g', 'dummy', '-s', 'dummy',
                           '--name', 'audit-cli', '-p', 'para1=2.5')
        self.assertEqual('audit-cli', created['Name'])
        self.assertEqual('PENDING', created['State'])
        self.assertEqual('ONESHOT', created['Audit Type'])
        self.assertEqual(2.5, created['Parameters']['para1'])
        cont = self.cli('audit', 'create', '-g', 'dummy', '-t', 'CONTINUOUS',
                        '-i', '*/10 * * * *', '--name', 'audit-cron')
        self.assertEqual('*/10 * * * *', cont['Interval'])
        listed = self.cli('audit', 'list')
        self.assertTrue({'audit-cli', 'audit-cron', 'audit-dummy'} <=
                        {a['Name'] for a in listed})
        shown = self.cli('audit', 'show', 'audit-cli')
        self.assertEqual(created['UUID'], shown['UUID'])
        updated = self.cli('audit', 'update', 'audit-cli', 'replace',
                           'state=CANCELLED')
        self.assertEqual('CANCELLED', updated['State'])
        bad = self.cli('audit', 'create', '-g', 'dummy', '-i', '60',
                       ok=False)
        self.assertNotEqual(0, bad.returncode)
        self.assertIn('Interval of audit must not be set for ONESHOT',
                      bad.stderr)
        self.cli('audit', 'delete', 'audit-cli', expect_json=False)
        self.assertNotIn('audit-cli',
                         {a['Name'] for a in self.cli('audit', 'list')})

    def test_action_plans_and_actions(self):
        plans = self.cli('actionplan', 'list')
        self.assertIn(seed.UUIDS['PLAN_UUID'], {p['UUID'] for p in plans})
        plan = self.cli('actionplan', 'show', seed.UUIDS['PLAN_UUID'])
        self.assertEqual('RECOMMENDED', plan['State'])
        self.assertEqual(seed.UUIDS['DONE_AUDIT_UUID'], plan['Audit'])
        actions = self.cli('action', 'list', '--action-plan',
                           seed.UUIDS['PLAN_UUID'])
        self.assertEqual(3, len(actions))
        self.assertEqual({'nop', 'sleep'},
                         {a['Action'] for a in actions})
        action = self.cli('action', 'show', seed.UUIDS['ACTION3_UUID'])
        self.assertEqual('PENDING', action['State'])
