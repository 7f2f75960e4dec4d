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

"""The daemons on the in-process transport: RPC in, state and notifications
out.
"""
import datetime

import fixtures

from watcher.applier import manager as applier_manager
from watcher.applier import rpcapi as applier_rpcapi
from watcher.cmd import service_monitor
from watcher.decision_engine import manager as de_manager
from watcher.decision_engine import rpcapi as de_rpcapi
from watcher import objects
from watcher.tests.functional.services import base
from watcher.tests import objects_utils

UTC = datetime.timezone.utc


class TestDecisionEngineService(base.ServiceTestCase):

    def setUp(self):
        super().setUp()
        self.manager = de_manager.DecisionEngineManager(run_sync=False)

    def test_trigger_audit_reaches_the_dispatch_seam(self):
        called = []
        self.useFixture(fixtures.MockPatch(
            'watcher.decision_engine.audit.dispatcher.execute_audit',
            side_effect=lambda ctx, uuid: called.append(uuid)))
        self.start_service(self.manager)
        audit = objects_utils.create_test_audit(self.context)
        de_rpcapi.DecisionEngineAPI().trigger_audit(self.context, audit.uuid)
        self.assertTrue(self.wait_until(lambda: called))
        self.assertEqual([audit.uuid], called)
        self.assertEqual('audit.create', self.capture.wait_for(
            'audit.create')[0][0])

    def test_trigger_audit_runs_the_pipeline(self):
        from watcher.decision_engine import sync
        sync.Syncer().sync(self.context)
        goal = objects.Goal.get_by_name(self.context, 'dummy')
        strategy = objects.Strategy.get_by_name(self.context, 'dummy')
        self.start_service(self.manager)
        audit = objects_utils.create_test_audit(
            self.context, goal_id=goal.id, strategy_id=strategy.id)
        de_rpcapi.DecisionEngineAPI().trigger_audit(self.context, audit.uuid)
        final = ('SUCCEEDED', 'FAILED', 'CANCELLED')

        def state():
            return objects.Audit.get_by_uuid(self.context, audit.uuid).state
        self.assertTrue(self.wait_until(lambda: state() in final))
        final_state = state()

        def mine():
            # only this audit's events: other tests' threads may still emit
            return [i for i in self.capture.items
                    if i[0].startswith('audit.') and
                    i[3]['watcher_object.data'].get('uuid') == audit.uuid]
        self.wait_until(lambda: any(
            i[0] == 'audit.update' and i[3]['watcher_object.data']
            ['state_update']['watcher_object.data']['state'] == final_state
            for i in mine()))
        updates = [i[3]['watcher_object.data']['state_update']
                   ['watcher_object.data'] for i in mine()
                   if i[0] == 'audit.update']
        moves = [(u['old_state'], u['state']) for u in updates
                 if u['state'] is not None]
        self.assertEqual(('PENDING', 'ONGOING'), moves[0])
        self.assertEqual(final_state, moves[-1][1])
        events = [i[0] for i in mine()]
        self.assertEqual('audit.create', events[0])
        self.assertIn('audit.strategy.start', events)
        self.assertLess(events.index('audit.strategy.start'),
                        len(events) - 1 - events[::-1].index('audit.update'))

    def test_calls_return_the_seam_result(self):
        rows = [{'type': 'Name', 'state': 'dummy', 'mandatory': '',
                 'comment': ''}]
        self.useFixture(fixtures.MockPatch(
            'watcher.decision_engine.strategy_state.get_strategy_info',
            side_effect=lambda ctx, name: rows))
        self.useFixture(fixtures.MockPatch(
            'watcher.decision_engine.data_model_api.'
            'get_data_model_info',
            side_effect=lambda ctx, kind, audit: {
                'context': [{'kind': kind,
                             'audit': getattr(audit, 'uuid', None)}]}))
        self.start_service(self.manager)
        api = de_rpcapi.DecisionEngineAPI(timeout=60)
        self.assertEqual(rows, api.get_strategy_info(self.context, 'dummy'))
        audit = objects_utils.create_test_audit(self.context)
        self.assertEqual(
            {'context': [{'kind': 'compute', 'audit': audit.uuid}]},
            api.get_data_model_info(self.context, 'compute', audit))
        self.assertEqual(
            {'context': [{'kind': 'storage', 'audit': None}]},
            api.get_data_model_info(self.context, data_model_type='storage'))

    def test_start_runs_own_ongoing_oneshot_audits_again(self):
        self.flags(host='de-1')
        left = objects_utils.create_test_audit(self.context, state='ONGOING',
                                               hostname='de-1')
        self.start_service(self.manager)

        def state():
            return objects.Audit.get_by_uuid(self.context, left.uuid).state
        # the run interrupted by the restart is run again, from PENDING
        self.assertTrue(self.wait_until(
            lambda: state() in ('SUCCEEDED', 'FAILED')), state())
        self.capture.wait_for('audit.update')
        self.assertIn('audit.update', self.capture.events())


class TestApplierService(base.ServiceTestCase):

    def test_launch_reaches_the_executor_seam(self):
        called = []
        self.useFixture(fixtures.MockPatch(
            'watcher.applier.action_plan.executor.launch',
            side_effect=lambda ctx, uuid: called.append(uuid)))
        self.start_service(applier_manager.ApplierManager())
        plan = objects_utils.create_test_action_plan(self.context,
                                                     state='PENDING')
        applier_rpcapi.ApplierAPI().launch_action_plan(self.context,
                                                       plan.uuid)
        self.assertTrue(self.wait_until(lambda: called))
        self.assertEqual([plan.uuid], called)

    def test_launch_executes_the_plan(self):
        self.start_service(applier_manager.ApplierManager())
        plan = objects_utils.create_test_action_plan(self.context,
                                                     state='PENDING')
        first = objects_utils.create_test_action(
            self.context, action_plan_id=plan.id, action_type='nop',
            input_parameters={'message': 'one'})
        objects_utils.create_test_action(
            self.context, action_plan_id=plan.id, action_type='nop',
            input_parameters={'message': 'two'}, parents=[first.uuid])
        applier_rpcapi.ApplierAPI().launch_action_plan(self.context,
                                                       plan.uuid)

        def state():
            return objects.ActionPlan.get_by_uuid(self.context,
                                                  plan.uuid).state
        self.assertTrue(self.wait_until(
            lambda: state() in ('SUCCEEDED', 'FAILED')))
        self.assertEqual('SUCCEEDED', state())
        self.capture.wait_for('action_plan.execution.end')
        events = self.capture.events()
        self.assertLess(events.index('action_plan.execution.start'),
                        events.index('action_plan.execution.end'))
        self.assertEqual(2, events.count('action.execution.end'))

    def test_start_settles_orphaned_plans(self):
        self.flags(host='ap-1')
        plan = objects_utils.create_test_action_plan(
            self.context, state='ONGOING', hostname='ap-1')
        action = objects_utils.create_test_action(
            self.context, action_plan_id=plan.id, state='ONGOING')
        self.start_service(applier_manager.ApplierManager())
        self.assertEqual('CANCELLED', objects.ActionPlan.get_by_uuid(
            self.context, plan.uuid).state)
        self.assertEqual('CANCELLED', objects.Action.get_by_uuid(
            self.context, action.uuid).state)


class TestHeartbeatAndStatus(base.ServiceTestCase):

    def test_heartbeat_moves_last_seen_up(self):
        self.flags(periodic_interval=1)
        svc = self.start_service(applier_manager.ApplierManager())
        row = objects.Service.get_by_id(self.context, svc.service_id)
        first = row.last_seen_up
        self.assertEqual('watcher-applier', row.name)
        self.assertTrue(self.wait_until(
            lambda: objects.Service.get_by_id(
                self.context, svc.service_id).last_seen_up > first))

    def test_stopped_service_flips_to_failed(self):
        self.flags(service_down_time=60)
        svc = self.start_service(
            de_manager.DecisionEngineManager(run_sync=False))
        monitor = service_monitor.ServiceMonitor(host='api-host')
        now = datetime.datetime.now(UTC)
        monitor.check(now=now)
        svc.stop()
        later = now + datetime.timedelta(minutes=5)
        flips = monitor.check(now=later)
        self.assertEqual([('watcher-decision-engine', 'ACTIVE', 'FAILED')],
                         [(s.name, o, n) for s, o, n in flips])
        items = self.capture.wait_for('service.update')
        (event, priority, publisher, payload), = [
            i for i in items if i[0] == 'service.update']
        self.assertEqual('INFO', priority)
        self.assertEqual('infra-optim:api-host', publisher)
        self.assertEqual('ServiceUpdatePayload',
                         payload['watcher_object.name'])
        data = payload['watcher_object.data']
        self.assertEqual('watcher-decision-engine', data['name'])
        self.assertEqual({'old_state': 'ACTIVE', 'state': 'FAILED'},
                         data['status_update']['watcher_object.data'])


class TestWireFormat(base.ServiceTestCase):
    """Envelopes as a consumer on the bus sees them."""

    def test_envelopes(self):
        audit = objects_utils.create_test_audit(self.context)
        plan = objects_utils.create_test_action_plan(
            self.context, audit_id=audit.id)
        objects_utils.create_test_action(self.context,
                                         action_plan_id=plan.id)
        items = self.capture.wait_for('audit.create', 'action_plan.create',
                                      'action.create')
        expected = {'audit.create': 'AuditCreatePayload',
                    'action_plan.create': 'ActionPlanCreatePayload',
                    'action.create': 'ActionCreatePayload'}
        for event, priority, publisher, payload in items:
            if event not in expected:
                continue
            self.assertEqual('INFO', priority)
            self.assertEqual('infra-optim:test-host', publisher)
            self.assertEqual(expected[event], payload['watcher_object.name'])
            self.assertEqual('watcher', payload['watcher_object.namespace'])
            self.assertRegex(payload['watcher_object.version'], r'^1\.\d+$')
            self.assertIsInstance(payload['watcher_object.data'], dict)
