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

"""Speed work must not change plans: the packing strategies' plans on fixed
seeded clusters, pinned by a digest of their actions.

The digests were recorded with the full-scan best fit (every feasible host
scored for every server) before the indexed search replaced it; a change of
digest is a change of plan and needs a reason.  A deliberate change of
behaviour records new digests and says why in its commit.
"""
import hashlib
import json

import pytest

from watcher.tests import synthetic
from watcher.decision_engine.strategy.context import StrategyInput
from watcher.decision_engine.strategy.strategies import basic_consolidation
from watcher.decision_engine.strategy.strategies import \
    node_resource_consolidation
from watcher.decision_engine.strategy.strategies import \
    vm_workload_consolidation


def mixed_cluster(n_hosts, seed):
    """A seeded cluster with three host sizes and hypervisor overhead on
    some hosts (host CPU above the sum of its servers').
    """
    c = synthetic.generate(n_hosts, seed=seed)
    nodes = sorted(c.model.get_all_compute_nodes().values(),
                   key=lambda n: n.hostname)
    for k, node in enumerate(nodes):
        if k % 3 == 0:
            node.vcpus, node.memory = 192, 384 * 1024
        elif k % 5 == 0:
            node.vcpus, node.memory = 96, 192 * 1024
        if k % 4 == 0:
            c.host_cpu_percent[node.uuid] = min(
                100.0, c.host_cpu_percent[node.uuid] + 7.5)
    return c


def plan_digest(cls, params, c, with_metrics=True):
    strategy = cls(config={})
    params = strategy.validate_parameters(params)
    queries = strategy.metric_queries(params)
    if with_metrics and not queries:
        # what a frame holds when another strategy's queries filled it
        queries = vm_workload_consolidation.VMWorkloadConsolidation(
            config={}).metric_queries(params)
    frame = c.frame_for(queries if with_metrics else ())
    solution = strategy.execute(StrategyInput(
        compute_model=c.model.copy(), metrics=frame, parameters=params))
    rows = [(a['action_type'], sorted(a['input_parameters'].items()))
            for a in solution.actions]
    text = json.dumps(rows, sort_keys=True, default=str)
    return len(rows), hashlib.sha256(text.encode()).hexdigest()[:16]


CASES = [
    ('vmwc', vm_workload_consolidation.VMWorkloadConsolidation, {}, True),
    ('nrc-specify-metrics',
     node_resource_consolidation.NodeResourceConsolidation,
     {'host_choice': 'specify'}, True),
    ('nrc-specify', node_resource_consolidation.NodeResourceConsolidation,
     {'host_choice': 'specify'}, False),
    ('nrc-auto', node_resource_consolidation.NodeResourceConsolidation,
     {'host_choice': 'auto'}, False),
    ('basic', basic_consolidation.BasicConsolidation, {}, True),
]

EXPECTED = {
    ('vmwc', 60): (294, '6070f281f29a89a7'),
    ('nrc-specify-metrics', 60): (268, 'e859ddf3886fd33d'),
    ('nrc-specify', 60): (268, '7119ce6829ac2cd8'),
    ('nrc-auto', 60): (312, 'b8a989a64b163501'),
    ('basic', 60): (275, '97811330c6bdeeda'),
    ('vmwc', 240): (1107, '26d6afafb2672917'),
    ('nrc-specify-metrics', 240): (1075, '693d445983c7bb39'),
    ('nrc-specify', 240): (1075, '3785410caa317460'),
    ('nrc-auto', 240): (1259, '1b364b1a1b245b5c'),
    ('basic', 240): (1122, '9609ca9fb452a37e'),
}


@pytest.mark.parametrize('size,seed', [(60, 3), (240, 11)])
@pytest.mark.parametrize('name,cls,params,with_metrics', CASES)
def test_plan_unchanged(name, cls, params, with_metrics, size, seed):
    got = plan_digest(cls, params, mixed_cluster(size, seed), with_metrics)
    assert got == EXPECTED[(name, size)]
