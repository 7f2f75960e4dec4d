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

"""Weight planner (the default).

Actions are grouped by type; groups run heaviest first
(``[watcher_planners.weight] weights``); each group is cut, in the order
the strategy added them, into batches of ``parallelization[type]`` actions
that run in parallel; every action of a batch has all actions of the
previous batch (possibly of the previous type) as parents.

Example (weights sleep 70, migrate 60, resize 50; parallelization 2/3/2):
2 sleeps in parallel -> 3 migrations in parallel -> 2 resizes -> 1 resize.
"""
from watcher.conf import planner as planner_conf
from watcher.decision_engine.planner import base

DEFAULT_WEIGHTS = dict(planner_conf.WEIGHT_OPTS[0].default)
DEFAULT_PARALLELIZATION = dict(planner_conf.WEIGHT_OPTS[1].default)


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class WeightPlanner(base.BasePlanner):
    name = 'weight'
    config_group = 'watcher_planners.weight'

    @classmethod
    def get_config_opts(cls):
        return list(planner_conf.WEIGHT_OPTS)

    @property
    def weights(self):
        return self.config_value('weights', DEFAULT_WEIGHTS)

    @property
    def parallelization(self):
        return self.config_value('parallelization', DEFAULT_PARALLELIZATION)

    def schedule(self, solution):
        weights = self.weights
        parallel = self.parallelization
        groups = {}
        for action in base.solution_actions(solution):
            groups.setdefault(action['action_type'], []).append(action)
        ordered = sorted(groups, key=lambda t: -_int(weights.get(t), 0))
        planned = []
        previous = []
        for action_type in ordered:
            size = max(1, _int(parallel.get(action_type), 1))
            actions = groups[action_type]
            for start in range(0, len(actions), size):
                parents = [p.uuid for p in previous]
                batch = [base.new_action(a, parents)
                         for a in actions[start:start + size]]
                planned.extend(batch)
                previous = batch
        return planned
