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

"""The same requests give the same answers on SQLite, MariaDB and
PostgreSQL: case-insensitive name lookups (served by an index), ordering,
uniqueness, JSON and time zones do not depend on the backend's collation or
defaults.

Each scenario runs through the objects layer against a private database
migrated to head (see ``watcher.tests.base.ServerDatabase``; MariaDB and
PostgreSQL are skipped, with the reason, when the server does not answer).
"""
import datetime

from watcher.common import context as watcher_context
from watcher.common import exception
from watcher import objects
from watcher.tests import base
from watcher.tests import objects_utils

PLUS_TWO = datetime.timezone(datetime.timedelta(hours=2))


class BackendMixin(base.BackendClassMixin):
    """The database API on one backend (see BackendClassMixin)."""

    def test_name_lookup_ignores_case(self):
        objects_utils.create_test_goal(self.context, name='Dummy')
        objects_utils.create_test_goal(self.context, name='dümmy')
        for asked in ('Dummy', 'DUMMY', 'dummy'):
            self.assertEqual('Dummy', objects.Goal.get(self.context,
                                                       asked).name)
        self.assertEqual('dümmy', objects.Goal.get(self.context,
                                                   'DÜMMY').name)
        for missing in ('dummy ', 'dumm'):
            self.assertRaises(exception.GoalNotFound, objects.Goal.get,
                              self.context, missing)
        self.assertEqual(['Dummy'], [g.name for g in objects.Goal.list(
            self.context, filters={'name': 'dUMMY'})])
        goal = objects.Goal.get(self.context, 'dummy')
        audit = objects_utils.create_test_audit(
            self.context, name='Nightly', goal_id=goal.id)
        self.assertEqual(audit.uuid, objects.Audit.get(
            self.context, 'NIGHTLY').uuid)
        self.assertEqual([audit.uuid], [a.uuid for a in objects.Audit.list(
            self.context, filters={'goal_name': 'DUMMY'})])
        # a renamed audit is found by its new name only
        audit.name = 'Weekly'
        audit.save()
        self.assertEqual(audit.uuid, objects.Audit.get(
            self.context, 'weekly').uuid)
        self.assertRaises(exception.AuditNotFound, objects.Audit.get,
                          self.context, 'nightly')

    def explain(self, sql):
        with self._db.engine.connect() as conn:
            if self.backend == 'postgresql':
                # tiny tables make a sequential scan cheaper: ask whether
                # the index can serve the lookup at all
                conn.exec_driver_sql('SET enable_seqscan = off')
            return str(conn.exec_driver_sql(
                'EXPLAIN ' + sql).fetchall())

    def test_name_lookup_uses_the_index(self):
        if self.backend == 'sqlite':
            self.skipTest('EXPLAIN output is checked on the servers')
        for name in ('Dummy', 'other', 'third'):
            for make in (objects_utils.create_test_goal,
                         objects_utils.create_test_strategy,
                         objects_utils.create_test_audit_template,
                         objects_utils.create_test_audit):
                make(self.context, name=name)
        for table in ('goals', 'strategies', 'audit_templates', 'audits'):
            plan = self.explain(
                "SELECT id FROM %s WHERE name_key = 'dummy' AND "
                "deleted = 0" % table)
            self.assertIn('uniq_%s0name_key' % table, plan)

    def test_ordering(self):
        for name in ('b', 'D', 'a', 'C', '_x', '1', None):
            objects_utils.create_test_audit(self.context, name=name)
        names = [a.name for a in objects.Audit.list(self.context,
                                                    sort_key='name')]
        self.assertEqual([None, '1', 'C', 'D', '_x', 'a', 'b'], names)
        names = [a.name for a in objects.Audit.list(
            self.context, sort_key='name', sort_dir='desc')]
        self.assertEqual(['b', 'a', '_x', 'D', 'C', '1', None], names)
        # paging by name walks the same order
        seen, marker = [], None
        while True:
            page = objects.Audit.list(self.context, sort_key='name',
                                      limit=2, marker=marker)
            if not page:
                break
            seen += [a.name for a in page]
            marker = page[-1].uuid
        self.assertEqual([None, '1', 'C', 'D', '_x', 'a', 'b'], seen)

    def test_ordering_by_other_strings(self):
        # hostname keeps the table's default collation (case-insensitive
        # on MariaDB): lists still sort it byte-wise, pages too
        for host in ('b', 'B', 'a', 'A', '_x', 'a ', None):
            objects_utils.create_test_audit(self.context, hostname=host)
        expected = [None, 'A', 'B', '_x', 'a', 'a ', 'b']
        hosts = [a.hostname for a in objects.Audit.list(
            self.context, sort_key='hostname')]
        self.assertEqual(expected, hosts)
        self.assertEqual(expected[::-1], [
            a.hostname for a in objects.Audit.list(
                self.context, sort_key='hostname', sort_dir='desc')])
        seen, marker = [], None
        while True:
            page = objects.Audit.list(self.context, sort_key='hostname',
                                      sort_dir='desc', limit=3,
                                      marker=marker)
            if not page:
                break
            seen += [a.hostname for a in page]
            marker = page[-1].uuid
        self.assertEqual(expected[::-1], seen)

    def test_uuid_lookup_ignores_case(self):
        audit = objects_utils.create_test_audit(self.context)
        upper = audit.uuid.upper()
        self.assertEqual(audit.id, objects.Audit.get(self.context,
                                                     upper).id)
        plan = objects_utils.create_test_action_plan(self.context,
                                                     audit_id=audit.id)
        self.assertEqual([plan.uuid], [p.uuid for p in objects.ActionPlan.list(
            self.context, filters={'audit_uuid': upper})])
        self.assertEqual([audit.uuid], [a.uuid for a in objects.Audit.list(
            self.context, filters={'uuid': upper})])

    def test_uniqueness(self):
        first = objects_utils.create_test_audit_template(self.context,
                                                         name='t')
        self.assertRaises(exception.AuditTemplateAlreadyExists,
                          objects_utils.create_test_audit_template,
                          self.context, name='t')
        # differing only by case is the same name
        self.assertRaises(exception.AuditTemplateAlreadyExists,
                          objects_utils.create_test_audit_template,
                          self.context, name='T')
        other = objects_utils.create_test_audit_template(self.context,
                                                         name='u')
        other.name = 'T'
        self.assertRaises(exception.AuditTemplateAlreadyExists, other.save)
        first.soft_delete()
        second = objects_utils.create_test_audit_template(self.context,
                                                          name='t')
        second.soft_delete()
        objects_utils.create_test_audit_template(self.context, name='t')
        # many unnamed audits are fine
        for _ in range(3):
            objects_utils.create_test_audit(self.context, name=None)
        admin = watcher_context.get_admin_context(show_deleted=True)
        self.assertEqual(3, len(objects.AuditTemplate.list(
            admin, filters={'name': 't'})))

    def test_time_zones_and_precision(self):
        start = datetime.datetime(2031, 3, 4, 1, 30, 15, 123456,
                                  tzinfo=PLUS_TWO)
        audit = objects_utils.create_test_audit(self.context,
                                                start_time=start)
        found = objects.Audit.get(self.context, audit.uuid)
        self.assertEqual(start, found.start_time)
        self.assertEqual(datetime.timedelta(0),
                         found.start_time.utcoffset())
        self.assertEqual(datetime.datetime(
            2031, 3, 3, 23, 30, 15, 123456, tzinfo=datetime.timezone.utc),
            found.start_time)
        self.assertEqual(found.created_at, audit.created_at)
        self.assertNotEqual(0, found.created_at.microsecond + 1)
        later = objects.Audit.list(self.context, filters={
            'start_time__gt': datetime.datetime(2031, 3, 3, 23, 30, 15)})
        self.assertEqual([audit.uuid], [a.uuid for a in later])

    def test_json_round_trip(self):
        parameters = {'b': [1, 2.5, None, True], 'a': {'ü': 'x'},
                      'big': 2 ** 53}
        audit = objects_utils.create_test_audit(self.context,
                                                parameters=parameters)
        self.assertEqual(parameters, objects.Audit.get(
            self.context, audit.id).parameters)

    def test_page_with_parents_loads_what_get_loads(self):
        # a page read with its parents comes as plain rows, not model
        # instances: the objects built must not differ
        audit = objects_utils.create_test_audit(
            self.context, parameters={'a': [1, 2.5], 'ü': None},
            scope=[{'compute': [{'host_aggregates': [{'id': 1}]}]}],
            start_time=datetime.datetime(2031, 3, 4, 1, 30, 15, 123456,
                                         tzinfo=PLUS_TWO))
        (listed,), parents = objects.Audit.list_with_parents(
            self.context, ['goal', 'strategy'])
        got = objects.Audit.get(self.context, audit.uuid)
        names = [n for n in got.fields if n not in got.EAGER]
        self.assertEqual({n: getattr(got, n) for n in names},
                         {n: getattr(listed, n) for n in names})
        self.assertEqual(got.goal_id, parents['goal'][got.goal_id].id)

    def test_compare_and_set(self):
        plan = objects_utils.create_test_action_plan(self.context,
                                                     state='PENDING')
        one = objects.ActionPlan.get(self.context, plan.uuid)
        two = objects.ActionPlan.get(self.context, plan.uuid)
        one.state = two.state = 'ONGOING'
        one.save(expected_state='PENDING')
        self.assertRaises(exception.ObjectStateChanged, two.save,
                          expected_state='PENDING')


class TestSQLite(BackendMixin, base.TestCase):
    backend = 'sqlite'


class TestMySQL(BackendMixin, base.TestCase):
    backend = 'mysql'


class TestPostgreSQL(BackendMixin, base.TestCase):
    backend = 'postgresql'
