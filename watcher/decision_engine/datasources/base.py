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

"""The datasource interface.

A datasource answers a :class:`~watcher.decision_engine.datasources.frame.
MetricQuery` for MANY resources at once::

    values = datasource.fetch_metric(query, resources)   # {uuid: float}

``resources`` are model elements (``ComputeNode`` for ``compute_node``
queries, ``Instance`` for ``instance`` queries); the answer is keyed by
their ``uuid`` and holds only the resources the backend has data for.
Values are in the canonical units of ``frame.py`` (percent, MiB, GiB...):
each backend converts what its series carry.  An implementation sends a
small constant number of backend queries per call (one, for all the
resources), and counts them in ``queries_sent``.

The upstream-style per-resource calls are kept, built on the bulk one:
``statistic_aggregation(resource, resource_type, meter_name, period,
granularity, aggregate)`` and the typed getters (``get_host_cpu_usage``,
``get_instance_ram_usage``, ...); typed getters return None for a metric
the backend does not offer, ``statistic_aggregation`` raises
``MetricNotAvailable``.

Each backend declares ``NAME``, ``METRIC_MAP`` (watcher key -> backend
metric name, ``None`` for unsupported), ``AGGREGATES`` and
``RESOURCE_TYPES``; the manager merges the metric map file over
``METRIC_MAP``.  ``check_availability()`` answers ``'available'`` or
``'not available'``; ``list_metrics()`` the set of metric names the
backend holds (used by the strategy state check).
"""
import abc
import time

from oslo_log import log

from watcher.common import exception
from watcher.conf import CONF
from watcher.decision_engine.datasources import frame

LOG = log.getLogger(__name__)

AVAILABLE = 'available'
NOT_AVAILABLE = 'not available'

#: typed getter name -> (watcher metric key, resource type)
GETTERS = {
    'get_host_cpu_usage': ('host_cpu_usage', 'compute_node'),
    'get_host_ram_usage': ('host_ram_usage', 'compute_node'),
    'get_host_outlet_temp': ('host_outlet_temp', 'compute_node'),
    'get_host_inlet_temp': ('host_inlet_temp', 'compute_node'),
    'get_host_airflow': ('host_airflow', 'compute_node'),
    'get_host_power': ('host_power', 'compute_node'),
    'get_instance_cpu_usage': ('instance_cpu_usage', 'instance'),
    'get_instance_ram_usage': ('instance_ram_usage', 'instance'),
    'get_instance_ram_allocated': ('instance_ram_allocated', 'instance'),
    'get_instance_l3_cache_usage': ('instance_l3_cache_usage', 'instance'),
    'get_instance_root_disk_size': ('instance_root_disk_size', 'instance'),
}

METRIC_RESOURCE_TYPES = {metric: rtype for metric, rtype in GETTERS.values()}


def resource_key(resource):
    """The frame key of a model element (its uuid)."""
    return getattr(resource, 'uuid', None) or str(resource)


def host_name(resource):
    """The host name of a ComputeNode (or a plain string)."""
    if isinstance(resource, str):
        return resource
    return getattr(resource, 'hostname', None) or resource_key(resource)


class DataSourceBase(metaclass=abc.ABCMeta):
    """A metrics backend (see the module docstring)."""

    NAME = None
    METRIC_MAP = {}
    AGGREGATES = frame.AGGREGATES
    RESOURCE_TYPES = frame.RESOURCE_TYPES
    #: errors never worth a retry (bad query, auth...)
    NO_RETRY = ()

    def __init__(self, metric_map=None, conf=None):
        self.conf = conf or CONF
        self.metric_map = dict(self.METRIC_MAP)
        if metric_map:
            self.metric_map.update(metric_map)
        self.queries_sent = 0

    # -- capabilities ----------------------------------------------------
    def supports(self, metric):
        return self.metric_map.get(metric) is not None

    def missing_metrics(self, metrics):
        return [m for m in metrics if not self.supports(m)]

    @abc.abstractmethod
    def check_availability(self):
        """``'available'`` or ``'not available'``."""

    @abc.abstractmethod
    def list_metrics(self):
        """The set of metric names the backend holds."""

    # -- the bulk call ---------------------------------------------------
    @abc.abstractmethod
    def fetch_metric(self, query, resources):
        """``{uuid: float}`` of ``query`` for ``resources`` (one backend
        query for all of them).
        """

    def query_retry(self, func, *args, **kwargs):
        """``func(*args)`` retried per ``[watcher_datasources]
        query_max_retries`` / ``query_interval``; raises
        ``DataSourceNotAvailable`` when every try failed.
        """
        retries = max(1, self.conf.watcher_datasources.query_max_retries)
        interval = self.conf.watcher_datasources.query_interval
        last = None
        for attempt in range(1, retries + 1):
            try:
                return func(*args, **kwargs)
            except exception.WatcherException:
                raise
            except self.NO_RETRY as exc:
                raise exception.DataSourceNotAvailable(
                    datasource=self.NAME, reason=str(exc) or repr(exc))
            except Exception as exc:
                last = exc
                LOG.warning('%s query failed (try %d of %d): %s', self.NAME,
                            attempt, retries, exc)
                if attempt < retries:
                    time.sleep(interval)
        raise exception.DataSourceNotAvailable(
            datasource=self.NAME, reason=str(last) or repr(last))

    @staticmethod
    def model_value(query, resources):
        """Metrics every model holds (flavor RAM and root disk)."""
        attr = {'instance_ram_allocated': 'memory',
                'instance_root_disk_size': 'disk'}[query.metric]
        return {resource_key(r): float(getattr(r, attr, 0) or 0)
                for r in resources}

    # -- upstream-style per resource calls -------------------------------
    def statistic_aggregation(self, resource=None, resource_type=None,
                              meter_name=None, period=300, granularity=300,
                              aggregate='mean'):
        if not self.supports(meter_name):
            raise exception.MetricNotAvailable(metric=meter_name,
                                               datasources=self.NAME)
        query = frame.MetricQuery(meter_name, resource_type, int(period),
                                  aggregate, int(granularity or 300))
        values = self._fetch_one(query, resource, getter=False)
        return values.get(resource_key(resource))

    def _fetch_one(self, query, resource, getter):
        return self.fetch_metric(query, [resource])

    def statistic_series(self, resource=None, resource_type=None,
                         meter_name=None, start_time=None, end_time=None,
                         granularity=300):
        raise NotImplementedError(
            '%s does not provide time series' % self.NAME)

    def _typed(self, metric, resource_type, resource, period, aggregate,
               granularity):
        if not self.supports(metric):
            return None
        query = frame.MetricQuery(metric, resource_type, int(period),
                                  aggregate, int(granularity or 300))
        return self._fetch_one(query, resource, getter=True).get(
            resource_key(resource))

    def __getattr__(self, name):
        spec = GETTERS.get(name)
        if spec is None:
            raise AttributeError(name)
        metric, resource_type = spec

        def getter(resource, period=300, aggregate='mean',
                   granularity=None):
            return self._typed(metric, resource_type, resource, period,
                               aggregate, granularity)
        getter.__name__ = name
        return getter

    def __repr__(self):
        return '<%s>' % type(self).__name__
