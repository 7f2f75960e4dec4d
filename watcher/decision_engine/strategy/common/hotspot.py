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

"""Hot-spot relief: servers leave the hosts a measurement flags (too hot,
too much airflow, a noisy neighbour) for the hosts it ranks best.

Shared by ``outlet_temperature``, ``uniform_airflow`` and
``noisy_neighbor``:

* ``measured_state(inputs, host_q, inst_q, target)`` - a ClusterState of
  the hosts in scope (enabled or disabled by watcher, and up) with the
  measured ``cpu_used`` dimension, so a destination keeps its allocations
  (vCPU, RAM, disk with ratios and reserved) *and* its measured CPU within
  ``target`` of its physical cores;
* ``host_values`` / ``instance_values`` - one metric of the frame as an
  array aligned with the state; a metric with no value at all for the
  scope fails the audit, naming the metric;
* ``Relief`` - places servers on the receiving hosts in rank order: a host
  that has received fewer servers in this run first (so relief is spread
  and no cool host becomes the next hot spot), then the best rank, then
  the model order (no random choice: the same input gives the same plan).
  Every placement respects capacity, server groups (affinity and
  anti-affinity) and pinned availability zones (``ClusterState.feasible``).
"""
import numpy as np

from watcher.common import exception
from watcher.decision_engine.strategy.common import consolidation
from watcher.decision_engine.strategy.common import load

_KINDS = {'compute_node': 'compute node', 'instance': 'server'}


def measured_state(inputs, host_query, inst_query, target):
    """``(state, cores)``: see the module docstring."""
    state = consolidation.build_state(inputs.compute_model)
    cores = load.add_cpu_dimension(state, inputs.metrics, host_query,
                                   inst_query, target)
    return state, cores


def _require(values, query, strategy_name):
    if len(values) and np.isnan(values).all():
        raise exception.MetricFetchFailed(
            metric=query.metric, strategy=strategy_name,
            reason='the datasource has no value for any %s of the audit '
                   'scope' % _KINDS.get(query.resource_type,
                                        query.resource_type))
    return values


def host_values(state, metrics, query, strategy_name):
    """Per host of ``state`` (NaN where missing); fails when all are."""
    return _require(metrics.as_array(query, state.node_uuids), query,
                    strategy_name)


def instance_values(state, metrics, query, strategy_name):
    """Per server of ``state`` (NaN where missing); fails when all are."""
    return _require(metrics.as_array(query, state.inst_uuids), query,
                    strategy_name)


class Relief:
    """Simulated moves onto ranked destinations (module docstring).

    ``dest``: bool mask of hosts that may receive; ``rank``: per host,
    lower is better.
    """

    def __init__(self, state, dest, rank):
        self.state = state
        self.dest = np.asarray(dest, dtype=bool).copy()
        self.rank = np.nan_to_num(np.asarray(rank, dtype=float),
                                  nan=np.inf)
        self.received = np.zeros(len(state.nodes), dtype=np.int64)

    def place(self, i):
        """Move server ``i`` to its best destination; the host index, or
        -1 when no destination can take it.
        """
        ok = self.state.feasible(i, self.dest)
        if not ok.any():
            return -1
        idx = np.flatnonzero(ok)
        order = np.lexsort((idx, self.rank[idx], self.received[idx]))
        j = int(idx[order[0]])
        self.state.move(i, j)
        self.received[j] += 1
        return j

    def shed_one(self, h, candidates):
        """Move the first of ``candidates`` (server indices of host ``h``,
        in preference order) that some destination can take; the moved
        server index or -1.
        """
        for i in candidates:
            if int(self.state.inst_node[i]) != h:
                continue
            if self.place(int(i)) >= 0:
                return int(i)
        return -1

    def evacuate(self, h, candidates):
        """Move every server of ``candidates`` that fits somewhere; the
        number moved.
        """
        moved = 0
        for i in candidates:
            if int(self.state.inst_node[i]) == h and self.place(int(i)) >= 0:
                moved += 1
        return moved


def busiest_first(state, cores, movable, h):
    """Movable servers of host ``h``, the most measured CPU first (they
    shed the most heat), then the most vCPUs, then model order.
    """
    items = [int(i) for i in state.node_instance_indices(h) if movable[i]]
    return sorted(items, key=lambda i: (-cores[i], -state.demand[i, 0], i))


def check_positive(params, *keys):
    """Each of ``keys`` (periods, thresholds) must be a positive number."""
    for key in keys:
        if not params[key] > 0:
            raise exception.InvalidAuditParameters(
                err='%s must be a positive number, not %s'
                    % (key, params[key]))


def out_of_range(key, what, value):
    return exception.InvalidAuditParameters(
        err='%s must be %s, not %s' % (key, what, value))
