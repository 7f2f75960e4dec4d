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

"""The Prometheus side of the simulator: exposition format and query API."""

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from watcher.simulator.fixture import SimulatedCloud


@pytest.fixture(scope='module')
def cloud():
    with SimulatedCloud(scenario='demo') as sim:
        yield sim


def _families(text):
    return {f.name: f for f in text_string_to_metric_families(text)}


def test_host_exposition_parses(cloud):
    resp = requests.get(cloud.metrics_url, params={'host': 'compute-5'})
    assert resp.status_code == 200
    assert resp.headers['Content-Type'].startswith('text/plain; version=0.0.4')
    families = _families(resp.text)
    # prometheus_client strips the _total suffix of counters.
    cpu = families['node_cpu_seconds']
    assert cpu.type == 'counter'
    samples = [s for s in cpu.samples if s.name == 'node_cpu_seconds_total']
    assert len(samples) == 16 * 8
    assert {s.labels['mode'] for s in samples} >= {'idle', 'user', 'system'}
    assert all('fqdn' not in s.labels for s in samples)
    total = families['node_memory_MemTotal_bytes']
    avail = families['node_memory_MemAvailable_bytes']
    assert total.type == avail.type == 'gauge'
    assert total.samples[0].labels == avail.samples[0].labels == {}
    assert total.samples[0].value == 65536 * 1024 * 1024
    assert 0 < avail.samples[0].value < total.samples[0].value


def test_ceilometer_exposition_parses(cloud):
    resp = requests.get(cloud.metrics_url, params={'group': 'ceilometer'})
    families = _families(resp.text)
    cpu = families['ceilometer_cpu']
    mem = families['ceilometer_memory_usage']
    assert cpu.type == 'counter' and mem.type == 'gauge'
    running = [s for s in cloud.state.servers.values() if s.running]
    assert len(cpu.samples) == len(mem.samples) == len(running)
    sample = cpu.samples[0]
    assert sample.labels['resource'] in cloud.state.servers
    assert sample.labels['unit'] == 'ns'
    assert sample.labels['type'] == 'cpu'
    assert sample.labels['cpu'] == sample.labels['resource']
    assert mem.samples[0].labels['unit'] == 'MB'


def test_all_in_one_exposition_parses(cloud):
    families = _families(requests.get(cloud.metrics_url).text)
    fqdns = {s.labels['fqdn']
             for s in families['node_memory_MemTotal_bytes'].samples}
    assert fqdns == set(cloud.state.hosts)
    assert 'ceilometer_cpu' in families


def test_counters_monotonic_across_a_move(cloud):
    state = cloud.state
    server = state.get_server('app-1')

    def cpu_ns():
        text = requests.get(cloud.metrics_url,
                            params={'group': 'ceilometer'}).text
        for s in _families(text)['ceilometer_cpu'].samples:
            if s.labels['resource'] == server.id:
                return s.value, s.labels['vm_instance']

    def idle(host):
        text = requests.get(cloud.metrics_url, params={'host': host}).text
        return sum(s.value for s in _families(text)[
            'node_cpu_seconds'].samples if s.labels['mode'] == 'idle')

    before, where = cpu_ns()
    idle_before = idle('compute-1')
    state.live_migrate(server.id, 'compute-2')
    cloud.wait_idle()
    after, where_after = cpu_ns()
    assert (where, where_after) == ('compute-1', 'compute-2')
    assert after >= before
    assert idle('compute-1') >= idle_before


def _query(cloud, promql):
    resp = requests.get(cloud.prometheus_url + '/api/v1/query',
                        params={'query': promql},
                        headers={'Accept': 'application/json'})
    body = resp.json()
    assert resp.status_code == 200, body
    assert body['status'] == 'success'
    return body['data']['result']


def test_query_api_watcher_queries(cloud):
    from watcher.simulator import metrics_api
    host = 'compute-5'
    result = _query(cloud, "100 - (avg by (fqdn)(rate(node_cpu_seconds_total"
                           "{mode='idle',fqdn='%s'}[300s])) * 100)" % host)
    assert len(result) == 1 and result[0]['metric'] == {'fqdn': host}
    expected = metrics_api.query(cloud.state, 'host_cpu_usage',
                                 resources=[host])['values'][host]
    assert float(result[0]['value'][1]) == pytest.approx(expected, abs=0.5)
    assert float(result[0]['value'][1]) > 80

    result = _query(cloud, "(node_memory_MemTotal_bytes{fqdn='%s'} - "
                           "avg_over_time(node_memory_MemAvailable_bytes"
                           "{fqdn='%s'}[300s])) / 1024" % (host, host))
    expected = metrics_api.query(cloud.state, 'host_ram_usage',
                                 resources=[host])['values'][host]
    assert float(result[0]['value'][1]) == pytest.approx(expected, rel=0.01)

    server = cloud.state.get_server('hot-1')
    result = _query(cloud, "clamp_max((avg by (resource)(rate(ceilometer_cpu"
                           "{resource='%s'}[300s]))/10e+8) *(100/4), 100)"
                           % server.id)
    assert result[0]['metric'] == {'resource': server.id}
    assert 70 < float(result[0]['value'][1]) <= 100
    result = _query(cloud, "avg_over_time(ceilometer_memory_usage"
                           "{resource='%s'}[300s])" % server.id)
    assert 0 < float(result[0]['value'][1]) <= server.flavor.ram
    assert _query(cloud, "avg_over_time(ceilometer_memory_usage"
                         "{resource='nope'}[300s])") == []


def test_query_api_grouped_forms(cloud):
    result = _query(cloud, "100 - (avg by (fqdn)(rate(node_cpu_seconds_total"
                           "{mode='idle'}[300s])) * 100)")
    assert {r['metric']['fqdn'] for r in result} == set(cloud.state.hosts)
    result = _query(cloud, 'avg by (resource)(rate(ceilometer_cpu[300s]))')
    assert len(result) == sum(1 for s in cloud.state.servers.values()
                              if s.running)


def test_query_api_errors_and_metadata(cloud):
    resp = requests.get(cloud.prometheus_url + '/api/v1/query',
                        params={'query': 'rate(node_cpu_seconds_total'
                                         '[300.0s])'})
    assert resp.status_code == 400
    assert resp.json()['errorType'] == 'bad_data'
    targets = requests.get(cloud.prometheus_url + '/api/v1/targets',
                           params={'state': 'active'}).json()
    fqdns = [t['labels'].get('fqdn')
             for t in targets['data']['activeTargets']]
    assert set(cloud.state.hosts) <= set(fqdns)
    info = requests.get(cloud.prometheus_url
                        + '/api/v1/status/runtimeinfo').json()
    assert info['status'] == 'success'
    names = requests.get(cloud.prometheus_url
                         + '/api/v1/label/__name__/values').json()['data']
    assert {'node_cpu_seconds_total', 'node_memory_MemAvailable_bytes',
            'ceilometer_cpu', 'ceilometer_memory_usage'} <= set(names)


def test_bulk_metrics_api(cloud):
    url = cloud.control_url + '/metrics'
    catalogue = requests.get(url).json()['metrics']
    assert {m['name'] for m in catalogue} >= {
        'host_cpu_usage', 'host_ram_usage', 'instance_cpu_usage',
        'instance_ram_usage', 'instance_ram_allocated',
        'instance_root_disk_size', 'host_outlet_temp', 'host_inlet_temp',
        'host_airflow', 'host_power', 'instance_l3_cache_usage'}
    body = requests.get(url, params={
        'name': 'host_cpu_usage', 'resource_type': 'compute_node',
        'period': 600, 'aggregate': 'max'}).json()
    assert body['unit'] == '%' and set(body['values']) == set(
        cloud.state.hosts)
    assert body['values']['compute-5'] > body['values']['compute-2']
    body = requests.get(url, params={'name': 'instance_ram_allocated',
                                     'resource_type': 'instance'}).json()
    hot = cloud.state.get_server('hot-1')
    assert body['values'][hot.id] == 8192.0
    bad = requests.get(url, params={'name': 'nope'})
    assert bad.status_code == 400 and 'unknown metric' in bad.json()['error']


def test_exporter_cpus_lists_fewer_cpus_reading_the_same(cloud):
    def cpu_samples():
        text = requests.get(cloud.metrics_url,
                            params={'host': 'compute-5'}).text
        return [s for s in _families(text)['node_cpu_seconds'].samples
                if s.name == 'node_cpu_seconds_total']

    state = cloud.state
    with state.lock:
        state.settings['exporter_cpus'] = 2
    try:
        listed = cpu_samples()
    finally:
        with state.lock:
            state.settings['exporter_cpus'] = None
    everything = cpu_samples()
    assert len(everything) == 16 * 8
    assert len(listed) == 2 * 8
    assert {s.labels['cpu'] for s in listed} == {'0', '1'}
    # every CPU reads the same, so avg by (fqdn) of the idle rate is the
    # host's whatever the number listed
    for samples in (listed, everything):
        idle = {s.value for s in samples if s.labels['mode'] == 'idle'}
        assert len(idle) == 1
