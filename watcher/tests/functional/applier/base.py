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

"""Applier tests against the simulated cloud (real openstacksdk calls over
loopback HTTP), on a file database."""
import time

import openstack

from watcher.applier.action_plan import executor
from watcher.applier.actions import base as action_base
from watcher import objects
from watcher.simulator.fixture import SimulatedCloud
from watcher.tests.unit.applier import utils


class SimulatorTestCase(utils.ApplierDbTestCase):
    scenario = 'demo'
    settings = {}

    def setUp(self):
        super().setUp()
        scenario = self.scenario
        if self.settings:
            from watcher.simulator import scenario as scenario_mod
            scenario = scenario_mod.load(scenario)
            scenario.setdefault('settings', {}).update(self.settings)
        self.cloud = self.useFixture(SimulatedCloud(scenario=scenario))
        self.conn = openstack.connect(**self.cloud.cloud_config())
        previous = action_base.set_connection_provider(lambda: self.conn)
        self.addCleanup(action_base.set_connection_provider, previous)
        self.addCleanup(executor.shutdown)
        for opt in ('migration_interval', 'shelve_interval',
                    'delete_interval'):
            self.flags(group='nova', **{opt: 0.01})
        self.flags(group='nova', migration_max_retries=3000)
        self.flags(group='watcher_workflow_engines.taskflow', max_workers=4)
        self.state = self.cloud.state

    # helpers ---------------------------------------------------------------
    def server_id(self, name):
        return self.state.servers_by_name[name]

    def host_of(self, name):
        return self.state.server_host(self.server_id(name))

    def run_plan(self, plan, **kwargs):
        kwargs.setdefault('cancel_poll_interval', 0.02)
        return executor.execute(self.context, plan.uuid, **kwargs)

    def launch(self, plan, **kwargs):
        kwargs.setdefault('cancel_poll_interval', 0.02)
        return executor.launch(self.context, plan.uuid, **kwargs)

    def wait_for(self, predicate, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.01)
        self.fail('condition not reached')

    def action(self, act):
        return objects.Action.get_by_uuid(self.context, act.uuid)

    def plan(self, plan):
        return objects.ActionPlan.get_by_uuid(self.context, plan.uuid)

    def migrate(self, name, source=None, dest=None, kind='live'):
        params = {'resource_id': self.server_id(name),
                  'migration_type': kind,
                  'source_node': source or self.host_of(name),
                  'resource_name': name}
        if dest:
            params['destination_node'] = dest
        return params
