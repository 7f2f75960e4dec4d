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

"""Workload stabilization planner.

* Unrelated actions run in parallel (no parents).
* Actions are taken by descending weight
  (``[watcher_planners.workload_stabilization] weights``; ties keep the
  strategy's order); an action on a resource (``resource_id``) already
  touched gets the previous action on that resource as parent, so at most
  one action per server runs at a time.
* An action that makes a host unreachable (``turn_host_to_acpi_s3_state``)
  gets every migrate/resize leaving that host as parents.
"""
from watcher.conf import planner as planner_conf
from watcher.decision_engine.planner import base

DEFAULT_WEIGHTS = dict(planner_conf.STABILIZATION_OPTS[0].default)
HOST_OFF_ACTIONS = ('turn_host_to_acpi_s3_state',)
MOVING_ACTIONS = ('migrate', 'resize')


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class WorkloadStabilizationPlanner(base.BasePlanner):
    name = 'workload_stabilization'
    config_group = 'watcher_planners.workload_stabilization'

    @classmethod
    def get_config_opts(cls):
        return list(planner_conf.STABILIZATION_OPTS)

    @property
    def weights(self):
        return self.config_value('weights', DEFAULT_WEIGHTS)

    def schedule(self, solution):
        weights = self.weights
        actions = base.solution_actions(solution)
        order = sorted(range(len(actions)),
                       key=lambda i: (-_int(weights.get(
                           actions[i]['action_type']), -1), i))
        planned = []
        last_on_resource = {}
        leaving_host = {}    # host uuid or name -> [planned moves]
        for i in order:
            action = actions[i]
            params = action.get('input_parameters') or {}
            resource = params.get('resource_id', action.get('resource_id'))
            parents = []
            if action['action_type'] in HOST_OFF_ACTIONS:
                for key in (resource, params.get('resource_name')):
                    for moved in leaving_host.get(key, ()):
                        if moved.uuid not in parents:
                            parents.append(moved.uuid)
            if resource is not None and resource in last_on_resource:
                prev = last_on_resource[resource].uuid
                if prev not in parents:
                    parents.append(prev)
            item = base.new_action(action, parents)
            planned.append(item)
            if resource is not None:
                last_on_resource[resource] = item
            if action['action_type'] in MOVING_ACTIONS:
                src = params.get('source_node')
                if src:
                    leaving_host.setdefault(src, []).append(item)
        # Moves scheduled after the host-off action (lower weight) must
        # still come first: re-link them.
        by_uuid = {p.uuid: p for p in planned}
        for item in planned:
            if item.action_type not in HOST_OFF_ACTIONS:
                continue
            params = item.input_parameters
            for key in (params.get('resource_id'),
                        params.get('resource_name')):
                for moved in leaving_host.get(key, ()):
                    if (moved.uuid not in item.parents and
                            item.uuid not in moved.parents):
                        item.parents.append(moved.uuid)
        return _topological(planned, by_uuid)


def _topological(planned, by_uuid):
    done = set()
    out = []

    def visit(item, stack=()):
        if item.uuid in done:
            return
        for parent in item.parents:
            if parent not in done and parent not in stack:
                visit(by_uuid[parent], stack + (item.uuid,))
        done.add(item.uuid)
        out.append(item)

    for item in planned:
        visit(item)
    return out
