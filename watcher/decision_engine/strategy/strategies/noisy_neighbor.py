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

"""Noisy neighbor (goal ``noisy_neighbor``).

A server's importance is its ``watcher-priority`` metadata (1 is the
highest; absent or unreadable: 5, as upstream).  Its last-level cache
occupancy (``instance_l3_cache_usage``, Intel CMT) is compared between the
last ``period`` and the one before: the frame holds the mean over
``period`` and over ``2 x period`` (two bulk queries), the earlier period
being ``2 x mean(2P) - mean(P)``.

On each host, a server whose cache dropped by more than
``cache_threshold`` % is *hurt*; among the servers of the same host with
a lower priority, one whose cache grew by more than ``cache_threshold`` %
is *noisy*.  For the most important hurt server of a host (largest drop
among equals) the noisiest neighbour that some destination can take is
live-migrated away (one migration per host and run).

Destinations are hosts without a hurt server (no noisy-neighbour trouble
of their own), the least cache in use first.

Where it does better than upstream: destinations fit by allocation (vCPU,
RAM, disk with ratios and reserved) and measured load (busy cores within
``[watcher_strategies.noisy_neighbor] target_utilization`` of the physical
cores), server groups and pinned availability zones hold, every affected
host is handled in one run, metrics come in four bulk queries whatever
the size of the cloud, and a missing cache metric fails the audit naming
it.  No random choice.
"""
import numpy as np

from watcher.decision_engine.datasources.frame import MetricQuery
from watcher.decision_engine.strategy import base
from watcher.decision_engine.strategy.common import actions
from watcher.decision_engine.strategy.common import consolidation
from watcher.decision_engine.strategy.common import hotspot

PRIORITY_KEY = 'watcher-priority'
DEFAULT_PRIORITY = 5


def priority(instance):
    """``watcher-priority`` as an int (1 = most important)."""
    try:
        return int((instance.metadata or {}).get(PRIORITY_KEY,
                                                 DEFAULT_PRIORITY))
    except (TypeError, ValueError):
        return DEFAULT_PRIORITY


class NoisyNeighbor(base.BaseStrategy):
    name = 'noisy_neighbor'
    display_name = 'Noisy Neighbor'
    goal_name = 'noisy_neighbor'
    metric_names = ('instance_l3_cache_usage', 'host_cpu_usage',
                    'instance_cpu_usage')

    @classmethod
    def get_schema(cls):
        return {
            'properties': {
                'cache_threshold': {
                    'description': 'Performance drop in L3_cache threshold '
                                   'for migration',
                    'type': 'number', 'default': 35.0,
                },
                'period': {
                    'description': 'Aggregate time period of ceilometer '
                                   'and gnocchi',
                    'type': 'number', 'default': 100.0,
                },
            },
        }

    @classmethod
    def get_config_opts(cls):
        return [consolidation.target_utilization_opt()]

    def check_parameters(self, params):
        hotspot.check_positive(params, 'cache_threshold', 'period')
        if params['cache_threshold'] > 100:
            raise hotspot.out_of_range('cache_threshold', 'a percentage',
                                       params['cache_threshold'])

    def metric_queries(self, params):
        period = int(params['period'])
        return [
            MetricQuery('instance_l3_cache_usage', 'instance', period),
            MetricQuery('instance_l3_cache_usage', 'instance', 2 * period),
            self._query('host_cpu_usage', 'compute_node', params),
            self._query('instance_cpu_usage', 'instance', params)]

    def do_execute(self, inputs, params, solution):
        cur_q, both_q, host_q, inst_q = self.metric_queries(params)
        state, _cores = hotspot.measured_state(
            inputs, host_q, inst_q, consolidation.target_utilization(self))
        current = hotspot.instance_values(state, inputs.metrics, cur_q,
                                          self.name)
        both = hotspot.instance_values(state, inputs.metrics, both_q,
                                       self.name)
        previous = 2.0 * both - current
        change = np.divide((current - previous) * 100.0, previous,
                           out=np.full(len(current), np.nan),
                           where=previous > 0)
        threshold = float(params['cache_threshold'])
        hurt = np.nan_to_num(change, nan=0.0) < -threshold
        noisy = np.nan_to_num(change, nan=0.0) > threshold
        prio = np.array([priority(i) for i in state.instances], dtype=int)
        movable = consolidation.movable_mask(state)
        troubled = np.bincount(state.inst_node, weights=hurt,
                               minlength=len(state.nodes)) > 0
        cache = np.bincount(state.inst_node,
                            weights=np.nan_to_num(current),
                            minlength=len(state.nodes))
        dest = consolidation.destination_mask(state) & ~troubled
        relief = hotspot.Relief(state, dest, cache)
        for h in np.flatnonzero(troubled):
            servers = state.node_instance_indices(h)
            victims = sorted((int(i) for i in servers if hurt[i]),
                             key=lambda i: (prio[i], change[i], i))
            for v in victims:
                culprits = sorted(
                    (int(i) for i in servers
                     if noisy[i] and movable[i] and prio[i] > prio[v]),
                    key=lambda i: (-change[i], i))
                if relief.shed_one(int(h), culprits) >= 0:
                    break
        actions.emit_migrations(solution, state)
