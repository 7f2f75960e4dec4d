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

"""gnocchi, grafana, aetos and simulator datasources (HTTP or client
faked)."""
import datetime
from unittest import mock

from keystoneauth1 import adapter as ka_adapter

from watcher.common import exception
from watcher.decision_engine.datasources import aetos
from watcher.decision_engine.datasources import frame
from watcher.decision_engine.datasources import gnocchi
from watcher.decision_engine.datasources import grafana
from watcher.decision_engine.datasources import manager
from watcher.decision_engine.datasources import simulator
from watcher.decision_engine.model import element
from watcher.tests import base
from watcher.tests.unit.decision_engine.datasources import fake_http

HOSTS = [element.ComputeNode(uuid='n0', hostname='h0'),
         element.ComputeNode(uuid='n1', hostname='h1')]
VMS = [element.Instance(uuid='vm-a', vcpus=2),
       element.Instance(uuid='vm-b', vcpus=1)]
T = datetime.datetime(2026, 1, 1)


class FakeAggregates:
    def __init__(self, groups):
        self.groups = groups
        self.calls = []

    def fetch(self, operations, **kwargs):
        self.calls.append((operations, kwargs))
        return self.groups


class TestGnocchi(base.TestCase):

    def helper(self, groups):
        client = mock.Mock()
        client.aggregates = FakeAggregates(groups)
        return gnocchi.GnocchiHelper(client=client), client.aggregates

    def test_one_grouped_call_for_all_hosts(self):
        helper, aggs = self.helper([
            {'group': {'original_resource_id': 'h0_h0'},
             'measures': {'measures': {'aggregated': [
                 (T, 300, 10.0), (T, 300, 30.0)]}}},
            {'group': {'original_resource_id': 'zz_zz'},
             'measures': {'measures': {'aggregated': [(T, 300, 1.0)]}}}])
        values = helper.fetch_metric(frame.MetricQuery(
            'host_cpu_usage', 'compute_node', 600, 'mean'), HOSTS)
        self.assertEqual({'n0': 20.0}, values)
        self.assertEqual(1, len(aggs.calls))
        operations, kwargs = aggs.calls[0]
        self.assertEqual(
            '(aggregate mean (metric compute.node.cpu.percent mean))',
            operations)
        self.assertEqual({'in': {'original_resource_id': ['h0_h0',
                                                          'h1_h1']}},
                         kwargs['search'])
        self.assertEqual(['original_resource_id'], kwargs['groupby'])
        self.assertEqual(600, (kwargs['stop'] - kwargs['start']).seconds)

    def test_instance_cpu_from_the_cumulative_meter(self):
        # 300 s granularity, 3e11 ns = 1 core busy: 50 % of 2 vCPUs
        helper, aggs = self.helper([
            {'group': {'id': 'vm-a'}, 'measures': {'measures': {
                'aggregated': [(T, 300, 3e11)]}}}])
        values = helper.fetch_metric(frame.MetricQuery(
            'instance_cpu_usage', 'instance', 300, 'max'), VMS)
        self.assertEqual({'vm-a': 50.0}, values)
        self.assertEqual('(aggregate rate:max (metric cpu mean))',
                         aggs.calls[0][0])

    def test_count_and_ram_units(self):
        helper, _ = self.helper([
            {'group': {'original_resource_id': 'h1_h1'},
             'measures': {'measures': {'aggregated': [
                 (T, 300, 2048.0), (T, 300, 4096.0)]}}}])
        self.assertEqual({'n1': 4.0}, helper.fetch_metric(
            frame.MetricQuery('host_ram_usage', 'compute_node', 600,
                              'max'), HOSTS))       # KiB -> MiB
        self.assertEqual({'n1': 2.0}, helper.fetch_metric(
            frame.MetricQuery('host_cpu_usage', 'compute_node', 600,
                              'count'), HOSTS))
        self.assertEqual(2.0, helper.get_host_ram_usage(HOSTS[1], 600,
                                                        'min'))


class TestGrafana(base.TestCase):

    def setUp(self):
        super().setUp()
        self.http = self.useFixture(fake_http.FakeHTTP({
            '/api/datasources/proxy/7/query': self.answer,
            '/api/health': {'database': 'ok'}}))
        self.flags(token='secret',
                   base_url=self.http.url + '/api/datasources/proxy/',
                   group='grafana_client')
        self.template = ('SELECT 100-{0}("usage_idle") FROM {3}.cpu WHERE '
                         '("host" =~ /^{1}$/ AND time >= now()-{2}m)')
        self.metric_map = {'host_cpu_usage': {
            'project': 7, 'db': 'telegraf', 'attribute': 'hostname',
            'translator': 'influxdb', 'query': self.template}}

    def answer(self, query, headers):
        assert headers['Authorization'] == 'Bearer secret'
        return {'results': [{'series': [
            {'name': 'cpu', 'tags': {'host': 'h0'},
             'columns': ['time', 'mean'], 'values': [[1, 12.5], [2, 25.0]]},
            {'name': 'cpu', 'tags': {'host': 'h1'},
             'columns': ['time', 'mean'], 'values': [[1, 50.0]]}]}]}

    def test_one_grouped_influx_query(self):
        helper = grafana.GrafanaHelper(metric_map=self.metric_map)
        self.assertTrue(helper.supports('host_cpu_usage'))
        self.assertFalse(helper.supports('instance_cpu_usage'))
        values = helper.fetch_metric(frame.MetricQuery(
            'host_cpu_usage', 'compute_node', 600, 'mean'), HOSTS)
        self.assertEqual({'n0': 25.0, 'n1': 50.0}, values)
        (path, query, _), = self.http.requests
        self.assertEqual('telegraf', query['db'])
        self.assertEqual(
            'SELECT 100-mean("usage_idle") FROM one_week.cpu WHERE ("host" '
            '=~ /^(h0|h1)$/ AND time >= now()-10m) GROUP BY "host"',
            query['q'])
        self.assertEqual('available', helper.check_availability())

    def test_options_configure_metrics(self):
        self.flags(project_id_map={'host_cpu_usage': '7'},
                   database_map={'host_cpu_usage': 'telegraf'},
                   attribute_map={'host_cpu_usage': 'hostname'},
                   translator_map={'host_cpu_usage': 'influxdb'},
                   query_map={'host_cpu_usage': self.template},
                   group='grafana_client')
        helper = grafana.GrafanaHelper()
        self.assertEqual({'host_cpu_usage'}, helper.list_metrics())

    def test_missing_options(self):
        self.flags(token=None, group='grafana_client')
        self.assertRaises(exception.MissingParameter, grafana.GrafanaHelper)


class TestSimulatorHelper(base.TestCase):

    def setUp(self):
        super().setUp()
        self.http = self.useFixture(fake_http.FakeHTTP({
            '/simulator/v1/metrics': self.answer}))
        self.flags(endpoint=self.http.url, group='simulator_client')

    def answer(self, query, headers):
        if 'name' not in query:
            return {'metrics': [{'name': 'host_cpu_usage'},
                                {'name': 'instance_cpu_usage'}]}
        if query['name'] == 'host_ram_usage':
            return {'values': {'h0': 2048.0}}
        return {'values': {'h1': 5.0, 'vm-a': 9.0}}

    def test_bulk_and_units(self):
        helper = simulator.SimulatorHelper()
        self.assertEqual({'n1': 5.0}, helper.fetch_metric(
            frame.MetricQuery('host_cpu_usage', 'compute_node', 60, 'max',
                              60), HOSTS))
        path, query, _ = self.http.requests[-1]
        self.assertEqual({'name': 'host_cpu_usage',
                          'resource_type': 'compute_node', 'period': '60',
                          'aggregate': 'max', 'granularity': '60'}, query)
        self.assertEqual({'n0': 2.0}, helper.fetch_metric(
            frame.MetricQuery('host_ram_usage', 'compute_node'), HOSTS))
        self.assertEqual(9.0, helper.get_instance_cpu_usage(VMS[0]))
        self.assertEqual('available', helper.check_availability())
        self.assertEqual({'host_cpu_usage', 'instance_cpu_usage'},
                         helper.list_metrics())

    def test_endpoint_from_the_identity_endpoint(self):
        session = mock.Mock()
        with mock.patch.object(ka_adapter.Adapter, 'get_endpoint',
                               side_effect=[None,
                                            'http://h:1/identity/v3']):
            self.assertEqual('http://h:1',
                             simulator.endpoint_from_catalog(session))


class TestAetos(base.TestCase):

    def test_missing_catalog_entry_skips_aetos(self):
        self.flags(host=None, group='prometheus_client')
        with mock.patch.object(aetos.AetosHelper, '_session'), \
                mock.patch.object(ka_adapter.Adapter, 'get_endpoint',
                                  return_value=None):
            self.assertRaises(exception.DataSourceNotAvailable,
                              aetos.AetosHelper)
            dsm = manager.DataSourceManager(datasources=['aetos'],
                                            metric_map={})
            self.assertRaises(exception.MetricNotAvailable, dsm.get_backend,
                              ['host_cpu_usage'])
            self.assertIn('aetos', dsm.failed)

    def test_queries_go_through_the_keystone_session(self):
        http = self.useFixture(fake_http.FakeHTTP({
            '/prometheus/api/v1/targets': {'status': 'success', 'data': {
                'activeTargets': [{'labels': {'fqdn': 'h0'}}]}},
            '/prometheus/api/v1/query': {'status': 'success', 'data': {
                'resultType': 'vector', 'result': [
                    {'metric': {'fqdn': 'h0'}, 'value': [0, '12.5']}]}}}))
        import requests

        class Session:
            def get(self, url, params=None, headers=None, raise_exc=True):
                headers = dict(headers or {}, **{'X-Auth-Token': 'tok'})
                return requests.get(url, params=params, headers=headers)

        with mock.patch.object(aetos.AetosHelper, '_session',
                               return_value=Session()), \
                mock.patch.object(ka_adapter.Adapter, 'get_endpoint',
                                  return_value=http.url + '/prometheus/'):
            helper = aetos.AetosHelper()
        self.assertEqual({'n0': 12.5}, helper.fetch_metric(
            frame.MetricQuery('host_cpu_usage', 'compute_node'), HOSTS))
        path, query, headers = [r for r in http.requests
                                if r[0].endswith('/query')][0]
        self.assertEqual('/prometheus/api/v1/query', path)
        self.assertEqual('tok', headers['X-Auth-Token'])
