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

"""The strategies that read hardware and cache metrics, end to end on the
simulated cloud: audit through the API, the plan, the applier, the cloud
afterwards.  The metrics come from the simulator's Prometheus endpoint
(the IPMI and Ceilometer series a real Prometheus would hold).
"""
from watcher.simulator import promql
from watcher.tests.functional.end_to_end import stack


def _host(name, inlet, servers, **extra):
    return dict(extra, name=name, inlet_temp=inlet, servers=servers)


def _server(name, flavor, cpu, **workload):
    return {'name': name, 'flavor': flavor,
            'workload': dict(workload, profile='steady', cpu=cpu, ram=0.5)}


HOST_DEFAULTS = {'vcpus': 16, 'memory_mb': 65536, 'disk_gb': 500,
                 'cpu_allocation_ratio': 4.0, 'reserved_memory_mb': 512}


def _scenario(name, hosts, **extra):
    return dict(extra, name=name, seed=7,
                settings={'migration_duration': 0.2},
                defaults={'host': HOST_DEFAULTS}, hosts=hosts)


def host_metric(test, promql_text):
    """``{fqdn: value}`` of a PromQL query on the simulated cloud."""
    data = promql.evaluate(test.cloud.state, promql_text)
    return {r['metric']['fqdn']: float(r['value'][1])
            for r in data['result']}


OUTLET = ("max by (fqdn)(avg_over_time(ipmi_temperature_celsius"
          "{name=~'(?i).*(outlet|exhaust).*'}[30s]))")


class TestOutletTemperature(stack.StackTestCase):
    # compute-0 stands in a hot aisle (inlet 30 C): its exhaust is over
    # 35 C; compute-2, empty in the cool aisle, is the coolest host
    scenario = _scenario('thermal', [
        _host('compute-0', 30.0, [_server('busy', 'm1.large', 0.6),
                                  _server('calm', 'm1.large', 0.4)]),
        _host('compute-1', 18.0, [_server('other', 'm1.medium', 0.5)]),
        _host('compute-2', 18.0, []),
    ])

    def test_hot_host_sheds_its_busiest_server_to_the_coolest(self):
        before = host_metric(self, OUTLET)
        self.assertGreaterEqual(before['compute-0'], 35.0)
        self.assertLess(max(before['compute-1'], before['compute-2']), 35.0)
        plan, actions = self.recommended('thermal_optimization',
                                         'outlet_temperature')
        # outlet temperature, host CPU, server CPU: one query each
        self.assertEqual(3, self.promql_queries())
        self.assertEqual(['migrate'], [a['action_type'] for a in actions])
        [move] = stack.of_type(actions, 'migrate')
        self.assertEqual(('busy', 'compute-0', 'compute-2'), (
            move['resource_name'], move['source_node'],
            move['destination_node']))
        self.assertEqual('SUCCEEDED', self.apply(plan)['state'])
        self.assertEqual('compute-2', self.host_of('busy'))
        self.assertEqual(['calm'], self.server_names('compute-0'))
        after = host_metric(self, OUTLET)
        self.assertLess(after['compute-0'], before['compute-0'])


class TestUniformAirflow(stack.StackTestCase):
    # airflow 200 + 550 x load (0.1 CFM), power 110 + 260 x load (W):
    # compute-0 (load about 0.61) blows hard and draws over 250 W - its
    # fans are explained, one server leaves; compute-1 (about 0.4) blows
    # over 400 with a cool inlet and under 250 W - a cooling fault as
    # upstream reads it, so it is evacuated
    scenario = _scenario('airflow', [
        _host('compute-0', 22.0, [_server('fan-busy', 'm1.large', 0.7),
                                  _server('fan-a', 'm1.large', 0.55),
                                  _server('fan-b', 'm1.large', 0.55),
                                  _server('fan-c', 'm1.large', 0.55)]),
        _host('compute-1', 22.0, [_server('drift-a', 'm1.large', 0.75),
                                  _server('drift-b', 'm1.large', 0.75)]),
        _host('compute-2', 18.0, []),
        _host('compute-3', 18.0, []),
    ])
    parameters = {'threshold_airflow': 400.0, 'threshold_power': 250.0,
                  'threshold_inlet_t': 28.0, 'period': 300}

    def test_sheds_one_server_or_evacuates_as_the_readings_say(self):
        airflow = host_metric(self, "max by (fqdn)(avg_over_time("
                              "ipmi_sensor_value{name=~'(?i).*airflow.*'}"
                              "[300s])) * 10")
        self.assertGreaterEqual(min(airflow['compute-0'],
                                    airflow['compute-1']), 400.0)
        plan, actions = self.recommended(
            'airflow_optimization', 'uniform_airflow', self.parameters)
        self.assertEqual(5, self.promql_queries())
        moves = {m['resource_name']: m for m in
                 stack.of_type(actions, 'migrate')}
        self.assertEqual({'fan-busy', 'drift-a', 'drift-b'}, set(moves))
        self.assertEqual({'compute-2', 'compute-3'},
                         {m['destination_node'] for m in moves.values()})
        self.assertEqual('SUCCEEDED', self.apply(plan)['state'])
        self.assertEqual([], self.server_names('compute-1'))
        self.assertEqual(['fan-a', 'fan-b', 'fan-c'],
                         self.server_names('compute-0'))
        for name, move in moves.items():
            self.assertEqual(move['destination_node'], self.host_of(name))


class TestNoisyNeighbor(stack.StackTestCase):
    # on compute-0 "noisy" started a cache-hungry job 100 s before the
    # cloud's start: it now wants six times the 8 MiB it had and squeezes
    # "victim" (priority 1) out of the host's 32 MiB L3 cache
    scenario = _scenario('noisy', [
        _host('compute-0', 20.0, [
            dict(_server('victim', 'm1.large', 0.4, l3_cache=8192),
                 metadata={'watcher-priority': '1'}),
            _server('noisy', 'm1.large', 0.4, l3_cache=8192,
                    l3_cache_change={'at': -100, 'factor': 6})]),
        _host('compute-1', 20.0, [_server('quiet', 'm1.medium', 0.3)]),
        _host('compute-2', 20.0, []),
    ])

    def _cache_bytes(self, name):
        uuid = self.cloud.state.get_server(name).id
        data = promql.evaluate(self.cloud.state,
                               "ceilometer_cpu_l3_cache{resource='%s'}"
                               % uuid)
        return float(data['result'][0]['value'][1])

    def test_noisy_server_leaves_the_hurt_ones_host(self):
        self.assertLess(self._cache_bytes('victim'), 0.6 * 8192 * 1024)
        plan, actions = self.recommended('noisy_neighbor', 'noisy_neighbor',
                                         {'period': 100})
        # the cache over one and two periods, host and server CPU
        self.assertEqual(4, self.promql_queries())
        self.assertEqual(['migrate'], [a['action_type'] for a in actions])
        [move] = stack.of_type(actions, 'migrate')
        # the destination with the least cache in use: the empty host
        self.assertEqual(('noisy', 'compute-0', 'compute-2'), (
            move['resource_name'], move['source_node'],
            move['destination_node']))
        self.assertEqual('SUCCEEDED', self.apply(plan)['state'])
        self.assertEqual('compute-2', self.host_of('noisy'))
        self.assertEqual(8192 * 1024, self._cache_bytes('victim'))
