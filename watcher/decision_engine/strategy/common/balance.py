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

"""Helpers of the balancing strategies: per-host normalised loads."""
import numpy as np

from watcher.decision_engine.strategy.common import load

CPU_METRICS = ('instance_cpu_usage',)
RAM_METRICS = ('instance_ram_usage',)


def instance_load(state, metrics, metric, inst_query):
    """Absolute load per server: cores for CPU, MiB for RAM."""
    if metric in CPU_METRICS:
        return load.instance_cpu_cores(state, metrics, inst_query)
    return load.instance_ram_mb(state, metrics, inst_query)


def host_scale(state, metric):
    """Per-host denominator turning an absolute load into a fraction."""
    if metric in CPU_METRICS:
        values = [float(n.vcpus or 0) for n in state.nodes]
    else:
        values = [float((n.memory or 0) - (n.memory_mb_reserved or 0))
                  for n in state.nodes]
    return np.maximum(np.array(values), 1e-9)


def host_base_load(state, metrics, metric, inst_abs, host_query=None):
    """Absolute host load: the host metric when present (CPU %, RAM MiB),
    else the sum of its servers; returns (host_abs, overhead).
    """
    inst_sum = np.bincount(state.inst_node, weights=inst_abs,
                           minlength=len(state.nodes))
    if host_query is None:
        return inst_sum, np.zeros(len(state.nodes))
    measured = metrics.as_array(host_query, state.node_uuids)
    if metric in CPU_METRICS:
        measured = measured / 100.0 * host_scale(state, metric)
    host_abs = np.where(np.isnan(measured), inst_sum, measured)
    return host_abs, np.maximum(host_abs - inst_sum, 0.0)
