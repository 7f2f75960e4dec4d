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

from watcher.decision_engine.planner import node_resource_consolidation
from watcher.decision_engine.planner import weight
from watcher.decision_engine.planner import workload_stabilization
from watcher.decision_engine.solution import Solution


def _solution(*actions):
    s = Solution('dummy', 'test')
    for atype, rid, params in actions:
        s.add_action(atype, resource_id=rid, input_parameters=params)
    return s


def _check_dag(planned, solution):
    assert len(planned) == len(solution.actions)
    seen = set()
    for p in planned:
        assert set(p.parents) <= seen      # topological order
        seen.add(p.uuid)


def test_weight_planner_batches():
    planner = weight.WeightPlanner(config={
        'weights': {'sleep': 70, 'migrate': 60, 'resize': 50},
        'parallelization': {'sleep': 2, 'migrate': 3, 'resize': 2}})
    sol = _solution(*([('resize', 'r%d' % i, {}) for i in range(3)] +
                      [('migrate', 'm%d' % i, {}) for i in range(3)] +
                      [('sleep', None, {'duration': 1})] * 2))
    planned = planner.schedule(sol)
    _check_dag(planned, sol)
    types = [p.action_type for p in planned]
    assert types == ['sleep'] * 2 + ['migrate'] * 3 + ['resize'] * 3
    sleeps, migrates, resizes = planned[:2], planned[2:5], planned[5:]
    assert all(p.parents == [] for p in sleeps)
    assert all(p.parents == [s.uuid for s in sleeps] for p in migrates)
    assert all(p.parents == [m.uuid for m in migrates]
               for p in resizes[:2])
    assert resizes[2].parents == [r.uuid for r in resizes[:2]]


def test_weight_planner_defaults_dummy_chain():
    sol = _solution(('nop', None, {'message': 'hello World'}),
                    ('nop', None, {'message': 'hi'}),
                    ('sleep', None, {'duration': 2.0}))
    planned = weight.WeightPlanner(config={}).schedule(sol)
    assert [p.input_parameters for p in planned] == [
        {'message': 'hello World'}, {'message': 'hi'}, {'duration': 2.0}]
    assert planned[0].parents == []
    assert planned[1].parents == [planned[0].uuid]
    assert planned[2].parents == [planned[1].uuid]


def test_weight_planner_default_order():
    sol = _solution(('migrate', 'a', {}), ('migrate', 'b', {}),
                    ('migrate', 'c', {}),
                    ('change_nova_service_state', 'n', {'state': 'x'}))
    planned = weight.WeightPlanner(config={}).schedule(sol)
    assert planned[0].action_type == 'change_nova_service_state'
    assert planned[1].parents == planned[2].parents == [planned[0].uuid]
    assert planned[3].parents == [planned[1].uuid, planned[2].uuid]
    assert weight.WeightPlanner(config={}).schedule([]) == []


def test_stabilization_planner():
    planner = workload_stabilization.WorkloadStabilizationPlanner(
        config={})
    sol = _solution(
        ('turn_host_to_acpi_s3_state', 'h1', {}),
        ('migrate', 'vm1', {'source_node': 'h1', 'destination_node': 'h2'}),
        ('migrate', 'vm2', {'source_node': 'h3', 'destination_node': 'h2'}),
        ('resize', 'vm1', {'flavor': 'small'}),
        ('nop', None, {'message': 'x'}))
    planned = planner.schedule(sol)
    _check_dag(planned, sol)
    by = {(p.action_type, p.input_parameters.get('resource_id')): p
          for p in planned}
    mig1 = by[('migrate', 'vm1')]
    mig2 = by[('migrate', 'vm2')]
    resize = by[('resize', 'vm1')]
    s3 = by[('turn_host_to_acpi_s3_state', 'h1')]
    nop = by[('nop', None)]
    assert mig1.parents == [] and mig2.parents == [] and nop.parents == []
    # same server: migrate (weight 2) before resize (weight 1)
    assert resize.parents == [mig1.uuid]
    # host off after every move leaving it
    assert mig1.uuid in s3.parents and mig2.uuid not in s3.parents


def test_nrc_planner_orders_disable_migrate_enable():
    sol = _solution(
        ('change_nova_service_state', 'n1', {'state': 'disabled'}),
        ('migrate', 'a', {}), ('migrate', 'b', {}),
        ('change_nova_service_state', 'n1', {'state': 'enabled'}),
        ('change_nova_service_state', 'n2', {'state': 'disabled'}))
    planned = node_resource_consolidation.NodeResourceConsolidationPlanner(
        config={}).schedule(sol)
    _check_dag(planned, sol)
    disables = [p for p in planned
                if p.input_parameters.get('state') == 'disabled']
    migs = [p for p in planned if p.action_type == 'migrate']
    enables = [p for p in planned
               if p.input_parameters.get('state') == 'enabled']
    assert all(p.parents == [] for p in disables) and len(disables) == 2
    assert all(sorted(p.parents) == sorted(d.uuid for d in disables)
               for p in migs)
    assert enables[0].parents == [m.uuid for m in migs]
