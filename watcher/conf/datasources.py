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

"""Datasource selection and per-backend client options."""
from oslo_config import cfg

DATASOURCE_NAMES = ('gnocchi', 'grafana', 'prometheus', 'aetos', 'simulator')

GROUP = cfg.OptGroup('watcher_datasources', title='Datasource preference')

OPTS = [
    cfg.ListOpt('datasources', default=['gnocchi', 'grafana', 'aetos'],
                item_type=cfg.types.String(choices=DATASOURCE_NAMES),
                help='Datasources in order of preference; the first one '
                     'offering every metric a strategy needs is used.'),
    cfg.IntOpt('query_max_retries', default=10, min=1,
               help='Tries of a failing datasource query.'),
    cfg.IntOpt('query_interval', default=1, min=0,
               help='Seconds between two tries of a datasource query.'),
]

PROMETHEUS_GROUP = cfg.OptGroup('prometheus_client',
                                title='Prometheus datasource (deprecated in '
                                      'favour of aetos)')
PROMETHEUS_OPTS = [
    cfg.StrOpt('host', help='Prometheus server address.'),
    cfg.PortOpt('port', default=9090, help='Prometheus server port.'),
    cfg.StrOpt('fqdn_label', default='fqdn',
               help='Target label holding the compute host name.'),
    cfg.StrOpt('instance_uuid_label', default='resource',
               help='Series label holding the instance uuid.'),
    cfg.StrOpt('username', help='Basic auth user.'),
    cfg.StrOpt('password', secret=True, help='Basic auth password.'),
    cfg.StrOpt('cafile', help='CA bundle; setting it switches to https.'),
    cfg.StrOpt('certfile', help='Client certificate (with cafile).'),
    cfg.StrOpt('keyfile', help='Client key (with cafile).'),
]

AETOS_GROUP = cfg.OptGroup('aetos_client', title='Aetos datasource')
AETOS_OPTS = [
    cfg.StrOpt('interface', default='public',
               choices=['public', 'internal', 'admin', 'publicURL',
                        'internalURL', 'adminURL'],
               help='Catalog interface of the metric-storage endpoint.'),
    cfg.StrOpt('region_name', help='Region of the endpoint.'),
    cfg.StrOpt('fqdn_label', default='fqdn',
               help='Target label holding the compute host name.'),
    cfg.StrOpt('instance_uuid_label', default='resource',
               help='Series label holding the instance uuid.'),
]

GNOCCHI_GROUP = cfg.OptGroup('gnocchi_client', title='Gnocchi datasource')
GNOCCHI_OPTS = [
    cfg.StrOpt('api_version', default='1', help='Gnocchi API version.'),
    cfg.StrOpt('endpoint_type', default='public',
               help='Catalog interface of the Gnocchi endpoint.'),
    cfg.StrOpt('region_name', help='Region of the endpoint.'),
]

_GRAFANA_METRICS = ('host_cpu_usage', 'host_ram_usage', 'host_outlet_temp',
                    'host_inlet_temp', 'host_airflow', 'host_power',
                    'instance_cpu_usage', 'instance_ram_usage',
                    'instance_ram_allocated', 'instance_l3_cache_usage',
                    'instance_root_disk_size')
_EMPTY_MAP = dict.fromkeys(_GRAFANA_METRICS)

GRAFANA_GROUP = cfg.OptGroup('grafana_client', title='Grafana datasource')
GRAFANA_OPTS = [
    cfg.StrOpt('token', secret=True, help='Grafana API token.'),
    cfg.StrOpt('base_url',
               help='Grafana datasource proxy URL, ending in '
                    '/api/datasources/proxy/.'),
    cfg.DictOpt('project_id_map', default=_EMPTY_MAP,
                help='Grafana datasource id per metric.'),
    cfg.DictOpt('database_map', default=_EMPTY_MAP,
                help='Database per metric.'),
    cfg.DictOpt('attribute_map', default=_EMPTY_MAP,
                help='Model attribute matched by the query, per metric.'),
    cfg.DictOpt('translator_map', default=_EMPTY_MAP,
                help='Query translator (influxdb) per metric.'),
    cfg.DictOpt('query_map', default=_EMPTY_MAP,
                help='Query template per metric.'),
    cfg.IntOpt('http_timeout', default=60, min=1,
               help='Seconds before a Grafana request times out.'),
]

GRAFANA_TRANSLATORS_GROUP = cfg.OptGroup('grafana_translators',
                                         title='Grafana query translators')
GRAFANA_TRANSLATORS_OPTS = [
    cfg.DictOpt('retention_periods', default={
        'one_week': 604800, 'one_month': 2592000, 'five_years': 31556952},
        help='InfluxDB retention policies and their length in seconds.'),
]

SIMULATOR_GROUP = cfg.OptGroup('simulator_client',
                               title='Simulated cloud metrics datasource')
SIMULATOR_OPTS = [
    cfg.StrOpt('endpoint',
               help='Base URL of the simulator (http://host:port); when '
                    'unset it is taken from the catalog of the cloud '
                    'credentials.'),
]


def register_opts(conf):
    for group, opts in list_opts():
        conf.register_group(group)
        conf.register_opts(opts, group=group)


def list_opts():
    return [(GROUP, OPTS), (PROMETHEUS_GROUP, PROMETHEUS_OPTS),
            (AETOS_GROUP, AETOS_OPTS), (GNOCCHI_GROUP, GNOCCHI_OPTS),
            (GRAFANA_GROUP, GRAFANA_OPTS),
            (GRAFANA_TRANSLATORS_GROUP, GRAFANA_TRANSLATORS_OPTS),
            (SIMULATOR_GROUP, SIMULATOR_OPTS)]
