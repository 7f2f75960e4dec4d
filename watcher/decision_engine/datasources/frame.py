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

"""Metric frames: what the datasource layer hands to a strategy.

Contract (others code against it - keep names stable):

* ``MetricQuery(metric, resource_type, period=300, aggregate='mean',
  granularity=300)`` - frozen, hashable.  ``metric`` is a canonical watcher
  key (``METRICS``), ``resource_type`` one of ``RESOURCE_TYPES``.
  A strategy declares its needs as a list of these
  (``BaseStrategy.metric_queries(params)``); the datasource layer answers
  each with ONE bulk query covering every resource of the scope.
* ``MetricsFrame`` - per query, a dict resource uuid (ComputeNode.uuid or
  Instance.uuid) -> float:
  ``set(query, values)``, ``update(query, values)``, ``get(query)`` (empty
  dict if absent), ``value(query, uuid, default=None)``, ``has(query)``,
  ``queries()``, ``as_array(query, uuids, default=nan)`` (numpy array
  aligned with ``uuids``), and ``queries_issued`` (int the datasource layer
  increments once per backend query it sends; benchmarks print it).
  ``errors`` maps a query to the message of a failed fetch, if any.

Units are the canonical ones: ``*_cpu_usage`` in percent (0-100, of the
instance's vCPUs / of the host), ``host_ram_usage``/``instance_ram_usage``/
``instance_ram_allocated`` in MiB, ``instance_root_disk_size`` in GiB,
temperatures in Celsius, ``host_airflow`` in 0.1 CFM, ``host_power`` in W;
``instance_l3_cache_usage`` stays in the backend's unit (strategies use
only its relative change).
"""
import dataclasses

import numpy as np

METRICS = (
    'host_cpu_usage', 'host_ram_usage', 'host_outlet_temp',
    'host_inlet_temp', 'host_airflow', 'host_power',
    'instance_cpu_usage', 'instance_ram_usage', 'instance_ram_allocated',
    'instance_root_disk_size', 'instance_l3_cache_usage',
)

RESOURCE_TYPES = ('compute_node', 'instance', 'bare_metal', 'storage')

AGGREGATES = ('mean', 'min', 'max', 'count')


@dataclasses.dataclass(frozen=True)
class MetricQuery:
    metric: str
    resource_type: str
    period: int = 300
    aggregate: str = 'mean'
    granularity: int = 300

    def __post_init__(self):
        if self.resource_type not in RESOURCE_TYPES:
            raise ValueError('unknown resource type %r' % self.resource_type)
        if self.aggregate not in AGGREGATES:
            raise ValueError('unknown aggregate %r' % self.aggregate)


class MetricsFrame:
    """Bulk metric values of one audit, keyed by MetricQuery."""

    def __init__(self, data=None):
        self._data = {}
        self.queries_issued = 0
        self.errors = {}
        for query, values in (data or {}).items():
            self.set(query, values)

    def set(self, query, values):
        self._data[query] = {k: float(v) for k, v in values.items()
                             if v is not None}

    def update(self, query, values):
        current = self._data.setdefault(query, {})
        current.update((k, float(v)) for k, v in values.items()
                       if v is not None)

    def get(self, query):
        return self._data.get(query, {})

    def has(self, query):
        return query in self._data

    def value(self, query, uuid, default=None):
        return self._data.get(query, {}).get(uuid, default)

    def queries(self):
        return list(self._data)

    def find(self, metric, resource_type=None):
        """The first stored query for ``metric`` (any period/aggregate)."""
        for query in self._data:
            if query.metric == metric and (
                    resource_type is None or
                    query.resource_type == resource_type):
                return query
        return None

    def as_array(self, query, uuids, default=np.nan):
        values = self._data.get(query, {})
        get = values.get
        return np.fromiter((get(u, default) for u in uuids),
                           dtype=float, count=len(uuids))

    def __contains__(self, query):
        return query in self._data

    def __len__(self):
        return len(self._data)

    def __repr__(self):
        return '<MetricsFrame %s>' % ', '.join(
            '%s/%s:%d' % (q.metric, q.resource_type, len(v))
            for q, v in self._data.items())
