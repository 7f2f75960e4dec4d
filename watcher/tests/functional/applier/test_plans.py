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

"""Action plans carried out on the simulated cloud."""
from watcher.applier.action_plan import recovery
from watcher.applier.actions import migration
from watcher import objects
from watcher.tests.functional.applier import base
from watcher.tests.unit.applier import utils

PS = objects.action_plan.State
AS = objects.action.State


class TestConsolidation(base.SimulatorTestCase):

    def test_plan_reaches_the_planned_placement(self):
        # the demo's nearly empty compute-3 and compute-4 are emptied into
        # compute-2, then disabled (the shape of a consolidation plan)
        plan, acts = utils.make_plan(self.context, [
            ('m3', 'migrate', self.migrate('idle-3', dest='compute-2'), []),
            ('m4', 'migrate', self.migrate('idle-4', dest='compute-2',
                                           kind='cold'), []),
            ('d3', 'change_nova_service_state',
             {'resource_id': 'compute-3', 'state': 'disabled',
              'disabled_reason': 'watcher_disabled'}, ['m3', 'm4']),
            ('d4', 'change_nova_service_state',
             {'resource_id': 'compute-4', 'state': 'disabled'}, ['d3']),
        ], strategy_name='basic')
        self.assertEqual(PS.SUCCEEDED, self.run_plan(plan))
        self.assertEqual('compute-2', self.host_of('idle-3'))
        self.assertEqual('compute-2', self.host_of('idle-4'))
        self.assertEqual([], list(self.state.servers_on('compute-3')))
        self.assertEqual([], list(self.state.servers_on('compute-4')))
        for host in ('compute-3', 'compute-4'):
            service = self.state.find_service(host, 'nova-compute')
            self.assertEqual('disabled', service.status)
            self.assertEqual('watcher_disabled', service.disabled_reason)
        self.assertEqual({AS.SUCCEEDED},
                         set(utils.states(self.context, plan).values()))

    def test_parallel_migrations_overlap_in_time(self):
        names = ['idle-2', 'idle-3', 'idle-4']
        plan, acts = utils.make_plan(self.context, [
            (n, 'migrate', self.migrate(n, dest='compute-1'), [])
            for n in names])
        self.assertEqual(PS.SUCCEEDED, self.run_plan(plan))
        starts = [self.notifications.time_of('action.execution.start',
                                             acts[n].uuid) for n in names]
        ends = [self.notifications.time_of('action.execution.end',
                                           acts[n].uuid) for n in names]
        # each migration started before any of them ended
        self.assertLess(max(starts), min(ends))
        # and the cloud saw them in flight together
        migs = [m for m in self.state.migrations.values()
                if m.instance_uuid in {self.server_id(n) for n in names}]
        self.assertEqual(3, len(migs))
        self.assertLess(max(m.created_at for m in migs),
                        min(m.updated_at for m in migs))

    def test_dependent_actions_run_in_order(self):
        plan, acts = utils.make_plan(self.context, [
            ('a', 'migrate', self.migrate('idle-2', dest='compute-3'), []),
            ('b', 'migrate', self.migrate('idle-2', source='compute-3',
                                          dest='compute-4'), ['a'])])
        self.assertEqual(PS.SUCCEEDED, self.run_plan(plan))
        self.assertEqual('compute-4', self.host_of('idle-2'))
        self.assertLess(
            self.notifications.time_of('action.execution.end',
                                       acts['a'].uuid),
            self.notifications.time_of('action.execution.start',
                                       acts['b'].uuid))


class TestFailures(base.SimulatorTestCase):

    def test_failing_migration_fails_the_plan_with_its_message(self):
        sid = self.server_id('idle-2')
        self.state.add_fault(target=sid, operation='live_migration',
                             message='No route to compute-1')
        plan, acts = utils.make_plan(self.context, [
            ('ok', 'migrate', self.migrate('idle-3', dest='compute-1'), []),
            ('bad', 'migrate', self.migrate('idle-2', dest='compute-1'),
             ['ok']),
            ('after', 'change_nova_service_state',
             {'resource_id': 'compute-2', 'state': 'disabled'}, ['bad'])])
        self.assertEqual(PS.FAILED, self.run_plan(plan))
        bad = self.action(acts['bad'])
        self.assertEqual(AS.FAILED, bad.state)
        self.assertIn('The live migration of instance %s from compute-2 to '
                      'compute-1 failed' % sid, bad.status_message)
        self.assertEqual(AS.CANCELLED, self.action(acts['after']).state)
        self.assertEqual('compute-2', self.host_of('idle-2'))
        self.assertEqual('enabled', self.state.find_service(
            'compute-2', 'nova-compute').status)
        message = self.plan(plan).status_message
        self.assertTrue(message.startswith(
            'Action %s (migrate) failed: The live migration' % bad.uuid),
            message)

    def test_rollback_moves_servers_back(self):
        self.flags(group='watcher_applier',
                   rollback_when_actionplan_failed=True)
        self.state.add_fault(target=self.server_id('idle-2'),
                             operation='live_migration')
        plan, acts = utils.make_plan(self.context, [
            ('ok', 'migrate', self.migrate('idle-3', dest='compute-1'), []),
            ('svc', 'change_nova_service_state',
             {'resource_id': 'compute-3', 'state': 'disabled'}, ['ok']),
            ('bad', 'migrate', self.migrate('idle-2', dest='compute-1'),
             ['svc'])])
        self.assertEqual(PS.FAILED, self.run_plan(plan))
        self.assertEqual('compute-3', self.host_of('idle-3'))
        self.assertEqual('enabled', self.state.find_service(
            'compute-3', 'nova-compute').status)
        ok = self.action(acts['ok'])
        self.assertEqual(AS.SUCCEEDED, ok.state)
        self.assertEqual('Reverted: the action plan failed',
                         ok.status_message)


class TestSkips(base.SimulatorTestCase):

    def test_pre_condition_skips(self):
        gone = '00000000-1111-4222-8333-444444444444'
        plan, acts = utils.make_plan(self.context, [
            ('gone', 'migrate', {'resource_id': gone,
                                 'migration_type': 'live',
                                 'source_node': 'compute-2'}, []),
            ('moved', 'migrate', self.migrate('idle-3', source='compute-5',
                                              dest='compute-1'), []),
            ('ok', 'migrate', self.migrate('idle-4', dest='compute-1'),
             ['gone', 'moved'])])
        self.assertEqual(PS.SUCCEEDED, self.run_plan(plan))
        self.assertEqual(AS.SKIPPED, self.action(acts['gone']).state)
        self.assertEqual('Instance %s not found' % gone,
                         self.action(acts['gone']).status_message)
        moved = self.action(acts['moved'])
        self.assertEqual(AS.SKIPPED, moved.state)
        self.assertIn('is not on the source node compute-5',
                      moved.status_message)
        self.assertEqual('compute-3', self.host_of('idle-3'))
        self.assertEqual('compute-1', self.host_of('idle-4'))
        message = self.plan(plan).status_message
        self.assertIn('Action %s was skipped: Instance %s'
                      % (acts['gone'].uuid, gone[:8]), message)
        self.assertIn('Action %s was skipped: Instance %s is not on'
                      % (acts['moved'].uuid, self.server_id('idle-3')),
                      message)

    def test_user_skip(self):
        plan, acts = utils.make_plan(self.context, [
            ('a', 'migrate', self.migrate('idle-3', dest='compute-1'), []),
            ('b', 'migrate', self.migrate('idle-4', dest='compute-1'),
             ['a'])])
        b = self.action(acts['b'])
        b.state = AS.SKIPPED
        b.status_message = 'Skipped by user: keep it there'
        b.save()
        self.assertEqual(PS.SUCCEEDED, self.run_plan(plan))
        self.assertEqual('compute-1', self.host_of('idle-3'))
        self.assertEqual('compute-4', self.host_of('idle-4'))
        self.assertEqual('Action %s was skipped by user' % b.uuid,
                         self.plan(plan).status_message)


class TestCancel(base.SimulatorTestCase):
    settings = {'migration_duration': 30.0}

    def test_cancel_mid_plan_aborts_the_live_migration(self):
        plan, acts = utils.make_plan(self.context, [
            ('a', 'migrate', self.migrate('idle-3', dest='compute-1'), []),
            ('b', 'migrate', self.migrate('idle-4', dest='compute-1'),
             ['a'])])
        future = self.launch(plan)
        self.wait_for(lambda: self.action(acts['a']).state == AS.ONGOING
                      and self.state.migrations)
        current = self.plan(plan)
        current.state = PS.CANCELLING
        current.save()
        self.assertEqual(PS.CANCELLED, future.result(timeout=60))
        self.assertEqual(AS.CANCELLED, self.action(acts['a']).state)
        self.assertEqual(AS.CANCELLED, self.action(acts['b']).state)
        mig, = self.state.migrations.values()
        self.assertEqual('cancelled', mig.status)
        self.assertEqual('compute-3', self.host_of('idle-3'))
        self.assertEqual('compute-4', self.host_of('idle-4'))
        self.assertEqual(['action_plan.execution.start',
                          'action_plan.cancel.start',
                          'action_plan.cancel.end'],
                         self.notifications.types('action_plan.'))
        self.assertEqual(['action.execution.start', 'action.cancel.start',
                          'action.cancel.end'],
                         self.notifications.for_uuid(acts['a'].uuid,
                                                     'action.'))


class Killed(BaseException):
    """The applier process dying under the action's feet."""


class TestKilledApplier(base.SimulatorTestCase):

    def test_restart_leaves_nothing_ongoing(self):
        plan, acts = utils.make_plan(self.context, [
            ('a', 'migrate', self.migrate('idle-3', dest='compute-1'), []),
            ('b', 'migrate', self.migrate('idle-4', dest='compute-1'),
             ['a'])])

        def die(action):
            raise Killed()

        self.patch(migration.Migrate, 'post_condition', die)
        self.assertRaises(Killed, self.run_plan, plan)
        # what a dead applier leaves behind
        self.assertEqual(PS.ONGOING, self.plan(plan).state)
        self.assertEqual(AS.ONGOING, self.action(acts['a']).state)

        settled = recovery.settle_orphans(self.context, 'test-host')

        self.assertEqual([plan.uuid], settled)
        self.assertEqual(PS.CANCELLED, self.plan(plan).state)
        states = utils.states(self.context, plan)
        self.assertNotIn(AS.ONGOING, states.values())
        # the migration of 'a' did complete in the cloud (issue 16 item
        # 14): recorded as it is, not as an unknown outcome
        self.assertEqual('compute-1', self.host_of('idle-3'))
        self.assertEqual(AS.SUCCEEDED, self.action(acts['a']).state)
        self.assertIn('Completed', self.action(acts['a']).status_message)
        self.assertIn('compute-1', self.action(acts['a']).status_message)
        self.assertEqual(AS.CANCELLED, self.action(acts['b']).state)
        self.assertIn('Not executed', self.action(acts['b']).status_message)
