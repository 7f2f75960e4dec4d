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

"""The Sphinx extension that writes one page per goal and strategy
(doc/source/_ext/watcher_plugins.py), on the plugins registered here.
"""
import importlib.util
import pathlib

import testtools

from watcher.decision_engine.strategy.strategies import actuation
from watcher.decision_engine.strategy.strategies import host_maintenance
from watcher.decision_engine.strategy.strategies import saving_energy
from watcher.decision_engine.strategy.strategies import \
    vm_workload_consolidation as vm_consolidation

EXT = (pathlib.Path(__file__).resolve().parents[4] / 'doc' / 'source'
       / '_ext' / 'watcher_plugins.py')


def _load_extension():
    spec = importlib.util.spec_from_file_location('watcher_plugins', EXT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class PluginPagesTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.ext = _load_extension()

    def test_action_types_follow_the_shared_helpers(self):
        types = self.ext.strategy_action_types
        self.assertEqual(['change_nova_service_state', 'migrate', 'stop'],
                         types(host_maintenance.HostMaintenance))
        self.assertEqual(['change_node_power_state',
                          'change_nova_service_state'],
                         types(saving_energy.SavingEnergy))
        # through strategy.common.consolidation into the action helpers
        self.assertEqual(['change_nova_service_state', 'migrate'],
                         types(vm_consolidation.VMWorkloadConsolidation))
        # the actuator's actions are its parameters
        self.assertIsNone(types(actuation.Actuator))

    def test_every_registered_strategy_and_goal_gets_a_page(self):
        strategies = self.ext._plugins(self.ext.STRATEGIES)
        goals = dict(self.ext._plugins(self.ext.GOALS))
        self.assertIn('zone_migration', dict(strategies))
        for name, cls in strategies:
            page = self.ext.strategy_page(name, cls)
            self.assertIn(':doc:`../goals/%s`' % cls.get_goal_name(), page)
            self.assertIn(cls.get_goal_name(), goals)
            for param in (cls.get_schema() or {}).get('properties', {}):
                self.assertIn('``%s``' % param, page)
            for metric in cls.metric_names:
                self.assertIn('* ``%s``' % metric, page)
        # options from watcher's configuration and from the plugin itself
        basic = self.ext.strategy_page('basic', dict(strategies)['basic'])
        for opt in ('datasources', 'check_optimize_metadata',
                    'target_utilization'):
            self.assertIn('``%s`` (default' % opt, basic)
        page = self.ext.goal_page('server_consolidation',
                                  goals['server_consolidation'], strategies)
        self.assertIn('* :doc:`../strategies/basic`', page)
        self.assertIn('* :doc:`../strategies/vm_workload_consolidation`',
                      page)
