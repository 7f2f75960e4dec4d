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

"""Versioned notifications: events, priorities, payload shapes, versions."""
from watcher.common import rpc
from watcher import notifications
from watcher.notifications import action as action_notif
from watcher.notifications import action_plan as plan_notif
from watcher.notifications import audit as audit_notif
from watcher.notifications import base as notif_base
from watcher.notifications import exception as exc_notif
from watcher.notifications import service as service_notif
from watcher import objects
from watcher.tests import base
from watcher.tests.functional.services import fixtures as svc_fixtures
from watcher.tests import objects_utils

AUDIT_FIELDS = {'uuid', 'name', 'audit_type', 'state', 'parameters',
                'interval', 'scope', 'goal_uuid', 'strategy_uuid',
                'auto_trigger', 'next_run_time', 'status_message',
                'created_at', 'updated_at', 'deleted_at', 'goal',
                'strategy'}
TERSE_AUDIT_FIELDS = AUDIT_FIELDS - {'goal', 'strategy'}
PLAN_FIELDS = {'uuid', 'state', 'global_efficacy', 'audit_uuid',
               'strategy_uuid', 'status_message', 'created_at',
               'updated_at', 'deleted_at', 'audit', 'strategy'}
ACTION_FIELDS = {'uuid', 'action_type', 'state', 'input_parameters',
                 'parents', 'status_message', 'action_plan', 'created_at',
                 'updated_at', 'deleted_at'}
TERSE_PLAN_FIELDS = PLAN_FIELDS - {'audit', 'strategy'}


def envelope_ok(test, payload, name, version):
    test.assertEqual(name, payload['watcher_object.name'])
    test.assertEqual('watcher', payload['watcher_object.namespace'])
    test.assertEqual(version, payload['watcher_object.version'])
    test.assertNotIn('watcher_object.changes', payload)
    return payload['watcher_object.data']


class NotificationTestCase(base.DbTestCase):

    def setUp(self):
        super().setUp()
        self.messaging = self.useFixture(svc_fixtures.MessagingFixture())
        notifications.install()

    def last(self, event_type):
        found = [n for n in self.messaging.notifications
                 if n[0] == event_type]
        self.assertTrue(found, '%s not emitted; got %s' % (
            event_type, self.messaging.events()))
        return found[-1]


class TestAuditNotifications(NotificationTestCase):

    def test_create_update_delete(self):
        audit = objects_utils.create_test_audit(self.context, name='a1')
        event, priority, publisher, payload = self.last('audit.create')
        self.assertEqual('INFO', priority)
        self.assertEqual('infra-optim:test-host', publisher)
        data = envelope_ok(self, payload, 'AuditCreatePayload', '1.2')
        self.assertEqual(AUDIT_FIELDS, set(data))
        self.assertEqual(audit.uuid, data['uuid'])
        self.assertEqual('a1', data['name'])
        goal = envelope_ok(self, data['goal'], 'GoalPayload', '1.0')
        self.assertEqual(data['goal_uuid'], goal['uuid'])
        self.assertEqual({'uuid', 'name', 'display_name',
                          'efficacy_specification', 'created_at',
                          'updated_at', 'deleted_at'}, set(goal))
        strategy = envelope_ok(self, data['strategy'], 'StrategyPayload',
                               '1.0')
        self.assertIn('parameters_spec', strategy)

        audit.state = objects.audit.State.ONGOING
        audit.save()
        _e, _p, _pub, payload = self.last('audit.update')
        data = envelope_ok(self, payload, 'AuditUpdatePayload', '1.2')
        state = envelope_ok(self, data['state_update'],
                            'AuditStateUpdatePayload', '1.0')
        self.assertEqual({'old_state': 'PENDING', 'state': 'ONGOING'}, state)

        audit.state = objects.audit.State.CANCELLED
        audit.save()
        audit.soft_delete()
        _e, _p, _pub, payload = self.last('audit.delete')
        data = envelope_ok(self, payload, 'AuditDeletePayload', '1.2')
        self.assertEqual('DELETED', data['state'])
        self.assertIsNotNone(data['deleted_at'])
        self.assertEqual(['audit.create', 'audit.update', 'audit.update',
                          'audit.delete'],
                         [e for e in self.messaging.events()
                          if e.startswith('audit.')])

    def test_update_without_state_change(self):
        audit = objects_utils.create_test_audit(self.context)
        audit.name = 'renamed'
        audit.save()
        _e, _p, _pub, payload = self.last('audit.update')
        data = payload['watcher_object.data']
        self.assertEqual({'old_state': None, 'state': None},
                         data['state_update']['watcher_object.data'])
        self.assertEqual('renamed', data['name'])

    def test_strategy_and_planner_phases(self):
        audit = objects_utils.create_test_audit(self.context)
        for action in ('strategy', 'planner'):
            audit_notif.send_action_notification(self.context, audit, action,
                                                 phase='start')
            audit_notif.send_action_notification(self.context, audit, action,
                                                 phase='end')
            try:
                raise ValueError('no luck')
            except ValueError:
                audit_notif.send_action_notification(
                    self.context, audit, action, phase='error')
            _e, prio, _pub, payload = self.last('audit.%s.error' % action)
            self.assertEqual('ERROR', prio)
            data = envelope_ok(self, payload, 'AuditActionPayload', '1.2')
            fault = envelope_ok(self, data['fault'], 'ExceptionPayload',
                                '1.0')
            self.assertEqual('ValueError', fault['exception'])
            self.assertEqual('no luck', fault['exception_message'])
            self.assertEqual('test_strategy_and_planner_phases',
                             fault['function_name'])
            self.assertEqual(__name__, fault['module_name'])
            _e, prio, _pub, payload = self.last('audit.%s.start' % action)
            self.assertEqual('INFO', prio)
            self.assertIsNone(payload['watcher_object.data']['fault'])
        self.assertEqual(
            ['audit.strategy.start', 'audit.strategy.end',
             'audit.strategy.error', 'audit.planner.start',
             'audit.planner.end', 'audit.planner.error'],
            [e for e in self.messaging.events() if e.count('.') == 2])

    def test_explicit_fault(self):
        audit = objects_utils.create_test_audit(self.context)
        audit_notif.send_action_notification(
            self.context, audit, 'strategy', phase='error',
            priority='ERROR', fault=RuntimeError('given'))
        _e, _p, _pub, payload = self.last('audit.strategy.error')
        fault = payload['watcher_object.data']['fault']
        self.assertEqual('given',
                         fault['watcher_object.data']['exception_message'])

    def test_unknown_action_refused(self):
        audit = objects_utils.create_test_audit(self.context)
        self.assertRaises(ValueError, audit_notif.send_action_notification,
                          self.context, audit, 'bogus', phase='start')


class TestActionPlanNotifications(NotificationTestCase):

    def test_create_update_delete_and_phases(self):
        plan = objects_utils.create_test_action_plan(
            self.context, global_efficacy=[{'name': 'x', 'value': 1}])
        _e, _p, _pub, payload = self.last('action_plan.create')
        data = envelope_ok(self, payload, 'ActionPlanCreatePayload', '1.2')
        self.assertEqual(PLAN_FIELDS, set(data))
        self.assertEqual([{'name': 'x', 'value': 1}], data['global_efficacy'])
        audit = envelope_ok(self, data['audit'], 'TerseAuditPayload', '1.3')
        self.assertEqual(TERSE_AUDIT_FIELDS, set(audit))
        self.assertEqual(data['audit_uuid'], audit['uuid'])
        envelope_ok(self, data['strategy'], 'StrategyPayload', '1.0')

        plan.state = 'PENDING'
        plan.save()
        _e, _p, _pub, payload = self.last('action_plan.update')
        data = envelope_ok(self, payload, 'ActionPlanUpdatePayload', '1.2')
        self.assertEqual({'old_state': 'RECOMMENDED', 'state': 'PENDING'},
                         envelope_ok(self, data['state_update'],
                                     'ActionPlanStateUpdatePayload', '1.0'))

        plan_notif.send_action_notification(self.context, plan, 'execution',
                                            phase='start')
        plan_notif.send_action_notification(
            self.context, plan, 'execution', phase='error',
            fault=RuntimeError('boom'))
        _e, prio, _pub, payload = self.last('action_plan.execution.error')
        self.assertEqual('ERROR', prio)
        data = envelope_ok(self, payload, 'ActionPlanActionPayload', '1.2')
        self.assertEqual('RuntimeError',
                         data['fault']['watcher_object.data']['exception'])

        plan_notif.send_cancel_notification(self.context, plan, phase='start')
        plan_notif.send_action_notification(self.context, plan, 'cancel',
                                            phase='end')
        _e, prio, _pub, payload = self.last('action_plan.cancel.end')
        envelope_ok(self, payload, 'ActionPlanCancelPayload', '1.2')
        self.assertEqual('INFO', prio)

        plan.state = 'CANCELLED'
        plan.save()
        plan.soft_delete()
        _e, _p, _pub, payload = self.last('action_plan.delete')
        envelope_ok(self, payload, 'ActionPlanDeletePayload', '1.2')
        self.assertEqual(
            ['action_plan.create', 'action_plan.update',
             'action_plan.execution.start', 'action_plan.execution.error',
             'action_plan.cancel.start', 'action_plan.cancel.end',
             'action_plan.update', 'action_plan.delete'],
            [e for e in self.messaging.events()
             if e.startswith('action_plan.')])


class TestActionNotifications(NotificationTestCase):

    def test_create_update_delete_and_phases(self):
        action = objects_utils.create_test_action(self.context)
        _e, _p, _pub, payload = self.last('action.create')
        data = envelope_ok(self, payload, 'ActionCreatePayload', '1.1')
        self.assertEqual(ACTION_FIELDS, set(data))
        terse = envelope_ok(self, data['action_plan'],
                            'TerseActionPlanPayload', '1.2')
        self.assertEqual(TERSE_PLAN_FIELDS, set(terse))

        action.state = 'ONGOING'
        action.save()
        action_notif.send_execution_notification(self.context, action,
                                                 phase='start')
        action.state = 'FAILED'
        action.status_message = 'it broke'
        action.save()
        _e, _p, _pub, payload = self.last('action.update')
        data = envelope_ok(self, payload, 'ActionUpdatePayload', '1.1')
        self.assertEqual(
            {'old_state': 'ONGOING', 'state': 'FAILED',
             'status_message': 'it broke'},
            envelope_ok(self, data['state_update'],
                        'ActionStateUpdatePayload', '1.1'))
        try:
            raise KeyError('k')
        except KeyError:
            action_notif.send_execution_notification(self.context, action,
                                                     phase='error')
        _e, prio, _pub, payload = self.last('action.execution.error')
        self.assertEqual('ERROR', prio)
        envelope_ok(self, payload, 'ActionExecutionPayload', '1.1')

        for phase in ('start', 'end', 'error'):
            action_notif.send_cancel_notification(self.context, action,
                                                  phase=phase)
        _e, prio, _pub, payload = self.last('action.cancel.error')
        self.assertEqual('ERROR', prio)
        envelope_ok(self, payload, 'ActionCancelPayload', '1.1')

        action.soft_delete()
        _e, _p, _pub, payload = self.last('action.delete')
        envelope_ok(self, payload, 'ActionDeletePayload', '1.1')
        self.assertEqual(
            ['action.create', 'action.update', 'action.execution.start',
             'action.update', 'action.execution.error', 'action.cancel.start',
             'action.cancel.end', 'action.cancel.error', 'action.delete'],
            [e for e in self.messaging.events() if e.startswith('action.')])

    def test_primitive_built_directly_equals_the_payload_objects(self):
        # action.create is sent by the thousand with a primitive built
        # without payload objects: it must be exactly what they give
        plan = objects_utils.create_test_action_plan(
            self.context, global_efficacy=[{'name': 'x', 'value': 1.5}],
            status_message='fine')
        for action in (
                objects_utils.create_test_action(
                    self.context, action_plan_id=plan.id,
                    input_parameters={'resource_id': 'r', 'n': [1, 2]},
                    parents=['9f4ab3a1-3d8a-4c47-9bd9-2e1a1c3b2c1d'],
                    status_message='why'),
                objects_utils.create_test_action(
                    self.context, action_plan_id=plan.id,
                    input_parameters=None, parents=None)):
            action.status_message = 'updated'
            action.save()  # updated_at set too
            action = objects.Action.get(self.context, action.uuid)
            self.assertEqual(
                action_notif.ActionCreatePayload.from_action(
                    action).to_primitive(),
                action_notif.ActionCreatePayload.primitive_of(action))
        orphan = objects.Action(self.context, uuid=action.uuid,
                                action_type='nop', state='PENDING')
        self.assertEqual(
            action_notif.ActionCreatePayload.from_action(
                orphan).to_primitive(),
            action_notif.ActionCreatePayload.primitive_of(orphan))


class TestServiceAndExceptionNotifications(NotificationTestCase):

    def test_service_update(self):
        svc = objects_utils.create_test_service(self.context, name='w-de',
                                                host='node1')
        service_notif.send_service_update(self.context, svc, state='FAILED',
                                          old_state='ACTIVE')
        _e, prio, pub, payload = self.last('service.update')
        self.assertEqual('INFO', prio)
        data = envelope_ok(self, payload, 'ServiceUpdatePayload', '1.0')
        self.assertEqual({'sevice_host', 'name', 'last_seen_up',
                          'status_update'}, set(data))
        self.assertEqual('node1', data['sevice_host'])
        self.assertEqual({'old_state': 'ACTIVE', 'state': 'FAILED'},
                         envelope_ok(self, data['status_update'],
                                     'ServiceStatusUpdatePayload', '1.0'))

    def test_exception(self):
        exc_notif.send_exception(self.context, ValueError('bad'))
        _e, prio, _pub, payload = self.last('infra-optim.exception')
        self.assertEqual('ERROR', prio)
        data = envelope_ok(self, payload, 'ExceptionPayload', '1.0')
        self.assertEqual('bad', data['exception_message'])


class TestNotificationLevel(NotificationTestCase):

    def test_error_level_drops_info(self):
        self.flags(notification_level='ERROR')
        audit = objects_utils.create_test_audit(self.context)
        audit_notif.send_action_notification(self.context, audit, 'strategy',
                                             phase='start')
        audit_notif.send_action_notification(
            self.context, audit, 'strategy', phase='error',
            fault=ValueError('x'))
        self.assertEqual(['audit.strategy.error'], self.messaging.events())

    def test_none_disables(self):
        self.flags(notification_level='None')
        objects_utils.create_test_audit(self.context)
        self.assertEqual([], self.messaging.events())

    def test_is_enabled_ranks(self):
        self.flags(notification_level='WARN')
        self.assertFalse(notif_base.is_enabled('info'))
        self.assertTrue(notif_base.is_enabled('warn'))
        self.assertTrue(notif_base.is_enabled('critical'))
        self.flags(notification_level='DEBUG')
        self.assertTrue(notif_base.is_enabled('debug'))

    def test_nothing_without_messaging(self):
        audit = objects_utils.create_test_audit(self.context)
        rpc.cleanup()
        self.assertIsNone(audit_notif.send_create(self.context, audit))
        audit.name = 'quiet'
        audit.save()
        self.assertEqual(['audit.create'], self.messaging.events())


class TestListener(NotificationTestCase):

    def test_other_objects_ignored(self):
        objects_utils.create_test_goal(self.context)
        objects_utils.create_test_scoring_engine(self.context)
        self.assertEqual([], self.messaging.events())

    def test_listener_errors_are_contained(self):
        notifications.on_object_change('create', object(), None)
        self.assertEqual([], self.messaging.events())
