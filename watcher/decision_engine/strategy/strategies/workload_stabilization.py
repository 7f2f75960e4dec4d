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

"""Workload stabilization (goal ``workload_balancing``).

For each metric of ``metrics`` a host's load is normalised to [0, 1]
(CPU: cores used / physical cores, from the host metric named in
``instance_metrics``, else the sum of its servers; RAM: MiB used / memory).
While the standard deviation of some metric exceeds its ``thresholds``
value, the most loaded host (weighted over the metrics) gives away one
server: every (movable server of that host, destination) pair is scored by
the weighted sum of the standard deviations the move would leave
(``weights``), computed in closed form for all destinations at once, and
the best strictly improving move is applied.  A server moves at most once.

Destinations come from ``host_choice``: ``fullsearch`` every host,
``retry`` ``retry_count`` random hosts per server (seeded: runs are
reproducible), ``cycle`` the next ``retry_count`` hosts in turn; all must
have the capacity (allocations with ratios and reserved) and respect
anti-affinity.  Planner: ``workload_stabilization``.
"""
import zlib

import numpy as np

from watcher.common import exception
from watcher.decision_engine.strategy import base
from watcher.decision_engine.strategy.common import actions
from watcher.decision_engine.strategy.common import balance
from watcher.decision_engine.strategy.common import consolidation

METRICS = ('instance_cpu_usage', 'instance_ram_usage')
HOST_CHOICES = ('cycle', 'retry', 'fullsearch')
#: fullsearch scores the PRUNE least loaded hosts (weighted) per step.
PRUNE = 64


class WorkloadStabilization(base.BaseStrategy):
    name = 'workload_stabilization'
    display_name = 'Workload stabilization'
    goal_name = 'workload_balancing'
    planner = 'workload_stabilization'
    metric_names = ('instance_cpu_usage', 'instance_ram_usage',
                    'host_cpu_usage', 'host_ram_usage')

    @classmethod
    def get_schema(cls):
        return {
            'properties': {
                'metrics': {
                    'description': 'Metrics used as rates of cluster loads.',
                    'type': 'array',
                    'items': {'type': 'string',
                              'enum': ['instance_cpu_usage',
                                       'instance_ram_usage']},
                    'default': ['instance_cpu_usage'],
                },
                'thresholds': {
                    'description': 'Dict where key is a metric and value is '
                                   'a trigger value.',
                    'type': 'object',
                    'properties': {
                        'instance_cpu_usage': {'type': 'number',
                                               'minimum': 0, 'maximum': 1},
                        'instance_ram_usage': {'type': 'number',
                                               'minimum': 0, 'maximum': 1},
                    },
                    'default': {'instance_cpu_usage': 0.1,
                                'instance_ram_usage': 0.1},
                },
                'weights': {
                    'description': 'These weights used to calculate common '
                                   'standard deviation. Name of weight '
                                   'contains meter name and _weight '
                                   'suffix.',
                    'type': 'object',
                    'properties': {
                        'instance_cpu_usage_weight': {
                            'type': 'number', 'minimum': 0, 'maximum': 1},
                        'instance_ram_usage_weight': {
                            'type': 'number', 'minimum': 0, 'maximum': 1},
                    },
                    'default': {'instance_cpu_usage_weight': 1.0,
                                'instance_ram_usage_weight': 1.0},
                },
                'instance_metrics': {
                    'description': 'Mapping to get hardware statistics '
                                   'using instance metrics',
                    'type': 'object',
                    'default': {'instance_cpu_usage': 'host_cpu_usage',
                                'instance_ram_usage': 'host_ram_usage'},
                },
                'host_choice': {
                    'description': "Method of host's choice. There are "
                                   "cycle, retry and fullsearch methods. "
                                   "Cycle will iterate hosts in cycle. "
                                   "Retry will get some hosts random (count "
                                   "defined in retry_count option). "
                                   "Fullsearch will return each host from "
                                   "list.",
                    'type': 'string', 'default': 'retry',
                },
                'retry_count': {
                    'description': 'Count of random returned hosts',
                    'type': 'number', 'minimum': 1, 'default': 1,
                },
                'periods': {
                    'description': 'These periods are used to get statistic '
                                   'aggregation for instance and host '
                                   'metrics. The period is simply a '
                                   'repeating interval of time into which '
                                   'the samples are grouped for '
                                   'aggregation. Watcher uses only the last '
                                   'period of all received ones.',
                    'type': 'object',
                    'properties': {
                        'instance': {'type': 'integer', 'minimum': 0},
                        'compute_node': {'type': 'integer', 'minimum': 0},
                        'node': {'type': 'integer', 'minimum': 0,
                                 'default': 0},
                    },
                    'default': {'instance': 720, 'compute_node': 600,
                                'node': 0},
                },
                'aggregation_method': base.aggregation_method_param(),
                'granularity': base.granularity_param(
                    minimum=0),
            },
        }

    def check_parameters(self, params):
        if params['host_choice'] not in HOST_CHOICES:
            raise exception.InvalidAuditParameters(
                err='host_choice must be one of %s, not %r'
                    % (', '.join(HOST_CHOICES), params['host_choice']))
        for metric in params['metrics']:
            if metric not in params['thresholds']:
                raise exception.InvalidAuditParameters(
                    err='no threshold for metric %s' % metric)

    def _queries(self, params):
        out = []
        for metric in params['metrics']:
            inst_q = self._query(metric, 'instance', params, 'periods')
            host_metric = (params.get('instance_metrics') or {}).get(metric)
            host_q = self._query(host_metric, 'compute_node', params,
                                 'periods') if host_metric else None
            out.append((metric, inst_q, host_q))
        return out

    def metric_queries(self, params):
        queries = []
        for _metric, inst_q, host_q in self._queries(params):
            queries.append(inst_q)
            if host_q is not None:
                queries.append(host_q)
        return queries

    def do_execute(self, inputs, params, solution):
        state = consolidation.build_state(inputs.compute_model)
        dest = consolidation.destination_mask(state)
        movable = consolidation.movable_mask(state)
        plan = self._queries(params)
        k = len(plan)
        hosts = np.flatnonzero(dest)
        if not k or len(hosts) < 2:
            self._report(solution, state, 0.0, 0.0)
            return
        n = len(state.nodes)
        loads = np.zeros((k, n))     # normalised host loads
        impact = np.zeros((k, len(state.instances)))  # absolute
        scales = np.zeros((k, n))
        thresholds = np.zeros(k)
        weights = np.zeros(k)
        for m, (metric, inst_q, host_q) in enumerate(plan):
            inst_abs = balance.instance_load(state, inputs.metrics, metric,
                                             inst_q)
            host_abs, _ = balance.host_base_load(
                state, inputs.metrics, metric, inst_abs, host_q)
            scales[m] = balance.host_scale(state, metric)
            loads[m] = host_abs / scales[m]
            impact[m] = inst_abs
            thresholds[m] = float(params['thresholds'][metric])
            weights[m] = float((params.get('weights') or {}).get(
                '%s_weight' % metric, 1.0))

        sub = loads[:, hosts]
        count = float(len(hosts))
        s1 = sub.sum(axis=1)
        s2 = (sub ** 2).sum(axis=1)

        def std(a, b):
            return np.sqrt(np.maximum(b / count - (a / count) ** 2, 0.0))

        before = float((weights * std(s1, s2)).sum())
        moved = np.zeros(len(state.instances), dtype=bool)
        stuck = np.zeros(n, dtype=bool)
        rng = np.random.default_rng(zlib.crc32(
            ''.join(state.node_uuids[:8]).encode()))
        cursor = [0]
        budget = len(state.instances)
        while budget > 0:
            sd = std(s1, s2)
            over = sd > thresholds
            if not over.any():
                break
            current = float((weights * sd).sum())
            weighted = (weights[over, None] * loads[over][:, hosts]).sum(0)
            weighted[stuck[hosts]] = -np.inf
            top = int(np.argmax(weighted))
            if not np.isfinite(weighted[top]) or \
                    weighted[top] <= weighted[np.isfinite(weighted)].mean():
                break
            src = int(hosts[top])
            cand = np.array([i for i in state.node_instance_indices(src)
                             if movable[i] and not moved[i]], dtype=int)
            best = self._best_move(params, state, dest, cand, src, loads,
                                   impact, scales, s1, s2, weights, std,
                                   current, rng, cursor)
            if best is None:
                # nothing improves from this host: try the next one
                stuck[src] = True
                continue
            _score, i, j = best
            a_src = impact[:, i] / scales[:, src]
            a_dst = impact[:, i] / scales[:, j]
            s1 += a_dst - a_src
            s2 += ((loads[:, src] - a_src) ** 2 - loads[:, src] ** 2 +
                   (loads[:, j] + a_dst) ** 2 - loads[:, j] ** 2)
            loads[:, src] -= a_src
            loads[:, j] += a_dst
            state.move(i, j)
            moved[i] = True
            budget -= 1
        after = float((weights * std(s1, s2)).sum())
        actions.emit_migrations(solution, state)
        self._report(solution, state, before, after)

    def _best_move(self, params, state, dest, cand, src, loads, impact,
                   scales, s1, s2, weights, std, current, rng, cursor):
        """(score, server, node) of the best improving move of one of the
        ``cand`` servers of ``src``, or None.  Vectorised over candidates
        x destinations.
        """
        if not len(cand):
            return None
        best = None
        if params['host_choice'] == 'fullsearch' and dest.sum() > PRUNE:
            best = self._best_move_among(
                params, state, dest, cand, src, loads, impact, scales, s1,
                s2, weights, std, current, rng, cursor, prune=True)
        if best is None:
            best = self._best_move_among(
                params, state, dest, cand, src, loads, impact, scales, s1,
                s2, weights, std, current, rng, cursor, prune=False)
        return best

    def _best_move_among(self, params, state, dest, cand, src, loads,
                         impact, scales, s1, s2, weights, std, current, rng,
                         cursor, prune):
        cols = np.flatnonzero(dest)
        if params['host_choice'] == 'retry':
            return self._retry_move(params, state, cols, cand, src, loads,
                                    impact, scales, s1, s2, weights, std,
                                    current, rng)
        if prune:
            # Moving load to a host improves the spread the more, the
            # less loaded that host is: score the least loaded ones only.
            weighted = (weights[:, None] * loads[:, cols]).sum(axis=0)
            cols = cols[np.argpartition(weighted, PRUNE)[:PRUNE]]
        ok = np.ones((len(cand), len(cols)), dtype=bool)
        free = state.free[cols]
        demand = state.demand[cand]
        for d in range(3):
            ok &= free[None, :, d] >= demand[:, None, d] - 1e-6
        ok &= (cols != src)[None, :]
        for row, i in enumerate(cand):
            allowed = state.allowed_nodes(int(i))
            if allowed is not None:
                ok[row] &= allowed[cols]
        rows, picked = self._choose(params, ok, rng, cursor)
        if not len(rows):
            return None
        return self._score_pairs(cand[rows], cols[picked], src, loads,
                                 impact, scales, s1, s2, weights, std,
                                 current)

    def _retry_move(self, params, state, cols, cand, src, loads, impact,
                    scales, s1, s2, weights, std, current, rng):
        """``retry``: ``retry_count`` random hosts per server, drawn among
        the hosts that can take it (a few draws, no full scan).
        """
        count = max(1, int(params.get('retry_count') or 1))
        draws = max(8, 4 * count)
        sample = cols[rng.integers(len(cols), size=(len(cand), draws))]
        free = state.free[sample]                      # c, draws, dims
        need = state.demand[cand][:, None, :] - 1e-6
        ok = np.ones(sample.shape, dtype=bool)
        for d in range(3):
            ok &= free[:, :, d] >= need[:, :, d]
        ok &= sample != src
        servers, dests = [], []
        for row, i in enumerate(cand):
            allowed = state.allowed_nodes(int(i))
            seen = []
            for j, good in zip(sample[row], ok[row]):
                if good and j not in seen and (
                        allowed is None or allowed[j]):
                    seen.append(int(j))
                    if len(seen) == count:
                        break
            servers.extend([int(i)] * len(seen))
            dests.extend(seen)
        if not servers:
            return None
        return self._score_pairs(np.array(servers), np.array(dests), src,
                                 loads, impact, scales, s1, s2, weights,
                                 std, current)

    @staticmethod
    def _score_pairs(servers, cols, src, loads, impact, scales, s1, s2,
                     weights, std, current):
        """Best improving (score, server, node) among the pairs."""
        a_src = impact[:, servers] / scales[:, src, None]           # k,p
        a_dst = impact[:, servers] / scales[:, cols]                # k,p
        ls = loads[:, src, None]                                    # k,1
        ld = loads[:, cols]                                         # k,p
        n1 = s1[:, None] - a_src + a_dst
        n2 = (s2[:, None] - ls ** 2 + (ls - a_src) ** 2 - ld ** 2 +
              (ld + a_dst) ** 2)
        score = (weights[:, None] * std(n1, n2)).sum(axis=0)        # p
        best = int(np.argmin(score))
        if not score[best] < current - 1e-9:
            return None
        return float(score[best]), int(servers[best]), int(cols[best])

    @staticmethod
    def _choose(params, ok, rng, cursor):
        """The (candidate row, destination column) pairs to evaluate from
        the feasibility matrix ``ok``: all of them (fullsearch) or the next
        ``retry_count`` feasible hosts in turn (cycle).
        """
        choice = params['host_choice']
        if choice == 'fullsearch':
            return np.nonzero(ok)
        count = max(1, int(params.get('retry_count') or 1))
        n = ok.shape[1]
        rows, cols = [], []
        for row in range(ok.shape[0]):
            order = (np.arange(n) + cursor[0]) % n
            picked = order[ok[row, order]][:count]
            if len(picked):
                rows.extend([row] * len(picked))
                cols.extend(int(c) for c in picked)
                cursor[0] = (int(picked[-1]) + 1) % n
        return np.array(rows, dtype=int), np.array(cols, dtype=int)

    @staticmethod
    def _report(solution, state, before, after):
        migrations = sum(1 for a in solution.actions
                         if a['action_type'] == actions.MIGRATE)
        solution.set_efficacy_indicators(
            instance_migrations_count=migrations,
            instances_count=len(state.instances),
            standard_deviation_before_audit=round(max(before, 0.0), 6),
            standard_deviation_after_audit=round(max(after, 0.0), 6))
