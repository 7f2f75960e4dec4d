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

"""watcher.wsgi.api: the configuration a WSGI server's process reads, and
the application it gets (run in a child Python: importing the module
parses the process-wide configuration, as a WSGI server's worker does).
"""
import json
import os
import subprocess
import sys

import fixtures

from watcher.tests import base

PROBE = '''
import gc, json, sys
import webtest
from oslo_config import cfg
from watcher.wsgi import api
found = {'files': cfg.CONF.config_file, 'auth': cfg.CONF.auth_strategy,
         'frozen': gc.get_freeze_count()}
if found['auth'] == 'noauth':
    app = webtest.TestApp(api.application)
    found['goals'] = app.get('/v1/goals', expect_errors=True).status_int
    found['health'] = app.get('/healthcheck', expect_errors=True).status_int
print(json.dumps(found))
'''


class TestWsgiApplication(base.TestCase):

    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.conf = os.path.join(self.tmp, 'watcher.conf')
        with open(self.conf, 'w') as stream:
            stream.write('[DEFAULT]\nauth_strategy = noauth\n'
                         'transport_url = fake://\n[database]\n'
                         'connection = sqlite:///%s/w.db\n' % self.tmp)

    def _probe(self, env_extra, argv=()):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith('OS_WATCHER')}
        env.update(env_extra)
        result = subprocess.run(
            [sys.executable, '-c', PROBE] + list(argv), env=env,
            capture_output=True, text=True, timeout=120, cwd=self.tmp)
        self.assertEqual(0, result.returncode, result.stderr[-3000:])
        self.assertNotIn('EventletDeprecationWarning', result.stderr)
        return json.loads(result.stdout.strip().splitlines()[-1])

    def test_config_dir_from_environment(self):
        found = self._probe({'OS_WATCHER_CONFIG_DIR': self.tmp})
        self.assertEqual([self.conf], found['files'])
        self.assertEqual('noauth', found['auth'])
        # served: no tables in this database, but no authentication asked
        self.assertNotEqual(401, found['goals'])
        self.assertEqual(200, found['health'])
        # the application built, out of the collector's full passes
        self.assertGreater(found['frozen'], 10000)

    def test_config_files_list_skips_missing(self):
        extra = os.path.join(self.tmp, 'extra.conf')
        with open(extra, 'w') as stream:
            stream.write('[api]\nmax_limit = 7\n')
        found = self._probe({'OS_WATCHER_CONFIG_DIR': self.tmp,
                             'OS_WATCHER_CONFIG_FILES':
                             'watcher.conf;absent.conf;extra.conf'})
        self.assertEqual([self.conf, extra], found['files'])

    def test_config_file_on_the_command_line_wins(self):
        found = self._probe({'OS_WATCHER_CONFIG_DIR': '/nonexistent'},
                            argv=['--config-file', self.conf])
        self.assertEqual([self.conf], found['files'])
        self.assertEqual('noauth', found['auth'])

    def test_report_on_file_event(self):
        trigger = os.path.join(self.tmp, 'report-trigger')
        reports = os.path.join(self.tmp, 'reports')
        os.mkdir(reports)
        with open(trigger, 'w'):
            pass
        with open(self.conf, 'a') as stream:
            stream.write('[oslo_reports]\nfile_event_handler = %s\n'
                         'file_event_handler_interval = 1\nlog_dir = %s\n'
                         % (trigger, reports))
        probe = PROBE + (
            'import os, time\n'
            'time.sleep(1.5)\n'
            'os.utime(%r)\n'
            'deadline = time.time() + 30\n'
            'while not os.listdir(%r) and time.time() < deadline:\n'
            '    time.sleep(0.2)\n'
            'time.sleep(0.5)\n' % (trigger, reports))
        env = {k: v for k, v in os.environ.items()
               if not k.startswith('OS_WATCHER')}
        env['OS_WATCHER_CONFIG_DIR'] = self.tmp
        result = subprocess.run([sys.executable, '-c', probe], env=env,
                                capture_output=True, text=True, timeout=120,
                                cwd=self.tmp)
        self.assertEqual(0, result.returncode, result.stderr[-3000:])
        names = os.listdir(reports)
        self.assertEqual(1, len(names), result.stderr[-3000:])
        with open(os.path.join(reports, names[0])) as stream:
            self.assertIn('Guru Meditation', stream.read())

    def test_empty_directory_gives_defaults(self):
        found = self._probe({'OS_WATCHER_CONFIG_DIR':
                             os.path.join(self.tmp, 'empty')})
        self.assertEqual([], found['files'])
        self.assertEqual('keystone', found['auth'])
