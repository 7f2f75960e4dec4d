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

"""What the Prometheus and Aetos datasources share: PromQL, label
matching and the client calls (the metrics and labels an operator
configures are in ``doc/source/admin/datasources.rst``).

Bulk (grouped) queries - ONE instant query per metric for every resource,
``F`` = ``fqdn_label``, ``U`` = ``instance_uuid_label``, ``<agg>`` the
PromQL aggregate, ``<P>`` the period in seconds (each query is one line;
wrapped here)::

    host_cpu_usage
      100 - (<agg> by (F)(rate(node_cpu_seconds_total{mode='idle'}[<P>s]))
      * 100)
    host_ram_usage
      (node_memory_MemTotal_bytes - <agg>_over_time(
      node_memory_MemAvailable_bytes[<P>s])) / 1024
    instance_cpu_usage
      <agg> by (U)(rate(ceilometer_cpu[<P>s]))
    instance_ram_usage
      <agg>_over_time(ceilometer_memory_usage[<P>s])

Each answer series is matched back to a model element by its ``F`` label
(hosts, through the scrape targets, see below) or its ``U`` label
(instances).  Instance CPU comes back in ns/s per instance and is turned
into percent of the instance's vCPUs here, with the model's vCPU count:
``min(rate / 1e9 * 100 / vcpus, 100)`` - exactly what the per-instance
PromQL below computes server side.  Host RAM comes back in KiB and is
given in MiB (the frame unit).

Per-resource queries (``statistic_aggregation`` and the typed getters)
send the upstream strings byte for byte (wrapped here)::

    100 - (<agg> by (F)(rate(node_cpu_seconds_total{mode='idle',
      F='<host>'}[<P>s])) * 100)
    (node_memory_MemTotal_bytes{F='<host>'} - <agg>_over_time(
      node_memory_MemAvailable_bytes{F='<host>'}[<P>s])) / 1024
    clamp_max((<agg> by (U)(rate(ceilometer_cpu{U='<uuid>'}[<P>s]))
      /10e+8) *(100/<vcpus>), 100)
    <agg>_over_time(ceilometer_memory_usage{U='<uuid>'}[<P>s])

and return upstream's units (host RAM in KiB, 0.0 host figures as None).

Hardware and cache metrics (not queried by upstream's Prometheus
datasource; the series a real ``ipmi_exporter`` scraped per compute host
and sg-core's Ceilometer bridge expose; one line each)::

    host_outlet_temp   max by (F)(<agg>_over_time(ipmi_temperature_celsius
                       {name=~'(?i).*(outlet|exhaust).*'}[<P>s]))
    host_inlet_temp    max by (F)(<agg>_over_time(ipmi_temperature_celsius
                       {name=~'(?i).*(inlet|ambient).*'}[<P>s]))
    host_airflow       max by (F)(<agg>_over_time(ipmi_sensor_value
                       {name=~'(?i).*airflow.*'}[<P>s])) * 10
    host_power         sum by (F)(<agg>_over_time(
                       ipmi_dcmi_power_consumption_watts[<P>s]))
    instance_l3_cache_usage
                       <agg> by (U)(<agg>_over_time(ceilometer_cpu_l3_cache
                       [<P>s]))

A host has several temperature sensors: the hottest outlet (exhaust) and
inlet (ambient) sensor count.  IPMI reports airflow in CFM, the frame
unit is 0.1 CFM (upstream's).  The per-resource form adds ``F='<host>'``
(or ``U='<uuid>'``) to the selector.  Like the CPU and RAM series, these
names are fixed: a metric map entry naming another series cannot be
queried.

Aggregates: mean -> avg, max -> max, min -> min, count -> avg (logged).
Host CPU and RAM measure idle/available capacity, so the bulk call and the
typed getters swap max and min (``max`` usage = ``min`` idle);
``statistic_aggregation`` does not (as upstream).

Hosts: ``ComputeNode.hostname`` is matched to the ``F`` label of the
active scrape targets (``GET api/v1/targets?state=active``): exact value
first, then the short name (before the first dot) of a dotted value; an
unmatched host rebuilds the map once.  A host that stays unmatched is left
out of a bulk answer (logged) and raises ``InvalidParameter`` in the
per-resource calls.
"""
import abc

from observabilityclient import prometheus_client
from oslo_log import log

from watcher.common import exception
from watcher.decision_engine.datasources import base

LOG = log.getLogger(__name__)

HOST_CPU = 'node_cpu_seconds_total'
HOST_RAM = 'node_memory_MemAvailable_bytes'
HOST_RAM_TOTAL = 'node_memory_MemTotal_bytes'
INSTANCE_CPU = 'ceilometer_cpu'
INSTANCE_RAM = 'ceilometer_memory_usage'
INSTANCE_RAM_ALLOCATED = 'instance.memory'
INSTANCE_ROOT_DISK = 'instance.disk'
IPMI_TEMPERATURE = 'ipmi_temperature_celsius'
IPMI_SENSOR = 'ipmi_sensor_value'
IPMI_POWER = 'ipmi_dcmi_power_consumption_watts'
INSTANCE_L3_CACHE = 'ceilometer_cpu_l3_cache'

#: metric -> (series, extra selector, PromQL with {agg} {sel} {period}
#: {group} placeholders): the hardware and cache metrics
TEMPLATES = {
    'host_outlet_temp': (
        IPMI_TEMPERATURE, "name=~'(?i).*(outlet|exhaust).*'",
        'max by ({group})({agg}_over_time(%s{sel}[{period}s]))'
        % IPMI_TEMPERATURE),
    'host_inlet_temp': (
        IPMI_TEMPERATURE, "name=~'(?i).*(inlet|ambient).*'",
        'max by ({group})({agg}_over_time(%s{sel}[{period}s]))'
        % IPMI_TEMPERATURE),
    'host_airflow': (
        IPMI_SENSOR, "name=~'(?i).*airflow.*'",
        'max by ({group})({agg}_over_time(%s{sel}[{period}s])) * 10'
        % IPMI_SENSOR),
    'host_power': (
        IPMI_POWER, '',
        'sum by ({group})({agg}_over_time(%s{sel}[{period}s]))'
        % IPMI_POWER),
    'instance_l3_cache_usage': (
        INSTANCE_L3_CACHE, '',
        '{agg} by ({group})({agg}_over_time(%s{sel}[{period}s]))'
        % INSTANCE_L3_CACHE),
}

PROMQL_AGGREGATES = {'mean': 'avg', 'max': 'max', 'min': 'min',
                     'count': 'avg'}
SWAPPED = {'max': 'min', 'min': 'max'}


def _float(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


class PrometheusBase(base.DataSourceBase, metaclass=abc.ABCMeta):
    """Queries, host map and result handling of Prometheus-like APIs."""

    METRIC_MAP = {
        'host_cpu_usage': HOST_CPU,
        'host_ram_usage': HOST_RAM,
        'host_outlet_temp': IPMI_TEMPERATURE,
        'host_inlet_temp': IPMI_TEMPERATURE,
        'host_airflow': IPMI_SENSOR,
        'host_power': IPMI_POWER,
        'instance_cpu_usage': INSTANCE_CPU,
        'instance_ram_usage': INSTANCE_RAM,
        'instance_ram_allocated': INSTANCE_RAM_ALLOCATED,
        'instance_l3_cache_usage': INSTANCE_L3_CACHE,
        'instance_root_disk_size': INSTANCE_ROOT_DISK,
    }
    NO_RETRY = (prometheus_client.PrometheusAPIClientError,)
    #: the option group holding fqdn_label / instance_uuid_label
    CONF_GROUP = None

    def __init__(self, metric_map=None, conf=None):
        super().__init__(metric_map=metric_map, conf=conf)
        group = getattr(self.conf, self.CONF_GROUP)
        self.fqdn_label = group.fqdn_label
        self.uuid_label = group.instance_uuid_label
        self._client = self._make_client()
        self._host_values = set()
        self._short_names = {}
        self._build_host_map()

    @abc.abstractmethod
    def _make_client(self):
        """A ``PrometheusAPIClient`` ready to query."""

    @property
    def client(self):
        return self._client

    # -- host map ----------------------------------------------------------
    def _targets(self):
        self.queries_sent += 1
        return self.query_retry(self._client._get, 'targets',
                                {'state': 'active'})

    def _build_host_map(self):
        body = self._targets()
        values = set()
        for target in (body.get('data') or {}).get('activeTargets', []):
            value = (target.get('labels') or {}).get(self.fqdn_label)
            if value:
                values.add(value)
        self._host_values = values
        self._short_names = {v.split('.', 1)[0]: v for v in values
                             if '.' in v}

    def _lookup_host(self, hostname):
        if hostname in self._host_values:
            return hostname
        return self._short_names.get(hostname)

    def resolve_host(self, hostname, refresh=True):
        """The F label value of ``hostname`` (None if no target has it)."""
        value = self._lookup_host(hostname)
        if value is None and refresh:
            self._build_host_map()
            value = self._lookup_host(hostname)
        return value

    # -- PromQL ------------------------------------------------------------
    def promql_aggregate(self, metric, aggregate, swap):
        if aggregate not in PROMQL_AGGREGATES:
            raise exception.InvalidParameter(
                parameter='aggregate', parameter_type='one of %s' %
                ', '.join(PROMQL_AGGREGATES))
        if aggregate == 'count':
            LOG.warning('Aggregate count is not supported by %s; avg is '
                        'used', self.NAME)
        if swap and metric in ('host_cpu_usage', 'host_ram_usage'):
            aggregate = SWAPPED.get(aggregate, aggregate)
        return PROMQL_AGGREGATES[aggregate]

    def _series_name(self, metric):
        name = self.metric_map.get(metric)
        known = {HOST_CPU, HOST_RAM, INSTANCE_CPU, INSTANCE_RAM}
        if metric in TEMPLATES:
            known = {TEMPLATES[metric][0]}
        if name not in known:
            raise exception.InvalidParameter(
                parameter=metric, parameter_type=(
                    'a series watcher can query (cannot process prometheus '
                    'meter %s)' % name))
        return name

    def build_query(self, metric, aggregate, period, label_value=None,
                    vcpus=None):
        """The PromQL of ``metric``: grouped over every resource when
        ``label_value`` is None, else the per-resource upstream query.
        """
        name = self._series_name(metric)
        period = int(period)
        agg = aggregate
        fqdn, uuid = self.fqdn_label, self.uuid_label
        if metric in TEMPLATES:
            return self._templated(metric, agg, period, label_value)
        if name == HOST_CPU:
            sel = ("{mode='idle'}" if label_value is None else
                   "{mode='idle',%s='%s'}" % (fqdn, label_value))
            return ('100 - (%s by (%s)(rate(%s%s[%ss])) * 100)'
                    % (agg, fqdn, HOST_CPU, sel, period))
        if name == HOST_RAM:
            sel = '' if label_value is None else "{%s='%s'}" % (
                fqdn, label_value)
            return ('(%s%s - %s_over_time(%s%s[%ss])) / 1024'
                    % (HOST_RAM_TOTAL, sel, agg, HOST_RAM, sel, period))
        if name == INSTANCE_CPU:
            if label_value is None:
                return '%s by (%s)(rate(%s[%ss]))' % (agg, uuid,
                                                      INSTANCE_CPU, period)
            return ("clamp_max((%s by (%s)(rate(%s{%s='%s'}[%ss]))/10e+8) "
                    "*(100/%s), 100)" % (agg, uuid, INSTANCE_CPU, uuid,
                                         label_value, period, vcpus))
        sel = '' if label_value is None else "{%s='%s'}" % (uuid,
                                                            label_value)
        return '%s_over_time(%s%s[%ss])' % (agg, INSTANCE_RAM, sel, period)

    def _templated(self, metric, agg, period, label_value):
        _series, matcher, template = TEMPLATES[metric]
        group = self.fqdn_label if metric.startswith('host_') \
            else self.uuid_label
        matchers = [m for m in (matcher,) if m]
        if label_value is not None:
            matchers.append("%s='%s'" % (group, label_value))
        sel = '{%s}' % ','.join(matchers) if matchers else ''
        return template.format(agg=agg, sel=sel, period=period,
                               group=group)

    def _query(self, promql):
        self.queries_sent += 1
        return self.query_retry(self._client.query, promql)

    # -- bulk --------------------------------------------------------------
    @staticmethod
    def _vcpus(instance):
        vcpus = getattr(instance, 'vcpus', None)
        if not vcpus:
            LOG.warning('Instance %s has no vCPU count; 1 is assumed',
                        base.resource_key(instance))
            return 1
        return vcpus

    def fetch_metric(self, query, resources):
        if not self.supports(query.metric):
            raise exception.MetricNotAvailable(metric=query.metric,
                                               datasources=self.NAME)
        if query.metric in ('instance_ram_allocated',
                            'instance_root_disk_size'):
            return self.model_value(query, resources)
        resources = list(resources)
        if not resources:
            return {}
        agg = self.promql_aggregate(query.metric, query.aggregate, True)
        promql = self.build_query(query.metric, agg, query.period)
        series = self._query(promql)
        if query.metric.startswith('host_'):
            return self._match_hosts(query.metric, resources, series)
        return self._match_instances(query.metric, resources, series)

    def _match_hosts(self, metric, nodes, series):
        by_label = {}
        for item in series:
            value = (item.labels or {}).get(self.fqdn_label)
            if value is not None and value not in by_label:
                by_label[value] = _float(item.value)
        result = {}
        unresolved = []
        for node in nodes:
            label = self.resolve_host(base.host_name(node), refresh=False)
            if label is None:
                unresolved.append(node)
                continue
            value = by_label.get(label)
            if value is None:
                continue
            if metric == 'host_ram_usage':
                value = value / 1024.0          # KiB -> MiB
            result[base.resource_key(node)] = value
        if unresolved:
            self._build_host_map()
            missing = []
            for node in unresolved:
                label = self._lookup_host(base.host_name(node))
                value = by_label.get(label) if label else None
                if value is None:
                    missing.append(base.host_name(node))
                    continue
                if metric == 'host_ram_usage':
                    value = value / 1024.0
                result[base.resource_key(node)] = value
            if missing:
                LOG.warning('%s: no scrape target with %s matching hosts '
                            '%s', self.NAME, self.fqdn_label,
                            ', '.join(sorted(missing)))
        return result

    def _match_instances(self, metric, instances, series):
        by_uuid = {}
        for item in series:
            uuid = (item.labels or {}).get(self.uuid_label)
            if uuid is not None and uuid not in by_uuid:
                by_uuid[uuid] = _float(item.value)
        result = {}
        for inst in instances:
            key = base.resource_key(inst)
            value = by_uuid.get(key)
            if value is None:
                continue
            if metric == 'instance_cpu_usage':
                value = min(value / 1e9 * 100.0 / self._vcpus(inst), 100.0)
            result[key] = value
        return result

    # -- per resource (upstream strings) -----------------------------------
    def _fetch_one(self, query, resource, getter):
        metric = query.metric
        if metric in ('instance_ram_allocated', 'instance_root_disk_size'):
            return self.model_value(query, [resource])
        agg = self.promql_aggregate(metric, query.aggregate, getter)
        key = base.resource_key(resource)
        if metric.startswith('host_'):
            hostname = base.host_name(resource)
            label = self.resolve_host(hostname)
            if label is None:
                LOG.error('%s: no scrape target labelled %s=%s', self.NAME,
                          self.fqdn_label, hostname)
                raise exception.InvalidParameter(
                    parameter='resource', parameter_type=(
                        'a host with a %s scrape target label (%s has '
                        'none)' % (self.fqdn_label, hostname)))
            promql = self.build_query(metric, agg, query.period, label)
        elif metric == 'instance_cpu_usage':
            promql = self.build_query(metric, agg, query.period, key,
                                      vcpus=self._vcpus(resource))
        else:
            promql = self.build_query(metric, agg, query.period, key)
        try:
            series = self._query(promql)
        except exception.DataSourceNotAvailable as exc:
            LOG.warning('%s query failed: %s', self.NAME, exc)
            return {}
        if not series:
            return {}
        value = _float(series[0].value)
        if getter and metric.startswith('host_') and not value:
            return {}          # upstream reads 0.0 host figures as None
        return {key: value}

    # -- state -------------------------------------------------------------
    def check_availability(self):
        try:
            self.queries_sent += 1
            self._client._get('status/runtimeinfo')
            return base.AVAILABLE
        except Exception as exc:
            LOG.warning('%s is not available: %s', self.NAME, exc)
            return base.NOT_AVAILABLE

    def list_metrics(self):
        try:
            self.queries_sent += 1
            return set(self._client.label_values('__name__'))
        except Exception as exc:
            LOG.warning('%s cannot list metrics: %s', self.NAME, exc)
            return set()
