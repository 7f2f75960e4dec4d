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

"""Actuator strategy (goal ``unclassified``): emits exactly the actions
given in the ``actions`` parameter, each ``{action_type, resource_id?,
input_parameters}``, in that order (the weight planner then orders them by
type).
"""
from watcher.decision_engine.strategy import base


class Actuator(base.BaseStrategy):
    name = 'actuator'
    display_name = 'Actuator'
    goal_name = 'unclassified'
    required_models = ()

    @classmethod
    def get_schema(cls):
        return {
            '$schema': 'http://json-schema.org/draft-04/schema#',
            'type': 'object',
            'properties': {
                'actions': {
                    'type': 'array',
                    'items': {
                        'type': 'object',
                        'properties': {
                            'action_type': {'type': 'string'},
                            'resource_id': {'type': 'string'},
                            'input_parameters': {
                                'type': 'object',
                                'properties': {},
                                'additionalProperties': True,
                            },
                        },
                        'required': ['action_type', 'input_parameters'],
                        'additionalProperties': True,
                    },
                },
            },
            'required': ['actions'],
        }

    def do_execute(self, inputs, params, solution):
        for action in params['actions']:
            solution.add_action(action['action_type'],
                                resource_id=action.get('resource_id'),
                                input_parameters=action['input_parameters'])
