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

"""GET /v1/strategies/{name}/state rows."""
from unittest import mock

import pytest

from watcher.common import exception
from watcher.decision_engine import strategy_state


class FakeDataSources:
    def __init__(self, datasources, availability, listed, failed=None):
        self.datasources = datasources
        self._availability = availability
        self._listed = listed
        self.failed = failed or {}

    def check_availability(self):
        return dict(self._availability)

    def metric_status(self, metrics):
        return {m: {name: m in self._listed.get(name, ())
                    for name in self.datasources} for m in metrics}


def only_compute(model_type):
    return model_type == 'compute'


def test_dummy_matches_the_captured_answer():
    rows = strategy_state.get_strategy_state(
        None, 'dummy', model_available=only_compute)
    assert rows == [
        {'type': 'Datasource',
         'state': 'Datasource is not presented for this strategy',
         'mandatory': True, 'comment': ''},
        {'type': 'Metrics', 'state': [], 'mandatory': False, 'comment': ''},
        {'type': 'CDM', 'state': [{'compute_model': 'available'},
                                  {'storage_model': 'not available'},
                                  {'baremetal_model': 'not available'}],
         'mandatory': True, 'comment': ''},
        {'type': 'Name', 'state': 'dummy', 'mandatory': '', 'comment': ''},
    ]


def test_manager_name_is_the_same_function():
    assert strategy_state.get_strategy_info is \
        strategy_state.get_strategy_state


def test_strategy_with_metrics_and_a_live_datasource():
    sources = FakeDataSources(
        ['gnocchi', 'prometheus'],
        {'gnocchi': 'not available', 'prometheus': 'available'},
        {'prometheus': {'host_cpu_usage'}, 'gnocchi': {'instance_cpu_usage'}},
        failed={'gnocchi': 'no endpoint'})
    datasource, metrics, cdm, name = strategy_state.get_strategy_state(
        None, 'basic', ds_manager=sources, model_available=lambda t: True)
    assert datasource['state'] == 'available'
    assert 'prometheus' in datasource['comment']
    # instance_cpu_usage is only listed by the datasource that is down
    assert metrics['state'] == [{'host_cpu_usage': 'available'},
                                {'instance_cpu_usage': 'not available'}]
    assert all(list(d.values()) == ['available'] for d in cdm['state'])
    assert name['state'] == 'basic'


def test_no_datasource_answers():
    sources = FakeDataSources(['gnocchi'], {'gnocchi': 'not available'}, {},
                              failed={'gnocchi': 'connection refused'})
    datasource, metrics, _cdm, _name = strategy_state.get_strategy_state(
        None, 'basic', ds_manager=sources, model_available=only_compute)
    assert datasource['state'] == 'not available'
    assert 'gnocchi: connection refused' in datasource['comment']
    assert all(list(m.values()) == ['not available']
               for m in metrics['state'])


def test_no_datasource_configured():
    sources = FakeDataSources([], {}, {})
    datasource, metrics, _cdm, _name = strategy_state.get_strategy_state(
        None, 'basic', ds_manager=sources, model_available=only_compute)
    assert datasource['state'] == strategy_state.NO_DATASOURCE


def test_model_check_errors_mean_not_available():
    from watcher.decision_engine.model.collector import manager

    def collector(self, name, osc=None):
        if name == 'storage':
            raise RuntimeError('no block-storage endpoint')
        return mock.Mock(is_built=True)

    with mock.patch.object(manager.CollectorManager,
                           'get_cluster_model_collector', collector):
        row = strategy_state.cdm_row()
    assert row['state'] == [{'compute_model': 'available'},
                            {'storage_model': 'not available'},
                            {'baremetal_model': 'available'}]


def test_unknown_strategy():
    with pytest.raises(exception.StrategyNotFound):
        strategy_state.get_strategy_state(None, 'no_such_strategy')
