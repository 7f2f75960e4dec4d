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

"""One-shot audits of every strategy against the simulated demo cloud.

The demo cloud (``watcher/simulator/scenarios/demo.yaml``): six hosts;
compute-0/1 moderately loaded, compute-2/3/4 nearly empty (one idle server
each), compute-5 overloaded (hot-0..hot-4). The audit runs through the real
pipeline: collectors over openstacksdk, the ``simulator`` datasource, the
strategy plugin, its planner, the database.

:class:`AuditEnvironment` (also used by ``test_audits_scheduling.py``)
holds the cloud, the database and the configuration for a module.  Its
simulated clock starts at a fixed instant (:data:`START`): the diurnal and
bursty waves then give the same metrics on every run, whatever the hour
the suite runs at (the plans of the balancing strategies depend on them).
"""
import uuid

import fixtures
import openstack
import pytest

from watcher.common import context as watcher_context
from watcher.decision_engine.audit import base
from watcher.decision_engine.audit import oneshot
from watcher.decision_engine.model.collector import manager as collectors
from watcher.decision_engine import sync
from watcher import objects
from watcher.simulator import fixture as simulator_fixture
from watcher.simulator import scenario as scenario_mod
from watcher.tests import base as test_base
from watcher.tests.functional.services import fixtures as service_fixtures

WAIT = 30.0  # bounds a hung test; never an assertion on elapsed time

IDLE = {'idle-2': 'compute-2', 'idle-3': 'compute-3', 'idle-4': 'compute-4'}
HOT = {'hot-%d' % i for i in range(5)}
#: 2026-01-05T03:00:00Z, a night hour (the diurnal servers are quiet).
START = 1767582000.0


def wait_until(predicate, timeout=WAIT):
    return service_fixtures.wait_until(predicate, timeout=timeout)


class AuditEnvironment(fixtures.Fixture):
    """Simulated cloud + collectors + simulator datasource + file DB."""

    def __init__(self, scenario='demo'):
        super().__init__()
        self.scenario = scenario

    def _setUp(self):
        self.conf = self.useFixture(test_base.ConfFixture()).conf
        scenario = scenario_mod.load(self.scenario)
        scenario['settings'] = dict(scenario.get('settings') or {},
                                    start_time=START)
        self.cloud = self.useFixture(
            simulator_fixture.SimulatedCloud(scenario=scenario))
        self.db = self.useFixture(test_base.FileDbFixture())
        self.conf.set_override('endpoint', self.cloud.url,
                               group='simulator_client')
        self.conf.set_override('datasources', ['simulator'],
                               group='watcher_datasources')
        self.conf.set_override('query_max_retries', 1,
                               group='watcher_datasources')
        self.conf.set_override('query_interval', 0,
                               group='watcher_datasources')
        collectors.CollectorManager.reset()
        self.addCleanup(collectors.CollectorManager.reset)
        self.connection = openstack.connect(**self.cloud.cloud_config())
        collectors.CollectorManager().set_connection(self.connection)
        self.context = watcher_context.get_admin_context()
        sync.Syncer().sync(self.context)

    def create_audit(self, strategy, audit_type='ONESHOT', parameters=None,
                     **fields):
        record = objects.Strategy.get_by_name(self.context, strategy)
        fields.setdefault('scope', [])
        fields.setdefault('auto_trigger', False)
        fields.setdefault('force', False)
        audit = objects.Audit(
            self.context, uuid=str(uuid.uuid4()),
            name='%s-%s' % (strategy, uuid.uuid4().hex[:8]),
            audit_type=audit_type, state='PENDING', goal_id=record.goal_id,
            strategy_id=record.id, parameters=parameters or {}, **fields)
        audit.create()
        return audit

    def audit(self, audit_uuid):
        return objects.Audit.get_by_uuid(self.context, audit_uuid)

    def plans(self, audit):
        return objects.ActionPlan.list(
            self.context, filters={'audit_id': audit.id}, sort_key='id')

    def actions(self, plan):
        return objects.Action.list(
            self.context, filters={'action_plan_id': plan.id},
            sort_key='id')

    def indicators(self, plan):
        return {i.name: i.value for i in objects.EfficacyIndicator.list(
            self.context, filters={'action_plan_id': plan.id})}


@pytest.fixture(scope='module')
def env():
    environment = AuditEnvironment()
    environment.setUp()
    yield environment
    environment.cleanUp()


def run_audit(env, strategy, parameters=None, **fields):
    audit = env.create_audit(strategy, parameters=parameters, **fields)
    run = oneshot.OneShotAuditHandler().execute(env.context, audit.uuid)
    audit = env.audit(audit.uuid)
    return run, audit


def recommended_plan(env, strategy, parameters=None, **fields):
    run, audit = run_audit(env, strategy, parameters, **fields)
    assert run.outcome == base.RECOMMENDED, run.message
    assert audit.state == 'SUCCEEDED'
    [plan] = env.plans(audit)
    assert plan.state == 'RECOMMENDED'
    actions = env.actions(plan)
    # a DAG over the plan's own actions, roots first
    uuids = {a.uuid for a in actions}
    assert all(set(a.parents or []) <= uuids for a in actions)
    assert any(not a.parents for a in actions) or not actions
    return plan, actions


def of_type(actions, action_type):
    return [a.input_parameters for a in actions
            if a.action_type == action_type]


def ancestors(actions, action):
    by_uuid = {a.uuid: a for a in actions}
    seen, todo = set(), list(action.parents or [])
    while todo:
        parent = todo.pop()
        if parent not in seen:
            seen.add(parent)
            todo.extend(by_uuid[parent].parents or [])
    return seen


# -- one test per strategy --------------------------------------------------

def test_dummy(env):
    plan, actions = recommended_plan(env, 'dummy', {'para2': 'hi'})
    assert sorted(a.action_type for a in actions) == ['nop', 'nop', 'sleep']
    assert {p['message'] for p in of_type(actions, 'nop')} == {
        'hello World', 'hi'}
    assert of_type(actions, 'sleep')[0]['duration'] == 3.2
    assert plan.global_efficacy == []


def test_dummy_with_scorer(env):
    _plan, actions = recommended_plan(env, 'dummy_with_scorer')
    assert sorted(a.action_type for a in actions) == ['nop', 'nop', 'sleep']


def test_dummy_with_resize(env):
    _plan, actions = recommended_plan(env, 'dummy_with_resize')
    [migrate] = of_type(actions, 'migrate')
    [resize] = of_type(actions, 'resize')
    assert migrate['resource_id'] == resize['resource_id']
    assert migrate['source_node'] != migrate['destination_node']


def test_actuator(env):
    wanted = [{'action_type': 'nop', 'input_parameters': {'message': 'x'}},
              {'action_type': 'sleep', 'input_parameters': {'duration': 1}}]
    _plan, actions = recommended_plan(env, 'actuator', {'actions': wanted})
    assert sorted(a.action_type for a in actions) == ['nop', 'sleep']
    assert of_type(actions, 'nop')[0]['message'] == 'x'


def test_host_maintenance(env):
    _plan, actions = recommended_plan(
        env, 'host_maintenance', {'maintenance_node': 'compute-5'})
    [disable] = of_type(actions, 'change_nova_service_state')
    assert (disable['resource_name'], disable['state']) == (
        'compute-5', 'disabled')
    migrations = of_type(actions, 'migrate')
    assert {m['resource_name'] for m in migrations} == HOT
    assert {m['source_node'] for m in migrations} == {'compute-5'}
    assert 'compute-5' not in {m['destination_node'] for m in migrations}


def _check_consolidation(env, plan, actions):
    migrations = of_type(actions, 'migrate')
    moved = {m['resource_name']: m for m in migrations}
    # the three nearly empty hosts are emptied
    for server, host in IDLE.items():
        assert moved[server]['source_node'] == host
    disabled = {p['resource_name'] for p in
                of_type(actions, 'change_nova_service_state')
                if p['state'] == 'disabled'}
    assert set(IDLE.values()) <= disabled
    assert not disabled & {m.get('destination_node') for m in migrations}
    indicators = env.indicators(plan)
    assert indicators['released_compute_nodes_count'] >= 3
    assert indicators['instance_migrations_count'] == len(migrations)
    assert plan.global_efficacy
    return migrations


def _check_headroom(migrations):
    # measured-load headroom: nothing lands on the overloaded host, the
    # idle servers go to the moderately loaded pair
    assert 'compute-5' not in {m['destination_node'] for m in migrations}
    for server in IDLE:
        assert {m['destination_node'] for m in migrations
                if m['resource_name'] == server} <= {'compute-0',
                                                     'compute-1'}


def test_vm_workload_consolidation(env):
    plan, actions = recommended_plan(env, 'vm_workload_consolidation')
    _check_headroom(_check_consolidation(env, plan, actions))


def test_basic_consolidation(env):
    plan, actions = recommended_plan(env, 'basic')
    _check_headroom(_check_consolidation(env, plan, actions))


def test_node_resource_consolidation(env):
    plan, actions = recommended_plan(env, 'node_resource_consolidation')
    # host_choice auto: the Nova scheduler picks the destinations
    assert not [m for m in _check_consolidation(env, plan, actions)
                if 'destination_node' in m]
    # its planner disables a node before moving servers off it and
    # enables it again afterwards
    by_host = {}
    for action in actions:
        if action.action_type == 'change_nova_service_state':
            by_host.setdefault(action.input_parameters['resource_name'],
                               {})[action.input_parameters['state']] = action
    for action in actions:
        if action.action_type != 'migrate':
            continue
        source = action.input_parameters['source_node']
        assert by_host[source]['disabled'].uuid in ancestors(actions, action)
        assert action.uuid in ancestors(actions, by_host[source]['enabled'])


def _check_balancing(env, plan, actions):
    migrations = of_type(actions, 'migrate')
    assert migrations
    assert {m['source_node'] for m in migrations} == {'compute-5'}
    assert {m['resource_name'] for m in migrations} <= HOT
    indicators = env.indicators(plan)
    assert indicators['standard_deviation_after_audit'] < \
        indicators['standard_deviation_before_audit']
    assert indicators['instance_migrations_count'] == len(migrations)


def test_workload_stabilization(env):
    plan, actions = recommended_plan(env, 'workload_stabilization')
    _check_balancing(env, plan, actions)


def test_workload_balance(env):
    plan, actions = recommended_plan(env, 'workload_balance')
    _check_balancing(env, plan, actions)


def test_every_strategy_of_the_issue_is_covered():
    from watcher.decision_engine import loading
    installed = set(loading.list_available(loading.STRATEGIES))
    covered = {'dummy', 'dummy_with_scorer', 'dummy_with_resize', 'actuator',
               'host_maintenance', 'vm_workload_consolidation', 'basic',
               'workload_stabilization', 'workload_balance',
               'node_resource_consolidation'}
    assert covered <= installed


# -- scope and failures -----------------------------------------------------

def test_scope_limits_the_plan(env):
    scope = [{'compute': [{'host_aggregates': []},
                          {'availability_zones': []}]},
             {'compute': [{'exclude': [{'compute_nodes': [
                 {'name': 'compute-4'}]}]}]}]
    _plan, actions = recommended_plan(env, 'vm_workload_consolidation',
                                      scope=scope)
    hosts = {p.get('source_node') for p in of_type(actions, 'migrate')} | {
        p.get('destination_node') for p in of_type(actions, 'migrate')} | {
        p['resource_name'] for p in
        of_type(actions, 'change_nova_service_state')}
    assert 'compute-4' not in hosts


def test_missing_datasource_fails_with_a_clear_message(env):
    env.conf.set_override('datasources', ['gnocchi'],
                          group='watcher_datasources')
    try:
        run, audit = run_audit(env, 'basic')
    finally:
        env.conf.set_override('datasources', ['simulator'],
                              group='watcher_datasources')
    assert run.outcome == base.FAILED
    assert audit.state == 'FAILED'
    assert audit.status_message.startswith('Metric host_cpu_usage')
    assert ('is not available from any configured datasource (tried: '
            'gnocchi') in audit.status_message
    assert 'Traceback' not in audit.status_message
    assert env.plans(audit) == []


def test_unreachable_datasource_fails_with_a_clear_message(env):
    env.conf.set_override('endpoint', 'http://127.0.0.1:9',
                          group='simulator_client')
    try:
        run, audit = run_audit(env, 'workload_balance')
    finally:
        env.conf.set_override('endpoint', env.cloud.url,
                              group='simulator_client')
    assert run.outcome == base.FAILED
    assert audit.state == 'FAILED'
    assert 'could not be fetched for strategy workload_balance' in \
        audit.status_message
    assert 'simulator' in audit.status_message
    assert env.plans(audit) == []


def test_ongoing_plan_refuses_an_audit_without_force(env):
    _run, first = run_audit(env, 'dummy')
    [plan] = env.plans(first)
    plan.state = 'PENDING'
    plan.save()
    plan.state = 'ONGOING'
    plan.save()
    try:
        refused, audit = run_audit(env, 'dummy')
        assert refused.outcome == base.FAILED
        assert plan.uuid in audit.status_message
        forced, audit = run_audit(env, 'dummy', force=True)
        assert forced.outcome == base.RECOMMENDED
    finally:
        plan.state = 'SUCCEEDED'
        plan.save()
