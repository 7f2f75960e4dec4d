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

import pytest

from watcher.common import exception
from watcher.decision_engine.strategy.strategies import actuation
from watcher.decision_engine.strategy.strategies import dummy_strategy
from watcher.decision_engine.strategy.strategies import dummy_with_resize
from watcher.decision_engine.strategy.strategies import dummy_with_scorer
from watcher.tests.unit.decision_engine import model_fakes as fakes


def test_dummy_actions():
    s = dummy_strategy.DummyStrategy(config={})
    sol = fakes.run(s, fakes.build({'h1': []}), {'para1': 2.0,
                                                 'para2': 'hi'})
    assert [(a['action_type'], a['input_parameters']) for a in
            sol.actions] == [('nop', {'message': 'hello World'}),
                             ('nop', {'message': 'hi'}),
                             ('sleep', {'duration': 2.0})]
    assert sol.efficacy_indicators == [] and sol.global_efficacy == []
    assert s.planner == 'weight' and s.goal_name == 'dummy'


def test_dummy_parameters():
    s = dummy_strategy.DummyStrategy(config={})
    assert s.validate_parameters({}) == {'para1': 3.2, 'para2': 'hello'}
    with pytest.raises(exception.InvalidAuditParameters):
        s.validate_parameters({'para1': 11})
    with pytest.raises(exception.InvalidAuditParameters):
        s.validate_parameters({'para2': 3})
    with pytest.raises(exception.InvalidAuditParameters):
        s.validate_parameters(['x'])


def test_actuator():
    s = actuation.Actuator(config={})
    params = {'actions': [
        {'action_type': 'change_nova_service_state', 'resource_id': 'n1',
         'input_parameters': {'state': 'disabled'}},
        {'action_type': 'nop', 'input_parameters': {'message': 'x'}}]}
    sol = fakes.run(s, None, params)
    assert sol.actions[0]['input_parameters'] == {'state': 'disabled',
                                                  'resource_id': 'n1'}
    assert sol.actions[1]['action_type'] == 'nop'
    with pytest.raises(exception.InvalidAuditParameters):
        s.validate_parameters({})
    with pytest.raises(exception.InvalidAuditParameters):
        s.validate_parameters({'actions': [{'action_type': 'nop'}]})


def test_dummy_with_scorer():
    s = dummy_with_scorer.DummyWithScorer(config={})
    sol = fakes.run(s, fakes.build({'h1': [('a', 2)]}), {'param1': 1.5})
    assert [a['action_type'] for a in sol.actions] == ['nop', 'nop',
                                                       'sleep']
    assert sol.actions[2]['input_parameters'] == {'duration': 1.5}
    assert sol.actions[0]['input_parameters']['message'].startswith(
        'hello')


def test_dummy_with_resize():
    model = fakes.build({'h1': [('a', 2), ('b', 4)], 'h2': []})
    for inst in model.get_all_instances().values():
        inst.flavor_name = 'f%d' % inst.vcpus
    sol = fakes.run(dummy_with_resize.DummyWithResize(config={}), model)
    types = [a['action_type'] for a in sol.actions]
    assert types == ['nop', 'sleep', 'migrate', 'resize']
    mig = sol.actions[2]['input_parameters']
    assert mig['source_node'] == 'h1' and mig['destination_node'] == 'h2'
    assert mig['migration_type'] == 'live'
    assert sol.actions[3]['input_parameters']['flavor'] == 'f4'
