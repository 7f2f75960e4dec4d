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

"""Outlet temperature based strategy (goal ``thermal_optimization``).

A host whose outlet temperature (``host_outlet_temp``, IPMI) is at or
above ``threshold`` is a hot spot.  Hot hosts are relieved hottest first:
each moves one server - the one with the most measured CPU (the most heat
it can shed) that some destination can take - to the coolest host below
``threshold`` that can hold it.

Where it does better than upstream:

* a destination must fit the server by allocation (vCPU, RAM, disk with
  allocation ratios and reserved) *and* by measured load: its busy CPU
  cores (``host_cpu_usage``/``instance_cpu_usage``) stay within
  ``[watcher_strategies.outlet_temperature] target_utilization`` (default
  0.8) of its physical cores after the move;
* server groups (affinity and anti-affinity) and pinned availability
  zones are respected;
* every hot host is relieved in one run, not only the hottest, and a
  destination receives a second server only when no other can take it,
  so no cool host becomes the next hot spot;
* a host with no temperature reading is neither a source nor a
  destination (upstream read it as cool); with no reading at all the
  audit fails naming the metric;
* the metrics come in three bulk queries whatever the size of the cloud;
  ties are broken by model order, never at random.
"""
import numpy as np

from watcher.common import exception
from watcher.decision_engine.strategy import base
from watcher.decision_engine.strategy.common import actions
from watcher.decision_engine.strategy.common import consolidation
from watcher.decision_engine.strategy.common import hotspot

#: plausible outlet temperatures (Celsius)
THRESHOLD_RANGE = (0.0, 150.0)


class OutletTempControl(base.BaseStrategy):
    name = 'outlet_temperature'
    display_name = 'Outlet temperature based strategy'
    goal_name = 'thermal_optimization'
    metric_names = ('host_outlet_temp', 'host_cpu_usage',
                    'instance_cpu_usage')

    @classmethod
    def get_schema(cls):
        return {
            'properties': {
                'threshold': {
                    'description': 'temperature threshold for migration',
                    'type': 'number', 'default': 35.0,
                },
                'period': {
                    'description': 'The time interval in seconds for '
                                   'getting statistic aggregation',
                    'type': 'number', 'default': 30,
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
        low, high = THRESHOLD_RANGE
        if not low < params['threshold'] <= high:
            raise exception.InvalidAuditParameters(
                err='threshold must be a temperature in Celsius above %g '
                    'and at most %g, not %s' % (low, high,
                                                params['threshold']))
        hotspot.check_positive(params, 'period')

    def metric_queries(self, params):
        return [self._query('host_outlet_temp', 'compute_node', params),
                self._query('host_cpu_usage', 'compute_node', params),
                self._query('instance_cpu_usage', 'instance', params)]

    def do_execute(self, inputs, params, solution):
        temp_q, host_q, inst_q = self.metric_queries(params)
        threshold = float(params['threshold'])
        state, cores = hotspot.measured_state(
            inputs, host_q, inst_q, consolidation.target_utilization(self))
        temp = hotspot.host_values(state, inputs.metrics, temp_q, self.name)
        known = ~np.isnan(temp)
        hot = known & (np.nan_to_num(temp) >= threshold)
        dest = consolidation.destination_mask(state) & known & ~hot
        relief = hotspot.Relief(state, dest, temp)
        movable = consolidation.movable_mask(state)
        for h in np.flatnonzero(hot)[np.argsort(-temp[hot], kind='stable')]:
            relief.shed_one(int(h), hotspot.busiest_first(state, cores,
                                                          movable, h))
        actions.emit_migrations(solution, state)
