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

"""A strategy's configuration: bad values fail the audit, clearly."""
import os
import tempfile

from oslo_config import cfg

from watcher.common import exception
from watcher.decision_engine.strategy import base as strategy_base
from watcher.tests import base


class _Configured(strategy_base.BaseStrategy):
    name = 'layers_probe'

    @classmethod
    def get_config_opts(cls):
        return [cfg.IntOpt('window', default=3)]


class _Bare(strategy_base.BaseStrategy):
    name = 'layers_probe_bare'


class TestStrategyConfig(base.TestCase):

    def _conf_from_file(self, text):
        fd, path = tempfile.mkstemp(suffix='.conf')
        self.addCleanup(os.unlink, path)
        with os.fdopen(fd, 'w') as f:
            f.write(text)
        conf = cfg.ConfigOpts()
        group = 'watcher_strategies.layers_probe'
        conf.register_opts(_Configured.get_config_opts(), group=group)
        conf(['--config-file', path], project='watcher-test')
        return conf.get(group)

    def test_declared_option_is_read(self):
        strategy = _Configured(config=self._conf_from_file(
            '[watcher_strategies.layers_probe]\nwindow = 7\n'))
        self.assertEqual(7, strategy.config_value('window'))

    def test_undeclared_option_gives_the_default(self):
        strategy = _Configured(config=self._conf_from_file(''))
        self.assertEqual('x', strategy.config_value('nothing', 'x'))

    def test_invalid_value_is_a_strategy_configuration_error(self):
        strategy = _Configured(config=self._conf_from_file(
            '[watcher_strategies.layers_probe]\nwindow = many\n'))
        err = self.assertRaises(exception.StrategyConfigurationError,
                                strategy.config_value, 'window')
        self.assertIn('layers_probe', str(err))
        self.assertIn('window', str(err))

    def test_default_config_registers_the_options(self):
        self.assertEqual(3, _Configured().config_value('window'))

    def test_strategy_without_options_has_an_empty_config(self):
        self.assertEqual({}, _Bare().config)
