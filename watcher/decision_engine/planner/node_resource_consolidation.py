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

"""Node resource consolidation planner.

Three stages, each running its actions in parallel:

1. ``change_nova_service_state`` actions that *disable* nodes (so the
   scheduler does not send migrated servers back to the hosts being
   emptied);
2. ``migrate`` actions - parents: every action of stage 1;
3. ``change_nova_service_state`` actions that *enable* nodes - parents:
   every migration (or stage 1 when there are none).

Any other action type runs afterwards, one stage per type, heaviest first
(weight planner weights), each stage depending on the previous one.
"""
from watcher.decision_engine.planner import base
from watcher.decision_engine.planner import weight


class NodeResourceConsolidationPlanner(base.BasePlanner):
    name = 'node_resource_consolidation'
    config_group = 'watcher_planners.weight'

    def schedule(self, solution):
        disables, migrations, enables, others = [], [], [], {}
        for action in base.solution_actions(solution):
            atype = action['action_type']
            state = (action.get('input_parameters') or {}).get('state')
            if atype == 'change_nova_service_state' and state == 'disabled':
                disables.append(action)
            elif atype == 'change_nova_service_state':
                enables.append(action)
            elif atype == 'migrate':
                migrations.append(action)
            else:
                others.setdefault(atype, []).append(action)
        weights = self.config_value('weights', weight.DEFAULT_WEIGHTS)
        stages = [disables, migrations, enables] + [
            others[t] for t in sorted(
                others, key=lambda t: -weight._int(weights.get(t), 0))]
        planned = []
        previous = []
        for stage in stages:
            if not stage:
                continue
            parents = [p.uuid for p in previous]
            batch = [base.new_action(a, parents) for a in stage]
            planned.extend(batch)
            previous = batch
        return planned
