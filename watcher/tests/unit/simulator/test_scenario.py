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

from watcher.simulator import errors
from watcher.simulator import metrics_api
from watcher.simulator import scenario


def build(data):
    cloud = scenario.build(scenario.load(data))
    cloud.stop_background()
    return cloud


def test_bundled_scenarios_load():
    assert {'demo', 'maintenance'} <= set(scenario.bundled())
    demo = build(None)
    assert demo.name == 'demo'
    assert len(demo.hosts) == 6
    # An obvious consolidation and an overloaded host.
    nearly_empty = [h for h in demo.hosts.values() if len(h.servers) == 1]
    assert len(nearly_empty) >= 3
    assert len(demo.volumes) == 4 and len(demo.nodes) == 6
    maint = build('maintenance')
    assert maint.hosts['compute-3'].service.status == 'disabled'
    fragile = maint.get_server('maint-fragile')
    assert any(f.target == fragile.id for f in maint.faults.values())


def test_same_seed_same_cloud():
    a, b = build('demo'), build('demo')
    assert list(a.servers) == list(b.servers)
    assert [h.uuid for h in a.hosts.values()] == [
        h.uuid for h in b.hosts.values()]


_START_TIMES = [('2026-01-05T03:00:00Z', 'iso-yaml-timestamp'),
                ('"2026-01-05T03:00:00Z"', 'iso-string'),
                ('2026-01-05 03:00:00', 'naive-utc'),
                ('1767582000', 'epoch')]


# plain ids: gabbi's pytest plugin claims ids with a colon in them
@pytest.mark.parametrize('value', [v for v, _ in _START_TIMES],
                         ids=[i for _, i in _START_TIMES])
def test_start_time_pins_the_clock(value):
    cloud = build('settings: {start_time: %s}\n' % value)
    # the clock starts at the pinned instant and then runs
    assert 1767582000.0 <= cloud.clock.now() < 1767582000.0 + 60


def test_a_pinned_start_gives_the_same_metrics_on_every_run():
    def cpu(start):
        cloud = build('seed: 3\nsettings: {start_time: %d}\nhosts:\n'
                      '  - name: h\n    servers:\n      - {name: a, '
                      'flavor: m1.small, workload: diurnal}\n' % start)
        [value] = metrics_api.query(cloud, 'instance_cpu_usage',
                                    period=600)['values'].values()
        return value
    night, day = 1767582000, 1767582000 + 12 * 3600
    assert cpu(night) == pytest.approx(cpu(night), rel=1e-3)
    # the diurnal wave: half a day later the same server is far busier
    assert cpu(day) > 2 * cpu(night)


# Test ids are the field names: gabbi's pytest plugin claims every test id
# that contains a colon, and the YAML texts do.
_INVALID_SCENARIOS = [
    ('hosts:\n  - name: h\n    vcpus: many\n', 'hosts[0].vcpus'),
    ('hosts:\n  - name: h\n    colour: red\n', 'hosts[0].colour'),
    ('hosts:\n  - vcpus: 2\n', 'hosts[0].name'),
    ('hosts:\n  - name: h\n    servers:\n      - {name: a, flavor: x, '
     'workload: {profile: wild}}\n', 'hosts[0].servers[0].workload.profile'),
    ('hosts:\n  - name: h\n    servers:\n      - {name: a, flavor: x, '
     'workload: {cpu: 2}}\n', 'hosts[0].servers[0].workload.cpu'),
    ('settings: {migration_duration: -1}\n', 'settings.migration_duration'),
    ('settings: {start_time: yesterday}\n', 'settings.start_time'),
    ('hosts:\n  - name: h\n    status: broken\n', 'hosts[0].status'),
    ('faults:\n  - {target: x, operation: explode}\n',
     'faults[0].operation'),
]


@pytest.mark.parametrize('text, field', _INVALID_SCENARIOS,
                         ids=[field for _, field in _INVALID_SCENARIOS])
def test_validation_names_the_field(text, field):
    with pytest.raises(errors.ScenarioError) as exc:
        scenario.load(text)
    assert field in str(exc.value)


def test_semantic_errors_name_the_element():
    with pytest.raises(errors.ScenarioError) as exc:
        build('hosts:\n  - name: h\n    servers:\n      - {name: a, '
              'flavor: nope}\n')
    assert 'hosts[0].servers[0]' in str(exc.value)
    assert 'nope' in str(exc.value)


def test_unknown_file():
    with pytest.raises(errors.ScenarioError):
        scenario.load('/nonexistent/cloud')


def test_generator():
    data = scenario.generate(hosts=40, vms_per_host=8, hot_share=0.1,
                             empty_share=0.25, seed=5, azs=2,
                             volumes_per_host=0.5, ironic=True)
    assert data == scenario.generate(hosts=40, vms_per_host=8,
                                     hot_share=0.1, empty_share=0.25,
                                     seed=5, azs=2, volumes_per_host=0.5,
                                     ironic=True)
    cloud = build(data)
    assert len(cloud.hosts) == 40
    assert len(cloud.nodes) == 40 and len(cloud.volumes) == 20
    assert {h.availability_zone for h in cloud.hosts.values()} == {'az0',
                                                                   'az1'}
    single = [h for h in cloud.hosts.values() if len(h.servers) == 1]
    assert len(single) == 10
    hot = [h for h in cloud.hosts.values() if any(
        cloud.servers[s].profile.cpu >= 0.7 for s in h.servers)]
    assert len(hot) == 4
    for host in cloud.hosts.values():
        for rc, used in host.usage.items():
            assert used <= host.capacity()[rc]


def test_generate_spec_parsing_and_scenario_key():
    kwargs = scenario.parse_generate_spec(
        'hosts=10,vms_per_host=3,hot_share=0.2,flavors=m1.small:3/m1.large:1')
    assert kwargs == {'hosts': 10, 'vms_per_host': 3, 'hot_share': 0.2,
                      'flavors': {'m1.small': 3.0, 'm1.large': 1.0}}
    with pytest.raises(errors.ScenarioError):
        scenario.parse_generate_spec('hosts=10,bogus=1')
    cloud = build({'generate': {'hosts': 5, 'vms_per_host': 2},
                   'settings': {'migration_duration': 1.5}})
    assert len(cloud.hosts) == 5
    assert cloud.settings['migration_duration'] == 1.5
