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

"""Datasources against the simulated cloud: the simulator's bulk metrics
API, and the prometheus/aetos datasources on its Prometheus-compatible
query API, each answering a frame for every resource with one query per
metric."""
from urllib import parse

from watcher.decision_engine.datasources import frame
from watcher.decision_engine.datasources import manager
from watcher.decision_engine.model.collector import nova
from watcher.simulator import scenario as scenario_mod
from watcher.tests import base
from watcher.tests.functional.decision_engine import simcloud

QUERIES = [
    frame.MetricQuery('host_cpu_usage', 'compute_node', 300),
    frame.MetricQuery('host_ram_usage', 'compute_node', 300),
    frame.MetricQuery('instance_cpu_usage', 'instance', 300),
    frame.MetricQuery('instance_ram_usage', 'instance', 300),
]


class TestDatasourcesOnTheSimulator(base.TestCase):

    def setUp(self):
        super().setUp()
        self.cloud, self.conn, self.requests = simcloud.start_cloud(self)
        self.model = simcloud.collector(
            self, nova.NovaClusterDataModelCollector,
            self.conn).get_latest_cluster_data_model()
        self.flags(endpoint=self.cloud.url, group='simulator_client')
        url = parse.urlsplit(self.cloud.url)
        self.flags(host='%s/prometheus' % url.hostname, port=url.port,
                   group='prometheus_client')
        self.flags(query_interval=0, group='watcher_datasources')

    def fetch(self, name, queries=QUERIES, model=None):
        dsm = manager.DataSourceManager(datasources=[name], metric_map={})
        return dsm.fetch(queries, model or self.model)

    def running(self):
        return {s.id for s in self.cloud.state.servers.values()
                if s.running}

    def test_simulator_datasource(self):
        got = self.fetch('simulator')
        self.assertEqual(len(QUERIES), got.queries_issued)
        nodes = set(self.model.get_all_compute_nodes())
        self.assertEqual(nodes, set(got.get(QUERIES[0])))
        self.assertEqual(nodes, set(got.get(QUERIES[1])))
        self.assertEqual(self.running(), set(got.get(QUERIES[2])))
        for value in got.get(QUERIES[0]).values():
            self.assertTrue(0 <= value <= 100)
        hot = self.model.get_node_by_name('compute-5').uuid
        idle = self.model.get_node_by_name('compute-4').uuid
        self.assertGreater(got.value(QUERIES[0], hot),
                           got.value(QUERIES[0], idle))

    def test_prometheus_matches_the_simulator(self):
        prom = self.fetch('prometheus')
        sim = self.fetch('simulator')
        self.assertEqual(len(QUERIES), prom.queries_issued)
        for query in QUERIES:
            self.assertEqual(set(sim.get(query)), set(prom.get(query)),
                             query)
            for uuid, expected in sim.get(query).items():
                got = prom.value(query, uuid)
                self.assertAlmostEqual(expected, got,
                                       delta=max(1.0, abs(expected) * 0.02),
                                       msg='%s %s' % (query.metric, uuid))

    def test_aetos_through_the_catalog(self):
        from watcher.common import clients
        self.addCleanup(clients.reset_connection)
        clients._connection = self.conn
        got = self.fetch('aetos')
        self.assertEqual(len(QUERIES), got.queries_issued)
        self.assertEqual(set(self.model.get_all_compute_nodes()),
                         set(got.get(QUERIES[0])))

    def test_queries_do_not_grow_with_servers(self):
        issued = []
        for vms in (1, 12):
            scenario = scenario_mod.generate(hosts=10, vms_per_host=vms,
                                             seed=2)
            cloud, conn, _ = simcloud.start_cloud(self, scenario)
            model = simcloud.collector(
                self, nova.NovaClusterDataModelCollector,
                conn).get_latest_cluster_data_model()
            url = parse.urlsplit(cloud.url)
            self.flags(endpoint=cloud.url, group='simulator_client')
            self.flags(host='%s/prometheus' % url.hostname, port=url.port,
                       group='prometheus_client')
            for name in ('simulator', 'prometheus'):
                got = self.fetch(name, model=model)
                issued.append((name, vms, got.queries_issued,
                               len(got.get(QUERIES[2])) > 0))
        self.assertEqual([('simulator', 1, 4, True),
                          ('prometheus', 1, 4, True),
                          ('simulator', 12, 4, True),
                          ('prometheus', 12, 4, True)], issued)

    def test_strategy_state_calls(self):
        dsm = manager.DataSourceManager(datasources=['simulator'],
                                        metric_map={})
        self.assertEqual({'simulator': 'available'},
                         dsm.check_availability())
        self.assertIn('host_cpu_usage', dsm.list_metrics()['simulator'])
        dsm = manager.DataSourceManager(datasources=['prometheus'],
                                        metric_map={})
        self.assertEqual({'prometheus': 'available'},
                         dsm.check_availability())
        self.assertIn('ceilometer_cpu', dsm.list_metrics()['prometheus'])
