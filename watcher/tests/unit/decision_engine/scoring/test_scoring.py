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
from watcher.decision_engine.scoring import dummy_scorer
from watcher.decision_engine.scoring import dummy_scoring_container
from watcher.decision_engine.scoring import scoring_factory


def test_factory_lists_all_engines():
    names = [e.get_name() for e in scoring_factory.get_scoring_engine_list()]
    assert names == ['dummy_scorer', 'dummy_min_scorer', 'dummy_max_scorer',
                     'dummy_avg_scorer']
    assert scoring_factory.get_scoring_engine('dummy_max_scorer') \
        .get_description() == 'Dummy Scorer calculating the maximum value'
    with pytest.raises(exception.ScoringEngineNotFound):
        scoring_factory.get_scoring_engine('nope')


def test_container_engines():
    mn, mx, avg = dummy_scoring_container.DummyScoringContainer \
        .get_scoring_engine_list()
    assert mn.calculate_score([1.1, 2.2, 4, 8]) == [1.1]
    assert mx.calculate_score([1.1, 2.2, 4, 8]) == [8.0]
    assert avg.calculate_score('[1, 2, 3, 6]') == '[3.0]'
    with pytest.raises(ValueError):
        avg.calculate_score([])


def test_dummy_scorer():
    scorer = dummy_scorer.DummyScorer()
    assert scorer.get_name() == 'dummy_scorer'
    assert scorer.get_description() == 'Dummy workload classifier'
    assert 'feature_columns' in scorer.get_metainfo()
    idle = scorer.calculate_score([1, 100, 95, 0, 0, 0, 0, 0, 0])
    assert idle[0] == 0
    cpu = scorer.calculate_score([95, 100, 90, 0, 0, 0, 0, 0, 0])
    assert cpu[0] == 1
    mem = scorer.calculate_score([5, 100, 2, 0, 0, 0, 0, 0, 0])
    assert mem[0] == 2
    disk = scorer.calculate_score([5, 100, 90, 0, 0, 8e7, 8e7, 0, 0])
    assert disk[0] == 3
    assert abs(sum(cpu[1:]) - 1.0) < 1e-3
    with pytest.raises(ValueError):
        scorer.calculate_score([1, 2])
