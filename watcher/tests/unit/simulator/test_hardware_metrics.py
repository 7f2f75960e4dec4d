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

"""The simulator's hardware (IPMI) and L3-cache metrics: what a scenario
configures, what the PromQL endpoint, the exposition and the bulk API
answer, and that the three agree.
"""
import pytest

from watcher.simulator import errors
from watcher.simulator import exposition
from watcher.simulator import metrics
from watcher.simulator import metrics_api
from watcher.simulator import promql
from watcher.simulator import scenario

START = 1_800_000_000.0


def _cloud(hosts, **extra):
    data = dict(extra, name='hw', seed=3,
                settings={'start_time': START, 'time_speed': 1.0},
                defaults={'host': {'vcpus': 16, 'memory_mb': 65536}},
                hosts=hosts)
    return scenario.build(scenario.load(data))


@pytest.fixture
def cloud():
    made = _cloud([
        {'name': 'hot', 'inlet_temp': 30.0, 'servers': [
            {'name': 'victim', 'flavor': 'm1.large',
             'metadata': {'watcher-priority': '1'},
             'workload': {'cpu': 0.5, 'l3_cache': 8192}},
            {'name': 'noisy', 'flavor': 'm1.large',
             'workload': {'cpu': 0.5, 'l3_cache': 8192,
                          'l3_cache_change': {'at': -100, 'factor': 6}}}]},
        {'name': 'cool', 'inlet_temp': 18.0, 'servers': [
            {'name': 'alone', 'flavor': 'm1.small',
             'workload': {'cpu': 0.2}}]},
    ])
    yield made
    made.stop_background()


# the strings the prometheus/aetos datasources send (prometheus_base)
QUERIES = {
    'host_outlet_temp': "max by (fqdn)(avg_over_time(ipmi_temperature_celsius"
                        "{name=~'(?i).*(outlet|exhaust).*'}[300s]))",
    'host_inlet_temp': "max by (fqdn)(avg_over_time(ipmi_temperature_celsius"
                       "{name=~'(?i).*(inlet|ambient).*'}[300s]))",
    'host_airflow': "max by (fqdn)(avg_over_time(ipmi_sensor_value"
                    "{name=~'(?i).*airflow.*'}[300s])) * 10",
    'host_power': "sum by (fqdn)(avg_over_time("
                  "ipmi_dcmi_power_consumption_watts[300s]))",
}


def _by(result, label):
    return {r['metric'][label]: float(r['value'][1]) for r in result}


def test_promql_hardware_queries_match_the_bulk_api(cloud):
    for metric, text in QUERIES.items():
        got = _by(promql.evaluate(cloud, text)['result'], 'fqdn')
        want = metrics_api.query(cloud, metric, end=cloud.now())['values']
        assert set(got) == {'hot', 'cool'}, metric
        for host in got:
            assert got[host] == pytest.approx(want[host], rel=1e-3), (
                metric, host)


def test_the_hot_aisle_host_runs_hotter_and_draws_more(cloud):
    temp = _by(promql.evaluate(cloud, QUERIES['host_outlet_temp'])['result'],
               'fqdn')
    power = _by(promql.evaluate(cloud, QUERIES['host_power'])['result'],
                'fqdn')
    assert temp['hot'] > 35.0 > temp['cool']
    assert power['hot'] > power['cool']
    # the CPU package sensor is hotter still: only the name filter keeps
    # it out of the outlet reading
    every = _by(promql.evaluate(
        cloud, "max by (fqdn)(ipmi_temperature_celsius)")['result'], 'fqdn')
    assert every['hot'] > temp['hot']


def test_noisy_server_squeezes_its_neighbour_out_of_the_cache(cloud):
    victim = cloud.get_server('victim').id
    noisy = cloud.get_server('noisy').id
    now = cloud.now()

    def cache(period):
        text = ('avg by (resource)(avg_over_time(ceilometer_cpu_l3_cache'
                '[%ds]))' % period)
        return _by(promql.evaluate(cloud, text, now)['result'], 'resource')
    current, both = cache(100), cache(200)
    previous = {k: 2 * both[k] - current[k] for k in current}
    # bytes: 8 MiB each before the step; after it the noisy one wants
    # 48 MiB of the host's 32 MiB and both get shares
    assert previous[victim] == pytest.approx(8192 * 1024, rel=0.05)
    assert current[victim] < 0.6 * previous[victim]
    assert current[noisy] > 2 * previous[noisy]
    assert current[victim] + current[noisy] == pytest.approx(
        32768 * 1024, rel=0.05)
    # the bulk API agrees (in KiB)
    bulk = metrics_api.query(cloud, 'instance_l3_cache_usage', period=100,
                             end=now)['values']
    assert bulk[victim] * 1024 == pytest.approx(current[victim], rel=1e-6)


def test_moving_the_noisy_server_gives_the_cache_back(cloud):
    victim = cloud.get_server('victim')
    now = cloud.now()
    squeezed = metrics.instance_l3_cache_kib(cloud, victim, now, now)
    cloud.settings['migration_duration'] = 0.0
    cloud.live_migrate(cloud.get_server('noisy').id, 'cool')
    assert cloud.wait_idle(5)
    now = cloud.now()
    assert squeezed < 8192 == metrics.instance_l3_cache_kib(
        cloud, victim, now, now)


def test_window_mean_is_exact_across_the_step(cloud):
    noisy = cloud.get_server('noisy')
    step = cloud.started_at - 100
    # half the window before the step, half after: the mean of the two
    # occupancies (alone it gets 8192, squeezed 32768 * 6/7)
    mean = metrics.instance_l3_cache_kib(cloud, noisy, step - 50, step + 50)
    assert mean == pytest.approx((8192 + 32768 * 6 / 7) / 2)
    assert metrics.instance_l3_cache_kib(
        cloud, noisy, step - 50, step + 50, 'max') == pytest.approx(
        32768 * 6 / 7)


def test_exposition_carries_the_new_series(cloud):
    status, text = exposition.render(cloud, host='hot')
    assert status == 200
    assert 'ipmi_temperature_celsius{id="5",name="Exhaust Temp"}' in text
    assert ('ipmi_sensor_value{id="59",name="System Airflow",'
            'type="Other Units Based Sensor"}') in text
    assert '\nipmi_dcmi_power_consumption_watts ' in text
    status, text = exposition.render(cloud, group='ceilometer')
    line = [x for x in text.splitlines()
            if x.startswith('ceilometer_cpu_l3_cache{')][0]
    assert 'unit="B"' in line and 'cpu_l3_cache="' in line


def test_scenario_fields_are_checked():
    with pytest.raises(errors.ScenarioError) as err:
        _cloud([{'name': 'h', 'inlet_temp': 'warm'}])
    assert 'hosts[0].inlet_temp' in str(err.value)
    with pytest.raises(errors.ScenarioError) as err:
        _cloud([{'name': 'h', 'servers': [
            {'name': 's', 'flavor': 'm1.tiny',
             'workload': {'l3_cache_change': {'at': -10}}}]}])
    assert 'l3_cache_change.factor' in str(err.value)


def test_inlet_default_draw_keeps_the_rest_of_the_cloud():
    plain = _cloud([{'name': 'a'}, {'name': 'b'}])
    given = _cloud([{'name': 'a', 'inlet_temp': 25.0}, {'name': 'b'}])
    try:
        assert given.hosts['a'].inlet_temp == 25.0
        assert plain.hosts['b'].inlet_temp == given.hosts['b'].inlet_temp
        assert plain.hosts['b'].uuid == given.hosts['b'].uuid
    finally:
        plain.stop_background()
        given.stop_background()
