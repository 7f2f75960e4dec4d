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

"""The shared driver of the server consolidation strategies.

``consolidate(inputs, solution, ...)`` builds a ClusterState over the hosts
in play (enabled and up), optionally adds metric-based dimensions, runs
``packing.consolidate`` and emits the migrations, the service state changes
and the server_consolidation efficacy indicators.

``target_utilization_opt()`` is the shared ``target_utilization`` option of
the metric-based strategies: measured load (busy cores / physical cores,
used RAM / physical RAM) a destination must stay at or below after a move.
"""
import numpy as np
from oslo_config import cfg

from watcher.decision_engine.strategy.common import actions
from watcher.decision_engine.strategy.common import cluster
from watcher.decision_engine.strategy.common import filters
from watcher.decision_engine.strategy.common import packing


DEFAULT_TARGET_UTILIZATION = 0.8


def target_utilization_opt(help_extra=''):
    return cfg.FloatOpt(
        'target_utilization', default=DEFAULT_TARGET_UTILIZATION,
        min=0.05, max=1.0,
        help='Highest measured utilisation (busy CPU cores over physical '
             'cores, and used RAM over physical RAM when measured) a host '
             'may reach by receiving servers; hosts already above it '
             'receive none. 1.0 only keeps the measured load within the '
             'physical host.' + help_extra)


def target_utilization(strategy):
    """The strategy's ``target_utilization`` (default 0.8), clamped to
    (0, 1].
    """
    value = strategy.config_value('target_utilization',
                                  DEFAULT_TARGET_UTILIZATION)
    try:
        value = float(DEFAULT_TARGET_UTILIZATION if value is None
                      else value)
    except (TypeError, ValueError):
        value = DEFAULT_TARGET_UTILIZATION
    if not np.isfinite(value) or value <= 0:
        value = DEFAULT_TARGET_UTILIZATION
    return min(value, 1.0)


def build_state(model):
    return cluster.ClusterState(
        model, node_filter=lambda n: filters.in_watcher_scope(n) and
        n.state == 'up')


def movable_mask(state, check_optimize_metadata=False):
    return np.array([filters.can_move(i, check_optimize_metadata)
                     for i in state.instances], dtype=bool)


def destination_mask(state):
    return np.array([filters.is_destination(n) for n in state.nodes],
                    dtype=bool)


def offload_overloaded(state, dim, dest, movable):
    """Phase 1 of a workload consolidation: hosts above their limit in
    ``dim`` (the target utilisation of a measured dimension) shed servers
    to destinations that stay within theirs (``packing.offload``).
    Returns the number of moves.
    """
    return packing.offload(state, dim, dest, movable)


def consolidate(inputs, solution, state, movable, release_key=None,
                max_attempts=0, mode='disable', pinned=None):
    """Pack, emit migrations and node actions, set efficacy.

    ``mode``: 'disable' - disable every in-play host left empty (reason
    ``watcher_disabled``); 'auto' - disable the emptied hosts before the
    migrations and re-enable them afterwards, the migrations naming no
    destination: the Nova scheduler picks one among the hosts left enabled
    (node_resource_consolidation auto); 'none' - migrations only.
    Returns the PackingResult.
    """
    dest = destination_mask(state)
    result = packing.consolidate(state, dest, movable, pinned=pinned,
                                 release_key=release_key,
                                 max_attempts=max_attempts)
    if mode == 'auto':
        for h in result.released:
            actions.add_change_service_state(solution, state.nodes[h],
                                             'disabled',
                                             actions.WATCHER_DISABLED)
    migrations = actions.emit_migrations(
        solution, state, name_destinations=(mode != 'auto'))
    released = 0
    if mode == 'auto':
        for h in result.released:
            actions.add_change_service_state(solution, state.nodes[h],
                                             'enabled')
        released = len(result.released)
    elif mode == 'disable':
        counts = state.instance_counts()
        for h in np.flatnonzero(dest & (counts == 0)):
            actions.add_change_service_state(solution, state.nodes[h],
                                             'disabled',
                                             actions.WATCHER_DISABLED)
            released += 1
    else:
        released = len(result.released)
    solution.set_efficacy_indicators(
        compute_nodes_count=int(dest.sum()),
        released_compute_nodes_count=int(released),
        instance_migrations_count=int(migrations))
    return result
