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

"""Dummy strategy (goal ``dummy``): a fixed nop, nop, sleep plan for tests.

Actions: ``nop`` "hello World", ``nop`` with ``para2`` as message and
``sleep`` for ``para1`` seconds.
"""
from watcher.decision_engine.strategy import base
from watcher.decision_engine.strategy.common import actions


class DummyStrategy(base.BaseStrategy):
    name = 'dummy'
    display_name = 'Dummy strategy'
    goal_name = 'dummy'

    @classmethod
    def get_schema(cls):
        return {
            'properties': {
                'para1': {
                    'description': 'number parameter example',
                    'type': 'number', 'default': 3.2,
                    'minimum': 1.0, 'maximum': 10.2,
                },
                'para2': {
                    'description': 'string parameter example',
                    'type': 'string', 'default': 'hello',
                },
            },
        }

    def do_execute(self, inputs, params, solution):
        solution.add_action(actions.NOP,
                            input_parameters={'message': 'hello World'})
        self.add_example_actions(params, solution)

    @staticmethod
    def add_example_actions(params, solution):
        """``nop`` with ``para2`` as message, then ``sleep`` ``para1``."""
        solution.add_action(actions.NOP,
                            input_parameters={'message': params['para2']})
        solution.add_action(actions.SLEEP,
                            input_parameters={'duration': params['para1']})
