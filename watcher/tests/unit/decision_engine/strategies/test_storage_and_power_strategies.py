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

"""saving_energy, storage_capacity_balance and zone_migration on small
hand-made models.
"""
import pytest

from watcher.common import exception
from watcher.decision_engine.model import element
from watcher.decision_engine.model.model_root import BaremetalModelRoot
from watcher.decision_engine.model.model_root import StorageModelRoot
from watcher.decision_engine.strategy.context import StrategyInput
from watcher.decision_engine.strategy.strategies import saving_energy
from watcher.decision_engine.strategy.strategies import \
    storage_capacity_balance as scb
from watcher.decision_engine.strategy.strategies import zone_migration
from watcher.tests.unit.decision_engine import model_fakes as fakes


def run(strategy, params=None, **models):
    params = strategy.validate_parameters(params or {})
    return strategy.execute(StrategyInput(parameters=params, **models))


def summary(solution):
    out = []
    for a in solution.actions:
        p = a['input_parameters']
        if a['action_type'] == 'change_node_power_state':
            out.append(('power', p['resource_name'], p['state']))
        elif a['action_type'] == 'change_nova_service_state':
            out.append(('service', p['resource_name'], p['state']))
        elif a['action_type'] == 'volume_migrate':
            out.append(('volume', p['resource_name'], p['migration_type'],
                        p.get('destination_node') or
                        p.get('destination_type')))
        else:
            out.append(('migrate', p['resource_name'], p['source_node'],
                        p.get('destination_node'), p['migration_type']))
    return out


# -- saving_energy ----------------------------------------------------------
def energy_models(layout, power, nodes=None, maintenance=()):
    """``power``: {hostname: 'power on' | 'power off'}; an Ironic node per
    host in ``power``, linked by the hypervisor id.
    """
    compute = fakes.build(layout, nodes=nodes)
    bm = BaremetalModelRoot()
    for host, state in power.items():
        node = compute.get_node_by_name(host)
        bm.add_node(element.IronicNode(
            uuid='ironic-%s' % host, power_state=state,
            maintenance=host in maintenance,
            extra={'compute_node_id': node.id}))
    return {'compute_model': compute, 'baremetal_model': bm}


def energy():
    return saving_energy.SavingEnergy(config={})


def test_energy_powers_off_the_surplus_smallest_first():
    models = energy_models(
        {'busy': [('a', 2)], 'big': [], 'small': [], 'mid': []},
        {'busy': 'power on', 'big': 'power on', 'small': 'power on',
         'mid': 'power on'},
        nodes={'big': fakes.node('big', vcpus=64),
               'small': fakes.node('small', vcpus=8),
               'mid': fakes.node('mid', vcpus=16)})
    sol = run(energy(), {'min_free_hosts_num': 1}, **models)
    assert summary(sol) == [
        ('service', 'small', 'disabled'), ('power', 'small', 'off'),
        ('service', 'mid', 'disabled'), ('power', 'mid', 'off')]
    assert sol.actions[1]['resource_id'] == 'ironic-small'


def test_energy_watcher_disabled_hosts_go_first_and_stay_disabled():
    models = energy_models(
        {'busy': [('a', 2)], 'e1': [], 'off1': []},
        {'busy': 'power on', 'e1': 'power on', 'off1': 'power on'},
        nodes={'off1': fakes.node('off1', vcpus=64, status='disabled',
                                  disabled_reason='watcher_disabled')})
    sol = run(energy(), **models)
    assert summary(sol) == [('power', 'off1', 'off')]


def test_energy_powers_on_the_largest_when_short():
    models = energy_models(
        {'b%d' % k: [('s%d' % k, 2)] for k in range(25)} |
        {'o1': [], 'o2': [], 'o3': []},
        {'o1': 'power off', 'o2': 'power off', 'o3': 'power off'},
        nodes={'o1': fakes.node('o1', vcpus=8, status='disabled',
                                disabled_reason='watcher_disabled'),
               'o2': fakes.node('o2', vcpus=32, state='down'),
               'o3': fakes.node('o3', vcpus=16)})
    # 25 busy hosts x 10 % = 2.5 -> a pool of 3: all three powered on,
    # the largest first, o1 re-enabled (watcher had disabled it)
    sol = run(energy(), **models)
    assert summary(sol) == [
        ('power', 'o2', 'on'), ('power', 'o3', 'on'), ('power', 'o1', 'on'),
        ('service', 'o1', 'enabled')]


def test_energy_pool_rounded_up_and_nothing_to_do():
    models = energy_models(
        {'b%d' % k: [('s%d' % k, 2)] for k in range(15)} | {'i1': [],
                                                            'i2': []},
        {'i1': 'power on', 'i2': 'power on'})
    # 15 x 10 % = 1.5 -> 2 idle hosts kept on
    assert run(energy(), **models).actions == []


def test_energy_leaves_alone_what_it_must():
    models = energy_models(
        {'busy': [('a', 2)], 'maint': [], 'ops': [], 'nolink': []},
        {'busy': 'power on', 'maint': 'power on', 'ops': 'power on'},
        nodes={'ops': fakes.node('ops', status='disabled',
                                 disabled_reason='hardware check')},
        maintenance=('maint',))
    sol = run(energy(), {'min_free_hosts_num': 0}, **models)
    # busy runs a server, maint is in Ironic maintenance, ops was disabled
    # by an operator, nolink has no Ironic twin
    assert sol.actions == []


@pytest.mark.parametrize('params', [{'free_used_percent': -1},
                                    {'free_used_percent': 101},
                                    {'min_free_hosts_num': -1},
                                    {'min_free_hosts_num': 1.5}])
def test_energy_bad_parameters(params):
    with pytest.raises(exception.InvalidAuditParameters):
        energy().validate_parameters(params)


def test_energy_needs_the_baremetal_model():
    assert energy().models_for(energy().validate_parameters({})) == (
        'compute', 'baremetal')


# -- storage model --------------------------------------------------------
def storage_model(pools, volumes=(), types=None, down=(), zones=None):
    """``pools``: {name: (total, free)}, backend = name before '#';
    ``volumes``: (name, pool, size[, status[, type[, attachments]]]).
    """
    model = StorageModelRoot()
    types = types or {}
    for name, (total, free) in pools.items():
        host = name.split('#')[0]
        try:
            backend = model.get_node_by_name(host)
        except exception.StorageNodeNotFound:
            backend = element.StorageNode(
                host=host, state='down' if host in down else 'up',
                volume_type=types.get(host, []),
                zone=(zones or {}).get(host, 'nova'))
            model.add_node(backend)
        pool = element.Pool(name=name, total_capacity_gb=total,
                            free_capacity_gb=free)
        model.add_pool(pool)
        model.map_pool(pool, backend)
    for spec in volumes:
        name, pool, size = spec[:3]
        status = spec[3] if len(spec) > 3 else 'available'
        vtype = spec[4] if len(spec) > 4 else None
        attachments = spec[5] if len(spec) > 5 else []
        volume = element.Volume(uuid='vol-%s' % name, name=name, size=size,
                                status=status, volume_type=vtype, host=pool,
                                attachments=attachments,
                                project_id='p-%s' % name[0])
        model.add_volume(volume)
        model.map_volume(volume, pool)
    return model


# -- storage_capacity_balance -----------------------------------------------
def balance(ex_pools=()):
    return scb.StorageCapacityBalance(config={'ex_pools': list(ex_pools)})


def test_balance_smallest_volume_that_is_enough_to_the_least_used_pool():
    model = storage_model(
        {'a@b#full': (100, 10), 'c@d#half': (100, 50),
         'e@f#empty': (100, 95)},
        [('big', 'a@b#full', 40), ('mid', 'a@b#full', 20),
         ('tiny', 'a@b#full', 5)])
    sol = run(balance(), {'volume_threshold': 80}, storage_model=model)
    # 90 % used: 10 GiB must go; 'mid' (20) is the smallest enough
    assert summary(sol) == [('volume', 'mid', 'migrate', 'e@f#empty')]
    assert model.get_pool_by_volume('vol-mid').name == 'e@f#empty'


def test_balance_several_moves_and_destinations_stay_below():
    model = storage_model(
        {'a@b#full': (100, 0), 'c@d#p1': (100, 75), 'e@f#p2': (100, 70)},
        [('v%d' % k, 'a@b#full', 10) for k in range(5)])
    sol = run(balance(), {'volume_threshold': 80}, storage_model=model)
    dests = [s[3] for s in summary(sol)]
    # 100 % used: 30 GiB (3 volumes) must leave; p2 then p1 alternate by
    # usage and both stay below 80 %
    assert dests == ['c@d#p1', 'e@f#p2', 'c@d#p1']


def test_balance_ex_pools_type_and_backend_state():
    model = storage_model(
        {'a@b#full': (100, 5), 'ex@x#local_vstorage': (100, 100),
         'down@d#p': (100, 100), 'gold@g#p': (100, 100),
         'ok@o#p': (100, 60)},
        [('v', 'a@b#full', 10, 'in-use', 'silver'),
         ('busy', 'a@b#full', 50, 'migrating', 'silver')],
        types={'gold@g': ['gold'], 'ok@o': ['silver']}, down=('down@d',))
    sol = run(balance(['ex@x#local_vstorage']), storage_model=model)
    assert summary(sol) == [('volume', 'v', 'migrate', 'ok@o#p')]


def test_balance_volumes_keep_their_availability_zone():
    model = storage_model(
        {'a@b#full': (100, 5), 'far@f#p': (100, 100),
         'near@n#p': (100, 50)},
        [('v', 'a@b#full', 10)],
        zones={'a@b': 'az1', 'far@f': 'az2', 'near@n': 'az1'})
    sol = run(balance(), storage_model=model)
    assert summary(sol) == [('volume', 'v', 'migrate', 'near@n#p')]


def test_balance_nothing_below_threshold_and_nothing_fits():
    model = storage_model({'a@b#p': (100, 25), 'c@d#q': (100, 30)},
                          [('v', 'a@b#p', 50)])
    assert run(balance(), storage_model=model).actions == []
    sol = run(balance(), {'volume_threshold': 70}, storage_model=model)
    assert sol.actions == []      # 'q' would reach 120 %


@pytest.mark.parametrize('value', [0, -5, 150])
def test_balance_threshold_out_of_range(value):
    with pytest.raises(exception.InvalidAuditParameters):
        balance().validate_parameters({'volume_threshold': value})


def test_balance_ex_pools_option_from_the_configuration():
    from watcher.conf import CONF
    group = CONF.get('watcher_strategies.storage_capacity_balance')
    assert group.ex_pools == ['local_vstorage']
    model = storage_model({'a@b#full': (100, 5),
                           'x@y#local_vstorage': (100, 100)},
                          [('v', 'a@b#full', 10)])
    strategy = scb.StorageCapacityBalance()      # reads CONF
    assert run(strategy, storage_model=model).actions == []


# -- zone_migration ---------------------------------------------------------
def zone():
    return zone_migration.ZoneMigration(config={})


def indicators(sol):
    return {i['name']: i['value'] for i in sol.efficacy_indicators}


def test_zone_compute_only_needs_no_storage_model():
    s = zone()
    params = s.validate_parameters({'compute_nodes': [{'src_node': 'h1'}]})
    assert s.models_for(params) == ('compute',)
    model = fakes.build({'h1': [('a', 2), fakes.server('b',
                                                       state='stopped'),
                                fakes.server('c', state='paused')],
                         'h2': [], 'h3': [('x', 12)]})
    sol = run(s, params, compute_model=model)
    assert summary(sol) == [('migrate', 'a', 'h1', 'h3', 'live'),
                            ('migrate', 'b', 'h1', 'h3', 'cold')]
    assert indicators(sol) == {
        'live_migrate_instance_count': 1,
        'planned_live_migrate_instance_count': 1,
        'cold_migrate_instance_count': 1,
        'planned_cold_migrate_instance_count': 1,
        'volume_migrate_count': 0, 'planned_volume_migrate_count': 0,
        'volume_update_count': 0, 'planned_volume_update_count': 0}


def test_zone_models_for():
    s = zone()
    pools = {'storage_pools': [{'src_pool': 'a', 'dst_pool': 'b'}]}
    assert s.models_for(s.validate_parameters(pools)) == ('storage',)
    assert s.models_for(s.validate_parameters(
        dict(pools, with_attached_volume=True))) == ('compute', 'storage')


def test_zone_dst_node_parallel_limits_and_priority():
    model = fakes.build(
        {'h1': [fakes.server('s1', vcpus=1, project_id='p1'),
                fakes.server('s2', vcpus=8, project_id='p2'),
                fakes.server('s3', vcpus=4, project_id='p2')],
         'h2': [fakes.server('t1', vcpus=2, project_id='p1')],
         'd1': [], 'd2': []})
    params = {'compute_nodes': [{'src_node': 'h1', 'dst_node': 'd1'},
                                {'src_node': 'h2'}],
              'parallel_per_node': 2, 'parallel_total': 3,
              'priority': {'project': ['p2'], 'compute': 'vcpu_num'}}
    sol = run(zone(), params, compute_model=model)
    assert summary(sol) == [('migrate', 's2', 'h1', 'd1', 'live'),
                            ('migrate', 's3', 'h1', 'd1', 'live'),
                            ('migrate', 't1', 'h2', 'd1', 'live')]
    # s1 is left for the next run (total limit); t1 has no dst_node: the
    # best fit is d1, already holding s2 and s3
    ind = indicators(sol)
    assert ind['planned_live_migrate_instance_count'] == 4
    assert ind['live_migrate_instance_count'] == 3


def test_zone_created_at_priority_newest_first_unknown_last():
    day = 86400.0
    model = fakes.build(
        {'h1': [fakes.server('old', created_at=1 * day),
                fakes.server('unknown'),
                fakes.server('new', created_at=3 * day),
                fakes.server('mid', created_at=2 * day)],
         'd1': []})
    sol = run(zone(), {'compute_nodes': [{'src_node': 'h1',
                                          'dst_node': 'd1'}],
                       'parallel_per_node': 10,
                       'priority': {'compute': 'created_at'}},
              compute_model=model)
    assert [a[1] for a in summary(sol)] == ['new', 'mid', 'old', 'unknown']


def test_zone_storage_created_at_priority():
    storage = storage_model({'old@o#p': (100, 10), 'new@n#p': (100, 100)},
                            [('first', 'old@o#p', 10),
                             ('second', 'old@o#p', 1),
                             ('third', 'old@o#p', 5)])
    for name, when in (('first', 100.0), ('second', 300.0),
                       ('third', 200.0)):
        storage.get_volume_by_uuid('vol-%s' % name).created_at = when
    params = {'storage_pools': [{'src_pool': 'old@o#p',
                                 'dst_pool': 'new@n#p'}],
              'parallel_per_pool': 10}
    newest = run(zone(), dict(params, priority={'storage': 'created_at'}),
                 storage_model=storage)
    assert [a[1] for a in summary(newest)] == ['second', 'third', 'first']


def test_creation_times_from_nova_and_cinder_forms():
    stamp = element.utc_timestamp
    assert stamp('2026-11-22T03:29:30Z') == \
        stamp('2026-11-22T03:29:30+00:00')
    assert stamp('2026-11-22T03:29:30.000000') == \
        stamp('2026-11-22T03:29:30Z')
    assert stamp('2026-11-22T04:29:30+01:00') == \
        stamp('2026-11-22T03:29:30Z')
    assert stamp('2026-11-22T03:29:31Z') - stamp('2026-11-22T03:29:30Z') \
        == 1.0
    assert stamp(None) is None and stamp('') is None
    assert stamp('yesterday') is None


def test_zone_destination_respects_groups_zone_and_capacity():
    model = fakes.build(
        {'src': [fakes.server('a', pinned_az='az2'), ('b', 2)],
         'az1': [('peer', 2)], 'az2full': [('fat', 16)], 'az2': []},
        nodes={'az1': fakes.node('az1', availability_zone='az1'),
               'az2full': fakes.node('az2full', availability_zone='az2'),
               'az2': fakes.node('az2', availability_zone='az2')},
        groups=[('anti-affinity', ['b', 'peer'])])
    sol = run(zone(), {'compute_nodes': [{'src_node': 'src'}]},
              compute_model=model)
    assert summary(sol) == [('migrate', 'a', 'src', 'az2', 'live'),
                            ('migrate', 'b', 'src', 'az2', 'live')]


def test_zone_volumes_migrate_retype_and_attached_servers_follow():
    storage = storage_model(
        {'old@o#p': (100, 10), 'new@n#p': (100, 100)},
        [('avail', 'old@o#p', 10),
         ('attached', 'old@o#p', 20, 'in-use', None,
          [{'server_id': 'uuid-vm'}]),
         ('error', 'old@o#p', 5, 'error')])
    compute = fakes.build({'h1': [('vm', 2)], 'h2': []})
    sol = run(zone(), {'storage_pools': [{'src_pool': 'old@o#p',
                                          'dst_pool': 'new@n#p'}],
                       'with_attached_volume': True,
                       'priority': {'storage': 'size'}},
              compute_model=compute, storage_model=storage)
    assert summary(sol) == [
        ('volume', 'attached', 'migrate', 'new@n#p'),
        ('migrate', 'vm', 'h1', 'h2', 'live'),
        ('volume', 'avail', 'migrate', 'new@n#p')]
    ind = indicators(sol)
    assert (ind['planned_volume_update_count'], ind['volume_update_count'],
            ind['planned_volume_migrate_count'],
            ind['volume_migrate_count']) == (1, 1, 1, 1)
    assert storage.get_pool_by_volume('vol-avail').name == 'new@n#p'


def test_zone_retype_and_src_type_and_pool_limit():
    storage = storage_model(
        {'old@o#p': (100, 10)},
        [('a', 'old@o#p', 10, 'available', 'slow'),
         ('b', 'old@o#p', 10, 'available', 'slow'),
         ('c', 'old@o#p', 10, 'available', 'slow'),
         ('d', 'old@o#p', 10, 'available', 'fast')],
        types={'old@o': ['slow', 'fast']})
    sol = run(zone(), {'storage_pools': [{'src_pool': 'old@o#p',
                                          'src_type': 'slow',
                                          'dst_type': 'fast'}]},
              storage_model=storage)
    assert summary(sol) == [('volume', 'a', 'retype', 'fast'),
                            ('volume', 'b', 'retype', 'fast')]
    assert indicators(sol)['planned_volume_migrate_count'] == 3


def test_zone_destination_pool_full():
    storage = storage_model(
        {'old@o#p': (100, 10), 'new@n#p': (100, 15)},
        [('a', 'old@o#p', 10), ('b', 'old@o#p', 10)])
    sol = run(zone(), {'storage_pools': [{'src_pool': 'old@o#p',
                                          'dst_pool': 'new@n#p'}]},
              storage_model=storage)
    assert summary(sol) == [('volume', 'a', 'migrate', 'new@n#p')]


@pytest.mark.parametrize('params, message', [
    ({}, 'nothing to evacuate'),
    ({'compute_nodes': [{'src_node': 'h1', 'dst_node': 'h1'}]},
     'both a source and a destination'),
    ({'compute_nodes': [{'src_node': 'h1'}, {'src_node': 'h1'}]},
     'listed twice'),
    ({'storage_pools': [{'src_pool': 'a', 'dst_pool': 'b'},
                        {'src_pool': 'b', 'dst_pool': 'c'}]},
     'storage pool b is both a source and a destination'),
    ({'storage_pools': [{'src_pool': 'a', 'dst_pool': 'b',
                         'dst_type': 't'}]}, 'storage_pools'),
    ({'parallel_total': -1}, 'parallel_total'),
    ({'compute_nodes': [{'src_node': 'h1', 'extra': 1}]}, 'extra'),
])
def test_zone_bad_parameters(params, message):
    with pytest.raises(exception.InvalidAuditParameters) as err:
        zone().validate_parameters(params)
    assert message in str(err.value)


@pytest.mark.parametrize('params, message', [
    ({'compute_nodes': [{'src_node': 'nope'}]}, 'compute node nope'),
    ({'compute_nodes': [{'src_node': 'h1', 'dst_node': 'nope'}]},
     'compute node nope'),
    ({'compute_nodes': [{'src_node': 'h1', 'dst_node': 'off'}]},
     'dst_node off cannot receive'),
    ({'compute_nodes': [{'src_node': 'h1'}],
      'priority': {'compute_node': ['h2']}}, 'priority compute_node h2'),
])
def test_zone_unknown_nodes_fail_before_planning(params, message):
    model = fakes.build({'h1': [('a', 2)], 'h2': [], 'off': []},
                        nodes={'off': fakes.node('off', state='down')})
    with pytest.raises(exception.InvalidAuditParameters) as err:
        run(zone(), params, compute_model=model)
    assert message in str(err.value)


@pytest.mark.parametrize('entry, message', [
    ({'src_pool': 'nope', 'dst_pool': 'new@n#p'}, 'storage pool nope'),
    ({'src_pool': 'old@o#p', 'dst_pool': 'nope'}, 'storage pool nope'),
    ({'src_pool': 'old@o#p', 'dst_type': 'platinum'}, 'platinum'),
])
def test_zone_unknown_pools_fail_before_planning(entry, message):
    storage = storage_model({'old@o#p': (100, 10), 'new@n#p': (100, 90)},
                            [('a', 'old@o#p', 10)],
                            types={'old@o': ['slow']})
    with pytest.raises(exception.InvalidAuditParameters) as err:
        run(zone(), {'storage_pools': [entry]}, storage_model=storage)
    assert message in str(err.value)


def test_zone_measured_load_keeps_busy_hosts_out():
    from watcher.decision_engine.datasources.frame import MetricsFrame
    s = zone()
    params = s.validate_parameters({'compute_nodes': [{'src_node': 'h1'}]})
    host_q, inst_q = s.metric_queries(params)
    model = fakes.build({'h1': [('a', 2)], 'busy': [('b', 8)], 'idle': []})
    frame = MetricsFrame()
    frame.set(host_q, {'uuid-busy': 90.0})
    frame.set(inst_q, {'uuid-a': 50.0, 'uuid-b': 100.0})
    sol = s.execute(StrategyInput(compute_model=model, metrics=frame,
                                  parameters=params))
    # busy is the best fit by allocation, but 90 % busy: idle takes it
    assert summary(sol) == [('migrate', 'a', 'h1', 'idle', 'live')]
    storage_only = s.validate_parameters(
        {'storage_pools': [{'src_pool': 'a', 'dst_pool': 'b'}]})
    assert s.metric_queries(storage_only) == []
