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

"""The ``gnocchi`` datasource (gnocchiclient, Keystone session).

Bulk: ONE ``POST /v1/aggregates`` per metric with a resource search and
``groupby`` - e.g. for instance CPU::

    operations: (aggregate rate:mean (metric cpu mean))
    search: {"=": {"ended_at": null}}   (or {"in": {"id": [...]}})
    resource_type: instance, groupby: [id]

gives one group per resource; each group's points over the window
``[now - period, now]`` at ``granularity`` are reduced with the aggregate
(mean, max, min, or count of points).  Hosts are Gnocchi resources whose
``original_resource_id`` is ``<hostname>_<hostname>`` (as Ceilometer's
compute pollster names them), grouped by that attribute.

Units: host RAM (``hardware.memory.used``, KiB) is given in MiB;
instance CPU from the cumulative ``cpu`` meter (ns) is turned into percent
of the instance's vCPUs (``rate / (granularity * 1e9) * 100 / vcpus``).
"""
import datetime

from gnocchiclient import client as gclient
from oslo_log import log

from watcher.common import clients
from watcher.common import exception
from watcher.common import utils
from watcher.decision_engine.datasources import base

LOG = log.getLogger(__name__)

#: above this many resources, search every live resource instead of
#: listing ids in the request body
MAX_IDS_IN_SEARCH = 500


def _points(measures):
    """Every (ts, granularity, value) series found in an aggregates
    answer (nested dicts of lists).
    """
    if isinstance(measures, list):
        yield measures
    elif isinstance(measures, dict):
        for value in measures.values():
            yield from _points(value)


def reduce_points(points, aggregate):
    values = [p[2] for p in points if p[2] is not None]
    if not values:
        return None
    if aggregate == 'max':
        return max(values)
    if aggregate == 'min':
        return min(values)
    if aggregate == 'count':
        return float(len(values))
    return sum(values) / len(values)


class GnocchiHelper(base.DataSourceBase):
    NAME = 'gnocchi'
    METRIC_MAP = {
        'host_cpu_usage': 'compute.node.cpu.percent',
        'host_ram_usage': 'hardware.memory.used',
        'host_outlet_temp': 'hardware.ipmi.node.outlet_temperature',
        'host_inlet_temp': 'hardware.ipmi.node.temperature',
        'host_airflow': 'hardware.ipmi.node.airflow',
        'host_power': 'hardware.ipmi.node.power',
        'instance_cpu_usage': 'cpu',
        'instance_ram_usage': 'memory.resident',
        'instance_ram_allocated': 'memory',
        'instance_l3_cache_usage': 'cpu_l3_cache',
        'instance_root_disk_size': 'disk.root.size',
    }

    def __init__(self, metric_map=None, conf=None, client=None):
        super().__init__(metric_map=metric_map, conf=conf)
        self.client = client or self._make_client()

    def _make_client(self):
        opts = self.conf.gnocchi_client
        return gclient.Client(
            opts.api_version, session=clients.get_connection().session,
            adapter_options={'interface': opts.endpoint_type,
                             'region_name': opts.region_name})

    @staticmethod
    def host_resource_id(node):
        name = base.host_name(node)
        return '%s_%s' % (name, name)

    def _operations(self, query, name):
        agg = 'mean' if query.aggregate == 'count' else query.aggregate
        if query.metric == 'instance_cpu_usage' and name == 'cpu':
            return '(aggregate rate:%s (metric %s mean))' % (agg, name)
        return '(aggregate %s (metric %s %s))' % (agg, name, agg)

    def fetch_metric(self, query, resources):
        name = self.metric_map.get(query.metric)
        if name is None:
            raise exception.MetricNotAvailable(metric=query.metric,
                                               datasources=self.NAME)
        resources = list(resources)
        if not resources:
            return {}
        host_metric = query.resource_type == 'compute_node'
        if host_metric:
            keys = {self.host_resource_id(r): r for r in resources}
            attr, rtype = 'original_resource_id', 'generic'
        else:
            keys = {base.resource_key(r): r for r in resources}
            attr, rtype = 'id', 'instance'
        if len(keys) <= MAX_IDS_IN_SEARCH:
            search = {'in': {attr: sorted(keys)}}
        else:
            search = {'=': {'ended_at': None}}
        stop = utils.utcnow()
        start = stop - datetime.timedelta(seconds=int(query.period))
        self.queries_sent += 1
        groups = self.query_retry(
            self.client.aggregates.fetch, self._operations(query, name),
            search=search, resource_type=rtype, start=start, stop=stop,
            granularity=int(query.granularity or 300), groupby=[attr],
            needed_overlap=0)
        result = {}
        for group in groups or ():
            ident = (group.get('group') or {}).get(attr)
            resource = keys.get(ident)
            if resource is None:
                continue
            points = [p for series in _points(group.get('measures'))
                      for p in series]
            value = reduce_points(points, query.aggregate)
            if value is None:
                continue
            value = self._convert(query, resource, value)
            result[base.resource_key(resource)] = value
        return result

    def _convert(self, query, resource, value):
        if query.metric == 'host_ram_usage':
            return float(value) / 1024.0
        if query.metric == 'instance_cpu_usage' and \
                self.metric_map.get(query.metric) == 'cpu':
            vcpus = getattr(resource, 'vcpus', None) or 1
            granularity = int(query.granularity or 300)
            return min(float(value) / (granularity * 1e9) * 100.0 / vcpus,
                       100.0)
        return float(value)

    def check_availability(self):
        try:
            self.queries_sent += 1
            self.client.status.get()
            return base.AVAILABLE
        except Exception as exc:
            LOG.warning('gnocchi is not available: %s', exc)
            return base.NOT_AVAILABLE

    def list_metrics(self):
        try:
            names = set()
            marker = None
            while True:
                self.queries_sent += 1
                page = self.client.metric.list(limit=1000, marker=marker)
                names.update(m.get('name') for m in page)
                if len(page) < 1000:
                    return names
                marker = page[-1].get('id')
        except Exception as exc:
            LOG.warning('gnocchi metrics cannot be listed: %s', exc)
            return set()
