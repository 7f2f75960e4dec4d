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

"""The solution a strategy returns: unordered actions + efficacy.

Contract:

* ``Solution(goal, strategy)`` - ``goal`` is a goal name, class or instance
  (its efficacy specification validates the indicators), ``strategy`` the
  strategy name or instance.
* ``add_action(action_type, resource_id=None, input_parameters=None,
  resource_name=None)`` appends ``{'action_type', 'resource_id',
  'input_parameters'}``; ``resource_id`` (and ``resource_name`` when given)
  are also written into ``input_parameters`` as upstream does.
* ``actions`` - the list of those dicts, in the order added (planners
  decide the execution order).
* ``set_efficacy_indicators(**values)`` - validated against the goal's
  specification (unknown names / bad values raise
  ``exception.InvalidIndicatorValue``); may be called several times.
* ``efficacy_indicators`` - list of ``{name, description, unit, value}`` in
  the specification's order; ``global_efficacy`` - list of
  ``{name, description, unit, value}`` computed by the goal.
* ``check_efficacy_indicators()`` - raises if a required indicator is
  missing (called by ``BaseStrategy.execute`` for goals with indicators).
"""
import copy

from watcher.decision_engine.goal.efficacy import specs as efficacy_specs
from watcher.decision_engine.goal import goals as goals_mod


def _resolve_goal(goal):
    if goal is None:
        return None
    if isinstance(goal, str):
        return goals_mod.get_goal_class(goal)
    return goal


class Solution:

    def __init__(self, goal=None, strategy=None):
        goal_obj = _resolve_goal(goal)
        self.goal = goal_obj
        self.goal_name = (goal if isinstance(goal, str)
                          else getattr(goal_obj, 'name', None))
        self.strategy = strategy
        if goal_obj is not None:
            self.efficacy_specification = \
                goal_obj.get_efficacy_specification()
        else:
            self.efficacy_specification = efficacy_specs.Unclassified()
        self._actions = []
        self._indicator_values = {}

    # -- actions ---------------------------------------------------------
    def add_action(self, action_type, resource_id=None,
                   input_parameters=None, resource_name=None):
        params = copy.deepcopy(input_parameters) if input_parameters else {}
        if resource_id is not None:
            params['resource_id'] = resource_id
        if resource_name is not None:
            params['resource_name'] = resource_name
        action = {'action_type': action_type,
                  'resource_id': params.get('resource_id', resource_id),
                  'input_parameters': params}
        self._actions.append(action)
        return action

    @property
    def actions(self):
        return self._actions

    def count_actions(self, action_type=None):
        if action_type is None:
            return len(self._actions)
        return sum(1 for a in self._actions
                   if a['action_type'] == action_type)

    def actions_by_type(self):
        counts = {}
        for action in self._actions:
            counts[action['action_type']] = counts.get(
                action['action_type'], 0) + 1
        return counts

    def __len__(self):
        return len(self._actions)

    def __iter__(self):
        return iter(self._actions)

    # -- efficacy --------------------------------------------------------
    def set_efficacy_indicators(self, **values):
        self.efficacy_specification.validate_efficacy_indicators(
            values, partial=True)
        self._indicator_values.update(values)

    set_efficacy_values = set_efficacy_indicators

    def check_efficacy_indicators(self):
        self.efficacy_specification.validate_efficacy_indicators(
            self._indicator_values)

    @property
    def indicator_values(self):
        return dict(self._indicator_values)

    @property
    def efficacy_indicators(self):
        out = []
        specs = self.efficacy_specification.get_indicators_specifications()
        for spec in specs:
            if spec.name in self._indicator_values:
                out.append({'name': spec.name,
                            'description': spec.description,
                            'unit': spec.unit,
                            'value': self._indicator_values[spec.name]})
        return out

    @property
    def global_efficacy(self):
        if not self._indicator_values:
            return []
        return self.efficacy_specification.get_global_efficacy_indicator(
            self._indicator_values)

    def __repr__(self):
        return '<Solution goal=%s actions=%d>' % (self.goal_name,
                                                  len(self._actions))
