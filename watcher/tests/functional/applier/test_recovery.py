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

"""Recovery of what a stopped applier left (issue 16 items 11 and 14), on
the simulated cloud: takeover by a live peer, one settler only, the
outcome of interrupted actions asked of the cloud, hosts enabled again on
request, launches nobody received.
"""
import datetime

from watcher.applier.action_plan import executor
from watcher.applier.action_plan import recovery
from watcher.applier import manager as applier_manager
from watcher import objects
from watcher.tests.functional.applier import base
from watcher.tests import objects_utils
from watcher.tests.unit.applier import utils

PS = objects.action_plan.State
AS = objects.action.State
UTC = datetime.timezone.utc


class RecoveryTestCase(base.SimulatorTestCase):

    def setUp(self):
        super().setUp()
        self.flags(recovery_outcome_wait=0, group='watcher_applier')

    def applier_service(self, host, alive):
        seen = datetime.datetime.now(UTC)
        if not alive:
            seen -= datetime.timedelta(seconds=3600)
        service = objects.Service(self.context, name='watcher-applier',
                                  host=host, last_seen_up=seen)
        service.create()
        return service

    def left_running(self, actions, host='ap-dead', state=PS.ONGOING):
        """A plan as an applier on ``host`` leaves it when killed:
        ``actions`` as for utils.make_plan plus the state of each.
        """
        plan, _ = utils.make_plan(self.context, [], state=state)
        plan.hostname = host
        plan.save()
        acts = {}
        for key, action_type, params, parents, act_state in actions:
            acts[key] = objects_utils.create_test_action(
                self.context, action_plan_id=plan.id,
                action_type=action_type, input_parameters=params,
                parents=[acts[p].uuid for p in parents], state=act_state)
        return plan, acts


class TestTakeOver(RecoveryTestCase):

    def test_a_live_peer_settles_a_dead_appliers_plan_once(self):
        self.applier_service('ap-dead', alive=False)
        self.applier_service('ap-live', alive=True)
        plan, acts = self.left_running([
            ('a', 'nop', {'message': 'x'}, [], AS.ONGOING),
            ('b', 'nop', {'message': 'y'}, ['a'], AS.PENDING)])
        stale = self.plan(plan)

        self.assertEqual([plan.uuid],
                         recovery.take_over(self.context, 'ap-live'))
        self.assertEqual(PS.CANCELLED, self.plan(plan).state)
        self.assertIn('ap-dead', self.plan(plan).status_message)
        self.assertIn('settled by the applier on ap-live',
                      self.plan(plan).status_message)
        states = utils.states(self.context, plan)
        self.assertEqual({AS.CANCELLED}, set(states.values()))
        self.assertIn('unknown', self.action(acts['a']).status_message)
        self.assertIn('Not executed', self.action(acts['b']).status_message)
        # a second survivor that read the plan before: its claim loses,
        # it touches nothing
        updates = len(self.notifications.types())
        self.assertFalse(recovery.settle_plan(
            self.context, stale, 'ap-dead', 'ha-takeover', by='ap-other'))
        self.assertEqual([], recovery.take_over(self.context, 'ap-other'))
        self.assertEqual(updates, len(self.notifications.types()))

    def test_plans_of_live_appliers_and_its_own_are_left_alone(self):
        self.applier_service('ap-live', alive=True)
        mine, _ = self.left_running(
            [('a', 'nop', {'message': 'x'}, [], AS.ONGOING)], host='me')
        theirs, _ = self.left_running(
            [('a', 'nop', {'message': 'x'}, [], AS.ONGOING)],
            host='ap-live')
        self.assertEqual([], recovery.take_over(self.context, 'me'))
        self.assertEqual(PS.ONGOING, self.plan(mine).state)
        self.assertEqual(PS.ONGOING, self.plan(theirs).state)

    def test_a_cancel_left_cancelling_ends_cancelled(self):
        self.applier_service('ap-dead', alive=False)
        plan, acts = self.left_running(
            [('a', 'nop', {'message': 'x'}, [], AS.CANCELLING)],
            state=PS.CANCELLING)
        self.assertEqual([plan.uuid], recovery.take_over(self.context, 'me'))
        self.assertEqual(PS.CANCELLED, self.plan(plan).state)
        self.assertEqual(AS.CANCELLED, self.action(acts['a']).state)

    def test_actions_left_under_a_final_plan_are_settled(self):
        # a settler that stopped after its claim, before the actions
        plan, acts = self.left_running(
            [('a', 'nop', {'message': 'x'}, [], AS.ONGOING),
             ('b', 'nop', {'message': 'y'}, [], AS.PENDING)],
            state=PS.CANCELLED)
        self.assertEqual(2, recovery.settle_strays(self.context, 'me'))
        self.assertEqual({AS.CANCELLED},
                         set(utils.states(self.context, plan).values()))


class TestOutcome(RecoveryTestCase):

    def test_a_migration_done_in_the_cloud_is_succeeded(self):
        self.conn.compute.live_migrate_server(
            self.server_id('idle-3'), host='compute-1',
            block_migration='auto')
        params = self.migrate('idle-3', source='compute-3', dest='compute-1')
        self.wait_for(lambda: self.host_of('idle-3') == 'compute-1')
        self.flags(recovery_outcome_wait=30, group='watcher_applier')
        plan, acts = self.left_running(
            [('a', 'migrate', params, [], AS.ONGOING)], host='test-host')
        recovery.settle_orphans(self.context, 'test-host')
        action = self.action(acts['a'])
        self.assertEqual(AS.SUCCEEDED, action.state)
        self.assertIn('destination compute-1', action.status_message)
        self.assertEqual(PS.CANCELLED, self.plan(plan).state)

    def _left_migrating(self, seconds):
        self.state.settings['migration_duration'] = seconds
        params = self.migrate('idle-3', dest='compute-1')
        self.conn.compute.live_migrate_server(
            self.server_id('idle-3'), host='compute-1',
            block_migration='auto')
        return self.left_running(
            [('a', 'migrate', params, [], AS.ONGOING)], host='test-host')

    def test_a_migration_still_in_progress_is_waited_for(self):
        self.flags(recovery_outcome_wait=60, group='watcher_applier')
        plan, acts = self._left_migrating(1)
        recovery.settle_orphans(self.context, 'test-host')
        self.assertEqual('compute-1', self.host_of('idle-3'))
        self.assertEqual(AS.SUCCEEDED, self.action(acts['a']).state)

    def test_past_the_wait_the_outcome_is_unknown(self):
        plan, acts = self._left_migrating(3600)
        recovery.settle_orphans(self.context, 'test-host')
        action = self.action(acts['a'])
        self.assertEqual(AS.CANCELLED, action.state)
        self.assertIn('unknown', action.status_message)
        self.assertIn('still migrating', action.status_message)

    def test_a_migration_that_did_not_happen_is_cancelled(self):
        plan, acts = self.left_running(
            [('a', 'migrate', self.migrate('idle-3', dest='compute-1'), [],
              AS.ONGOING)], host='test-host')
        recovery.settle_orphans(self.context, 'test-host')
        action = self.action(acts['a'])
        self.assertEqual(AS.CANCELLED, action.state)
        self.assertIn('did not take place', action.status_message)

    def test_a_server_elsewhere_is_failed(self):
        plan, acts = self.left_running(
            [('a', 'migrate', self.migrate('idle-3', source='compute-2',
                                           dest='compute-1'), [],
              AS.ONGOING)], host='test-host')
        recovery.settle_orphans(self.context, 'test-host')
        action = self.action(acts['a'])
        self.assertEqual(AS.FAILED, action.state)
        self.assertIn('neither the source', action.status_message)

    def test_a_cloud_that_does_not_answer_means_unknown(self):
        params = self.migrate('idle-3', dest='compute-1')

        def broken(*args, **kwargs):
            raise RuntimeError('no route to Nova')

        plan, acts = self.left_running(
            [('a', 'migrate', params, [], AS.ONGOING)], host='test-host')
        recovery.settle_orphans(self.context, 'test-host',
                                action_loader=broken)
        action = self.action(acts['a'])
        self.assertEqual(AS.CANCELLED, action.state)
        self.assertIn('unknown', action.status_message)
        self.assertIn('no route to Nova', action.status_message)


class TestHostsDisabledByThePlan(RecoveryTestCase):

    def _left(self):
        self.conn.compute.disable_service(
            self.state.find_service('compute-2', 'nova-compute').id,
            host='compute-2', binary='nova-compute',
            disabled_reason='watcher_maintaining')
        return self.left_running([
            ('off', 'change_nova_service_state',
             {'resource_id': 'compute-2', 'state': 'disabled',
              'disabled_reason': 'watcher_maintaining'}, [], AS.SUCCEEDED),
            ('a', 'nop', {'message': 'x'}, ['off'], AS.ONGOING)],
            host='test-host')

    def status(self, host):
        return self.state.find_service(host, 'nova-compute').status

    def test_they_stay_disabled_by_default(self):
        plan, _ = self._left()
        recovery.settle_orphans(self.context, 'test-host')
        self.assertEqual('disabled', self.status('compute-2'))

    def test_the_option_enables_them_again(self):
        self.flags(reenable_hosts_on_recovery=True, group='watcher_applier')
        plan, _ = self._left()
        recovery.settle_orphans(self.context, 'test-host')
        self.assertEqual('enabled', self.status('compute-2'))
        self.assertIn('enabled again on compute-2',
                      self.plan(plan).status_message)

    def test_a_host_disabled_for_another_reason_stays_disabled(self):
        self.flags(reenable_hosts_on_recovery=True, group='watcher_applier')
        plan, _ = self._left()
        self.conn.compute.disable_service(
            self.state.find_service('compute-2', 'nova-compute').id,
            host='compute-2', binary='nova-compute',
            disabled_reason='operator: broken disk')
        recovery.settle_orphans(self.context, 'test-host')
        self.assertEqual('disabled', self.status('compute-2'))


class TestLostLaunches(RecoveryTestCase):

    def test_a_plan_pending_past_the_grace_runs_once(self):
        plan, acts = utils.make_plan(
            self.context, [('a', 'nop', {'message': 'x'}, [])])
        self.assertEqual([], recovery.lost_launches(self.context, 60))
        later = datetime.datetime.now(UTC) + datetime.timedelta(seconds=61)
        self.assertEqual([plan.uuid], [p.uuid for p in
                                       recovery.lost_launches(
                                           self.context, 60, now=later)])
        self.flags(launch_grace=0, group='watcher_applier')
        manager = applier_manager.ApplierManager()
        manager.sweep()
        manager.sweep()  # queued or done: never run twice
        self.wait_for(lambda: self.plan(plan).state == PS.SUCCEEDED)
        self.wait_for(lambda: not executor.queued())
        self.assertEqual(
            1, len(self.notifications.for_uuid(
                plan.uuid, 'action_plan.execution.start')))
        self.assertEqual(AS.SUCCEEDED, self.action(acts['a']).state)
