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

"""Basic offline consolidation (goal ``server_consolidation``).

Frees hosts at the lowest migration cost: hosts are released fewest
servers first, the least used first among equals (measured CPU,
``host_cpu_usage``; allocation fill when missing), their servers going to
the best fitting kept host; emptied (and already empty) enabled hosts are
disabled (``watcher_disabled``).

Constraints on every destination: flavor allocations fit (vCPU, RAM, disk
with allocation ratios and reserved), the measured CPU (busy cores from
``host_cpu_usage``/``instance_cpu_usage``) stays at or below
``[watcher_strategies.basic] target_utilization`` (default 0.8) of the
host's physical cores after the move - a host already above it receives
nothing - and anti-affinity holds.  Among the admitted hosts the best fit
on allocations wins (fewest hosts, fewest migrations).
Only ACTIVE (live) and STOPPED (cold) servers move, never excluded ones,
and with ``[watcher_strategies.basic] check_optimize_metadata`` only
servers whose ``optimize`` metadata allows it.  ``migration_attempts``
caps the number of placement attempts (0 = no cap).  The search aims at the
bin-packing lower bound (see ``strategy.common.packing``).
"""
import numpy as np

from watcher.decision_engine.strategy import base
from watcher.decision_engine.strategy.common import consolidation
from watcher.decision_engine.strategy.common import packing
from watcher.decision_engine.strategy.common import load


class BasicConsolidation(base.BaseStrategy):
    name = 'basic'
    display_name = 'Basic offline consolidation'
    goal_name = 'server_consolidation'
    metric_names = ('host_cpu_usage', 'instance_cpu_usage')

    @classmethod
    def get_schema(cls):
        return {
            'properties': {
                'migration_attempts': {
                    'description': 'Maximum number of combinations to be '
                                   'tried by the strategy while searching '
                                   'for potential candidates. To remove the '
                                   'limit, set it to 0 (by default)',
                    'type': 'number', 'default': 0,
                },
                'period': base.period_param(7200),
                'granularity': base.granularity_param(),
                'aggregation_method': base.aggregation_method_param(),
            },
        }

    @classmethod
    def get_config_opts(cls):
        # check_optimize_metadata lives in watcher.conf.strategies (one
        # home, one entry in the sample and the configuration reference).
        return [consolidation.target_utilization_opt()]

    def metric_queries(self, params):
        return [self._query('host_cpu_usage', 'compute_node', params),
                self._query('instance_cpu_usage', 'instance', params)]

    def do_execute(self, inputs, params, solution):
        host_q, inst_q = self.metric_queries(params)
        state = consolidation.build_state(inputs.compute_model)
        load.add_cpu_dimension(state, inputs.metrics, host_q, inst_q,
                               consolidation.target_utilization(self))
        host_pct = load.host_cpu_percent(state, inputs.metrics, host_q)
        score = np.where(np.isnan(host_pct),
                         state.fill_ratio(state.BASE_DIMS) * 100.0, host_pct)
        movable = consolidation.movable_mask(
            state, bool(self.config_value('check_optimize_metadata', False)))
        consolidation.consolidate(
            inputs, solution, state, movable,
            release_key=packing.release_key_by_count(state, score),
            max_attempts=int(params.get('migration_attempts') or 0))
