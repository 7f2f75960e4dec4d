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

"""``dummy_scoring_container``: three trivial engines from one plugin -
``dummy_min_scorer``, ``dummy_max_scorer``, ``dummy_avg_scorer`` (the
minimum, maximum and mean of the features, as a one-element list).
"""
from watcher.decision_engine.scoring import base


class FunctionScorer(base.ScoringEngine):
    """A scoring engine applying ``function`` to the feature list."""

    def __init__(self, name, description, function, config=None):
        super().__init__(config)
        self._name = name
        self._description = description
        self._function = function

    def get_name(self):
        return self._name

    def get_description(self):
        return self._description

    def get_metainfo(self):
        return ''

    def score(self, features):
        if not features:
            raise ValueError('no features')
        return [float(self._function([float(f) for f in features]))]


def _mean(values):
    return sum(values) / len(values)


class DummyScoringContainer(base.ScoringEngineContainer):

    @classmethod
    def get_scoring_engine_list(cls):
        return [
            FunctionScorer('dummy_min_scorer',
                           'Dummy Scorer calculating the minimum value', min),
            FunctionScorer('dummy_max_scorer',
                           'Dummy Scorer calculating the maximum value', max),
            FunctionScorer('dummy_avg_scorer',
                           'Dummy Scorer calculating the average value',
                           _mean),
        ]
