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

"""The prometheus datasource against a real Prometheus server.

A private Prometheus (the ``prometheus`` binary, Debian package
``prometheus``) scrapes the simulated cloud's ``/metrics`` every second,
one ``node`` target per compute host carrying its ``fqdn`` target label
and one ``ceilometer`` target (prometheus-metrics.md section 8).  Once a
short window (``PERIOD`` seconds) is full - the ``rate()`` warm-up trap of
section 9 - the datasource's grouped queries must agree with the
simulator's own figures for every host and server.

Skipped, with the reason, when the binary is missing.
"""
import os
import shutil
import socket
import subprocess
import tempfile
import time
from urllib import parse

import openstack
import requests
import testtools

from watcher.decision_engine.datasources import frame
from watcher.decision_engine.datasources import manager
from watcher.decision_engine.model.collector import nova
from watcher.simulator import exposition
from watcher.simulator import fixture as sim_fixture
from watcher.tests import base

PROMETHEUS = shutil.which('prometheus')
PERIOD = 10
SCRAPE = 1


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@testtools.skipUnless(PROMETHEUS, 'the prometheus binary is not installed '
                      '(Debian: apt-get install -y prometheus)')
class TestRealPrometheus(base.TestCase):

    def setUp(self):
        super().setUp()
        self.cloud = self.useFixture(sim_fixture.SimulatedCloud('demo'))
        conn = openstack.connect(**self.cloud.cloud_config())
        self.addCleanup(conn.close)
        collector = nova.NovaClusterDataModelCollector(connection=conn)
        self.addCleanup(collector.stop, 30)
        self.model = collector.get_latest_cluster_data_model()
        self.start_prometheus()
        self.flags(host='127.0.0.1', port=self.port,
                   group='prometheus_client')
        self.flags(endpoint=self.cloud.url, group='simulator_client')
        self.flags(query_interval=0, group='watcher_datasources')

    def start_prometheus(self):
        address = parse.urlsplit(self.cloud.url).netloc
        workdir = tempfile.mkdtemp(prefix='watcher-prom-')
        self.addCleanup(shutil.rmtree, workdir, True)
        config = os.path.join(workdir, 'prometheus.yml')
        with open(config, 'w') as fobj:
            fobj.write(exposition.scrape_config(
                address, [node.hostname for node in
                          self.model.get_all_compute_nodes().values()],
                SCRAPE))
        self.port = free_port()
        log = open(os.path.join(workdir, 'prometheus.log'), 'w')
        self.addCleanup(log.close)
        proc = subprocess.Popen(
            [PROMETHEUS, '--config.file=%s' % config,
             '--storage.tsdb.path=%s' % os.path.join(workdir, 'data'),
             '--web.listen-address=127.0.0.1:%d' % self.port],
            stdout=log, stderr=subprocess.STDOUT)
        self.addCleanup(proc.wait, 10)
        self.addCleanup(proc.terminate)
        url = 'http://127.0.0.1:%d/api/v1/query' % self.port
        expected = len(self.model.get_all_compute_nodes()) + 1
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                body = requests.get(url, params={'query': 'sum(up)'},
                                    timeout=2).json()
                result = body['data']['result']
                if result and float(result[0]['value'][1]) >= expected:
                    break
            except (requests.RequestException, ValueError, KeyError):
                pass
            if proc.poll() is not None:
                self.fail('prometheus exited; see %s' % log.name)
            time.sleep(0.25)
        else:
            self.fail('prometheus did not scrape every target')
        # let the rate() window fill (prometheus-metrics.md section 9)
        time.sleep(PERIOD + 2 * SCRAPE)

    def test_frames_match_the_simulator(self):
        queries = [frame.MetricQuery(m, t, PERIOD) for m, t in (
            ('host_cpu_usage', 'compute_node'),
            ('host_ram_usage', 'compute_node'),
            ('instance_cpu_usage', 'instance'),
            ('instance_ram_usage', 'instance'))]
        prom = manager.DataSourceManager(
            datasources=['prometheus'], metric_map={}).fetch(
                queries, self.model)
        sim = manager.DataSourceManager(
            datasources=['simulator'], metric_map={}).fetch(
                queries, self.model)
        self.assertEqual(len(queries), prom.queries_issued)
        tolerance = {'host_cpu_usage': 3.0, 'instance_cpu_usage': 6.0}
        for query in queries:
            expected = sim.get(query)
            got = prom.get(query)
            self.assertEqual(set(expected), set(got), query.metric)
            for uuid, value in expected.items():
                delta = tolerance.get(query.metric, abs(value) * 0.02 + 1)
                self.assertAlmostEqual(value, got[uuid], delta=delta,
                                       msg='%s of %s' % (query.metric,
                                                         uuid))

    def test_hosts_are_matched_through_targets(self):
        helper = manager.DataSourceManager(
            datasources=['prometheus'], metric_map={}).get_helper(
                'prometheus')
        for node in self.model.get_all_compute_nodes().values():
            self.assertEqual(node.hostname,
                             helper.resolve_host(node.hostname))
            self.assertIsNotNone(helper.get_host_cpu_usage(node, PERIOD))
        self.assertEqual('available', helper.check_availability())
