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

"""Node resource consolidation (goal ``server_consolidation``).

Reduces fragmentation using flavor allocations only (no metrics): hosts are
released fewest servers first (then least filled) and their servers moved
to the best fitting fuller hosts, down to the bin-packing lower bound when
possible.  The packing checks that every move has a destination with the
capacity that respects anti-affinity.

* ``host_choice = auto`` (default): as the parameter says, the Nova
  scheduler selects the destinations - the migrations name none; the
  emptied (source) hosts are disabled before the migrations and re-enabled
  after them (the ``node_resource_consolidation`` planner orders this), so
  neither the scheduler nor anything else places servers on them meanwhile;
* ``specify``: migrations only, each naming its destination.

It needs no metrics.  When a datasource answers its optional queries of
measured CPU (``instance_cpu_usage`` and/or ``host_cpu_usage``; a host's
own overhead, host CPU minus the sum of its servers', counted) it
prefers, among the hosts with the capacity, those whose busy cores stay at
or below ``[watcher_strategies.node_resource_consolidation]
target_utilization`` (default 0.8) of their physical cores - the best
fitting of them, or the one with the most headroom when none does; the
measured load never refuses a destination.

Continuous audits: hosts that were the source of a migration that failed in
the previous plan (``StrategyInput.previous_actions``) are kept (used as
destinations, never emptied again).
"""
import numpy as np

from watcher.common import exception
from watcher.decision_engine.strategy import base
from watcher.decision_engine.strategy.common import consolidation
from watcher.decision_engine.strategy.common import load
from watcher.decision_engine.strategy.common import packing

FAILED_STATES = ('FAILED', 'failed')


class NodeResourceConsolidation(base.BaseStrategy):
    name = 'node_resource_consolidation'
    display_name = 'Node Resource Consolidation strategy'
    goal_name = 'server_consolidation'
    planner = 'node_resource_consolidation'

    @classmethod
    def get_schema(cls):
        return {
            'properties': {
                'host_choice': {
                    'description': "The way to select the server migration "
                                   "destination node. The value 'auto' "
                                   "means that Nova scheduler selects the "
                                   "destination node, and 'specify' means "
                                   "the strategy specifies the "
                                   "destination.",
                    'type': 'string', 'default': 'auto',
                },
            },
        }

    @classmethod
    def get_config_opts(cls):
        return [consolidation.target_utilization_opt(
            ' Only a preference here, applied when measured CPU is in the '
            'metrics frame.')]

    def check_parameters(self, params):
        if params['host_choice'] not in ('auto', 'specify'):
            raise exception.InvalidAuditParameters(
                err="host_choice must be 'auto' or 'specify', not %r"
                    % params['host_choice'])

    def do_execute(self, inputs, params, solution):
        state = consolidation.build_state(inputs.compute_model)
        failed_sources = set()
        for action in inputs.previous_actions or ():
            if action.get('action_type') == 'migrate' and \
                    action.get('state') in FAILED_STATES:
                src = (action.get('input_parameters') or {}).get(
                    'source_node')
                if src:
                    failed_sources.add(src)
        pinned = np.array([n.hostname in failed_sources or
                           n.uuid in failed_sources for n in state.nodes],
                          dtype=bool)
        self._prefer_headroom(state, inputs.metrics)
        movable = consolidation.movable_mask(state)
        mode = 'auto' if params['host_choice'] == 'auto' else 'none'
        consolidation.consolidate(
            inputs, solution, state, movable,
            release_key=packing.release_key_by_count(state), mode=mode,
            pinned=pinned)

    def optional_metric_queries(self, params):
        return load.measured_cpu_queries(self, params)

    def _prefer_headroom(self, state, metrics):
        """Add the measured CPU as a soft dimension when the frame has it."""
        load.add_measured_cpu(state, metrics,
                              consolidation.target_utilization(self),
                              soft=True)
