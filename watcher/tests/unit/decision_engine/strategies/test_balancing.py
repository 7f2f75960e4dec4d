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

import pytest

from watcher.common import exception
from watcher.decision_engine.strategy.strategies import workload_balance
from watcher.decision_engine.strategy.strategies import \
    workload_stabilization
from watcher.tests.unit.decision_engine import model_fakes as fakes


def _model():
    # h1: 3 servers of 4 vCPU at 100 % = 12/16 cores (75 %),
    # h2: 4 cores of 16 (25 %), h3: idle.
    return fakes.build({'h1': [('a', 4), ('b', 4), ('c', 4)],
                        'h2': [('d', 4)], 'h3': [('e', 2)]})


def _frame(model, strategy, params, pct):
    return fakes.cpu_frame(model, instance_pct=pct,
                           queries=strategy.metric_queries(
                               strategy.validate_parameters(params)))


PCT = {'a': 100, 'b': 100, 'c': 100, 'd': 100, 'e': 0}


def test_workload_balance_moves_one_server_to_least_loaded():
    strategy = workload_balance.WorkloadBalance(config={})
    model = _model()
    params = {'threshold': 30.0}
    frame = _frame(model, strategy, params, PCT)
    sol, after = fakes.run_and_apply(strategy, model, params, frame=frame)
    moves = [(a['input_parameters']['source_node'],
              a['input_parameters']['destination_node'])
             for a in fakes.migrations(sol)]
    assert moves == [('h1', 'h3')]
    values = sol.indicator_values
    assert values['instance_migrations_count'] == 1
    assert values['instances_count'] == 5
    assert values['standard_deviation_after_audit'] < \
        values['standard_deviation_before_audit']


def test_workload_balance_destination_stays_under_threshold():
    strategy = workload_balance.WorkloadBalance(config={})
    model = _model()
    frame = _frame(model, strategy, {}, PCT)
    sol = fakes.run(strategy, model, frame=frame)
    assert fakes.migrations(sol) == []      # h3 would reach 4/16 = 25 %


def test_workload_balance_ram_and_errors():
    strategy = workload_balance.WorkloadBalance(config={})
    params = strategy.validate_parameters({'metrics': 'instance_ram_usage'})
    (query,) = strategy.metric_queries(params)
    assert query.metric == 'instance_ram_usage'
    with pytest.raises(exception.InvalidAuditParameters):
        strategy.validate_parameters({'metrics': 'disk'})


def test_workload_balance_respects_capacity():
    nodes = {'h3': fakes.node('h3', vcpus=2),
             'h2': fakes.node('h2', vcpus=32, memory=65536)}
    model = fakes.build({'h1': [('a', 4), ('b', 4), ('c', 4)],
                         'h2': [('d', 4)], 'h3': []}, nodes=nodes)
    strategy = workload_balance.WorkloadBalance(config={})
    params = {'threshold': 30.0}
    frame = _frame(model, strategy, params, PCT)
    sol, after = fakes.run_and_apply(strategy, model, params, frame=frame)
    assert [a['input_parameters']['destination_node']
            for a in fakes.migrations(sol)] == ['h2']


@pytest.mark.parametrize('host_choice', ['fullsearch', 'retry', 'cycle'])
def test_workload_stabilization_reduces_spread(host_choice):
    strategy = workload_stabilization.WorkloadStabilization(config={})
    model = fakes.build({'h1': [('a', 4), ('b', 4), ('c', 4), ('f', 2)],
                         'h2': [('d', 4)], 'h3': [('e', 2)],
                         'h4': []})
    params = {'host_choice': host_choice, 'retry_count': 3}
    frame = _frame(model, strategy, params, dict(PCT, f=100))
    sol, after = fakes.run_and_apply(strategy, model, params, frame=frame)
    values = sol.indicator_values
    assert values['instance_migrations_count'] == len(
        fakes.migrations(sol)) > 0
    assert values['standard_deviation_after_audit'] < \
        values['standard_deviation_before_audit']
    moved = [a['input_parameters']['resource_name']
             for a in fakes.migrations(sol)]
    assert len(moved) == len(set(moved))     # a server moves once
    assert strategy.planner == 'workload_stabilization'


def test_workload_stabilization_balanced_cluster_no_action():
    strategy = workload_stabilization.WorkloadStabilization(config={})
    model = fakes.build({'h1': [('a', 4)], 'h2': [('b', 4)]})
    frame = _frame(model, strategy, {}, {'a': 50, 'b': 50})
    sol = fakes.run(strategy, model, frame=frame)
    assert sol.actions == []
    assert sol.indicator_values['standard_deviation_before_audit'] == 0


def test_workload_stabilization_parameters():
    strategy = workload_stabilization.WorkloadStabilization(config={})
    params = strategy.validate_parameters({})
    assert params['metrics'] == ['instance_cpu_usage']
    assert params['periods'] == {'instance': 720, 'compute_node': 600,
                                 'node': 0}
    queries = strategy.metric_queries(params)
    assert [(q.metric, q.resource_type, q.period) for q in queries] == [
        ('instance_cpu_usage', 'instance', 720),
        ('host_cpu_usage', 'compute_node', 600)]
    params = strategy.validate_parameters(
        {'metrics': ['instance_cpu_usage', 'instance_ram_usage']})
    assert len(strategy.metric_queries(params)) == 4
    for bad in ({'host_choice': 'magic'}, {'metrics': ['disk']},
                {'thresholds': {'instance_cpu_usage': 2}},
                {'retry_count': 0}):
        with pytest.raises(exception.InvalidAuditParameters):
            strategy.validate_parameters(bad)
