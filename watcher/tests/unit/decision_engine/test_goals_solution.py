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

import json

import pytest

from watcher.common import exception
from watcher.decision_engine import loading
from watcher.decision_engine.goal import goals
from watcher.decision_engine.solution import Solution

GOALS = {
    'airflow_optimization': 'Airflow Optimization',
    'cluster_maintaining': 'Cluster Maintaining',
    'dummy': 'Dummy goal',
    'hardware_maintenance': 'Hardware Maintenance',
    'noisy_neighbor': 'Noisy Neighbor',
    'saving_energy': 'Saving Energy',
    'server_consolidation': 'Server Consolidation',
    'thermal_optimization': 'Thermal Optimization',
    'unclassified': 'Unclassified',
    'workload_balancing': 'Workload Balancing',
}


def test_goal_plugins():
    available = loading.list_available(loading.GOALS)
    assert {n: c.display_name for n, c in available.items()} == GOALS
    assert all(c.name == n for n, c in available.items())


def test_efficacy_specifications():
    spec = goals.ServerConsolidation.get_efficacy_specification()
    assert spec.serialize_indicators_specifications()[0] == {
        'name': 'compute_nodes_count',
        'description': 'The total number of enabled compute nodes.',
        'unit': None,
        'schema': json.dumps({'type': 'integer', 'minimum': 0})}
    names = [s['name'] for s in goals.WorkloadBalancing
             .get_efficacy_specification()
             .serialize_indicators_specifications()]
    assert names == ['instance_migrations_count', 'instances_count',
                     'standard_deviation_after_audit',
                     'standard_deviation_before_audit']
    hw = goals.HardwareMaintenance.get_efficacy_specification()
    assert len(hw.serialize_indicators_specifications()) == 8
    assert goals.Dummy.get_efficacy_specification() \
        .serialize_indicators_specifications() == []


def test_solution_actions_carry_resource():
    s = Solution('dummy', 'dummy')
    s.add_action('nop', input_parameters={'message': 'x'})
    s.add_action('migrate', resource_id='u', resource_name='vm',
                 input_parameters={'source_node': 'h1'})
    assert s.actions[0] == {'action_type': 'nop', 'resource_id': None,
                            'input_parameters': {'message': 'x'}}
    assert s.actions[1]['input_parameters'] == {
        'source_node': 'h1', 'resource_id': 'u', 'resource_name': 'vm'}
    assert s.actions_by_type() == {'nop': 1, 'migrate': 1}
    assert s.efficacy_indicators == [] and s.global_efficacy == []


def test_server_consolidation_efficacy():
    s = Solution('server_consolidation', 'basic')
    s.set_efficacy_indicators(compute_nodes_count=4,
                              released_compute_nodes_count=1,
                              instance_migrations_count=35)
    assert [i['value'] for i in s.efficacy_indicators] == [4, 1, 35]
    assert s.global_efficacy == [{
        'name': 'released_nodes_ratio',
        'description': 'Ratio of released compute nodes divided by the '
                       'total number of enabled compute nodes.',
        'unit': '%', 'value': 25.0}]


def test_workload_balancing_efficacy():
    s = Solution('workload_balancing', 'x')
    s.set_efficacy_indicators(instance_migrations_count=5,
                              instances_count=50,
                              standard_deviation_before_audit=0.3,
                              standard_deviation_after_audit=0.1)
    assert s.global_efficacy[0]['name'] == 'live_migrations_count'
    assert s.global_efficacy[0]['value'] == 10.0


def test_efficacy_validation():
    s = Solution('server_consolidation', 'basic')
    with pytest.raises(exception.InvalidIndicatorValue):
        s.set_efficacy_indicators(compute_nodes_count=-1)
    with pytest.raises(exception.InvalidIndicatorValue):
        s.set_efficacy_indicators(bogus=1)
    s.set_efficacy_indicators(compute_nodes_count=1)
    with pytest.raises(exception.InvalidIndicatorValue):
        s.check_efficacy_indicators()     # required ones missing
    s.set_efficacy_indicators(released_compute_nodes_count=0,
                              instance_migrations_count=0)
    s.check_efficacy_indicators()
    assert s.global_efficacy[0]['value'] == 0


def test_loading():
    strategies = loading.list_available(loading.STRATEGIES)
    for name in ('dummy', 'dummy_with_scorer', 'dummy_with_resize',
                 'actuator', 'basic', 'vm_workload_consolidation',
                 'workload_stabilization', 'workload_balance',
                 'host_maintenance', 'node_resource_consolidation',
                 'outlet_temperature', 'uniform_airflow', 'noisy_neighbor',
                 'saving_energy', 'storage_capacity_balance',
                 'zone_migration'):
        assert strategies[name].name == name
        assert strategies[name].goal_name in GOALS
    assert set(loading.list_available(loading.PLANNERS)) == {
        'weight', 'workload_stabilization', 'node_resource_consolidation'}
    strategy = loading.load(loading.STRATEGIES, 'dummy')
    assert strategy.name == 'dummy'
    with pytest.raises(exception.LoadingError):
        loading.load(loading.STRATEGIES, 'no_such_strategy')
    with pytest.raises(exception.LoadingError):
        loading.get_class('no_such_namespace', 'x')
