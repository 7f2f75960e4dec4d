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

"""basic, vm_workload_consolidation and node_resource_consolidation on
hand-made models with known best answers.
"""
import pytest

from watcher.common import exception
from watcher.decision_engine.strategy.strategies import basic_consolidation
from watcher.decision_engine.strategy.strategies import \
    node_resource_consolidation as nrc
from watcher.decision_engine.strategy.strategies import \
    vm_workload_consolidation as vmwc
from watcher.tests.unit.decision_engine import model_fakes as fakes

STRATEGIES = [basic_consolidation.BasicConsolidation,
              vmwc.VMWorkloadConsolidation,
              nrc.NodeResourceConsolidation]


def _hosts_in_use(model):
    return sorted(n.hostname for n in model.get_all_compute_nodes().values()
                  if model.get_node_instances(n))


def _four_hosts():
    # 28 vCPU (and 2 GiB per vCPU) on 16-vCPU hosts: lower bound 2.
    # Cheapest: move the single servers of h2 (4) and h4 (8).
    return fakes.build({'h1': [('a', 8), ('b', 4)], 'h2': [('c', 4)],
                        'h3': [('d', 2), ('e', 2)], 'h4': [('f', 8)]})


@pytest.mark.parametrize('cls', STRATEGIES)
def test_reaches_lower_bound_with_fewest_moves(cls):
    model = _four_hosts()
    sol, after = fakes.run_and_apply(cls(config={}), model)
    assert len(_hosts_in_use(after)) == 2
    moved = {a['input_parameters']['resource_name']
             for a in fakes.migrations(sol)}
    assert moved == {'c', 'f'}
    values = sol.indicator_values
    assert values['compute_nodes_count'] == 4
    assert values['released_compute_nodes_count'] == 2
    assert values['instance_migrations_count'] == 2
    assert sol.global_efficacy[0]['value'] == 50.0
    for a in fakes.migrations(sol):
        assert a['input_parameters']['migration_type'] == 'live'


def test_basic_disables_released_hosts():
    sol = fakes.run(basic_consolidation.BasicConsolidation(config={}),
                    _four_hosts())
    disabled = sorted(a['input_parameters']['resource_name']
                      for a in sol.actions
                      if a['action_type'] == 'change_nova_service_state')
    assert disabled == ['h2', 'h4']
    for a in sol.actions:
        if a['action_type'] == 'change_nova_service_state':
            assert a['input_parameters']['state'] == 'disabled'
            assert a['input_parameters']['disabled_reason'] == \
                'watcher_disabled'


def test_nrc_auto_disables_then_reenables_sources():
    sol = fakes.run(nrc.NodeResourceConsolidation(config={}), _four_hosts(),
                    {'host_choice': 'auto'})
    # the Nova scheduler picks the destinations (parameter description)
    assert sorted(a['input_parameters']['source_node']
                  for a in fakes.migrations(sol)) == ['h2', 'h4']
    assert not [a for a in fakes.migrations(sol)
                if 'destination_node' in a['input_parameters']]
    states = [(a['input_parameters']['resource_name'],
               a['input_parameters']['state']) for a in sol.actions
              if a['action_type'] == 'change_nova_service_state']
    assert sorted(states) == [('h2', 'disabled'), ('h2', 'enabled'),
                              ('h4', 'disabled'), ('h4', 'enabled')]
    assert nrc.NodeResourceConsolidation.planner == \
        'node_resource_consolidation'
    sol = fakes.run(nrc.NodeResourceConsolidation(config={}), _four_hosts(),
                    {'host_choice': 'specify'})
    assert {a['action_type'] for a in sol.actions} == {'migrate'}
    assert all(a['input_parameters']['destination_node']
               for a in fakes.migrations(sol))
    with pytest.raises(exception.InvalidAuditParameters):
        nrc.NodeResourceConsolidation(config={}).validate_parameters(
            {'host_choice': 'random'})


def test_nrc_keeps_hosts_with_failed_migrations():
    previous = [{'action_type': 'migrate', 'state': 'FAILED',
                 'input_parameters': {'source_node': 'h2'}}]
    sol, after = fakes.run_and_apply(
        nrc.NodeResourceConsolidation(config={}), _four_hosts(),
        {'host_choice': 'specify'}, previous_actions=previous)
    assert 'h2' in _hosts_in_use(after)
    assert all(a['input_parameters']['source_node'] != 'h2'
               for a in fakes.migrations(sol))


@pytest.mark.parametrize('cls', STRATEGIES)
def test_anti_affinity_blocks_packing(cls):
    model = fakes.build({'h1': [('a', 4)], 'h2': [('b', 4)],
                         'h3': [('c', 4)]},
                        groups=[('anti-affinity', ['a', 'b', 'c'])])
    sol, after = fakes.run_and_apply(cls(config={}), model)
    assert fakes.migrations(sol) == []
    model = fakes.build({'h1': [('a', 4)], 'h2': [('b', 4)],
                         'h3': [('c', 4)]},
                        groups=[('anti-affinity', ['a', 'b'])])
    sol, after = fakes.run_and_apply(cls(config={}), model)
    assert len(_hosts_in_use(after)) == 2


@pytest.mark.parametrize('cls', STRATEGIES)
def test_affinity_keeps_members_together(cls):
    model = fakes.build({'h1': [('a', 4), ('b', 4)], 'h2': [('c', 2)],
                         'h3': [('d', 8)]},
                        groups=[('affinity', ['a', 'b'])])
    sol, after = fakes.run_and_apply(cls(config={}), model)
    assert after.get_node_by_instance_uuid('uuid-a').uuid == \
        after.get_node_by_instance_uuid('uuid-b').uuid
    assert len(_hosts_in_use(after)) == 2


@pytest.mark.parametrize('cls', STRATEGIES)
def test_excluded_and_unmovable_servers_stay(cls):
    model = fakes.build({
        'h1': [fakes.server('x', vcpus=2, watcher_exclude=True)],
        'h2': [fakes.server('y', vcpus=2, state='error')],
        'h3': [fakes.server('z', vcpus=2, state='stopped')],
        'h4': [fakes.server('w', vcpus=2, task_state='migrating')]})
    sol, after = fakes.run_and_apply(cls(config={}), model)
    moved = {a['input_parameters']['resource_name']: a['input_parameters']
             for a in fakes.migrations(sol)}
    assert set(moved) == {'z'}
    assert moved['z']['migration_type'] == 'cold'
    assert moved['z']['destination_node'] in ('h1', 'h2', 'h4')


@pytest.mark.parametrize('cls', STRATEGIES)
def test_disabled_hosts_never_receive(cls):
    nodes = {'h1': fakes.node('h1', status='disabled',
                              disabled_reason='hardware')}
    model = fakes.build({'h1': [], 'h2': [('a', 2)], 'h3': [('b', 2)]},
                        nodes=nodes)
    sol, after = fakes.run_and_apply(cls(config={}), model)
    assert all(a['input_parameters']['destination_node'] != 'h1'
               for a in fakes.migrations(sol))
    assert len(_hosts_in_use(after)) == 1
    nodes = {'h1': fakes.node('h1', state='down')}
    model = fakes.build({'h1': [], 'h2': [('a', 2)]}, nodes=nodes)
    sol = fakes.run(cls(config={}), model)
    assert fakes.migrations(sol) == []


@pytest.mark.parametrize('cls', STRATEGIES)
def test_allocation_ratio_allows_overcommit(cls):
    nodes = {h: fakes.node(h, vcpus=8, vcpu_ratio=2.0)
             for h in ('h1', 'h2')}
    model = fakes.build({'h1': [fakes.server('a', vcpus=8, memory=1024)],
                         'h2': [fakes.server('b', vcpus=8, memory=1024)]},
                        nodes=nodes)
    frame = fakes.cpu_frame(model, instance_pct={'a': 10, 'b': 10})
    strategy = cls(config={})
    frame = fakes.cpu_frame(model, instance_pct={'a': 10, 'b': 10},
                            queries=strategy.metric_queries(
                                strategy.validate_parameters({})))
    sol, after = fakes.run_and_apply(strategy, model, frame=frame)
    assert len(_hosts_in_use(after)) == 1


@pytest.mark.parametrize('cls', [basic_consolidation.BasicConsolidation,
                                 vmwc.VMWorkloadConsolidation])
def test_measured_cpu_limits_packing(cls):
    nodes = {h: fakes.node(h, vcpus=8, vcpu_ratio=4.0)
             for h in ('h1', 'h2')}
    model = fakes.build({'h1': [fakes.server('a', vcpus=6, memory=1024)],
                         'h2': [fakes.server('b', vcpus=6, memory=1024)]},
                        nodes=nodes)
    strategy = cls(config={})
    queries = strategy.metric_queries(strategy.validate_parameters({}))
    busy = fakes.cpu_frame(model, instance_pct={'a': 100, 'b': 100},
                           queries=queries)
    sol = fakes.run(strategy, model.copy(), frame=busy)
    assert fakes.migrations(sol) == []       # 12 busy cores > 8
    idle = fakes.cpu_frame(model, instance_pct={'a': 5, 'b': 5},
                           queries=queries)
    sol = fakes.run(strategy, model.copy(), frame=idle)
    assert len(fakes.migrations(sol)) == 1


def test_vmwc_offloads_overloaded_host():
    nodes = {h: fakes.node(h, vcpus=8, vcpu_ratio=4.0)
             for h in ('h1', 'h2')}
    model = fakes.build({'h1': [fakes.server('a', vcpus=6, memory=1024),
                                fakes.server('b', vcpus=6, memory=1024)],
                         'h2': []}, nodes=nodes)
    strategy = vmwc.VMWorkloadConsolidation(config={})
    queries = strategy.metric_queries(strategy.validate_parameters({}))
    frame = fakes.cpu_frame(model, instance_pct={'a': 100, 'b': 90},
                            queries=queries)
    sol, after = fakes.run_and_apply(strategy, model, frame=frame)
    moved = [a['input_parameters']['resource_name']
             for a in fakes.migrations(sol)]
    assert moved == ['b']                    # the less loaded one
    assert not any(a['action_type'] == 'change_nova_service_state'
                   for a in sol.actions)


def test_basic_check_optimize_metadata():
    model = fakes.build({
        'h1': [fakes.server('a', vcpus=2, metadata={'optimize': 'false'})],
        'h2': [fakes.server('b', vcpus=2, metadata={'optimize': 'junk'})],
        'h3': [fakes.server('c', vcpus=2, metadata={'optimize': 'True'})],
        'h4': [fakes.server('d', vcpus=2)]})
    strategy = basic_consolidation.BasicConsolidation(
        config={'check_optimize_metadata': True})
    sol = fakes.run(strategy, model)
    moved = {a['input_parameters']['resource_name']
             for a in fakes.migrations(sol)}
    assert moved and moved <= {'c', 'd'}


def test_basic_parameters_and_queries():
    strategy = basic_consolidation.BasicConsolidation(config={})
    params = strategy.validate_parameters(
        {'period': 600, 'aggregation_method': {'instance': 'max'}})
    assert params['aggregation_method'] == {'instance': 'max',
                                            'compute_node': 'mean',
                                            'node': ''}
    host_q, inst_q = strategy.metric_queries(params)
    assert (host_q.metric, host_q.resource_type, host_q.period,
            host_q.aggregate) == ('host_cpu_usage', 'compute_node', 600,
                                  'mean')
    assert (inst_q.metric, inst_q.aggregate) == ('instance_cpu_usage',
                                                 'max')
    with pytest.raises(exception.InvalidAuditParameters):
        strategy.validate_parameters({'period': 'soon'})


def test_migration_attempts_caps_the_search():
    strategy = basic_consolidation.BasicConsolidation(config={})
    sol = fakes.run(strategy, _four_hosts(), {'migration_attempts': 1})
    assert len(fakes.migrations(sol)) <= 1


@pytest.mark.parametrize('cls', STRATEGIES)
def test_pinned_availability_zone(cls):
    nodes = {'h1': fakes.node('h1', availability_zone='az1'),
             'h2': fakes.node('h2', availability_zone='az2'),
             'h3': fakes.node('h3', availability_zone='az1')}
    model = fakes.build({'h1': [fakes.server('a', pinned_az='az1')],
                         'h2': [('b', 8)],
                         'h3': [('c', 2)]}, nodes=nodes)
    sol, after = fakes.run_and_apply(cls(config={}), model)
    assert after.get_node_by_instance_uuid('uuid-a').availability_zone == \
        'az1'
