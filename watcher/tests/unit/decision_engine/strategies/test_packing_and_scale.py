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

"""The packing engine and all strategies on seeded synthetic clusters."""
import numpy as np
import pytest

from watcher.tests import synthetic
from watcher.decision_engine.strategy.common import cluster
from watcher.decision_engine.strategy.common import filters
from watcher.decision_engine.strategy.common import packing
from watcher.decision_engine.strategy.context import StrategyInput
from watcher.decision_engine.strategy.strategies import actuation
from watcher.decision_engine.strategy.strategies import basic_consolidation
from watcher.decision_engine.strategy.strategies import dummy_strategy
from watcher.decision_engine.strategy.strategies import dummy_with_resize
from watcher.decision_engine.strategy.strategies import dummy_with_scorer
from watcher.decision_engine.strategy.strategies import noisy_neighbor
from watcher.decision_engine.strategy.strategies import outlet_temp_control
from watcher.decision_engine.strategy.strategies import host_maintenance
from watcher.decision_engine.strategy.strategies import \
    node_resource_consolidation
from watcher.decision_engine.strategy.strategies import saving_energy
from watcher.decision_engine.strategy.strategies import \
    storage_capacity_balance
from watcher.decision_engine.strategy.strategies import uniform_airflow
from watcher.decision_engine.strategy.strategies import \
    vm_workload_consolidation
from watcher.decision_engine.strategy.strategies import workload_balance
from watcher.decision_engine.strategy.strategies import \
    workload_stabilization
from watcher.decision_engine.strategy.strategies import zone_migration
from watcher.tests.unit.decision_engine import model_fakes as fakes


def test_lower_bound():
    cap = np.array([[16, 100], [16, 100], [8, 100]], dtype=float)
    assert packing.lower_bound(cap, np.array([16, 50.0])) == 1
    assert packing.lower_bound(cap, np.array([17, 50.0])) == 2
    assert packing.lower_bound(cap, np.array([33, 50.0])) == 3
    assert packing.lower_bound(cap, np.array([1, 201.0])) == 3
    assert packing.lower_bound(cap, np.zeros(2)) == 0


def test_ejection_makes_room():
    def run(eject):
        model = fakes.build({'h1': [('a', 8), ('b', 4)],
                             'h2': [('c', 8), ('d', 2), ('e', 2)],
                             'h3': [('f', 8)]})
        state = cluster.ClusterState(model)
        movable = np.ones(len(state.instances), dtype=bool)
        in_play = np.ones(3, dtype=bool)
        pinned = np.array([True, True, False])
        result = packing.consolidate(state, in_play, movable,
                                     pinned=pinned, eject=eject)
        assert state.check_capacity()
        return result, state
    result, state = run(False)
    assert result.released == []
    result, state = run(True)
    assert result.lower_bound == 2 and result.released == [2]
    moved = {state.instances[i].name for i, _s, _d in state.migrations()}
    assert 'f' in moved and len(moved) == 2


STRATEGIES = [
    (dummy_strategy.DummyStrategy, {}),
    (dummy_with_scorer.DummyWithScorer, {}),
    (dummy_with_resize.DummyWithResize, {}),
    (actuation.Actuator, {'actions': []}),
    (host_maintenance.HostMaintenance, {'maintenance_node': 'compute-00003'}),
    (vm_workload_consolidation.VMWorkloadConsolidation, {}),
    (basic_consolidation.BasicConsolidation, {}),
    (workload_stabilization.WorkloadStabilization,
     {'metrics': ['instance_cpu_usage', 'instance_ram_usage']}),
    (workload_balance.WorkloadBalance, {}),
    (node_resource_consolidation.NodeResourceConsolidation,
     {'host_choice': 'specify'}),
    (outlet_temp_control.OutletTempControl, {}),
    (uniform_airflow.UniformAirflow, {}),
    (noisy_neighbor.NoisyNeighbor, {}),
    (zone_migration.ZoneMigration,
     {'compute_nodes': [{'src_node': 'compute-00001'},
                        {'src_node': 'compute-00002'}],
      'parallel_total': 100, 'parallel_per_node': 100}),
]

CONSOLIDATING = (basic_consolidation.BasicConsolidation,
                 vm_workload_consolidation.VMWorkloadConsolidation,
                 node_resource_consolidation.NodeResourceConsolidation)


@pytest.fixture(scope='module')
def synthetic_cluster():
    c = synthetic.generate(40, seed=7)
    # some excluded servers and an ops-disabled host
    for k, inst in enumerate(sorted(c.model.get_all_instances().values(),
                                    key=lambda i: i.uuid)):
        if k % 17 == 0:
            inst.watcher_exclude = True
    node = c.model.get_node_by_name('compute-00005')
    node.status, node.disabled_reason = 'disabled', 'broken fan'
    return c


@pytest.mark.parametrize('cls,params', STRATEGIES)
def test_invariants_on_synthetic_cluster(synthetic_cluster, cls, params):
    c = synthetic_cluster
    strategy = cls(config={})
    params = strategy.validate_parameters(params)
    frame = c.frame_for(strategy.metric_queries(params))
    assert frame.queries_issued == len(strategy.metric_queries(params))
    model = c.model.copy()
    solution = strategy.execute(StrategyInput(
        compute_model=model, metrics=frame, parameters=params))
    after = fakes.apply(c.model.copy(), solution)
    fakes.assert_capacity(after)
    fakes.assert_anti_affinity(after)
    excluded = {u for u, i in c.model.get_all_instances().items()
                if i.watcher_exclude}
    for action in solution.actions:
        p = action['input_parameters']
        if action['action_type'] == 'migrate':
            assert p['resource_id'] not in excluded
            assert p['destination_node'] != 'compute-00005'
            inst = c.model.get_instance_by_uuid(p['resource_id'])
            assert p['migration_type'] == filters.migration_type(inst) or \
                cls is host_maintenance.HostMaintenance
            assert p['resource_name'] == inst.name
    if cls in CONSOLIDATING:
        state = cluster.ClusterState(
            c.model, node_filter=filters.is_destination)
        lb = packing.state_lower_bound(state, np.ones(len(state.nodes),
                                                      dtype=bool))
        used = [n for n in after.get_all_compute_nodes().values()
                if n.status == 'enabled' and after.get_node_instances(n)]
        assert len(used) <= lb + 1
        assert solution.indicator_values['instance_migrations_count'] == \
            len(fakes.migrations(solution))


def test_synthetic_generator_is_seeded_and_consistent():
    a = synthetic.generate(5, seed=3)
    b = synthetic.generate(5, seed=3)
    assert a.model.to_data_model_rows() == b.model.to_data_model_rows()
    assert a.instance_cpu_percent == b.instance_cpu_percent
    fakes.assert_capacity(a.model)
    for node in a.model.get_all_compute_nodes().values():
        cores = sum(a.instance_cpu_percent[i.uuid] / 100.0 * i.vcpus
                    for i in a.model.get_node_instances(node))
        assert abs(cores / node.vcpus * 100 -
                   a.host_cpu_percent[node.uuid]) < 0.01
        assert 1 <= len(a.model.get_node_instances(node)) <= 20


def test_storage_capacity_balance_on_synthetic_pools():
    model = synthetic.storage_model(30, seed=5)
    used = {p.name: p.total_capacity_gb - p.free_capacity_gb
            for p in model.get_all_pools().values()}
    limit = 0.8 * 10240
    home = {v.uuid: model.get_pool_by_volume(v).name
            for v in model.get_all_volumes().values()}
    strategy = storage_capacity_balance.StorageCapacityBalance(
        config={'ex_pools': []})
    solution = strategy.execute(StrategyInput(
        storage_model=model, parameters={'volume_threshold': 80}))
    over = {n for n, u in used.items() if u >= limit}
    received = set()
    for action in solution.actions:
        p = action['input_parameters']
        size = model.get_volume_by_uuid(p['resource_id']).size
        assert home[p['resource_id']] in over
        assert p['destination_node'] not in over
        used[home[p['resource_id']]] -= size
        used[p['destination_node']] += size
        received.add(p['destination_node'])
    assert over and len(received) > 1
    assert all(used[n] < limit for n in received)
    assert all(used[n] < limit for n in over)


def test_saving_energy_on_synthetic_twins():
    c = synthetic.generate(60, seed=9)
    model = c.model.copy()
    for k, node in enumerate(sorted(model.get_all_compute_nodes().values(),
                                    key=lambda n: n.hostname)):
        if k % 6 == 0:
            for inst in model.get_node_instances(node):
                model.remove_instance(inst)
    bm = synthetic.baremetal_model(model, seed=9)
    strategy = saving_energy.SavingEnergy(config={})
    params = strategy.validate_parameters({})

    def plan():
        return strategy.execute(StrategyInput(
            compute_model=model, baremetal_model=bm,
            parameters=params)).actions
    first = plan()
    assert first == plan()          # no random choice
    powered = [a for a in first
               if a['action_type'] == 'change_node_power_state']
    assert powered
    for action in powered:
        host = model.get_node_by_name(
            action['input_parameters']['resource_name'])
        assert model.get_node_instances(host) == []
