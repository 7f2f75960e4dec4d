"""watcher.common.config: options kept only for upstream configuration
files are named in a warning when set, and say so in their help.
"""
import os

import fixtures
from oslo_config import cfg

from watcher.common import config
from watcher.conf import api as api_conf
from watcher.conf import default as default_conf
from watcher.tests import base


def _conf_with(tmp, text):
    path = os.path.join(tmp, 'watcher.conf')
    with open(path, 'w') as stream:
        stream.write(text)
    conf = cfg.ConfigOpts()
    default_conf.register_opts(conf)
    api_conf.register_opts(conf)
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

    def test_help_says_ignored(self):
        opts = dict(default_conf.list_opts() + api_conf.list_opts())
        for group, names in (('DEFAULT', default_conf.IGNORED),
                             (api_conf.GROUP, api_conf.IGNORED)):
            for opt in opts[group]:
                if opt.name in names:
                    self.assertIn('upstream', opt.help)
                    self.assertIn('Ignored', opt.help)
