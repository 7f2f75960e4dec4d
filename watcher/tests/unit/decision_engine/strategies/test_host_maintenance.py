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
from watcher.decision_engine.strategy.strategies import host_maintenance
from watcher.tests.unit.decision_engine import model_fakes as fakes


def _strategy():
    return host_maintenance.HostMaintenance(config={})


def _model(idle=True):
    layout = {
        'maint': [fakes.server('a', vcpus=4, memory=8192),
                  fakes.server('b', vcpus=2, memory=4096, state='stopped'),
                  fakes.server('x', vcpus=1, memory=2048,
                               watcher_exclude=True)],
        'busy1': [('c', 8)],
        'busy2': [('d', 10)],
    }
    if idle:
        layout['idle'] = []
    return fakes.build(layout)


def _moves(sol):
    return {a['input_parameters']['resource_name']:
            (a['input_parameters']['destination_node'],
             a['input_parameters']['migration_type'])
            for a in fakes.migrations(sol)}


def test_disables_then_moves_all_to_backup():
    model = _model()
    sol = fakes.run(_strategy(), model, {'maintenance_node': 'maint',
                                         'backup_node': 'busy1'})
    first = sol.actions[0]
    assert first['action_type'] == 'change_nova_service_state'
    assert first['input_parameters'] == {
        'state': 'disabled', 'disabled_reason': 'watcher_maintaining',
        'resource_id': 'uuid-maint', 'resource_name': 'maint'}
    assert _moves(sol) == {'a': ('busy1', 'live'), 'b': ('busy1', 'cold')}


def test_idle_host_preferred_without_backup():
    sol = fakes.run(_strategy(), _model(), {'maintenance_node': 'maint'})
    assert _moves(sol) == {'a': ('idle', 'live'), 'b': ('idle', 'cold')}


def test_spread_respects_capacity():
    model = _model(idle=False)
    sol, after = fakes.run_and_apply(_strategy(), model,
                                     {'maintenance_node': 'maint'})
    assert set(_moves(sol)) == {'a', 'b'}
    assert [i.name for i in after.get_node_instances('maint')] == ['x']


def test_backup_too_small_falls_back():
    model = _model()
    sol = fakes.run(_strategy(), model, {'maintenance_node': 'maint',
                                         'backup_node': 'busy2'})
    # busy2 has 6 vCPU free, a + b need 6: fits exactly
    assert {d for d, _ in _moves(sol).values()} == {'busy2'}
    model = _model()
    model.get_instance_by_uuid('uuid-b').vcpus = 3
    sol = fakes.run(_strategy(), model, {'maintenance_node': 'maint',
                                         'backup_node': 'busy2'})
    assert {d for d, _ in _moves(sol).values()} == {'idle'}


def test_disable_live_migration():
    sol = fakes.run(_strategy(), _model(), {
        'maintenance_node': 'maint', 'disable_live_migration': True})
    assert _moves(sol) == {'a': ('idle', 'cold'), 'b': ('idle', 'cold')}


def test_disable_both_stops_active_and_leaves_others():
    sol = fakes.run(_strategy(), _model(), {
        'maintenance_node': 'maint', 'disable_live_migration': True,
        'disable_cold_migration': True})
    assert [a['action_type'] for a in sol.actions] == [
        'change_nova_service_state', 'stop']
    assert sol.actions[1]['input_parameters']['resource_id'] == 'uuid-a'


def test_disable_cold_migration_only():
    sol = fakes.run(_strategy(), _model(), {
        'maintenance_node': 'maint', 'disable_cold_migration': True})
    assert _moves(sol) == {'a': ('idle', 'live')}


def test_anti_affinity_on_spread():
    model = fakes.build({'maint': [('a', 2)], 'h1': [('b', 2)],
                         'h2': [('c', 4)]},
                        groups=[('anti-affinity', ['a', 'b'])])
    sol = fakes.run(_strategy(), model, {'maintenance_node': 'maint'})
    assert _moves(sol) == {'a': ('h2', 'live')}


def test_errors():
    with pytest.raises(exception.InvalidAuditParameters):
        _strategy().validate_parameters({})
    with pytest.raises(exception.ComputeNodeNotFound):
        fakes.run(_strategy(), _model(), {'maintenance_node': 'nope'})
