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

"""Versioned objects: lookups, eager relations, writes, listeners."""
import datetime

from watcher.common import context as watcher_context
from watcher.common import exception
from watcher.common import utils
from watcher import objects
from watcher.tests import base
from watcher.tests import objects_utils


class ListenerMixin:

    def listen(self):
        events = []

        def listener(event, obj, old_state):
            events.append((event, obj.obj_name(), getattr(obj, 'uuid', None),
                           old_state, obj.state if 'state' in obj.fields
                           else None))

        objects.base.register_change_listener(listener)
        self.addCleanup(objects.base.unregister_change_listener, listener)
        return events


class TestInterface(base.TestCase):

    def test_exported_classes_and_enums(self):
        for name in ('Goal', 'Strategy', 'AuditTemplate', 'Audit',
                     'ActionPlan', 'Action', 'EfficacyIndicator',
                     'ScoringEngine', 'Service', 'ActionDescription'):
            cls = getattr(objects, name)
            self.assertEqual(name, cls.obj_name())
            for method in ('get', 'get_by_id', 'list', 'create', 'save',
                           'soft_delete', 'destroy', 'refresh'):
                self.assertTrue(callable(getattr(cls, method)), name)
        self.assertEqual('SUSPENDED', objects.audit.State.SUSPENDED)
        self.assertEqual('EVENT', objects.audit.AuditType.EVENT)
        self.assertEqual('SUPERSEDED', objects.action_plan.State.SUPERSEDED)
        self.assertEqual('SKIPPED', objects.action.State.SKIPPED)
        self.assertEqual('FAILED', objects.service.ServiceStatus.FAILED)

    def test_timestamps_fields_everywhere(self):
        for cls in (objects.Goal, objects.Audit, objects.Service):
            for name in ('created_at', 'updated_at', 'deleted_at'):
                self.assertIn(name, cls.fields)


class TestLookups(base.DbTestCase):

    def test_get_by_every_identifier(self):
        goal = objects_utils.create_test_goal(self.context, name='dummy')
        for ident in (goal.id, str(goal.id), goal.uuid, 'dummy'):
            self.assertEqual(goal.id,
                             objects.Goal.get(self.context, ident).id)
        self.assertRaises(exception.GoalNotFound, objects.Goal.get,
                          self.context, 'other')

    def test_plan_needs_uuid(self):
        self.assertRaises(exception.InvalidUUID, objects.ActionPlan.get,
                          self.context, 'some-name')

    def test_service_by_id_or_name(self):
        service = objects_utils.create_test_service(
            self.context, name='watcher-applier', host='h1')
        self.assertEqual(service.id, objects.Service.get(
            self.context, 'watcher-applier').id)
        self.assertEqual(service.id, objects.Service.get(
            self.context, service.id).id)
        self.assertEqual(service.id, objects.Service.get_by_host_and_name(
            self.context, 'h1', 'watcher-applier').id)

    def test_timestamps_are_aware_utc(self):
        audit = objects_utils.create_test_audit(self.context)
        found = objects.Audit.get(self.context, audit.uuid)
        self.assertEqual(datetime.timezone.utc.utcoffset(None),
                         found.created_at.utcoffset())

    def test_eager_and_lazy(self):
        audit = objects_utils.create_test_audit(self.context)
        listed = objects.Audit.list(self.context, eager=True)[0]
        self.assertEqual('test_goal', listed.goal.name)
        self.assertEqual('test_strategy', listed.strategy.name)
        plain = objects.Audit.get(self.context, audit.uuid)
        self.assertFalse(plain.obj_attr_is_set('goal'))
        self.assertEqual('test_goal', plain.goal.name)  # loaded on demand
        no_strategy = objects_utils.create_test_audit(self.context,
                                                      strategy_id=None)
        self.assertIsNone(objects.Audit.get(
            self.context, no_strategy.id, eager=True).strategy)
        action = objects_utils.create_test_action(self.context)
        got = objects.Action.get(self.context, action.uuid, eager=True)
        self.assertEqual(action.action_plan_id, got.action_plan.id)
        strategy = objects.Strategy.list(self.context, eager=True)[0]
        self.assertEqual(strategy.goal_id, strategy.goal.id)

    def test_list_with_parents(self):
        first = objects_utils.create_test_audit(self.context)
        objects_utils.create_test_audit(self.context, strategy_id=None)
        audits, parents = objects.Audit.list_with_parents(
            self.context, ('goal', 'strategy'), limit=5)
        self.assertEqual(2, len(audits))
        self.assertIsInstance(audits[0], objects.Audit)
        self.assertEqual(first.uuid, audits[0].uuid)
        self.assertFalse(audits[0].obj_attr_is_set('goal'))
        goal = parents['goal'][first.goal_id]
        self.assertEqual((first.goal_id, 'test_goal'), (goal.id, goal.name))
        self.assertEqual([first.strategy_id], list(parents['strategy']))
        self.assertEqual('test_strategy',
                         parents['strategy'][first.strategy_id].name)

    def test_list_paging(self):
        created = [objects_utils.create_test_goal(self.context)
                   for _ in range(5)]
        page = objects.Goal.list(self.context, limit=2,
                                 marker=created[1].uuid)
        self.assertEqual([g.id for g in created[2:4]], [g.id for g in page])
        page = objects.Goal.list(self.context, sort_key='name',
                                 sort_dir='desc', limit=1)
        self.assertEqual(max(g.name for g in created), page[0].name)

    def test_defaults_on_create(self):
        audit = objects.Audit(self.context, audit_type='ONESHOT',
                              goal_id=objects_utils.create_test_goal(
                                  self.context).id)
        audit.create()
        self.assertEqual('PENDING', audit.state)
        self.assertEqual({}, audit.parameters)
        self.assertEqual([], audit.scope)
        self.assertFalse(audit.force)
        self.assertIsNone(audit.name)
        self.assertTrue(utils.is_uuid_like(audit.uuid))

    def test_dict_compat_and_as_dict(self):
        goal = objects_utils.create_test_goal(self.context, name='g')
        self.assertEqual('g', goal['name'])
        self.assertEqual('g', goal.as_dict()['name'])

    def test_serialisation_round_trip(self):
        audit = objects_utils.create_test_audit(
            self.context, parameters={'a': 1})
        serializer = objects.base.WatcherObjectSerializer()
        primitive = serializer.serialize_entity(self.context, audit)
        back = serializer.deserialize_entity(self.context, primitive)
        self.assertEqual(audit.uuid, back.uuid)
        self.assertEqual({'a': 1}, back.parameters)


class TestWrites(ListenerMixin, base.DbTestCase):

    def test_save_and_refresh(self):
        events = self.listen()
        template = objects_utils.create_test_audit_template(self.context)
        template.description = 'changed'
        template.save()
        self.assertIsNotNone(template.updated_at)
        other = objects.AuditTemplate.get(self.context, template.uuid)
        other.name = 'renamed'
        other.save()
        template.refresh()
        self.assertEqual('renamed', template.name)
        self.assertEqual(['create', 'update', 'update'],
                         [e[0] for e in events])

    def test_save_without_changes_writes_nothing(self):
        events = self.listen()
        goal = objects_utils.create_test_goal(self.context)
        goal.save()
        self.assertEqual(['create'], [e[0] for e in events])

    def test_duplicate_name_on_save(self):
        objects_utils.create_test_audit(self.context, name='one')
        two = objects_utils.create_test_audit(self.context, name='two')
        two.name = 'one'
        self.assertRaises(exception.AuditAlreadyExists, two.save)

    def test_compare_and_set_through_objects(self):
        audit = objects_utils.create_test_audit(self.context)
        first = objects.Audit.get(self.context, audit.uuid)
        second = objects.Audit.get(self.context, audit.uuid)
        first.state = 'ONGOING'
        first.hostname = 'de-1'
        first.save(expected_state='PENDING')
        second.state = 'ONGOING'
        second.hostname = 'de-2'
        self.assertRaises(exception.ObjectStateChanged, second.save,
                          expected_state='PENDING')
        self.assertEqual('de-1', objects.Audit.get(
            self.context, audit.uuid).hostname)

    def test_soft_delete_plan_cascades(self):
        events = self.listen()
        plan = objects_utils.create_test_action_plan(self.context)
        actions = [objects_utils.create_test_action(
            self.context, action_plan_id=plan.id) for _ in range(2)]
        objects_utils.create_test_efficacy_indicator(
            self.context, action_plan_id=plan.id)
        del events[:]
        plan.soft_delete()
        self.assertEqual('DELETED', plan.state)
        self.assertIsNotNone(plan.deleted_at)
        self.assertEqual([], objects.Action.list(
            self.context, filters={'action_plan_id': plan.id}))
        deleted = objects.Action.list(
            self.context, filters={'action_plan_id': plan.id,
                                   'deleted': True})
        self.assertEqual(sorted(a.id for a in actions),
                         sorted(a.id for a in deleted))
        self.assertEqual({'DELETED'}, {a.state for a in deleted})
        self.assertEqual(
            [('delete', 'Action'), ('delete', 'Action'),
             ('delete', 'EfficacyIndicator'), ('delete', 'ActionPlan')],
            [e[:2] for e in events])
        self.assertEqual('RECOMMENDED', events[-1][3])

    def test_soft_delete_audit_refused_with_running_plan(self):
        audit = objects_utils.create_test_audit(self.context,
                                                state='SUCCEEDED')
        plan = objects_utils.create_test_action_plan(
            self.context, audit_id=audit.id, state='ONGOING')
        self.assertRaises(exception.IllegalStateTransition,
                          audit.soft_delete)
        self.assertEqual('SUCCEEDED', objects.Audit.get(
            self.context, audit.id).state)
        self.assertEqual('ONGOING', objects.ActionPlan.get(
            self.context, plan.uuid).state)

    def test_soft_delete_audit_cascades(self):
        audit = objects_utils.create_test_audit(self.context,
                                                state='FAILED')
        plan = objects_utils.create_test_action_plan(
            self.context, audit_id=audit.id, state='SUPERSEDED')
        objects_utils.create_test_action(self.context,
                                         action_plan_id=plan.id)
        audit.soft_delete()
        admin = watcher_context.get_admin_context(show_deleted=True)
        self.assertEqual('DELETED', objects.ActionPlan.get(
            admin, plan.uuid).state)
        self.assertRaises(exception.AuditNotFound, objects.Audit.get,
                          self.context, audit.uuid)

    def test_soft_delete_name_reusable(self):
        template = objects_utils.create_test_audit_template(self.context,
                                                            name='t')
        template.soft_delete()
        objects_utils.create_test_audit_template(self.context, name='t')

    def test_destroy(self):
        goal = objects_utils.create_test_goal(self.context)
        goal.destroy()
        self.assertRaises(exception.GoalNotFound, objects.Goal.get,
                          self.context, goal.id)

    def test_create_with_children(self):
        events = self.listen()
        audit = objects_utils.create_test_audit(self.context)
        del events[:]
        first = utils.generate_uuid()
        plan, actions, indicators = objects.ActionPlan.create_with_children(
            self.context,
            {'audit_id': audit.id, 'strategy_id': audit.strategy_id},
            [{'uuid': first, 'action_type': 'nop'},
             objects.Action(self.context, action_type='sleep',
                            parents=[first],
                            input_parameters={'duration': 1})],
            [{'name': 'released_nodes', 'value': 2, 'unit': ''}])
        self.assertEqual('RECOMMENDED', plan.state)
        self.assertEqual(['PENDING', 'PENDING'],
                         [a.state for a in actions])
        self.assertEqual([first], actions[1].parents)
        self.assertEqual(2.0, indicators[0].value)
        self.assertEqual(['ActionPlan', 'Action', 'Action',
                          'EfficacyIndicator'], [e[1] for e in events])
        self.assertRaises(exception.InvalidParameterValue,
                          objects.ActionPlan.create_with_children,
                          self.context, {'audit_id': audit.id,
                                         'bogus': 1}, [], [])

    def test_failing_listener_does_not_break_writes(self):
        def broken(event, obj, old_state):
            raise RuntimeError('boom')

        objects.base.register_change_listener(broken)
        self.addCleanup(objects.base.unregister_change_listener, broken)
        goal = objects_utils.create_test_goal(self.context)
        self.assertIsNotNone(goal.id)


class TestServiceStatus(base.DbTestCase):

    def test_status(self):
        self.flags(service_down_time=60)
        now = datetime.datetime(2030, 1, 1, 12, 0, 0,
                                tzinfo=datetime.timezone.utc)
        service = objects_utils.create_test_service(
            self.context, last_seen_up=now - datetime.timedelta(seconds=30))
        status = objects.Service.status_of
        self.assertEqual('ACTIVE', status(service, now=now))
        self.assertEqual('FAILED', status(
            service, now=now + datetime.timedelta(seconds=31)))
        # naive "now" is taken as UTC
        self.assertEqual('ACTIVE', status(service, now=now.replace(
            tzinfo=None)))
        fresh = objects_utils.create_test_service(self.context)
        self.assertEqual('ACTIVE', fresh.status)  # falls back on created_at
