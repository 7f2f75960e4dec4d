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

"""Server and host load read from a MetricsFrame, as numpy arrays aligned
with a ClusterState.
"""
import numpy as np

from watcher.decision_engine.strategy.common import filters


def instance_cpu_cores(state, metrics, inst_query, host_query=None):
    """Cores each server uses: ``instance_cpu_usage`` % x vcpus / 100.

    A server without a sample is estimated from its host's usage spread
    over the host's active vCPUs (or 0 without any sample); stopped
    servers use nothing.
    """
    vcpus = state.demand[:, 0]
    util = metrics.as_array(inst_query, state.inst_uuids) \
        if inst_query is not None else np.full(len(vcpus), np.nan)
    cores = np.clip(util, 0, 100) / 100.0 * vcpus
    active = np.array([inst.state == filters.ACTIVE
                       for inst in state.instances], dtype=bool)
    missing = np.isnan(cores)
    if missing.any():
        estimate = np.zeros(len(vcpus))
        if host_query is not None:
            host_pct = host_cpu_percent(state, metrics, host_query)
            host_cores = np.nan_to_num(host_pct) / 100.0 * np.array(
                [n.vcpus or 0 for n in state.nodes], dtype=float)
            node_active_vcpus = np.bincount(
                state.inst_node, weights=vcpus * active,
                minlength=len(state.nodes))
            share = np.divide(host_cores, node_active_vcpus,
                              out=np.zeros_like(host_cores),
                              where=node_active_vcpus > 0)
            estimate = np.minimum(share[state.inst_node], 1.0) * vcpus
        cores = np.where(missing, estimate, cores)
    return np.where(active, cores, 0.0)


def host_cpu_percent(state, metrics, host_query):
    return metrics.as_array(host_query, state.node_uuids)


def host_physical_cores(state):
    return np.array([float(n.vcpus or 0) for n in state.nodes])


def instance_ram_mb(state, metrics, inst_query):
    """RAM each server uses (MiB) from the frame, flavor RAM if missing."""
    ram = metrics.as_array(inst_query, state.inst_uuids) \
        if inst_query is not None else np.full(len(state.instances), np.nan)
    return np.where(np.isnan(ram), state.demand[:, 1], ram)


def add_cpu_dimension(state, metrics, host_query, inst_query, target):
    """Append the measured ``cpu_used`` dimension (busy cores over physical
    cores) to ``state``: each server demands the cores it uses, each host
    carries the busy cores its servers do not explain (hypervisor
    overhead, from ``host_query``), and a destination stays at or below
    ``target`` of its physical cores.  Returns the per-server cores.
    """
    cores = instance_cpu_cores(state, metrics, inst_query, host_query)
    physical = host_physical_cores(state)
    host_pct = host_cpu_percent(state, metrics, host_query)
    inst_sum = np.bincount(state.inst_node, weights=cores,
                           minlength=len(state.nodes))
    host_cores = np.where(np.isnan(host_pct), inst_sum,
                          np.nan_to_num(host_pct) / 100.0 * physical)
    overhead = np.maximum(host_cores - inst_sum, 0.0)
    state.add_dimension('cpu_used', physical, cores, overhead, target=target)
    return cores


def measured_cpu_queries(strategy, params):
    """The CPU metrics a strategy placing servers by allocation uses, when
    a datasource has them, to keep receiving hosts within the measured
    target (its ``optional_metric_queries``).
    """
    return [strategy._query('instance_cpu_usage', 'instance', params),
            strategy._query('host_cpu_usage', 'compute_node', params)]


def add_measured_cpu(state, metrics, target, soft=False):
    """Append ``cpu_used`` (as ``add_cpu_dimension``: each host's own
    overhead counted) when ``metrics`` holds measured CPU - server or host
    usage, any period.  Returns whether it did.
    """
    if metrics is None or not len(state.nodes):
        return False
    inst_q = metrics.find('instance_cpu_usage', 'instance')
    host_q = metrics.find('host_cpu_usage', 'compute_node')
    if inst_q is None and host_q is None:
        return False
    cores = instance_cpu_cores(state, metrics, inst_q, host_q)
    physical = host_physical_cores(state)
    inst_sum = np.bincount(state.inst_node, weights=cores,
                           minlength=len(state.nodes))
    host_pct = host_cpu_percent(state, metrics, host_q) \
        if host_q is not None else np.full(len(state.nodes), np.nan)
    host_cores = np.where(np.isnan(host_pct), inst_sum,
                          np.nan_to_num(host_pct) / 100.0 * physical)
    overhead = np.maximum(host_cores - inst_sum, 0.0)
    state.add_dimension('cpu_used', physical, cores, overhead,
                        target=target, soft=soft)
    return True
