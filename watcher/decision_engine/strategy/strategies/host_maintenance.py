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

"""Host maintenance (goal ``cluster_maintaining``).

Empties ``maintenance_node`` so an operator can work on it:

1. disable its nova-compute service with reason ``watcher_maintaining``;
2. choose how each server leaves: ACTIVE -> live migration, others -> cold
   migration; with ``disable_live_migration`` ACTIVE servers are cold
   migrated, or *stopped* when ``disable_cold_migration`` is set too; with
   ``disable_cold_migration`` non-active servers stay; excluded servers
   (``watcher_exclude``) never move;
3. destination: ``backup_node`` if it can take every leaving server, else
   one idle host (no servers; enabled, or disabled by watcher and then
   re-enabled first) that can take them all - the smallest that fits -
   else each server on its best fitting enabled host (largest servers
   first).  Capacity and anti-affinity are always checked; a server no
   host can take is left in place.

Where a datasource answers the optional CPU queries (``instance_cpu_usage``,
``host_cpu_usage``), the measured load counts as in the consolidation
strategies: a host's predicted busy cores (its servers' plus its own
overhead, host CPU minus the sum of its servers') should stay at or below
``[watcher_strategies.host_maintenance] target_utilization`` (default 0.8)
of its physical cores.  An idle host that would pass it is not chosen, and
each server goes to the best fitting host that stays within it - the one
with the most headroom when none does (emptying the node comes first).

The operator re-enables the node after the maintenance.
"""
import numpy as np

from watcher.common import exception
from watcher.decision_engine.strategy import base
from watcher.decision_engine.strategy.common import actions
from watcher.decision_engine.strategy.common import cluster
from watcher.decision_engine.strategy.common import consolidation
from watcher.decision_engine.strategy.common import filters
from watcher.decision_engine.strategy.common import load


class HostMaintenance(base.BaseStrategy):
    name = 'host_maintenance'
    display_name = 'Host Maintenance Strategy'
    goal_name = 'cluster_maintaining'

    @classmethod
    def get_schema(cls):
        return {
            'properties': {
                'maintenance_node': {
                    'description': 'The name of the compute node which '
                                   'need maintenance',
                    'type': 'string',
                },
                'backup_node': {
                    'description': 'The name of the compute node which '
                                   'will backup the maintenance node.',
                    'type': 'string',
                },
                'disable_live_migration': {
                    'description': 'Disable live migration in maintenance. '
                                   'If True, active instances will be cold '
                                   'migrated if `disable_cold_migration` is '
                                   'not set, otherwise they will be '
                                   'stopped.',
                    'type': 'boolean', 'default': False,
                },
                'disable_cold_migration': {
                    'description': 'Disable cold migration in maintenance. '
                                   'If True, non-active instances will not '
                                   'be cold migrated.',
                    'type': 'boolean', 'default': False,
                },
            },
            'required': ['maintenance_node'],
        }

    @classmethod
    def get_config_opts(cls):
        return [consolidation.target_utilization_opt(
            ' Only a preference here, applied when a datasource answers '
            'the measured CPU.')]

    def optional_metric_queries(self, params):
        return load.measured_cpu_queries(self, params)

    def do_execute(self, inputs, params, solution):
        model = inputs.compute_model
        node = model.get_node_by_name(params['maintenance_node'])
        backup = None
        if params.get('backup_node'):
            backup = model.get_node_by_name(params['backup_node'])
            if backup.uuid == node.uuid:
                raise exception.InvalidAuditParameters(
                    err='backup_node must differ from maintenance_node')
        if not (node.status == 'disabled' and
                node.disabled_reason == actions.WATCHER_MAINTAINING):
            actions.add_change_service_state(
                solution, node, 'disabled', actions.WATCHER_MAINTAINING)

        no_live = params['disable_live_migration']
        no_cold = params['disable_cold_migration']
        state = cluster.ClusterState(
            model, node_filter=lambda n: n.uuid == node.uuid or
            n.state == 'up')
        src = state.node_index[node.uuid]
        measured = load.add_measured_cpu(
            state, inputs.metrics, consolidation.target_utilization(self),
            soft=True)
        movers = {}           # server index -> migration type
        for i in state.node_instance_indices(src):
            inst = state.instances[i]
            if filters.is_excluded(inst):
                continue
            if inst.state == filters.ACTIVE:
                if not no_live:
                    movers[int(i)] = 'live'
                elif not no_cold:
                    movers[int(i)] = 'cold'
                else:
                    actions.add_stop(solution, inst)
            elif not no_cold:
                movers[int(i)] = 'cold'
        if not movers:
            return

        dest = np.array([filters.is_destination(n) for n in state.nodes])
        dest[src] = False
        target = None
        if backup is not None and backup.uuid in state.node_index:
            j = state.node_index[backup.uuid]
            if filters.in_watcher_scope(backup) and \
                    self._all_fit(state, movers, j):
                target = j
        if target is None:
            target = self._idle_host(state, movers, src)
        if target is not None:
            host = state.nodes[target]
            if host.status != 'enabled':
                actions.add_change_service_state(solution, host, 'enabled')
            for i in movers:
                state.move(i, target)
        else:
            order = sorted(movers, key=lambda i: -state.demand[i].sum())
            ref = np.maximum(np.median(state.capacity, axis=0), 1.0)
            base = slice(0, len(state.BASE_DIMS))
            cpu = state.dim('cpu_used') if measured else None
            for i in order:
                ok = state.feasible(i, dest)
                if not ok.any():
                    continue
                idx = np.flatnonzero(ok)
                if measured:
                    within = state.preferred(i, idx)
                    if not within.any():
                        after = (state.used[idx, cpu] + state.demand[i, cpu]
                                 ) / np.maximum(state.capacity[idx, cpu],
                                                1e-9)
                        state.move(i, int(idx[np.argmin(after)]))
                        continue
                    idx = idx[within]
                rest = ((state.free[idx, base] - state.demand[i, base]) /
                        ref[base]).sum(1)
                state.move(i, int(idx[np.argmin(rest)]))
        for i, s, d in state.migrations():
            inst = state.instances[i]
            actions.add_migration(solution, inst, state.nodes[s],
                                  state.nodes[d], movers[i])
            model.migrate_instance(inst.uuid, state.nodes[s].uuid,
                                   state.nodes[d].uuid)

    @staticmethod
    def _all_fit(state, movers, j, within_target=False):
        items = list(movers)
        if state.nodes[j].state != 'up':
            return False
        base = len(state.BASE_DIMS)
        need = state.demand[items].sum(axis=0)
        if np.any(state.free[j, :base] + cluster.EPS < need[:base]):
            return False
        if within_target and state.preferred_limit is not None and np.any(
                state.used[j] + need >
                state.preferred_limit[j] + cluster.EPS):
            return False
        for i in items:
            allowed = state.allowed_nodes(i)
            if allowed is not None and not allowed[j]:
                return False
        return True

    def _idle_host(self, state, movers, src):
        counts = state.instance_counts()
        best = None
        for j, host in enumerate(state.nodes):
            if j == src or counts[j] or host.state != 'up' or \
                    not filters.in_watcher_scope(host):
                continue
            if not self._all_fit(state, movers, j, within_target=True):
                continue
            key = (host.status != 'enabled', float(state.free[j].sum()),
                   host.hostname or '')
            if best is None or key < best[0]:
                best = (key, j)
        return best[1] if best else None
