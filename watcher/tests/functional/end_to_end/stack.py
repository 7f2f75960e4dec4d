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

"""The whole service on a simulated cloud, in one process.

:class:`StackTestCase` starts the in-process API (noauth, webtest), the
decision engine and the applier as services on the in-process transport,
a file database and a simulated cloud built from the test's
:attr:`~StackTestCase.scenario`.  The decision engine reads the cloud
through openstacksdk and its metrics through the datasource named by
:attr:`~StackTestCase.datasource`: ``prometheus`` (the simulator's
PromQL endpoint, as a real Prometheus scraping the cloud's exporters
would answer) or ``simulator`` (its bulk metrics API).

A test talks REST only: :meth:`audit` posts an audit and waits for its
end, :meth:`plan_of`/:meth:`actions_of` read the plan back,
:meth:`apply` starts it and waits for the applier to finish; the cloud's
state (``self.cloud.state``) is then what the test asserts.
"""
import fixtures
import openstack
import webtest

from watcher.api import app as api_app
from watcher.api import rpc as api_rpc
from watcher.applier.action_plan import executor
from watcher.applier.actions import base as action_base
from watcher.applier import manager as applier_manager
from watcher.common import policy
from watcher.common import rpc
from watcher.decision_engine.model.collector import manager as collectors
from watcher.decision_engine import manager as de_manager
from watcher.decision_engine import sync
from watcher.simulator import fixture as sim_fixture
from watcher.simulator import scenario as scenario_mod
from watcher.tests.functional.decision_engine import simcloud
from watcher.tests.functional.services import base as services_base

#: the simulated clock's first instant: the waves give the same figures
#: on every run
START = 1767582000.0
WAIT = 60.0   # bounds a hung test; never an assertion on elapsed time
FINAL_AUDIT = ('SUCCEEDED', 'FAILED', 'CANCELLED', 'SUSPENDED')
FINAL_PLAN = ('SUCCEEDED', 'FAILED', 'CANCELLED', 'SUPERSEDED')


class StackTestCase(services_base.ServiceTestCase):

    #: a scenario dict (see watcher.simulator.scenario) or a bundled name
    scenario = 'demo'
    datasource = 'prometheus'
    collectors = ('compute', 'storage', 'baremetal')

    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.Timeout(300, gentle=True))
        data = scenario_mod.load(self.scenario)
        data['settings'] = dict(data.get('settings') or {},
                                start_time=START)
        # the cloud's Nova and Cinder notifications reach the decision
        # engine's listener, which keeps its models live between audits
        self.cloud = self.useFixture(sim_fixture.SimulatedCloud(
            scenario=data, transport=rpc.get_notification_transport()))
        self.requests = simcloud.RequestCount(self.cloud.server)
        self._configure()
        self.conn = openstack.connect(**self.cloud.cloud_config())
        self.addCleanup(self.conn.close)
        # every cloud call of the services goes to the simulated cloud
        self.useFixture(fixtures.MockPatch(
            'watcher.common.clients._connection', self.conn))
        collectors.CollectorManager.reset()
        self.addCleanup(collectors.CollectorManager.reset)
        collectors.CollectorManager().set_connection(self.conn)
        previous = action_base.set_connection_provider(lambda: self.conn)
        self.addCleanup(action_base.set_connection_provider, previous)
        self.addCleanup(executor.shutdown)
        sync.Syncer().sync(self.context)
        self.start_service(de_manager.DecisionEngineManager(run_sync=False))
        self.start_service(applier_manager.ApplierManager())
        api_rpc.reset()
        self.addCleanup(api_rpc.reset)
        policy.reset()
        self.addCleanup(policy.reset)
        self.api = webtest.TestApp(api_app.setup_app())

    def _configure(self):
        self.flags(auth_strategy='noauth')
        self.flags(collector_plugins=list(self.collectors),
                   group='collector')
        self.flags(datasources=[self.datasource],
                   group='watcher_datasources')
        self.flags(query_max_retries=1, query_interval=0,
                   group='watcher_datasources')
        self.flags(endpoint=self.cloud.url, group='simulator_client')
        host, _, port = self.cloud.url.split('//', 1)[1].partition(':')
        self.flags(host='%s/prometheus' % host, port=int(port),
                   group='prometheus_client')
        for opt in ('migration_interval', 'shelve_interval',
                    'delete_interval'):
            self.flags(group='nova', **{opt: 0.01})
        self.flags(group='nova', migration_max_retries=3000)

    # --- REST -----------------------------------------------------------
    def _headers(self):
        return {'Accept': 'application/json',
                'OpenStack-API-Version': 'infra-optim latest'}

    def get(self, url, status=200):
        return self.api.get(url, headers=self._headers(), status=status).json

    def post(self, url, body, status=201):
        return self.api.post_json(url, body, headers=self._headers(),
                                  status=status).json

    def audit(self, goal, strategy=None, parameters=None, **fields):
        """Create a ONESHOT audit through the API; its final state."""
        body = dict(fields, audit_type='ONESHOT', goal=goal)
        if strategy:
            body['strategy'] = strategy
        if parameters:
            body['parameters'] = parameters
        created = self.post('/v1/audits', body)
        url = '/v1/audits/%s' % created['uuid']
        self.assertTrue(self.wait_until(
            lambda: self.get(url)['state'] in FINAL_AUDIT, timeout=WAIT),
            'audit %s never ended' % created['uuid'])
        return self.get(url)

    def plan_of(self, audit):
        plans = self.get('/v1/action_plans?audit_uuid=%s'
                         % audit['uuid'])['action_plans']
        self.assertEqual(1, len(plans), plans)
        return self.get('/v1/action_plans/%s' % plans[0]['uuid'])

    def recommended(self, goal, strategy=None, parameters=None, **fields):
        """The RECOMMENDED plan of a new audit, and its actions."""
        audit = self.audit(goal, strategy, parameters, **fields)
        self.assertEqual('SUCCEEDED', audit['state'],
                         audit.get('status_message'))
        plan = self.plan_of(audit)
        self.assertEqual('RECOMMENDED', plan['state'])
        return plan, self.actions_of(plan)

    def actions_of(self, plan):
        return self.get('/v1/actions/detail?action_plan_uuid=%s&limit=1000'
                        % plan['uuid'])['actions']

    def apply(self, plan):
        """Start the plan through the API; its final state (the cloud has
        finished every move when it returns).
        """
        self.post('/v1/action_plans/%s/start' % plan['uuid'], {},
                  status=200)
        url = '/v1/action_plans/%s' % plan['uuid']
        self.assertTrue(self.wait_until(
            lambda: self.get(url)['state'] in FINAL_PLAN, timeout=WAIT),
            'plan %s never ended' % plan['uuid'])
        self.cloud.wait_idle()
        return self.get(url)

    # --- the cloud ------------------------------------------------------
    def promql_queries(self):
        """How many PromQL queries the cloud's Prometheus answered."""
        return self.requests.paths.count('GET /prometheus/api/v1/query')

    def host_of(self, server_name):
        return self.cloud.state.get_server(server_name).host

    def server_names(self, host):
        state = self.cloud.state
        return sorted(state.servers[sid].name
                      for sid in state.hosts[host].servers)


def of_type(actions, action_type):
    return [a['input_parameters'] for a in actions
            if a['action_type'] == action_type]
