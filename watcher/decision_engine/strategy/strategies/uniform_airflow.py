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

"""Uniform airflow migration strategy (goal ``airflow_optimization``).

A host whose system airflow (``host_airflow``, in 0.1 CFM) is at or above
``threshold_airflow`` is a source.  What leaves it depends on why its fans
run hard, as upstream decides:

* its inlet temperature (``host_inlet_temp``) is below
  ``threshold_inlet_t`` *and* its power (``host_power``, W) below
  ``threshold_power``: the airflow is not explained by heat or load - a
  cooling fault is suspected - and every movable server is evacuated;
* otherwise one server leaves: the one with the most measured CPU that a
  destination can take.

Destinations are the hosts below ``threshold_airflow``, the lowest airflow
first.  Sources are handled highest airflow first.

Where it does better than upstream:

* every source is handled in one run (upstream stops after the first);
* a destination must fit the server by allocation (vCPU, RAM, disk with
  ratios and reserved) and by measured load (busy cores within
  ``[watcher_strategies.uniform_airflow] target_utilization`` of its
  physical cores), respect server groups (affinity and anti-affinity) and
  pinned availability zones; servers are spread (a host receives a
  second one only when no other can take it);
* a host missing a reading is left alone, and a metric with no reading
  at all fails the audit naming it; metrics come in five bulk queries
  whatever the size of the cloud; no random choice.
"""
import numpy as np

from watcher.decision_engine.strategy import base
from watcher.decision_engine.strategy.common import actions
from watcher.decision_engine.strategy.common import consolidation
from watcher.decision_engine.strategy.common import hotspot


class UniformAirflow(base.BaseStrategy):
    name = 'uniform_airflow'
    display_name = 'Uniform airflow migration strategy'
    goal_name = 'airflow_optimization'
    metric_names = ('host_airflow', 'host_inlet_temp', 'host_power',
                    'host_cpu_usage', 'instance_cpu_usage')

    @classmethod
    def get_schema(cls):
        return {
            'properties': {
                'threshold_airflow': {
                    'description': 'airflow threshold for migration, Unit '
                                   'is 0.1CFM',
                    'type': 'number', 'default': 400.0,
                },
                'threshold_inlet_t': {
                    'description': 'inlet temperature threshold for '
                                   'migration decision',
                    'type': 'number', 'default': 28.0,
                },
                'threshold_power': {
                    'description': 'system power threshold for migration '
                                   'decision',
                    'type': 'number', 'default': 350.0,
                },
                'period': {
                    'description': 'aggregate time period of ceilometer',
                    'type': 'number', 'default': 300,
                },
                'granularity': {
                    'description': 'The time between two measures in an '
                                   'aggregated timeseries of a metric.',
                    'type': 'number', 'default': 300,
                },
            },
        }

    @classmethod
    def get_config_opts(cls):
        return [consolidation.target_utilization_opt()]

    def check_parameters(self, params):
        hotspot.check_positive(params, 'threshold_airflow',
                               'threshold_inlet_t', 'threshold_power',
                               'period')

    def metric_queries(self, params):
        return [self._query('host_airflow', 'compute_node', params),
                self._query('host_inlet_temp', 'compute_node', params),
                self._query('host_power', 'compute_node', params),
                self._query('host_cpu_usage', 'compute_node', params),
                self._query('instance_cpu_usage', 'instance', params)]

    def do_execute(self, inputs, params, solution):
        air_q, inlet_q, power_q, host_q, inst_q = self.metric_queries(params)
        state, cores = hotspot.measured_state(
            inputs, host_q, inst_q, consolidation.target_utilization(self))
        metrics = inputs.metrics
        airflow = hotspot.host_values(state, metrics, air_q, self.name)
        inlet = hotspot.host_values(state, metrics, inlet_q, self.name)
        power = hotspot.host_values(state, metrics, power_q, self.name)
        known = ~np.isnan(airflow)
        limit = float(params['threshold_airflow'])
        source = known & (np.nan_to_num(airflow) >= limit)
        dest = consolidation.destination_mask(state) & known & ~source
        relief = hotspot.Relief(state, dest, airflow)
        movable = consolidation.movable_mask(state)
        # a comparison with NaN is False: a missing inlet or power reading
        # never reads as "cool", so it never triggers an evacuation
        fault = (inlet < float(params['threshold_inlet_t'])) & \
            (power < float(params['threshold_power']))
        order = np.flatnonzero(source)
        for h in order[np.argsort(-airflow[order], kind='stable')]:
            servers = hotspot.busiest_first(state, cores, movable, h)
            if fault[h]:
                relief.evacuate(int(h), servers)
            else:
                relief.shed_one(int(h), servers)
        actions.emit_migrations(solution, state)
