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

"""Faults injected into appliers running as processes (issue 16 items 11
and 14), on RabbitMQ and MariaDB (a SQLite file when no MariaDB answers),
with the simulator as the cloud:

* ``kill -9`` of the applier in the middle of a migration, then appliers on
  two other hosts: one of them (only one) settles the plan once the dead
  one's heartbeat is stale; the migration, which did complete in the cloud,
  is recorded SUCCEEDED and the action that never ran CANCELLED;
* a cancel asked while the applier was dead, left CANCELLING, ends
  CANCELLED by a peer;
* a plan launched while no applier ran runs when one starts;
* ``kill -9`` mid-migration and a restart on the same host (what already
  recovered): settled at start, the migration recorded as the cloud shows.

Heartbeats every second, ``service_down_time`` 4 s, the recovery sweep
every second and a 2 s launch grace keep the file short.
"""
import os

from watcher.applier import rpcapi as applier_rpcapi
from watcher import objects
from watcher.tests.integration import daemons
from watcher.tests.integration import test_rabbit_services
from watcher.tests import objects_utils

wait_until = daemons.wait_until

PS = objects.action_plan.State
AS = objects.action.State

APPLIER = 'watcher-applier'
RECOVERY_CONF = """[watcher_applier]
recovery_interval = 1
launch_grace = 2
recovery_outcome_wait = 30
"""
# long enough to kill the applier while the cloud still migrates
MIGRATION_SECONDS = 3


class ApplierFaultsTestCase(test_rabbit_services.RabbitServicesTestCase):

    def setUp(self):
        super().setUp()
        self.addCleanup(
            daemons.delete_from_broker,
            queues=self.names.queues(applier_hosts=['ap-2', 'ap-3']))
        self.recovery_conf = daemons.write_file(
            os.path.join(self.tmp, 'recovery.conf'), RECOVERY_CONF)
        self.cloud.state.settings['migration_duration'] = MIGRATION_SECONDS
        goal_id, self.strategy_id = self.dummy_ids()
        self.audit = objects_utils.create_test_audit(
            self.context, goal_id=goal_id, strategy_id=self.strategy_id,
            state='SUCCEEDED')

    def start_applier(self, host):
        host_conf = daemons.write_file(
            os.path.join(self.tmp, '%s-%s.conf' % (APPLIER, host)),
            '[DEFAULT]\nhost = %s\n' % host)
        return self.processes.start(
            '%s-%s' % (APPLIER, host),
            [APPLIER, '--config-file', self.config_path, '--config-file',
             self.recovery_conf, '--config-file', host_conf])

    def make_plan(self, actions):
        """A PENDING plan of ``[(action_type, input_parameters)]`` run one
        after the other; ``(plan, [actions])``.
        """
        plan = objects_utils.create_test_action_plan(
            self.context, state=PS.PENDING, audit_id=self.audit.id,
            strategy_id=self.strategy_id)
        created = []
        for action_type, params in actions:
            created.append(objects_utils.create_test_action(
                self.context, action_plan_id=plan.id,
                action_type=action_type, input_parameters=params,
                parents=[created[-1].uuid] if created else []))
        return plan, created

    def migrate(self, server, dest):
        cloud = self.cloud.state
        server_id = cloud.servers_by_name[server]
        return ('migrate', {'resource_id': server_id,
                            'migration_type': 'live',
                            'source_node': cloud.server_host(server_id),
                            'destination_node': dest})

    def host_of(self, server):
        cloud = self.cloud.state
        return cloud.server_host(cloud.servers_by_name[server])

    def launch(self, plan):
        applier_rpcapi.ApplierAPI().launch_action_plan(self.context,
                                                       plan.uuid)

    def plan_of(self, plan):
        return objects.ActionPlan.get_by_uuid(self.context, plan.uuid)

    def state_of(self, obj):
        return type(obj).get_by_uuid(self.context, obj.uuid).state

    def wait_state(self, obj, states, timeout=60):
        states = (states,) if isinstance(states, str) else states
        self.assertTrue(
            wait_until(lambda: self.state_of(obj) in states,
                       timeout=timeout),
            '%s %s is %s, not %s' % (obj.obj_name(), obj.uuid,
                                     self.state_of(obj), states))

    def run_until_migrating(self, host='ap-1'):
        """A plan (migrate idle-3 to compute-1, then a nop) on the applier
        of ``host``, which is killed (-9) while the cloud migrates.
        """
        self.start_applier(host)
        self.wait_active(APPLIER, host)
        plan, (move, after) = self.make_plan([
            self.migrate('idle-3', 'compute-1'),
            ('nop', {'message': 'after the move'})])
        self.launch(plan)
        self.wait_state(move, AS.ONGOING)
        self.assertTrue(wait_until(
            lambda: self.cloud.state.servers[
                self.cloud.state.servers_by_name['idle-3']].task_state,
            timeout=30), 'the migration never started in the cloud')
        self.kill(APPLIER, host)
        return plan, move, after

    def assert_settled_after_migration(self, plan, move, after):
        self.wait_state(plan, PS.CANCELLED)
        self.wait_state(after, AS.CANCELLED)
        self.wait_state(move, (AS.SUCCEEDED, AS.FAILED, AS.CANCELLED))
        self.assertEqual('compute-1', self.host_of('idle-3'))
        self.assertEqual(AS.SUCCEEDED, self.state_of(move))
        self.assertIn('Completed', objects.Action.get_by_uuid(
            self.context, move.uuid).status_message)
        self.assertEqual(AS.CANCELLED, self.state_of(after))


class TestApplierFailover(ApplierFaultsTestCase):

    def test_killed_mid_migration_a_single_peer_settles_it(self):
        plan, move, after = self.run_until_migrating('ap-1')
        self.start_applier('ap-2')
        self.start_applier('ap-3')
        self.wait_active(APPLIER, 'ap-2')
        self.wait_active(APPLIER, 'ap-3')
        self.assert_settled_after_migration(plan, move, after)
        message = self.plan_of(plan).status_message
        self.assertIn('the applier on ap-1 stopped', message)
        settlers = [host for host in ('ap-2', 'ap-3')
                    if 'settled by the applier on %s' % host in message]
        self.assertEqual(1, len(settlers), message)
        settled_lines = [
            host for host in ('ap-2', 'ap-3')
            if '%s left ONGOING by the applier on ap-1 is now CANCELLED'
            % plan.uuid in self.processes.log_text(
                '%s-%s' % (APPLIER, host), tail=0)]
        self.assertEqual(settlers, settled_lines)

    def test_cancel_left_cancelling_is_settled_by_a_peer(self):
        self.start_applier('ap-1')
        self.wait_active(APPLIER, 'ap-1')
        plan, (nap,) = self.make_plan([('sleep', {'duration': 600})])
        self.launch(plan)
        self.wait_state(nap, AS.ONGOING)
        self.kill(APPLIER, 'ap-1')
        # the user's cancel, with nobody left to carry it out
        self.plan_of(plan).fire('request_cancel', 'user')
        self.assertEqual(PS.CANCELLING, self.state_of(plan))
        self.start_applier('ap-2')
        self.wait_state(plan, PS.CANCELLED)
        self.wait_state(nap, AS.CANCELLED)
        self.assertIn('settled by the applier on ap-2',
                      self.plan_of(plan).status_message)

    def test_plan_launched_while_no_applier_ran_runs_once_one_starts(self):
        plan, (nop,) = self.make_plan([('nop', {'message': 'late'})])
        # nobody consumes the applier topic yet: the cast is lost
        self.launch(plan)
        self.start_applier('ap-1')
        self.wait_state(plan, (PS.SUCCEEDED, PS.FAILED))
        self.assertEqual(PS.SUCCEEDED, self.state_of(plan))
        self.assertEqual(AS.SUCCEEDED, self.state_of(nop))
        self.assertEqual('ap-1', self.plan_of(plan).hostname)
        log = self.processes.log_text('%s-ap-1' % APPLIER, tail=0)
        self.assertEqual(1, log.count('Action plan %s ran in' % plan.uuid))


class TestSameHostRestart(ApplierFaultsTestCase):

    def test_killed_mid_migration_and_restarted(self):
        plan, move, after = self.run_until_migrating('ap-1')
        self.start_applier('ap-1')
        self.assert_settled_after_migration(plan, move, after)
        self.assertNotIn('settled by', self.plan_of(plan).status_message)
