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

"""The devstack plugin, run phase by phase with devstack's functions
replaced by recorders (devstack itself clones from the network and cannot
run here): the calls it makes and the watcher.conf it writes.
"""
import configparser
import getpass
import pathlib
import shutil
import subprocess
import tempfile

import testtools

ROOT = pathlib.Path(__file__).resolve().parents[4]
DEVSTACK = ROOT / 'devstack'
RECORDERS = pathlib.Path(__file__).with_name('recorders.sh')


class DevstackPluginTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.tmp = pathlib.Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tmp)
        self.calls = self.tmp / 'calls'
        self.conf_dir = self.tmp / 'etc-watcher'
        # the commands the plugin runs from the installed package
        self.bin = self.tmp / 'bin'
        self.bin.mkdir()
        for name in ('watcher-db-manage', 'watcher-sync'):
            tool = self.bin / name
            tool.write_text('#!/bin/sh\n(IFS="|"; echo "$(basename "$0")|$*")'
                            ' >> "$CALLS"\n')
            tool.chmod(0o755)

    def run_phases(self, *phases, **env):
        base = {
            'DEST': str(self.tmp / 'opt'), 'DATA_DIR': str(self.tmp / 'data'),
            'STACK_USER': getpass.getuser(), 'SERVICE_HOST': '192.0.2.10',
            'SERVICE_PROTOCOL': 'http', 'REGION_NAME': 'RegionOne',
            'GIT_BASE': 'https://opendev.org',
            'ENABLE_DEBUG_LOG_LEVEL': 'True',
            'KEYSTONE_SERVICE_URI': 'http://192.0.2.10/identity',
            'SERVICE_PASSWORD': 'secret', 'SERVICE_PROJECT_NAME': 'service',
            'NOVA_CONF': str(self.tmp / 'nova.conf'),
            'TEMPEST_CONFIG': str(self.tmp / 'tempest.conf'),
            'WATCHER_CONF_DIR': str(self.conf_dir),
            'ENABLED_SERVICES': 'key,n-api,n-cpu,tempest',
            'CALLS': str(self.calls), 'LIBS_FROM_GIT': '',
            'FAKE_BIN': str(self.bin), 'PATH': '/usr/bin:/bin',
        }
        base.update(env)
        script = ['set -eu -o pipefail', 'declare -A GITREPO GITBRANCH GITDIR',
                  '. %s' % RECORDERS, '. %s/settings' % DEVSTACK]
        for phase in phases:
            script.append('set -- %s; . %s/plugin.sh' % (phase, DEVSTACK))
        result = subprocess.run(['bash', '-c', '\n'.join(script)], env=base,
                                capture_output=True, text=True)
        self.assertEqual(0, result.returncode, result.stderr[-3000:])
        return [line.split('|') for line in
                self.calls.read_text().splitlines()] \
            if self.calls.exists() else []

    def ini(self, path):
        conf = configparser.RawConfigParser()
        conf.read(path)
        return conf

    def test_post_config_writes_watcher_conf(self):
        calls = self.run_phases('stack post-config')
        conf = self.ini(self.conf_dir / 'watcher.conf')
        self.assertEqual('rabbit://stackrabbit:secret@192.0.2.10:5672/',
                         conf.get('DEFAULT', 'transport_url'))
        self.assertEqual('mysql+pymysql://root:secret@127.0.0.1/watcher'
                         '?charset=utf8', conf.get('database', 'connection'))
        self.assertEqual('messagingv2',
                         conf.get('oslo_messaging_notifications', 'driver'))
        for section in ('keystone_authtoken', 'watcher_clients_auth'):
            self.assertEqual('watcher', conf.get(section, 'username'))
            self.assertEqual('service', conf.get(section, 'project_name'))
        self.assertFalse(conf.has_section('prometheus_client'))
        # the API under uwsgi, at /infra-optim behind devstack's Apache
        self.assertIn(['write_uwsgi_config',
                       str(self.conf_dir / 'watcher-api-uwsgi.ini'),
                       'watcher.wsgi.api:application', '/infra-optim', '',
                       'watcher-api'], calls)
        # Keystone: service user, service, three endpoints
        url = 'http://192.0.2.10/infra-optim'
        self.assertIn(['create_service_user', 'watcher', 'admin'], calls)
        self.assertIn(['get_or_create_service', 'watcher', 'infra-optim',
                       'Infrastructure Optimization'], calls)
        self.assertIn(['get_or_create_endpoint', 'infra-optim', 'RegionOne',
                       url, url, url], calls)
        # Nova sends versioned notifications too
        nova = self.ini(self.tmp / 'nova.conf')
        self.assertEqual('both',
                         nova.get('notifications', 'notification_format'))
        self.assertEqual('messagingv2',
                         nova.get('oslo_messaging_notifications', 'driver'))

    def test_versioned_nova_notifications_are_kept(self):
        self.run_phases('stack post-config',
                        NOVA_NOTIFICATION_FORMAT='versioned')
        nova = self.ini(self.tmp / 'nova.conf')
        self.assertEqual('versioned',
                         nova.get('notifications', 'notification_format'))

    def test_prometheus_datasource(self):
        self.run_phases('stack post-config', 'stack test-config',
                        WATCHER_DATASOURCE='prometheus',
                        WATCHER_PROMETHEUS_HOST='192.0.2.20')
        conf = self.ini(self.conf_dir / 'watcher.conf')
        self.assertEqual('prometheus',
                         conf.get('watcher_datasources', 'datasources'))
        self.assertEqual('192.0.2.20', conf.get('prometheus_client', 'host'))
        self.assertEqual('9090', conf.get('prometheus_client', 'port'))
        tempest = self.ini(self.tmp / 'tempest.conf')
        self.assertEqual('prometheus', tempest.get('optimize', 'datasource'))
        self.assertEqual('192.0.2.20',
                         tempest.get('optimize', 'prometheus_host'))
        self.assertEqual('9090', tempest.get('optimize', 'prometheus_port'))

    def test_install_extra_and_unstack(self):
        calls = self.run_phases('stack install', 'stack extra', 'unstack')
        names = [c[0] for c in calls]
        self.assertIn(['setup_develop', str(self.tmp / 'opt' / 'watcher')],
                      calls)
        self.assertIn(['pip_install_gr', 'python-watcherclient'], calls)
        self.assertIn(['recreate_database', 'watcher'], calls)
        conf = str(self.conf_dir / 'watcher.conf')
        self.assertIn(['watcher-db-manage', '--config-file', conf,
                       'upgrade'], calls)
        self.assertIn(['watcher-sync', '--config-file', conf], calls)
        started = [c[1] for c in calls if c[0] == 'run_process']
        self.assertEqual(['watcher-api', 'watcher-decision-engine',
                          'watcher-applier'], started)
        api = next(c for c in calls
                   if c[0] == 'run_process' and c[1] == 'watcher-api')
        self.assertIn('uwsgi', api[2])
        stopped = [c[1] for c in calls if c[0] == 'stop_process']
        self.assertEqual(started, stopped)
        self.assertLess(names.index('recreate_database'),
                        names.index('run_process'))

    def test_client_from_git(self):
        calls = self.run_phases('stack install',
                                LIBS_FROM_GIT='python-watcherclient')
        self.assertIn(['setup_dev_lib', 'python-watcherclient'], calls)
        self.assertNotIn(['pip_install_gr', 'python-watcherclient'], calls)

    def test_tempest_settings(self):
        self.run_phases('stack test-config')
        tempest = self.ini(self.tmp / 'tempest.conf')
        self.assertEqual('True', tempest.get('service_available', 'watcher'))
        self.assertEqual('1.0', tempest.get('optimize', 'min_microversion'))
        self.assertEqual('1.7', tempest.get('optimize', 'max_microversion'))
        # the plugin's default is gnocchi, which this job does not run
        self.assertEqual('', tempest.get('optimize', 'datasource'))

    def test_clean(self):
        self.conf_dir.mkdir()
        (self.conf_dir / 'watcher.conf').write_text('[DEFAULT]\n')
        calls = self.run_phases('clean')
        self.assertFalse(self.conf_dir.exists())
        self.assertIn('remove_uwsgi_config', [c[0] for c in calls])

    def test_accounts_need_keystone(self):
        calls = self.run_phases('stack post-config',
                                ENABLED_SERVICES='n-api')
        self.assertNotIn('create_service_user', [c[0] for c in calls])
        self.assertIn('write_uwsgi_config', [c[0] for c in calls])


class ShellcheckTest(testtools.TestCase):

    def test_plugin_is_shellcheck_clean(self):
        shellcheck = shutil.which('shellcheck')
        if shellcheck is None:
            self.skipTest('shellcheck is not installed (apt install '
                          'shellcheck)')
        result = subprocess.run(
            [shellcheck, '-s', 'bash', str(DEVSTACK / 'plugin.sh'),
             str(DEVSTACK / 'settings'), str(RECORDERS)],
            capture_output=True, text=True)
        self.assertEqual(0, result.returncode, result.stdout)
