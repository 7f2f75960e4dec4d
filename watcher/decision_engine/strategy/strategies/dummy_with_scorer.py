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

"""Dummy strategy using the sample scoring engines (goal ``dummy``).

Builds a small feature vector per server of the compute model (or two
fixed sample workloads when there is no model), asks ``dummy_scorer`` to
classify each and ``dummy_avg_scorer`` to average the classes, and reports
the results as ``nop`` messages, then ``sleep`` for ``param1`` seconds.
"""
from watcher.decision_engine.scoring import scoring_factory
from watcher.decision_engine.strategy import base
from watcher.decision_engine.strategy.common import actions

SAMPLES = (
    [0.0, 4.0e9, 3.9e9, 0, 0, 0, 0, 0, 0],
    [95.0, 4.0e9, 3.0e9, 0, 0, 0, 0, 0, 0],
)
MAX_SERVERS = 20


class DummyWithScorer(base.BaseStrategy):
    name = 'dummy_with_scorer'
    display_name = 'Dummy Strategy using sample Scoring Engines'
    goal_name = 'dummy'
    metric_names = ('instance_cpu_usage',)

    @classmethod
    def get_schema(cls):
        return {
            'properties': {
                'param1': {
                    'description': 'number parameter example',
                    'type': 'number', 'default': 3.2,
                    'minimum': 1.0, 'maximum': 10.2,
                },
                'param2': {
                    'description': 'string parameter example',
                    'type': 'string', 'default': 'hello',
                },
            },
        }

    def metric_queries(self, params):
        return [self._query('instance_cpu_usage', 'instance', {})]

    def _features(self, inputs):
        model = inputs.compute_model
        if model is None or not len(model.get_all_instances()):
            return list(SAMPLES)
        query = self._query('instance_cpu_usage', 'instance', {})
        features = []
        for uuid, inst in sorted(model.get_all_instances().items())[
                :MAX_SERVERS]:
            cpu = inputs.metrics.value(query, uuid, 0.0)
            mem = float(inst.memory or 0) * 1024 * 1024
            features.append([cpu, mem, mem * 0.5, 0, 0, 0, 0, 0, 0])
        return features

    def do_execute(self, inputs, params, solution):
        get_engine = inputs.scorer or scoring_factory.get_scoring_engine
        classifier = get_engine('dummy_scorer')
        averager = get_engine('dummy_avg_scorer')
        classes = [classifier.calculate_score(f)[0]
                   for f in self._features(inputs)]
        average = averager.calculate_score(classes)[0] if classes else 0.0
        solution.add_action(actions.NOP, input_parameters={
            'message': '%s: workload classes %s' % (
                params['param2'], [int(c) for c in classes])})
        solution.add_action(actions.NOP, input_parameters={
            'message': 'average workload class %.2f' % average})
        solution.add_action(actions.SLEEP,
                            input_parameters={'duration': params['param1']})
