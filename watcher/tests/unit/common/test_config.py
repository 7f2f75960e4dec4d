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

"""watcher.common.config: options kept only for upstream configuration
files are named in a warning when set, and say so in their help.
"""
import os

import fixtures
from oslo_config import cfg

from watcher.common import config
from watcher import conf as watcher_conf
from watcher.conf import opts as opts_module
from watcher.tests import base


def _conf_with(tmp, text):
    path = os.path.join(tmp, 'watcher.conf')
    with open(path, 'w') as stream:
        stream.write(text)
    conf = cfg.ConfigOpts()
    for module in watcher_conf.MODULES:
        module.register_opts(conf)
    conf(['--config-file', path], project='watcher',
         default_config_files=[])
    return conf


class TestIgnoredOptions(base.TestCase):

    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.logs = self.useFixture(fixtures.FakeLogger(
            name='watcher.common.config'))

    def test_set_options_are_named(self):
        conf = _conf_with(self.tmp, '[DEFAULT]\nbindir = /usr/bin\n'
                          'state_path = /var/lib/watcher\n'
                          'print_thread_pool_stats = true\n'
                          '[api]\nenable_ssl_api = true\nport = 9000\n')
        found = config.warn_ignored_options(conf)
        self.assertEqual(['DEFAULT.bindir', 'DEFAULT.state_path',
                          'DEFAULT.print_thread_pool_stats',
                          'api.enable_ssl_api'], found)
        self.assertIn('Option api.enable_ssl_api is set but ignored',
                      self.logs.output)

    def test_unset_options_are_quiet(self):
        conf = _conf_with(self.tmp, '[api]\nport = 9000\n')
        self.assertEqual([], config.warn_ignored_options(conf))
        self.assertEqual('', self.logs.output)

    def test_every_ignored_option_says_so_in_its_help(self):
        ignored = config.ignored_options()
        self.assertIn(('nova', 'http_retries'), ignored)
        self.assertGreaterEqual(len(ignored), 9)
        opts = {}
        for group, group_opts in opts_module.list_opts():
            name = getattr(group, 'name', group)
            for opt in group_opts:
                opts[(None if name == 'DEFAULT' else name, opt.name)] = opt
        for key in ignored:
            self.assertIn('Ignored', opts[key].help, key)
            self.assertIn('upstream', opts[key].help, key)

    def test_options_of_other_groups(self):
        conf = _conf_with(self.tmp, '[nova]\nhttp_retries = 5\n'
                          '[watcher_decision_engine]\n'
                          'max_general_workers = 8\n'
                          '[collector]\n'
                          'compute_resources_collector_timeout = 60\n')
        self.assertEqual(['watcher_decision_engine.max_general_workers',
                          'collector.compute_resources_collector_timeout',
                          'nova.http_retries'],
                         config.warn_ignored_options(conf))
