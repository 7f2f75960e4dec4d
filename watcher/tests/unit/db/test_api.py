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

"""Database API: CRUD, lists (filters, paging, sorting), uniqueness, cascades,
compare-and-set and the number of SQL statements per list page."""
import contextlib
import datetime

import sqlalchemy as sa

from watcher.common import context as watcher_context
from watcher.common import exception
from watcher.common import utils
from watcher.tests import base
from watcher.tests import db_utils


@contextlib.contextmanager
def count_statements(engine):
    """Count the SQL statements run on ``engine`` inside the block."""
    seen = []

    def before(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    sa.event.listen(engine, 'before_cursor_execute', before)
    try:
        yield seen
    finally:
        sa.event.remove(engine, 'before_cursor_execute', before)


class TestCrud(base.DbTestCase):

    def test_create_and_get_every_way(self):
        goal = db_utils.create_test_goal(name='dummy')
        for found in (self.dbapi.get_goal_by_id(self.context, goal.id),
                      self.dbapi.get_goal_by_uuid(self.context, goal.uuid),
                      self.dbapi.get_goal_by_name(self.context, 'dummy')):
            self.assertEqual(goal.id, found.id)
            self.assertEqual([], found.efficacy_specification)
        self.assertIsNotNone(goal.created_at)
        self.assertIsNone(goal.created_at.tzinfo)
        self.assertEqual(0, goal.deleted)

    def test_generated_uuid(self):
        goal = self.dbapi.create_goal({'name': 'g', 'display_name': 'G',
                                       'efficacy_specification': []})
        self.assertTrue(utils.is_uuid_like(goal.uuid))

    def test_not_found_is_typed(self):
        cases = [
            (self.dbapi.get_goal_by_id, exception.GoalNotFound, 42),
            (self.dbapi.get_strategy_by_name, exception.StrategyNotFound,
             'nope'),
            (self.dbapi.get_audit_template_by_uuid,
             exception.AuditTemplateNotFound, utils.generate_uuid()),
            (self.dbapi.get_audit_by_name, exception.AuditNotFound, 'x'),
            (self.dbapi.get_action_plan_by_uuid,
             exception.ActionPlanNotFound, utils.generate_uuid()),
            (self.dbapi.get_action_by_id, exception.ActionNotFound, 3),
            (self.dbapi.get_efficacy_indicator_by_id,
             exception.EfficacyIndicatorNotFound, 3),
            (self.dbapi.get_scoring_engine_by_name,
             exception.ScoringEngineNotFound, 'x'),
            (self.dbapi.get_service_by_id, exception.ServiceNotFound, 9),
            (self.dbapi.get_action_description_by_id,
             exception.ActionDescriptionNotFound, 9),
        ]
        for getter, exc, ident in cases:
            err = self.assertRaises(exc, getter, self.context, ident)
            self.assertEqual(404, err.code)

    def test_duplicates_are_typed(self):
        db_utils.create_test_goal(name='g1')
        self.assertRaises(exception.GoalAlreadyExists,
                          db_utils.create_test_goal, name='g1')
        db_utils.create_test_audit(name='a1')
        err = self.assertRaises(exception.AuditAlreadyExists,
                                db_utils.create_test_audit, name='a1')
        self.assertEqual(409, err.code)
        self.assertIn('a1', str(err))
        db_utils.create_test_audit_template(name='t1')
        self.assertRaises(exception.AuditTemplateAlreadyExists,
                          db_utils.create_test_audit_template, name='t1')
        db_utils.create_test_service(name='watcher-api', host='h1')
        self.assertRaises(exception.ServiceAlreadyExists,
                          db_utils.create_test_service,
                          name='watcher-api', host='h1')
        db_utils.create_test_service(name='watcher-api', host='h2')
        uuid = utils.generate_uuid()
        db_utils.create_test_action(uuid=uuid)
        self.assertRaises(exception.ActionAlreadyExists,
                          db_utils.create_test_action, uuid=uuid)

    def test_unique_among_live_rows_only(self):
        first = db_utils.create_test_goal(name='reused')
        self.dbapi.soft_delete_goal(first.id)
        second = db_utils.create_test_goal(name='reused')
        self.assertNotEqual(first.id, second.id)
        self.assertEqual(second.id, self.dbapi.get_goal_by_name(
            self.context, 'reused').id)
        self.dbapi.soft_delete_goal(second.id)
        db_utils.create_test_goal(name='reused')

    def test_names_are_case_insensitive(self):
        db_utils.create_test_goal(name='Dummy')
        self.assertEqual('Dummy', self.dbapi.get_goal_by_name(
            self.context, 'DUMMY').name)
        self.assertRaises(exception.GoalAlreadyExists,
                          db_utils.create_test_goal, name='dummy')
        # scoring engines are not among the case-insensitive resources
        db_utils.create_test_scoring_engine(name='Engine')
        self.assertRaises(exception.ScoringEngineNotFound,
                          self.dbapi.get_scoring_engine_by_name,
                          self.context, 'ENGINE')

    def test_missing_reference_is_invalid(self):
        err = self.assertRaises(exception.InvalidParameterValue,
                                db_utils.create_test_audit, goal_id=999)
        self.assertEqual(400, err.code)

    def test_update(self):
        audit = db_utils.create_test_audit()
        updated = self.dbapi.update_audit(
            audit.uuid, {'state': 'ONGOING', 'parameters': {'k': [1, 2]}})
        self.assertEqual('ONGOING', updated.state)
        self.assertEqual({'k': [1, 2]}, updated.parameters)
        self.assertIsNotNone(updated.updated_at)
        by_id = self.dbapi.update_audit(audit.id, {'hostname': 'h'})
        self.assertEqual('h', by_id.hostname)
        self.assertRaises(exception.InvalidParameterValue,
                          self.dbapi.update_audit, audit.id,
                          {'uuid': utils.generate_uuid()})
        self.assertRaises(exception.AuditNotFound, self.dbapi.update_audit,
                          utils.generate_uuid(), {'hostname': 'x'})

    def test_update_to_duplicate_name(self):
        db_utils.create_test_audit(name='one')
        two = db_utils.create_test_audit(name='two')
        self.assertRaises(exception.AuditAlreadyExists,
                          self.dbapi.update_audit, two.id, {'name': 'one'})

    def test_compare_and_set(self):
        plan = db_utils.create_test_action_plan(state='PENDING')
        taken = self.dbapi.update_action_plan(
            plan.uuid, {'state': 'ONGOING', 'hostname': 'h1'},
            expected_state='PENDING')
        self.assertEqual('h1', taken.hostname)
        err = self.assertRaises(
            exception.ObjectStateChanged, self.dbapi.update_action_plan,
            plan.uuid, {'state': 'ONGOING', 'hostname': 'h2'},
            expected_state='PENDING')
        self.assertEqual(409, err.code)
        self.assertEqual('h1', self.dbapi.get_action_plan_by_id(
            self.context, plan.id).hostname)
        # a collection of states is accepted too
        self.dbapi.update_action_plan(plan.id, {'state': 'SUCCEEDED'},
                                      expected_state={'ONGOING', 'X'})

    def test_destroy(self):
        goal = db_utils.create_test_goal()
        strategy = db_utils.create_test_strategy(goal_id=goal.id)
        err = self.assertRaises(exception.ObjectReferenced,
                                self.dbapi.destroy_goal, goal.id)
        self.assertEqual(409, err.code)
        self.dbapi.destroy_strategy(strategy.uuid)
        self.dbapi.destroy_goal(goal.uuid)
        self.assertRaises(exception.GoalNotFound, self.dbapi.get_goal_by_id,
                          self.context, goal.id)

    def test_destroy_action_plan_takes_indicators(self):
        indicator = db_utils.create_test_efficacy_indicator()
        self.dbapi.destroy_action_plan(indicator.action_plan_id)
        self.assertEqual([], self.dbapi.get_efficacy_indicator_list(
            self.context, filters={'deleted': None}))

    def test_service_and_description_lookups(self):
        db_utils.create_test_service(name='watcher-applier', host='h1')
        found = self.dbapi.get_service_by_host_and_name(
            self.context, 'h1', 'watcher-applier')
        self.assertEqual('h1', found.host)
        self.assertRaises(exception.ServiceNotFound,
                          self.dbapi.get_service_by_host_and_name,
                          self.context, 'h2', 'watcher-applier')
        db_utils.create_test_action_description(action_type='nop')
        self.assertEqual('nop', self.dbapi.get_action_description_by_type(
            self.context, 'nop').action_type)
        self.assertRaises(exception.ActionDescriptionAlreadyExists,
                          db_utils.create_test_action_description,
                          action_type='nop')


class TestSoftDelete(base.DbTestCase):

    def test_hidden_unless_show_deleted(self):
        goal = db_utils.create_test_goal(name='gone')
        deleted = self.dbapi.soft_delete_goal(goal.uuid)
        self.assertEqual(goal.id, deleted.deleted)
        self.assertIsNotNone(deleted.deleted_at)
        self.assertRaises(exception.GoalNotFound,
                          self.dbapi.get_goal_by_name, self.context, 'gone')
        self.assertEqual([], self.dbapi.get_goal_list(self.context))
        admin = watcher_context.get_admin_context(show_deleted=True)
        self.assertEqual('gone', self.dbapi.get_goal_by_name(
            admin, 'gone').name)
        self.assertEqual(1, len(self.dbapi.get_goal_list(admin)))
        self.assertRaises(exception.GoalNotFound,
                          self.dbapi.soft_delete_goal, goal.id)

    def test_audit_cascade(self):
        audit = db_utils.create_test_audit(state='SUCCEEDED')
        plan = db_utils.create_test_action_plan(audit_id=audit.id)
        action = db_utils.create_test_action(action_plan_id=plan.id)
        indicator = db_utils.create_test_efficacy_indicator(
            action_plan_id=plan.id)
        other_plan = db_utils.create_test_action_plan()
        self.dbapi.soft_delete_audit(audit.id)
        admin = watcher_context.get_admin_context(show_deleted=True)
        for getter, row in (
                (self.dbapi.get_audit_by_id, audit),
                (self.dbapi.get_action_plan_by_id, plan),
                (self.dbapi.get_action_by_id, action)):
            found = getter(admin, row.id)
            self.assertEqual(row.id, found.deleted)
            self.assertEqual('DELETED', found.state)
        self.assertEqual(indicator.id, self.dbapi.get_efficacy_indicator_by_id(
            admin, indicator.id).deleted)
        self.assertEqual(0, self.dbapi.get_action_plan_by_id(
            self.context, other_plan.id).deleted)

    def test_strategy_delete_clears_templates(self):
        strategy = db_utils.create_test_strategy()
        template = db_utils.create_test_audit_template(
            goal_id=strategy.goal_id, strategy_id=strategy.id)
        self.dbapi.soft_delete_strategy(strategy.id)
        self.assertIsNone(self.dbapi.get_audit_template_by_id(
            self.context, template.id).strategy_id)


class TestLists(base.DbTestCase):

    def setUp(self):
        super().setUp()
        self.goal = db_utils.create_test_goal(name='g-one')
        self.goal2 = db_utils.create_test_goal(name='g-two')
        self.strategy = db_utils.create_test_strategy(
            name='s-one', goal_id=self.goal.id)
        self.audits = [
            db_utils.create_test_audit(
                name=name, goal_id=goal.id, strategy_id=strategy,
                state=state)
            for name, goal, strategy, state in (
                ('b', self.goal, self.strategy.id, 'PENDING'),
                ('a', self.goal, None, 'ONGOING'),
                ('C', self.goal2, None, 'SUCCEEDED'),
                (None, self.goal2, None, 'PENDING'))]

    def names(self, rows):
        return [r.name for r in rows]

    def test_default_order_is_id(self):
        self.assertEqual(['b', 'a', 'C', None], self.names(
            self.dbapi.get_audit_list(self.context)))

    def test_sort_by_name_bytewise_nulls_first(self):
        self.assertEqual([None, 'C', 'a', 'b'], self.names(
            self.dbapi.get_audit_list(self.context, sort_key='name')))
        self.assertEqual(['b', 'a', 'C', None], self.names(
            self.dbapi.get_audit_list(self.context, sort_key='name',
                                      sort_dir='desc')))

    def test_paging_walks_every_row_once(self):
        for sort_key in ('id', 'name', 'state', 'strategy_id'):
            for sort_dir in ('asc', 'desc'):
                full = [r.id for r in self.dbapi.get_audit_list(
                    self.context, sort_key=sort_key, sort_dir=sort_dir)]
                seen, marker = [], None
                while True:
                    page = self.dbapi.get_audit_list(
                        self.context, limit=1, marker=marker,
                        sort_key=sort_key, sort_dir=sort_dir)
                    if not page:
                        break
                    seen.extend(r.id for r in page)
                    marker = page[-1].uuid
                self.assertEqual(full, seen, (sort_key, sort_dir))

    def test_bad_sort_and_marker(self):
        err = self.assertRaises(exception.InvalidSortKey,
                                self.dbapi.get_audit_list, self.context,
                                sort_key='goal_name')
        self.assertEqual(400, err.code)
        self.assertRaises(exception.InvalidParameterValue,
                          self.dbapi.get_audit_list, self.context,
                          sort_dir='up')
        err = self.assertRaises(exception.InvalidMarker,
                                self.dbapi.get_audit_list, self.context,
                                marker=utils.generate_uuid())
        self.assertEqual(400, err.code)
        self.assertRaises(exception.InvalidMarker,
                          self.dbapi.get_audit_list, self.context,
                          marker='not-a-uuid')
        self.assertRaises(exception.InvalidFilter,
                          self.dbapi.get_audit_list, self.context,
                          filters={'colour': 'red'})

    def test_filters(self):
        def names(**filters):
            return sorted(self.names(self.dbapi.get_audit_list(
                self.context, filters=filters)), key=str)

        self.assertEqual(['a', 'b'], names(goal_uuid=self.goal.uuid))
        self.assertEqual(['C', 'None'], [str(n) for n in names(
            goal_name='g-two')])
        self.assertEqual(['b'], names(strategy_name='s-one'))
        self.assertEqual(['b'], names(strategy_uuid=self.strategy.uuid))
        self.assertEqual(['a', 'b'], names(goal_id=self.goal.id))
        self.assertEqual(['C', 'a'], names(state__in=['ONGOING',
                                                      'SUCCEEDED']))
        self.assertEqual(['C', 'a', 'b'], names(name__neq=None))
        self.assertEqual(['C', 'None'], [str(n) for n in names(
            goal_name='G-TWO')])
        self.assertEqual(['C'], names(name='c'))

    def test_child_filters(self):
        plan = db_utils.create_test_action_plan(
            audit_id=self.audits[0].id, strategy_id=self.strategy.id)
        other = db_utils.create_test_action_plan()
        actions = [db_utils.create_test_action(action_plan_id=plan.id)
                   for _ in range(3)]
        db_utils.create_test_action(action_plan_id=other.id)
        got = self.dbapi.get_action_list(
            self.context, filters={'action_plan_uuid': plan.uuid})
        self.assertEqual([a.id for a in actions], [a.id for a in got])
        got = self.dbapi.get_action_list(
            self.context, filters={'audit_uuid': self.audits[0].uuid})
        self.assertEqual(3, len(got))
        plans = self.dbapi.get_action_plan_list(
            self.context, filters={'audit_uuid': self.audits[0].uuid})
        self.assertEqual([plan.id], [p.id for p in plans])
        plans = self.dbapi.get_action_plan_list(
            self.context, filters={'strategy_name': 's-one'})
        self.assertEqual([plan.id], [p.id for p in plans])
        strategies = self.dbapi.get_strategy_list(
            self.context, filters={'goal_name': 'g-one'})
        self.assertEqual([self.strategy.id], [s.id for s in strategies])
        template = db_utils.create_test_audit_template(
            name='t', goal_id=self.goal.id, strategy_id=self.strategy.id)
        for filters in ({'name': 't'}, {'goal_uuid': self.goal.uuid},
                        {'strategy_name': 's-one'}):
            self.assertEqual([template.id], [t.id for t in (
                self.dbapi.get_audit_template_list(self.context,
                                                   filters=filters))])

    def test_deleted_filter(self):
        self.dbapi.soft_delete_audit(self.audits[1].id)
        self.assertEqual(['a'], self.names(self.dbapi.get_audit_list(
            self.context, filters={'deleted': True})))
        self.assertEqual(3, len(self.dbapi.get_audit_list(self.context)))
        admin = watcher_context.get_admin_context(show_deleted=True)
        self.assertEqual(4, len(self.dbapi.get_audit_list(admin)))

    def test_eager_loads_relations(self):
        rows = self.dbapi.get_audit_list(self.context, eager=True)
        self.assertEqual('g-one', rows[0].goal.name)
        self.assertEqual('s-one', rows[0].strategy.name)
        self.assertIsNone(rows[1].strategy)

    def test_parents_come_with_the_rows(self):
        self.dbapi.soft_delete_goal(self.goal2.id)
        pairs = self.dbapi.get_audit_list(
            self.context, parents=('goal', 'strategy'), sort_key='name',
            limit=3, filters={'goal_name': 'g-one'})
        self.assertEqual(['a', 'b'], [row.name for row, _ in pairs])
        by_name = {row.name: refs for row, refs in pairs}
        self.assertEqual(
            {'goal': (self.goal.id, self.goal.uuid, 'g-one'),
             'strategy': (self.strategy.id, self.strategy.uuid, 's-one')},
            by_name['b'])
        self.assertIsNone(by_name['a']['strategy'])
        # a soft-deleted parent is still named
        pairs = self.dbapi.get_audit_list(self.context, parents=('goal',))
        self.assertEqual(['g-one', 'g-one', 'g-two', 'g-two'],
                         [refs['goal'][2] for _, refs in pairs])

    def test_parents_without_name_and_unknown_relations(self):
        plan = db_utils.create_test_action_plan(audit_id=self.audits[0].id)
        db_utils.create_test_action(action_plan_id=plan.id)
        [(action, refs)] = self.dbapi.get_action_list(
            self.context, parents=['action_plan'])
        self.assertEqual({'action_plan': (plan.id, plan.uuid, None)}, refs)
        self.assertEqual(plan.id, action.action_plan_id)
        self.assertRaises(ValueError, self.dbapi.get_audit_list,
                          self.context, parents=('action_plan',))

    def test_datetime_round_trip(self):
        aware = datetime.datetime(2030, 1, 2, 3, 4, 5, 678901,
                                  tzinfo=datetime.timezone(
                                      datetime.timedelta(hours=2)))
        audit = db_utils.create_test_audit(start_time=aware)
        found = self.dbapi.get_audit_by_id(self.context, audit.id)
        self.assertEqual(datetime.datetime(2030, 1, 2, 1, 4, 5, 678901),
                         found.start_time)


class TestQueryCount(base.DbTestCase):
    """A list page costs the same statements whatever its size."""

    def _fill(self, count):
        plan = db_utils.create_test_action_plan()
        for _ in range(count):
            db_utils.create_test_audit()
            db_utils.create_test_action(action_plan_id=plan.id)
        return plan

    def _statements(self, call):
        with count_statements(self.engine) as seen:
            call()
        return len(seen)

    def test_constant_per_page(self):
        self._fill(3)
        small = {}
        for name in ('audit', 'action', 'action_plan', 'strategy',
                     'audit_template', 'goal'):
            lister = getattr(self.dbapi, 'get_%s_list' % name)
            small[name] = self._statements(
                lambda: lister(self.context, limit=2, eager=True))
        self._fill(30)
        marker = self.dbapi.get_audit_list(self.context, limit=1)[0].uuid
        for name in small:
            lister = getattr(self.dbapi, 'get_%s_list' % name)
            big = self._statements(
                lambda: lister(self.context, limit=25, eager=True))
            self.assertEqual(small[name], big, name)
            self.assertLessEqual(big, 2, name)
        with_marker = self._statements(lambda: self.dbapi.get_audit_list(
            self.context, limit=25, marker=marker, eager=True))
        self.assertLessEqual(with_marker, 3)


class TestCreateWithChildren(base.DbTestCase):

    def test_all_created(self):
        audit = db_utils.create_test_audit()
        first = utils.generate_uuid()
        plan, actions, indicators = (
            self.dbapi.create_action_plan_with_children(
                db_utils.get_test_action_plan(audit_id=audit.id,
                                              strategy_id=audit.strategy_id),
                [db_utils.get_test_action(uuid=first),
                 db_utils.get_test_action(parents=[first])],
                [db_utils.get_test_efficacy_indicator(value=3.5)]))
        self.assertEqual([plan.id, plan.id],
                         [a.action_plan_id for a in actions])
        self.assertEqual([first], actions[1].parents)
        self.assertEqual(3.5, indicators[0].value)

    def test_all_or_nothing(self):
        audit = db_utils.create_test_audit()
        dup = utils.generate_uuid()
        self.assertRaises(
            exception.ActionAlreadyExists,
            self.dbapi.create_action_plan_with_children,
            db_utils.get_test_action_plan(audit_id=audit.id,
                                          strategy_id=audit.strategy_id),
            [db_utils.get_test_action(uuid=dup),
             db_utils.get_test_action(uuid=dup)], [])
        self.assertEqual([], self.dbapi.get_action_plan_list(self.context))
        self.assertEqual([], self.dbapi.get_action_list(self.context))
