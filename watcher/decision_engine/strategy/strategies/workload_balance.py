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

"""Workload balance migration (goal ``workload_balancing``).

A host's workload is the sum of its servers' ``metrics`` (CPU cores, or
RAM) as a percentage of the host's physical CPUs (or memory).  Hosts above
``threshold`` % are sources, hosts below it targets.

For each source, most loaded first, one server moves (so the plan never
ping-pongs): the movable server whose load is closest to the source's
excess over the cluster average, to the *least loaded* target that stays
under ``threshold`` after the move and has the capacity (allocations with
ratios and reserved) and respects anti-affinity.  Loads are updated as
moves are planned, so targets fill up honestly.
"""
import numpy as np

from watcher.common import exception
from watcher.decision_engine.strategy import base
from watcher.decision_engine.strategy.common import actions
from watcher.decision_engine.strategy.common import balance
from watcher.decision_engine.strategy.common import consolidation

METRICS = ('instance_cpu_usage', 'instance_ram_usage')


class WorkloadBalance(base.BaseStrategy):
    name = 'workload_balance'
    display_name = 'Workload Balance Migration Strategy'
    goal_name = 'workload_balancing'
    metric_names = METRICS

    @classmethod
    def get_schema(cls):
        return {
            'properties': {
                'metrics': {
                    'description': 'Workload balance based on metrics: cpu '
                                   'or ram utilization',
                    'type': 'string',
                    'choice': ['instance_cpu_usage', 'instance_ram_usage'],
                    'default': 'instance_cpu_usage',
                },
                'threshold': {
                    'description': 'Workload threshold for migration - used '
                                   'for source and destination hosts. It is '
                                   'always a percentage value.',
                    'type': 'number', 'default': 25.0,
                },
                'period': base.period_param(
                    300, description='aggregate time period of ceilometer'),
                'granularity': base.granularity_param(),
            },
        }

    def check_parameters(self, params):
        if params['metrics'] not in METRICS:
            raise exception.InvalidAuditParameters(
                err='metrics must be one of %s, not %r'
                    % (', '.join(METRICS), params['metrics']))

    def metric_queries(self, params):
        return [self._query(params['metrics'], 'instance', params)]

    def do_execute(self, inputs, params, solution):
        metric = params['metrics']
        threshold = float(params['threshold'])
        (query,) = self.metric_queries(params)
        state = consolidation.build_state(inputs.compute_model)
        dest = consolidation.destination_mask(state)
        movable = consolidation.movable_mask(state)
        inst_abs = balance.instance_load(state, inputs.metrics, metric,
                                         query)
        scale = balance.host_scale(state, metric)
        host_abs = np.bincount(state.inst_node, weights=inst_abs,
                               minlength=len(state.nodes))
        pct = host_abs / scale * 100.0
        before = float(np.std(pct[dest])) if dest.any() else 0.0
        average = float(np.mean(pct[dest])) if dest.any() else 0.0
        sources = [int(h) for h in np.argsort(-pct)
                   if dest[h] and pct[h] > threshold]
        for h in sources:
            excess = pct[h] - average
            items = [int(i) for i in state.node_instance_indices(h)
                     if movable[i] and inst_abs[i] > 0]
            items.sort(key=lambda i: abs(inst_abs[i] / scale[h] * 100.0 -
                                         excess))
            for i in items:
                ok = state.feasible(i, dest)
                after = pct + inst_abs[i] / scale * 100.0
                ok &= after < threshold
                if not ok.any():
                    continue
                idx = np.flatnonzero(ok)
                j = int(idx[np.argmin(pct[idx])])
                state.move(i, j)
                pct[h] -= inst_abs[i] / scale[h] * 100.0
                pct[j] += inst_abs[i] / scale[j] * 100.0
                break
        migrations = actions.emit_migrations(solution, state)
        after_std = float(np.std(pct[dest])) if dest.any() else 0.0
        solution.set_efficacy_indicators(
            instance_migrations_count=migrations,
            instances_count=len(state.instances),
            standard_deviation_before_audit=round(before, 6),
            standard_deviation_after_audit=round(after_std, 6))
