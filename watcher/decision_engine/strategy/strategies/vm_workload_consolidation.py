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

"""VM workload consolidation (goal ``server_consolidation``).

Works on measured load over ``period``: the servers' (``instance_cpu_usage``
and ``instance_ram_usage``) and the hosts' CPU (``host_cpu_usage``); a
host's predicted CPU load is the sum of its servers' loads plus its own
overhead (host CPU minus the sum of its servers', where measured), so that
receiving hosts stay within the target as the host sees it.

Headroom rule: a destination's predicted load must stay at or below
``[watcher_strategies.vm_workload_consolidation] target_utilization``
(default 0.8) of its physical cores (CPU) and of its physical memory minus
reserved (RAM) after the move; hosts above it receive nothing.

1. Offload: hosts above the target (CPU, then RAM) shed servers to hosts
   that stay within it, when capacity allows - each step moves the least
   loaded server that alone brings the host back under the target, else
   the most loaded one (few migrations).
2. Consolidate: hosts are released fewest servers first (least CPU loaded
   among equals), their servers going to the best fitting (on allocations)
   kept hosts within the target, down to the bin-packing lower bound under
   the target when possible (``strategy.common.packing``).
3. Every enabled host left empty is disabled (``watcher_disabled``).

Flavor allocations (with ratios and reserved) and anti-affinity are always
respected; excluded servers never move; ACTIVE servers are live migrated,
STOPPED ones cold migrated.
"""
import numpy as np

from watcher.decision_engine.strategy import base
from watcher.decision_engine.strategy.common import consolidation
from watcher.decision_engine.strategy.common import packing
from watcher.decision_engine.strategy.common import load


class VMWorkloadConsolidation(base.BaseStrategy):
    name = 'vm_workload_consolidation'
    display_name = 'VM Workload Consolidation Strategy'
    goal_name = 'server_consolidation'
    metric_names = ('instance_cpu_usage', 'instance_ram_usage',
                    'instance_ram_allocated', 'instance_root_disk_size',
                    'host_cpu_usage')

    @classmethod
    def get_schema(cls):
        return {
            'properties': {
                'period': base.period_param(3600),
                'granularity': base.granularity_param(),
            },
        }

    @classmethod
    def get_config_opts(cls):
        return [consolidation.target_utilization_opt()]

    def metric_queries(self, params):
        return [self._query('instance_cpu_usage', 'instance', params),
                self._query('instance_ram_usage', 'instance', params),
                self._query('host_cpu_usage', 'compute_node', params)]

    def do_execute(self, inputs, params, solution):
        cpu_q, ram_q, host_q = self.metric_queries(params)
        state = consolidation.build_state(inputs.compute_model)
        ram = load.instance_ram_mb(state, inputs.metrics, ram_q)
        physical = load.host_physical_cores(state)
        physical_ram = np.array([float((n.memory or 0) -
                                       (n.memory_mb_reserved or 0))
                                 for n in state.nodes])
        target = consolidation.target_utilization(self)
        load.add_cpu_dimension(state, inputs.metrics, host_q, cpu_q, target)
        state.add_dimension('ram_used', physical_ram, ram, target=target)
        movable = consolidation.movable_mask(state)
        dest = consolidation.destination_mask(state)
        consolidation.offload_overloaded(state, 'cpu_used', dest, movable)
        consolidation.offload_overloaded(state, 'ram_used', dest, movable)
        cpu_load = state.used[:, state.dim('cpu_used')] / np.maximum(
            physical, 1e-9)
        consolidation.consolidate(inputs, solution, state, movable,
                                  release_key=packing.release_key_by_count(
                                      state, cpu_load))
