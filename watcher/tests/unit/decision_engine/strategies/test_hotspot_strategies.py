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

"""outlet_temperature, uniform_airflow and noisy_neighbor on small
hand-made models.
"""
import pytest

from watcher.common import exception
from watcher.decision_engine.datasources.frame import MetricsFrame
from watcher.decision_engine.strategy.context import StrategyInput
from watcher.decision_engine.strategy.strategies import noisy_neighbor
from watcher.decision_engine.strategy.strategies import outlet_temp_control
from watcher.decision_engine.strategy.strategies import uniform_airflow
from watcher.tests.unit.decision_engine import model_fakes as fakes


def frame_for(strategy, params, model, host=None, inst=None):
    """``host``: {metric: {hostname: value}}; ``inst``: {metric: {server
    name: value}} (or {(metric, period): ...} for per-period values);
    CPU defaults: 10 % per server, hosts unmeasured.
    """
    host, inst = host or {}, inst or {}
    nodes = {n.hostname: n.uuid
             for n in model.get_all_compute_nodes().values()}
    servers = {i.name: i.uuid for i in model.get_all_instances().values()}
    frame = MetricsFrame()
    for q in strategy.metric_queries(params):
        if q.resource_type == 'compute_node':
            values = host.get(q.metric, {})
            frame.set(q, {nodes[k]: v for k, v in values.items()})
        else:
            values = inst.get((q.metric, q.period), inst.get(q.metric))
            if values is None and q.metric == 'instance_cpu_usage':
                values = {name: 10.0 for name in servers}
            frame.set(q, {servers[k]: v for k, v in (values or {}).items()})
    return frame


def run(strategy, model, params=None, **metrics):
    params = strategy.validate_parameters(params or {})
    frame = frame_for(strategy, params, model, **metrics)
    return strategy.execute(StrategyInput(compute_model=model,
                                          metrics=frame, parameters=params))


def moves(solution):
    return [(a['input_parameters']['resource_name'],
             a['input_parameters']['source_node'],
             a['input_parameters'].get('destination_node'))
            for a in solution.actions if a['action_type'] == 'migrate']


# -- outlet_temperature ---------------------------------------------------
def outlet():
    return outlet_temp_control.OutletTempControl(config={})


def test_outlet_hot_host_sheds_its_busiest_server_to_the_coolest():
    model = fakes.build({'hot': [('a', 2), ('b', 2)], 'warm': [('c', 2)],
                         'cool': [('d', 2)]})
    sol = run(outlet(), model,
              host={'host_outlet_temp': {'hot': 40, 'warm': 30,
                                         'cool': 20}},
              inst={'instance_cpu_usage': {'a': 10, 'b': 90, 'c': 10,
                                           'd': 10}})
    assert moves(sol) == [('b', 'hot', 'cool')]
    assert sol.actions[0]['input_parameters']['migration_type'] == 'live'
    assert model.get_node_by_instance_uuid('uuid-b').hostname == 'cool'


def test_outlet_every_hot_host_relieved_spread_over_destinations():
    model = fakes.build({'h1': [('a', 2)], 'h2': [('b', 2)],
                         'c1': [], 'c2': []})
    sol = run(outlet(), model, {'threshold': 30},
              host={'host_outlet_temp': {'h1': 45, 'h2': 40, 'c1': 20,
                                         'c2': 22}})
    assert moves(sol) == [('a', 'h1', 'c1'), ('b', 'h2', 'c2')]


def test_outlet_nothing_when_all_below_threshold():
    model = fakes.build({'h1': [('a', 2)], 'h2': []})
    sol = run(outlet(), model,
              host={'host_outlet_temp': {'h1': 34.9, 'h2': 20}})
    assert sol.actions == []


def test_outlet_destination_capacity_and_measured_load():
    # 'full' is coolest but has no vCPU left; 'busy' has room by
    # allocation but its measured CPU is above the 0.8 target
    model = fakes.build(
        {'hot': [('a', 4)], 'full': [('f', 16)], 'busy': [('g', 2)],
         'ok': []})
    sol = run(outlet(), model,
              host={'host_outlet_temp': {'hot': 50, 'full': 15,
                                         'busy': 16, 'ok': 30},
                    'host_cpu_usage': {'busy': 95}})
    assert moves(sol) == [('a', 'hot', 'ok')]


def test_outlet_anti_affinity_and_pinned_zone():
    model = fakes.build(
        {'hot': [fakes.server('a', pinned_az='az1'), ('b', 2)],
         'c1': [('peer', 2)],
         'c2': [],
         'c3': []},
        nodes={'hot': fakes.node('hot', availability_zone='az1'),
               'c1': fakes.node('c1', availability_zone='az1'),
               'c2': fakes.node('c2', availability_zone='az2'),
               'c3': fakes.node('c3', availability_zone='az2')},
        groups=[('anti-affinity', ['a', 'peer'])])
    # 'a' is the busiest but may only go to az1, where c1 holds its
    # anti-affinity peer: 'b' leaves instead, to the coolest host
    sol = run(outlet(), model,
              host={'host_outlet_temp': {'hot': 50, 'c1': 20, 'c2': 25,
                                         'c3': 26}},
              inst={'instance_cpu_usage': {'a': 90, 'b': 10,
                                           'peer': 10}})
    assert moves(sol) == [('b', 'hot', 'c1')]


def test_outlet_host_without_reading_is_left_alone():
    model = fakes.build({'hot': [('a', 2)], 'unknown': [], 'c': []})
    sol = run(outlet(), model,
              host={'host_outlet_temp': {'hot': 50, 'c': 30}})
    assert moves(sol) == [('a', 'hot', 'c')]


def test_outlet_no_reading_at_all_fails_naming_the_metric():
    model = fakes.build({'h1': [('a', 2)], 'h2': []})
    with pytest.raises(exception.MetricFetchFailed) as err:
        run(outlet(), model)
    assert 'host_outlet_temp' in str(err.value)
    assert 'outlet_temperature' in str(err.value)


@pytest.mark.parametrize('params', [{'threshold': -5}, {'threshold': 500},
                                    {'period': 0}, {'threshold': 'hot'}])
def test_outlet_bad_parameters(params):
    with pytest.raises(exception.InvalidAuditParameters):
        outlet().validate_parameters(params)


def test_outlet_deterministic():
    def plan():
        model = fakes.build({'hot': [('a', 2), ('b', 2)], 'c1': [],
                             'c2': []})
        return moves(run(outlet(), model, host={'host_outlet_temp': {
            'hot': 50, 'c1': 20, 'c2': 20}}))
    assert plan() == plan() == [('a', 'hot', 'c1')]


# -- uniform_airflow ------------------------------------------------------
def airflow():
    return uniform_airflow.UniformAirflow(config={})


def air_metrics(air, inlet, power):
    return {'host_airflow': air, 'host_inlet_temp': inlet,
            'host_power': power}


def test_airflow_hot_and_loaded_host_sheds_one_server():
    model = fakes.build({'src': [('a', 2), ('b', 2)], 'd1': [], 'd2': []})
    sol = run(airflow(), model, host=air_metrics(
        {'src': 500, 'd1': 300, 'd2': 200},
        {'src': 30, 'd1': 20, 'd2': 20},
        {'src': 400, 'd1': 100, 'd2': 100}),
        inst={'instance_cpu_usage': {'a': 20, 'b': 60}})
    assert moves(sol) == [('b', 'src', 'd2')]


def test_airflow_cool_and_idle_host_is_evacuated():
    # high airflow with low inlet temperature and low power: a cooling
    # fault is suspected, everything leaves, spread over destinations
    model = fakes.build({'src': [('a', 2), ('b', 2), ('c', 2)],
                         'd1': [], 'd2': []})
    sol = run(airflow(), model, host=air_metrics(
        {'src': 500, 'd1': 300, 'd2': 200},
        {'src': 20, 'd1': 20, 'd2': 20},
        {'src': 100, 'd1': 100, 'd2': 100}))
    assert sorted(m[0] for m in moves(sol)) == ['a', 'b', 'c']
    dests = [m[2] for m in moves(sol)]
    assert dests.count('d2') == 2 and dests.count('d1') == 1
    assert model.get_node_instances(model.get_node_by_name('src')) == []


def test_airflow_missing_inlet_reading_never_evacuates():
    model = fakes.build({'src': [('a', 2), ('b', 2)], 'd1': []})
    sol = run(airflow(), model, host=air_metrics(
        {'src': 500, 'd1': 300}, {'d1': 20}, {'src': 100, 'd1': 100}))
    assert len(moves(sol)) == 1


def test_airflow_below_threshold_nothing():
    model = fakes.build({'src': [('a', 2)], 'd1': []})
    sol = run(airflow(), model, host=air_metrics(
        {'src': 399, 'd1': 100}, {'src': 30, 'd1': 30},
        {'src': 400, 'd1': 400}))
    assert sol.actions == []


def test_airflow_missing_power_metric_fails():
    model = fakes.build({'src': [('a', 2)], 'd1': []})
    with pytest.raises(exception.MetricFetchFailed) as err:
        run(airflow(), model, host=air_metrics(
            {'src': 500, 'd1': 100}, {'src': 30, 'd1': 30}, {}))
    assert 'host_power' in str(err.value)


@pytest.mark.parametrize('key', ['threshold_airflow', 'threshold_inlet_t',
                                 'threshold_power', 'period'])
def test_airflow_bad_parameters(key):
    with pytest.raises(exception.InvalidAuditParameters) as err:
        airflow().validate_parameters({key: 0})
    assert key in str(err.value)


# -- noisy_neighbor -------------------------------------------------------
def noisy():
    return noisy_neighbor.NoisyNeighbor(config={})


def prio(name, value, **kw):
    return fakes.server(name, metadata={'watcher-priority': str(value)},
                        **kw)


def cache(current, previous):
    """Per-period frame values from the current and previous means."""
    both = {k: (current[k] + previous[k]) / 2.0 for k in current}
    return {('instance_l3_cache_usage', 100): current,
            ('instance_l3_cache_usage', 200): both}


def test_noisy_low_priority_neighbour_moves_away():
    model = fakes.build({'h1': [prio('vip', 1), prio('noisy', 8),
                                prio('calm', 8)],
                         'h2': [prio('x', 5)], 'h3': []})
    sol = run(noisy(), model, inst=cache(
        {'vip': 50, 'noisy': 300, 'calm': 100, 'x': 400},
        {'vip': 100, 'noisy': 100, 'calm': 100, 'x': 400}))
    # the least cache in use first: h3 (empty)
    assert moves(sol) == [('noisy', 'h1', 'h3')]


def test_noisy_higher_priority_neighbour_is_never_moved():
    model = fakes.build({'h1': [prio('vip', 3), prio('boss', 1)],
                         'h2': []})
    sol = run(noisy(), model, inst=cache(
        {'vip': 50, 'boss': 300}, {'vip': 100, 'boss': 100}))
    assert sol.actions == []


def test_noisy_changes_within_threshold_do_nothing():
    model = fakes.build({'h1': [prio('vip', 1), prio('n', 8)], 'h2': []})
    sol = run(noisy(), model, {'cache_threshold': 60}, inst=cache(
        {'vip': 50, 'n': 150}, {'vip': 100, 'n': 100}))
    assert sol.actions == []


def test_noisy_destination_without_trouble_of_its_own():
    model = fakes.build({'h1': [prio('vip', 1), prio('n', 8)],
                         'h2': [prio('hurt', 1)], 'h3': [prio('y', 5)]})
    sol = run(noisy(), model, inst=cache(
        {'vip': 50, 'n': 300, 'hurt': 10, 'y': 900},
        {'vip': 100, 'n': 100, 'hurt': 100, 'y': 900}))
    assert moves(sol) == [('n', 'h1', 'h3')]


def test_noisy_default_priority_and_two_queries_for_cache():
    s = noisy()
    params = s.validate_parameters({'period': 60})
    cache_qs = [q for q in s.metric_queries(params)
                if q.metric == 'instance_l3_cache_usage']
    assert [q.period for q in cache_qs] == [60, 120]
    assert noisy_neighbor.priority(fakes.server('a')) == 5
    assert noisy_neighbor.priority(prio('b', 'high')) == 5
    assert noisy_neighbor.priority(prio('c', 2)) == 2


def test_noisy_missing_cache_metric_fails():
    model = fakes.build({'h1': [prio('vip', 1)], 'h2': []})
    with pytest.raises(exception.MetricFetchFailed) as err:
        run(noisy(), model)
    assert 'instance_l3_cache_usage' in str(err.value)


@pytest.mark.parametrize('params', [{'cache_threshold': 0},
                                    {'cache_threshold': 101},
                                    {'period': -1}])
def test_noisy_bad_parameters(params):
    with pytest.raises(exception.InvalidAuditParameters):
        noisy().validate_parameters(params)
