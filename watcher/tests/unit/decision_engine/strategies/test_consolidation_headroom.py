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

"""The measured-load headroom rule of the consolidation strategies.

The layout mirrors the demo cloud (``watcher/simulator/scenarios/demo.yaml``):
six 16-CPU hosts (cpu_allocation_ratio 4), compute-0/1 moderately loaded,
compute-2/3/4 holding one idle server each, compute-5 at about 90 % CPU.
"""
import numpy as np
import pytest

from watcher.decision_engine.datasources.frame import MetricsFrame
from watcher.tests import synthetic
from watcher.decision_engine.strategy.common import cluster
from watcher.decision_engine.strategy.common import consolidation
from watcher.decision_engine.strategy.common import packing
from watcher.decision_engine.strategy.context import StrategyInput
from watcher.decision_engine.strategy.strategies import basic_consolidation
from watcher.decision_engine.strategy.strategies import \
    node_resource_consolidation as nrc
from watcher.decision_engine.strategy.strategies import \
    vm_workload_consolidation as vmwc
from watcher.tests.unit.decision_engine import model_fakes as fakes

FLAVORS = {'tiny': (1, 512, 1), 'small': (1, 2048, 20),
           'medium': (2, 4096, 40), 'large': (4, 8192, 80)}

# host -> [(server, flavor, cpu fraction of its vCPUs, ram fraction)]
DEMO = {
    'compute-0': [('web-0', 'medium', 0.35, 0.6),
                  ('db-0', 'large', 0.4, 0.8),
                  ('app-0', 'medium', 0.3, 0.5)],
    'compute-1': [('web-1', 'medium', 0.35, 0.6),
                  ('app-1', 'large', 0.3, 0.6),
                  ('cache-1', 'small', 0.2, 0.9)],
    'compute-2': [('idle-2', 'small', 0.01, 0.2)],
    'compute-3': [('idle-3', 'small', 0.03, 0.3)],
    'compute-4': [('idle-4', 'tiny', 0.01, 0.3)],
    'compute-5': [('hot-0', 'large', 0.85, 0.7),
                  ('hot-1', 'large', 0.9, 0.8),
                  ('hot-2', 'large', 0.9, 0.6),
                  ('hot-3', 'medium', 0.8, 0.5),
                  ('hot-4', 'medium', 0.85, 0.7)],
}
IDLE = {'idle-2': 'compute-2', 'idle-3': 'compute-3',
        'idle-4': 'compute-4'}
HOT_HOST = 'compute-5'
CONSOLIDATING = [basic_consolidation.BasicConsolidation,
                 vmwc.VMWorkloadConsolidation,
                 nrc.NodeResourceConsolidation]
METRIC_BASED = CONSOLIDATING[:2]


def demo_model(layout=DEMO):
    nodes = {h: fakes.node(h, vcpus=16, memory=65536, disk=500,
                           vcpu_ratio=4.0, memory_mb_reserved=512)
             for h in layout}
    servers = {}
    for host, items in layout.items():
        servers[host] = []
        for name, flavor, _cpu, _ram in items:
            vcpus, memory, disk = FLAVORS[flavor]
            servers[host].append(fakes.server(name, vcpus=vcpus,
                                              memory=memory, disk=disk))
    web = [name for items in layout.values() for name, *_ in items
           if name.startswith('web-')]
    return fakes.build(servers, nodes=nodes,
                       groups=[('anti-affinity', web)])


def demo_frame(model, queries, layout=DEMO):
    """Instance CPU % / RAM MiB and host CPU % consistent with ``layout``
    for the ``queries`` of a strategy (all of them when none given).
    """
    load = {name: (cpu, ram) for items in layout.values()
            for name, _f, cpu, ram in items}
    inst_cpu, inst_ram, host_cpu = {}, {}, {}
    for node in model.get_all_compute_nodes().values():
        cores = 0.0
        for inst in model.get_node_instances(node):
            cpu, ram = load[inst.name]
            inst_cpu[inst.uuid] = cpu * 100.0
            inst_ram[inst.uuid] = ram * inst.memory
            cores += cpu * inst.vcpus
        host_cpu[node.uuid] = cores / node.vcpus * 100.0
    frame = MetricsFrame()
    values = {'instance_cpu_usage': inst_cpu, 'instance_ram_usage': inst_ram,
              'host_cpu_usage': host_cpu}
    for q in queries:
        if q.metric in values:
            frame.set(q, values[q.metric])
    return frame


def _queries(strategy):
    queries = strategy.metric_queries(strategy.validate_parameters({}))
    if not queries:     # node_resource_consolidation queries nothing
        queries = basic_consolidation.BasicConsolidation(
            config={}).metric_queries(
            basic_consolidation.BasicConsolidation(
                config={}).validate_parameters({}))
    return queries


def _run(cls, config=None, layout=DEMO, frame=True, params=None):
    strategy = cls(config=config or {})
    model = demo_model(layout)
    metrics = demo_frame(model, _queries(strategy), layout) if frame \
        else MetricsFrame()
    return fakes.run_and_apply(strategy, model, params, frame=metrics)


def _busy_cores(model, layout=DEMO):
    load = {name: cpu for items in layout.values()
            for name, _f, cpu, _r in items}
    return {n.hostname: sum(load[i.name] * i.vcpus
                            for i in model.get_node_instances(n))
            for n in model.get_all_compute_nodes().values()}


@pytest.mark.parametrize('cls', CONSOLIDATING)
def test_demo_idle_hosts_freed_onto_the_moderate_pair(cls):
    sol, after = _run(cls)        # capacity and anti-affinity checked
    moves = {a['input_parameters']['resource_name']: a['input_parameters']
             for a in fakes.migrations(sol)}
    onto_hot = {s for s, m in moves.items()
                if m['destination_node'] == HOT_HOST}
    if cls is nrc.NodeResourceConsolidation:
        # capacity-based, headroom only preferred: web-1 (anti-affine with
        # web-0 on compute-0) has no other host when compute-1 is freed
        assert onto_hot <= {'web-1'}
    else:
        assert not onto_hot
    for server, host in IDLE.items():
        assert moves[server]['source_node'] == host
        assert moves[server]['destination_node'] in ('compute-0',
                                                     'compute-1')
    for host in IDLE.values():
        assert not after.get_node_instances(after.get_node_by_name(host))
    if cls is not nrc.NodeResourceConsolidation:
        disabled = {a['input_parameters']['resource_name']
                    for a in sol.actions
                    if a['action_type'] == 'change_nova_service_state'}
        assert set(IDLE.values()) <= disabled
    assert sol.indicator_values['released_compute_nodes_count'] >= 3


@pytest.mark.parametrize('cls', METRIC_BASED)
def test_demo_destinations_stay_under_the_target(cls):
    sol, after = _run(cls)
    busy = _busy_cores(after)
    for move in fakes.migrations(sol):
        dest = move['input_parameters']['destination_node']
        assert busy[dest] <= 0.8 * 16 + 1e-6, (dest, busy[dest])
    # the lower bound under the target (19 busy cores, 12.8 per host) is 2
    # hosts; the three idle hosts are freed in any case
    used = [n for n in after.get_all_compute_nodes().values()
            if after.get_node_instances(n)]
    assert len(used) <= 3


@pytest.mark.parametrize('cls', METRIC_BASED)
def test_target_one_allows_the_hot_host(cls):
    # at 1.0 only the physical cores bound the measured load: compute-5
    # (14 busy cores of 16) is the best fit on allocations again
    sol, after = _run(cls, config={'target_utilization': 1.0})
    dests = {a['input_parameters']['destination_node']
             for a in fakes.migrations(sol)}
    assert HOT_HOST in dests
    busy = _busy_cores(after)
    assert max(busy.values()) <= 16 + 1e-6


@pytest.mark.parametrize('cls', METRIC_BASED)
def test_lower_target_keeps_more_hosts_open(cls):
    # at 0.2 (3.2 busy cores per host) compute-0 (2.9) and compute-1 (2.1)
    # have little room left: every destination still stays within it
    sol, after = _run(cls, config={'target_utilization': 0.2})
    busy = _busy_cores(after)
    for move in fakes.migrations(sol):
        dest = move['input_parameters']['destination_node']
        assert dest != HOT_HOST
        assert busy[dest] <= 0.2 * 16 + 1e-6, (dest, busy[dest])


def test_nrc_without_metrics_is_capacity_based():
    # no measured load: best fit on allocations, which is the hot host
    sol, after = _run(nrc.NodeResourceConsolidation, frame=False)
    dests = {a['input_parameters']['resource_name']:
             a['input_parameters']['destination_node']
             for a in fakes.migrations(sol)}
    assert {dests[s] for s in IDLE} == {HOT_HOST}


def _small_model(layout, vcpus=8):
    nodes = {h: fakes.node(h, vcpus=vcpus, memory=65536, vcpu_ratio=4.0)
             for h in layout}
    servers = {h: [fakes.server(n, vcpus=FLAVORS[f][0], memory=FLAVORS[f][1])
                   for n, f, _c, _r in items] for h, items in layout.items()}
    return fakes.build(servers, nodes=nodes)


def test_nrc_headroom_is_only_a_preference():
    # hot: fuller on allocations (the best fit) but 7.2 of 8 cores busy;
    # cool: 0.8 busy core
    layout = {'hot': [('a', 'large', 0.9, 0.5), ('b', 'large', 0.9, 0.5)],
              'cool': [('c', 'large', 0.2, 0.5)],
              'src': [('s', 'small', 0.5, 0.5)]}
    strategy = nrc.NodeResourceConsolidation(config={})
    params = {'host_choice': 'specify'}

    def dest_of_s(with_metrics, model=None):
        if model is None:
            model = _small_model(layout)
        # only src may be freed
        for name in 'abc':
            model.get_instance_by_uuid('uuid-%s' % name).watcher_exclude = \
                True
        frame = demo_frame(model, _queries(strategy), layout) \
            if with_metrics else MetricsFrame()
        sol, _after = fakes.run_and_apply(strategy, model, params,
                                          frame=frame)
        return {a['input_parameters']['resource_name']:
                a['input_parameters']['destination_node']
                for a in fakes.migrations(sol)}.get('s')

    assert dest_of_s(False) == 'hot'
    assert dest_of_s(True) == 'cool'
    # a hot destination is still used when it is the only one with room
    model = _small_model(layout)
    model.get_node_by_name('cool').status = 'disabled'
    model.get_node_by_name('cool').disabled_reason = 'ops'
    assert dest_of_s(True, model) == 'hot'


def test_vmwc_offloads_hot_host_below_target_with_few_moves():
    layout = {'h1': [('a', 'large', 0.9, 0.5), ('b', 'large', 0.9, 0.5),
                     ('c', 'medium', 0.9, 0.5), ('d', 'small', 0.5, 0.5)],
              'h2': [('e', 'large', 0.2, 0.5)]}
    model = _small_model(layout)
    strategy = vmwc.VMWorkloadConsolidation(config={})
    frame = demo_frame(model, _queries(strategy), layout)
    sol, after = fakes.run_and_apply(strategy, model, frame=frame)
    moves = [(a['input_parameters']['resource_name'],
              a['input_parameters']['destination_node'])
             for a in fakes.migrations(sol)]
    # h1: 9.5 busy cores of 8 (limit 6.4, excess 3.1): a or b (3.6 cores)
    # alone suffice - one migration instead of three from the least loaded
    # (d 0.5, c 1.8, then a large); h2 then holds 4.4 cores
    assert moves == [('a', 'h2')]
    busy = _busy_cores(after, layout)
    assert busy['h2'] <= 6.4 + 1e-6 and busy['h1'] <= 6.4 + 1e-6


def test_vmwc_offload_needs_capacity():
    # the only other host is above the target too: nothing moves
    layout = {'h1': [('a', 'large', 0.9, 0.5), ('b', 'large', 0.9, 0.5)],
              'h2': [('c', 'large', 0.9, 0.5), ('d', 'large', 0.9, 0.5)]}
    model = _small_model(layout)
    strategy = vmwc.VMWorkloadConsolidation(config={})
    frame = demo_frame(model, _queries(strategy), layout)
    sol = fakes.run(strategy, model, frame=frame)
    assert fakes.migrations(sol) == []


def test_target_is_a_config_option_not_a_parameter():
    for cls in CONSOLIDATING:
        opts = {o.name: o for o in cls.get_config_opts()}
        assert opts['target_utilization'].default == 0.8
        assert 'target_utilization' not in cls.get_schema().get(
            'properties', {})
    assert consolidation.target_utilization(
        vmwc.VMWorkloadConsolidation(config={})) == 0.8
    for bad in ('junk', -1, 0, None):
        assert consolidation.target_utilization(
            vmwc.VMWorkloadConsolidation(
                config={'target_utilization': bad})) == 0.8
    assert consolidation.target_utilization(
        vmwc.VMWorkloadConsolidation(
            config={'target_utilization': 3})) == 1.0


def test_cluster_state_limits_and_closed_hosts():
    model = fakes.build({'h1': [('a', 4)], 'h2': [('b', 4)],
                         'h3': [('c', 2)]})
    state = cluster.ClusterState(model)
    # busy cores: h1 7 of 16, h2 14 of 16, h3 1 of 16
    state.add_dimension('cpu_used', [16, 16, 16], [7.0, 14.0, 1.0],
                        target=0.5)
    d = state.dim('cpu_used')
    assert np.allclose(state.limit[:, d], 8.0)
    assert list(state.over_target()) == [False, True, False]
    c = state.inst_index['uuid-c']
    assert list(state.feasible(c)) == [True, False, False]
    a = state.inst_index['uuid-a']
    # a (7 cores) fits h3 (1) exactly at the target, not h1 (itself)
    assert list(state.feasible(a)) == [False, False, True]
    # lower bound: h2 may keep its 14 cores, the others hold 8
    assert packing.state_lower_bound(state, np.ones(3, dtype=bool)) == 2
    state.move(state.inst_index['uuid-b'], 2)   # h2 sheds its load...
    state.close([False, True, False])
    assert not state.feasible(c)[1]             # ...but stays closed
    snap = state.snapshot()
    state.move(c, 0)
    state.restore(snap)
    assert state.inst_node[c] == 2 and np.allclose(
        state.room[:, d], state.limit[:, d] - state.used[:, d])


@pytest.mark.parametrize('cls', METRIC_BASED)
def test_headroom_holds_on_a_synthetic_cluster(cls):
    c = synthetic.generate(60, seed=11)
    strategy = cls(config={})
    params = strategy.validate_parameters({})
    frame = c.frame_for(strategy.metric_queries(params))
    sol = strategy.execute(StrategyInput(compute_model=c.model.copy(),
                                         metrics=frame, parameters=params))
    after = fakes.apply(c.model.copy(), sol)
    fakes.assert_capacity(after)
    fakes.assert_anti_affinity(after)

    def usage(model):
        out = {}
        for n in model.get_all_compute_nodes().values():
            servers = model.get_node_instances(n)
            cpu = sum(c.instance_cpu_percent[i.uuid] / 100.0 * i.vcpus
                      for i in servers if i.state == 'active')
            ram = sum(c.instance_ram_mb[i.uuid] for i in servers)
            out[n.hostname] = (cpu / n.vcpus,
                               ram / (n.memory - n.memory_mb_reserved))
        return out

    before, final = usage(c.model), usage(after)
    dims = 2 if cls is vmwc.VMWorkloadConsolidation else 1
    hot = {h for h, u in before.items() if max(u[:dims]) > 0.8}
    moves = fakes.migrations(sol)
    assert moves and hot
    for move in moves:
        dest = move['input_parameters']['destination_node']
        assert dest not in hot
        assert max(final[dest][:dims]) <= 0.8 + 1e-6


def test_vmwc_counts_the_host_overhead():
    # h2's own CPU (75 % measured, its server explains 2 cores of the 12)
    # leaves no room under the 0.8 target for a's 1.6 cores; h1's load is
    # its server's alone. Counting only servers, h2 would look 25 % busy
    # and receive a.
    model = fakes.build({'h1': [('a', 4)], 'h2': [('b', 4)]},
                        nodes={h: fakes.node(h, vcpus=16, memory=65536,
                                             disk=500)
                               for h in ('h1', 'h2')})
    strategy = vmwc.VMWorkloadConsolidation(config={})
    params = strategy.validate_parameters({})
    frame = fakes.cpu_frame(model, instance_pct={'a': 40.0, 'b': 50.0},
                            host_pct={'h2': 75.0},
                            queries=strategy.metric_queries(params))
    sol, _after = fakes.run_and_apply(strategy, model, frame=frame)
    assert 'h2' not in {m['input_parameters']['destination_node']
                        for m in fakes.migrations(sol)}
    # the same cluster without the overhead: a goes to h2
    frame = fakes.cpu_frame(model, instance_pct={'a': 40.0, 'b': 50.0},
                            host_pct={'h2': 12.5},
                            queries=strategy.metric_queries(params))
    sol, _after = fakes.run_and_apply(strategy, model, frame=frame)
    assert [('a', 'h2')] == [(m['input_parameters']['resource_name'],
                              m['input_parameters']['destination_node'])
                             for m in fakes.migrations(sol)]
