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
