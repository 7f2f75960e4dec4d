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

import pytest

from watcher.simulator import clock
from watcher.simulator import exposition
from watcher.simulator import metrics
from watcher.simulator import metrics_api
from watcher.simulator import promql
from watcher.simulator import promql_parser
from watcher.simulator import scenario
from watcher.simulator import workload

T0 = 1_800_000_000.0


@pytest.mark.parametrize('kind', workload.PROFILE_KINDS)
def test_profiles_stay_in_bounds_and_are_deterministic(kind):
    a = workload.Profile(kind, 0.6, 0.5, seed=3)
    b = workload.Profile(kind, 0.6, 0.5, seed=3)
    for i in range(200):
        t = T0 + i * 97.0
        assert 0.0 <= a.cpu_wave.value(t) <= 1.0
        assert a.cpu_wave.value(t) == b.cpu_wave.value(t)
        assert 0.0 <= a.ram_wave.value(t) <= 1.0


def test_mean_is_the_integral_average():
    wave = workload.Profile('bursty', 0.5, seed=1).cpu_wave
    t0, t1 = T0, T0 + 600
    steps = 6000
    numeric = sum(wave.value(t0 + (i + 0.5) * 0.1) for i in range(steps))
    assert wave.mean(t0, t1) == pytest.approx(numeric / steps, abs=1e-4)
    assert wave.extreme(t0, t1, max) >= wave.mean(t0, t1) >= \
        wave.extreme(t0, t1, min)


def _cloud(speed=1.0):
    c = scenario.build(scenario.load('demo'),
                       clock=clock.Clock(speed=speed, start=T0))
    return c


def test_host_load_follows_servers():
    cloud = _cloud()
    try:
        now = cloud.now()
        before = metrics.host_cpu_fraction(cloud.hosts['compute-2'],
                                           now - 300, now) \
            if False else metrics.host_cpu_fraction(
                cloud, cloud.hosts['compute-2'], now - 300, now)
        hot = cloud.get_server('hot-1')
        cloud.settings['migration_duration'] = 0.0
        cloud.live_migrate(hot.id, 'compute-2')
        assert cloud.wait_idle(5)
        now = cloud.now()
        after = metrics.host_cpu_fraction(cloud, cloud.hosts['compute-2'],
                                          now - 300, now)
        assert after > before + 0.1
    finally:
        cloud.stop_background()


def test_counters_are_monotonic_with_advancing_time():
    cloud = _cloud()
    try:
        host = cloud.hosts['compute-5']
        server = cloud.get_server('hot-0')
        last_idle = last_cpu = -1.0
        for step in range(5):
            with cloud.lock:
                now = cloud.now()
                idle = exposition.host_cpu_seconds(cloud, host, now)['idle']
                cpu = cloud.server_cpu_ns(server, now)
            assert idle >= last_idle and cpu > last_cpu
            last_idle, last_cpu = idle, cpu
            cloud.clock.advance(120)
            if step == 2:
                cloud.settings['migration_duration'] = 0.0
                cloud.live_migrate(server.id, 'compute-4')
                cloud.wait_idle(5)
    finally:
        cloud.stop_background()


def test_counter_rate_matches_bulk_api():
    cloud = _cloud()
    try:
        server = cloud.get_server('hot-2')
        with cloud.lock:
            t0 = cloud.now()
            c0 = cloud.server_cpu_ns(server, t0)
            t1 = t0 + 300
            rate = (cloud.server_cpu_ns(server, t1) - c0) / 300
        expected = metrics_api.query(cloud, 'instance_cpu_usage',
                                     resources=[server.id],
                                     end=t1)['values'][server.id]
        assert rate / 1e9 * 100 / server.flavor.vcpus == pytest.approx(
            expected, rel=1e-6)
    finally:
        cloud.stop_background()


def test_bulk_metrics_cover_every_resource():
    cloud = _cloud()
    try:
        names = {m['name'] for m in metrics_api.catalogue()}
        for name in names:
            for agg in ('mean', 'max', 'min', 'count'):
                body = metrics_api.query(cloud, name, period=600,
                                         aggregate=agg)
                expected = len(cloud.hosts) if body['resource_type'] == \
                    'compute_node' else len(cloud.servers)
                assert len(body['values']) == expected, (name, agg)
        cpu = metrics_api.query(cloud, 'host_cpu_usage')['values']
        assert cpu['compute-5'] > 80 and cpu['compute-2'] < 10
        ram = metrics_api.query(cloud, 'host_ram_usage')['values']
        host = cloud.hosts['compute-0']
        assert 0 < ram['compute-0'] < host.memory_mb * 1024
    finally:
        cloud.stop_background()


def test_promql_parser_and_errors():
    cloud = _cloud()
    try:
        for bad in ('rate(node_cpu_seconds_total[300.0s])', 'foo(',
                    'rate(node_cpu_seconds_total)', '{}', 'unknown_fn(x)'):
            with pytest.raises(promql_parser.PromQLError):
                promql.evaluate(cloud, bad)
        assert promql.evaluate(cloud, '1 + 2 * 3')['result'][1] == '7'
        data = promql.evaluate(cloud, "count(node_memory_MemTotal_bytes)")
        assert data['result'][0]['value'][1] == '6'
        data = promql.evaluate(
            cloud, "sum without (cpu, mode) (rate(node_cpu_seconds_total"
                   "{fqdn='compute-0'}[5m]))")
        assert float(data['result'][0]['value'][1]) == pytest.approx(16.0)
        data = promql.evaluate(
            cloud, "max by (fqdn) (node_memory_MemTotal_bytes"
                   "{fqdn=~'compute-[01]'})")
        assert len(data['result']) == 2
    finally:
        cloud.stop_background()
