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

"""The prometheus datasource: PromQL byte for byte (prometheus-metrics.md),
host matching through /targets, units, retries.  Only HTTP is faked (a
loopback server)."""
import base64

from watcher.common import exception
from watcher.decision_engine.datasources import frame
from watcher.decision_engine.datasources import prometheus
from watcher.decision_engine.model import element
from watcher.tests import base
from watcher.tests.unit.decision_engine.datasources import fake_http

HOSTS = [element.ComputeNode(uuid='n0', hostname='compute-0', vcpus=4),
         element.ComputeNode(uuid='n1', hostname='compute-1.example.com'),
         element.ComputeNode(uuid='n2', hostname='compute-2')]
VMS = [element.Instance(uuid='vm-a', vcpus=2, memory=2048, disk=20),
       element.Instance(uuid='vm-b', vcpus=0, memory=512, disk=1)]


def targets(*fqdns):
    return {'status': 'success', 'data': {'activeTargets': [
        {'labels': {'fqdn': f, 'job': 'node'}} for f in fqdns]}}


def vector(*items):
    return {'status': 'success', 'data': {'resultType': 'vector', 'result': [
        {'metric': labels, 'value': [1700000000.0, str(value)]}
        for labels, value in items]}}


class PrometheusTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.answers = {}
        self.http = self.useFixture(fake_http.FakeHTTP({
            '/api/v1/targets': lambda q, h: targets(
                'compute-0.example.com', 'compute-1.example.com'),
            '/api/v1/query': self.answer,
            '/api/v1/status/runtimeinfo': {'status': 'success', 'data': {}},
            '/api/v1/label/__name__/values': {
                'status': 'success',
                'data': ['ceilometer_cpu', 'node_cpu_seconds_total']},
        }))
        self.flags(host='127.0.0.1', port=self.http.port,
                   group='prometheus_client')
        self.flags(query_interval=0, group='watcher_datasources')
        self.helper = prometheus.PrometheusHelper()

    def answer(self, query, headers):
        promql = query['query']
        for prefix, body in self.answers.items():
            if promql.startswith(prefix):
                return body(promql) if callable(body) else body
        return vector()

    def test_per_resource_queries_are_upstream_byte_for_byte(self):
        helper = self.helper
        helper.statistic_aggregation(HOSTS[0], 'compute_node',
                                     'host_cpu_usage', period=300,
                                     aggregate='mean')
        helper.statistic_aggregation(HOSTS[1], 'compute_node',
                                     'host_ram_usage', period=600,
                                     aggregate='max')
        helper.statistic_aggregation(VMS[0], 'instance',
                                     'instance_cpu_usage', period=300,
                                     aggregate='mean')
        helper.statistic_aggregation(VMS[0], 'instance',
                                     'instance_ram_usage', period=300,
                                     aggregate='min')
        self.assertEqual([
            "100 - (avg by (fqdn)(rate(node_cpu_seconds_total"
            "{mode='idle',fqdn='compute-0.example.com'}[300s])) * 100)",
            "(node_memory_MemTotal_bytes{fqdn='compute-1.example.com'} - "
            "max_over_time(node_memory_MemAvailable_bytes"
            "{fqdn='compute-1.example.com'}[600s])) / 1024",
            "clamp_max((avg by (resource)(rate(ceilometer_cpu"
            "{resource='vm-a'}[300s]))/10e+8) *(100/2), 100)",
            "min_over_time(ceilometer_memory_usage{resource='vm-a'}[300s])",
        ], self.http.queries())

    def test_grouped_queries(self):
        self.answers = {
            '100 - ': vector(({'fqdn': 'compute-0.example.com'}, 35.0),
                             ({'fqdn': 'compute-1.example.com'}, 80.0)),
            '(node_memory': vector(({'fqdn': 'compute-0.example.com',
                                     'job': 'node'}, 12582912.0)),
            'avg by (resource)': vector(({'resource': 'vm-a'}, 1e9),
                                        ({'resource': 'vm-b'}, 3e9),
                                        ({'resource': 'other'}, 1e9)),
            'avg_over_time(ceilometer': vector(({'resource': 'vm-a'}, 1024)),
        }
        helper = self.helper
        q = frame.MetricQuery
        cpu = helper.fetch_metric(q('host_cpu_usage', 'compute_node'), HOSTS)
        ram = helper.fetch_metric(q('host_ram_usage', 'compute_node', 300),
                                  HOSTS)
        icpu = helper.fetch_metric(q('instance_cpu_usage', 'instance'), VMS)
        iram = helper.fetch_metric(q('instance_ram_usage', 'instance'), VMS)
        self.assertEqual([
            "100 - (avg by (fqdn)(rate(node_cpu_seconds_total"
            "{mode='idle'}[300s])) * 100)",
            "(node_memory_MemTotal_bytes - avg_over_time("
            "node_memory_MemAvailable_bytes[300s])) / 1024",
            "avg by (resource)(rate(ceilometer_cpu[300s]))",
            "avg_over_time(ceilometer_memory_usage[300s])",
        ], self.http.queries())
        self.assertEqual({'n0': 35.0, 'n1': 80.0}, cpu)   # n2: no target
        self.assertEqual({'n0': 12288.0}, ram)            # KiB -> MiB
        # 1e9 ns/s on 2 vCPUs = 50 %; 3 cores on "0" (1 assumed) capped
        self.assertEqual({'vm-a': 50.0, 'vm-b': 100.0}, icpu)
        self.assertEqual({'vm-a': 1024.0}, iram)
        # 4 queries + /targets at start + one re-read per call that met
        # the unmatched compute-2
        self.assertEqual(4 + 1 + 2, helper.queries_sent)

    def test_allocated_and_root_disk_come_from_the_model(self):
        q = frame.MetricQuery
        self.assertEqual({'vm-a': 2048.0, 'vm-b': 512.0},
                         self.helper.fetch_metric(
                             q('instance_ram_allocated', 'instance'), VMS))
        self.assertEqual({'vm-a': 20.0, 'vm-b': 1.0},
                         self.helper.fetch_metric(
                             q('instance_root_disk_size', 'instance'), VMS))
        self.assertEqual(20.0, self.helper.get_instance_root_disk_size(
            VMS[0]))
        self.assertEqual([], self.http.queries())

    def test_aggregates_and_the_host_swap(self):
        helper = self.helper
        helper.get_host_cpu_usage(HOSTS[0], 300, 'max')
        helper.statistic_aggregation(HOSTS[0], 'compute_node',
                                     'host_cpu_usage', 300, 300, 'max')
        helper.fetch_metric(frame.MetricQuery(
            'host_ram_usage', 'compute_node', 60, 'min'), HOSTS)
        helper.get_instance_cpu_usage(VMS[0], 60, 'count')
        queries = self.http.queries()
        self.assertTrue(queries[0].startswith('100 - (min by (fqdn)'))
        self.assertTrue(queries[1].startswith('100 - (max by (fqdn)'))
        self.assertIn('max_over_time', queries[2])
        self.assertTrue(queries[3].startswith('clamp_max((avg by'))

    def test_host_matching(self):
        helper = self.helper
        self.assertEqual('compute-0.example.com',
                         helper.resolve_host('compute-0'))
        self.assertEqual('compute-1.example.com',
                         helper.resolve_host('compute-1.example.com'))
        self.assertIsNone(helper.resolve_host('compute-2'))
        exc = self.assertRaises(exception.InvalidParameter,
                                helper.get_host_cpu_usage, HOSTS[2])
        self.assertIn('compute-2', str(exc))
        # an unknown host re-reads /targets once per lookup
        self.assertEqual(3, len([r for r in self.http.requests
                                 if r[0] == '/api/v1/targets']))

    def test_getters_read_zero_host_values_as_none(self):
        self.answers = {'100 - ': vector(({'fqdn': 'compute-0.example.com'},
                                          0.0))}
        self.assertIsNone(self.helper.get_host_cpu_usage(HOSTS[0]))
        self.assertEqual(0.0, self.helper.statistic_aggregation(
            HOSTS[0], 'compute_node', 'host_cpu_usage'))

    def test_hardware_and_cache_metrics(self):
        self.answers = {
            "max by (fqdn)(avg_over_time(ipmi_temperature_celsius{name=~"
            "'(?i).*(outlet": vector(
                ({'fqdn': 'compute-0.example.com'}, 41.5)),
            'max by (fqdn)(avg_over_time(ipmi_sensor_value': vector(
                ({'fqdn': 'compute-1.example.com'}, 450.0)),
            'avg by (resource)(avg_over_time(ceilometer_cpu_l3': vector(
                ({'resource': 'vm-a'}, 2048.0)),
        }
        q = frame.MetricQuery
        helper = self.helper
        outlet = helper.fetch_metric(q('host_outlet_temp', 'compute_node'),
                                     HOSTS[:2])
        helper.fetch_metric(q('host_inlet_temp', 'compute_node', 60,
                              'max'), HOSTS[:2])
        air = helper.fetch_metric(q('host_airflow', 'compute_node'),
                                  HOSTS[:2])
        helper.fetch_metric(q('host_power', 'compute_node'), HOSTS[:2])
        cache = helper.fetch_metric(q('instance_l3_cache_usage',
                                      'instance'), VMS)
        helper.statistic_aggregation(HOSTS[0], 'compute_node', 'host_power',
                                     period=300, aggregate='mean')
        self.assertEqual([
            "max by (fqdn)(avg_over_time(ipmi_temperature_celsius"
            "{name=~'(?i).*(outlet|exhaust).*'}[300s]))",
            "max by (fqdn)(max_over_time(ipmi_temperature_celsius"
            "{name=~'(?i).*(inlet|ambient).*'}[60s]))",
            "max by (fqdn)(avg_over_time(ipmi_sensor_value"
            "{name=~'(?i).*airflow.*'}[300s])) * 10",
            "sum by (fqdn)(avg_over_time("
            "ipmi_dcmi_power_consumption_watts[300s]))",
            "avg by (resource)(avg_over_time(ceilometer_cpu_l3_cache"
            "[300s]))",
            "sum by (fqdn)(avg_over_time(ipmi_dcmi_power_consumption_watts"
            "{fqdn='compute-0.example.com'}[300s]))",
        ], self.http.queries())
        self.assertEqual({'n0': 41.5}, outlet)
        self.assertEqual({'n1': 450.0}, air)
        self.assertEqual({'vm-a': 2048.0}, cache)
        self.assertEqual([], helper.missing_metrics(
            ['host_outlet_temp', 'host_inlet_temp', 'host_airflow',
             'host_power', 'instance_l3_cache_usage']))

    def test_renamed_hardware_series_cannot_be_queried(self):
        helper = prometheus.PrometheusHelper(
            metric_map={'host_power': 'node_hwmon_power_watt'})
        self.assertRaises(exception.InvalidParameter, helper.fetch_metric,
                          frame.MetricQuery('host_power', 'compute_node'),
                          HOSTS)

    def test_api_errors_are_not_retried(self):
        self.answers = {'100 - ': (400, {'status': 'error',
                                         'error': 'bad_data'})}
        self.flags(query_max_retries=3, group='watcher_datasources')
        self.assertRaises(exception.DataSourceNotAvailable,
                          self.helper.fetch_metric,
                          frame.MetricQuery('host_cpu_usage',
                                            'compute_node'), HOSTS)
        self.assertEqual(1, len(self.http.queries()))
        self.assertIsNone(self.helper.get_host_cpu_usage(HOSTS[0]))

    def test_renamed_series_cannot_be_queried(self):
        helper = prometheus.PrometheusHelper(
            metric_map={'host_cpu_usage': 'my_cpu'})
        self.assertRaises(exception.InvalidParameter, helper.fetch_metric,
                          frame.MetricQuery('host_cpu_usage',
                                            'compute_node'), HOSTS)

    def test_state_calls(self):
        self.assertEqual('available', self.helper.check_availability())
        self.assertEqual({'ceilometer_cpu', 'node_cpu_seconds_total'},
                         self.helper.list_metrics())

    def test_basic_auth_and_labels(self):
        self.flags(username='u', password='p', fqdn_label='host',
                   instance_uuid_label='uuid', group='prometheus_client')
        helper = prometheus.PrometheusHelper()
        helper.fetch_metric(frame.MetricQuery('instance_ram_usage',
                                              'instance', 30), VMS)
        path, query, headers = self.http.requests[-1]
        self.assertEqual('avg_over_time(ceilometer_memory_usage[30s])',
                         query['query'])
        self.assertEqual('Basic ' + base64.b64encode(b'u:p').decode(),
                         headers['Authorization'])
        helper.fetch_metric(frame.MetricQuery('instance_cpu_usage',
                                              'instance', 30), VMS)
        self.assertEqual('avg by (uuid)(rate(ceilometer_cpu[30s]))',
                         self.http.queries()[-1])

    def test_tls_switches_to_https(self):
        self.flags(cafile='/etc/ssl/ca.pem', group='prometheus_client')
        client = prometheus.PrometheusHelper.__new__(
            prometheus.PrometheusHelper)
        client.conf = self.conf_fixture.conf
        made = client._make_client()
        self.assertTrue(made._get_url('query').startswith('https://'))

    def test_missing_host_option(self):
        self.flags(host=None, group='prometheus_client')
        self.assertRaises(exception.MissingParameter,
                          prometheus.PrometheusHelper)
