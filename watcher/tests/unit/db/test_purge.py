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

"""watcher-db-manage purge: what goes, what stays, and the CLI."""
import datetime
import io
import os
import subprocess
import sys

import fixtures
import sqlalchemy as sa

from watcher.common import context as watcher_context
from watcher.common import exception
from watcher.db import purge
from watcher.tests import base
from watcher.tests import db_utils

NOW = datetime.datetime(2030, 6, 1, 12, 0, 0)


class TestPurge(base.DbTestCase):

    def setUp(self):
        super().setUp()
        self.admin = watcher_context.get_admin_context(show_deleted=True)

    def run_purge(self, **kw):
        out = io.StringIO()
        result = purge.PurgeCommand(out=out, now=NOW, **kw).execute()
        return result, out.getvalue()

    def delete(self, kind, row, days_ago=100):
        getattr(self.dbapi, 'soft_delete_%s' % kind)(row.id)
        getattr(self.dbapi, 'update_%s' % kind)(row.id, {
            'deleted_at': NOW - datetime.timedelta(days=days_ago)})

    def exists(self, kind, row):
        try:
            getattr(self.dbapi, 'get_%s_by_id' % kind)(self.admin, row.id)
            return True
        except exception.NotFound:
            return False

    def family(self, **audit_kw):
        """An audit with one plan of two actions and an indicator."""
        audit = db_utils.create_test_audit(state='SUCCEEDED', **audit_kw)
        plan = db_utils.create_test_action_plan(
            audit_id=audit.id, strategy_id=audit.strategy_id,
            state='SUCCEEDED')
        actions = [db_utils.create_test_action(action_plan_id=plan.id,
                                               state='SUCCEEDED')
                   for _ in range(2)]
        indicator = db_utils.create_test_efficacy_indicator(
            action_plan_id=plan.id)
        return audit, plan, actions, indicator

    def test_nothing_to_do(self):
        self.family()
        result, out = self.run_purge()
        self.assertEqual(0, result.total)
        self.assertIn('Total', out)

    def test_deleted_audit_goes_with_its_children(self):
        audit, plan, actions, indicator = self.family()
        keep = self.family()
        self.delete('audit', audit)
        result, out = self.run_purge()
        self.assertEqual({'audits': 1, 'action_plans': 1, 'actions': 2,
                          'efficacy_indicators': 1},
                         {k: v for k, v in result.counts.items() if v})
        self.assertTrue(result.deleted)
        self.assertIn('Purge summary: 5 objects deleted.', out)
        for kind, row in (('audit', audit), ('action_plan', plan),
                          ('action', actions[0]),
                          ('efficacy_indicator', indicator)):
            self.assertFalse(self.exists(kind, row), kind)
        self.assertTrue(self.exists('audit', keep[0]))
        self.assertTrue(self.exists('action', keep[2][1]))

    def test_age_in_days(self):
        old = self.family()[0]
        recent = self.family()[0]
        self.delete('audit', old, days_ago=40)
        self.delete('audit', recent, days_ago=10)
        result, _out = self.run_purge(age_in_days=30)
        self.assertEqual(1, result.counts['audits'])
        self.assertFalse(self.exists('audit', old))
        self.assertTrue(self.exists('audit', recent))

    def test_children_of_an_old_parent_go_whatever_their_age(self):
        audit, plan, actions, _ind = self.family()
        self.delete('audit', audit, days_ago=40)
        self.dbapi.update_action_plan(plan.id, {
            'deleted_at': NOW - datetime.timedelta(days=2)})
        result, _out = self.run_purge(age_in_days=30)
        self.assertEqual(1, result.counts['action_plans'])
        self.assertFalse(self.exists('action', actions[0]))

    def test_dry_run_deletes_nothing(self):
        audit = self.family()[0]
        self.delete('audit', audit)
        result, out = self.run_purge(dry_run=True)
        self.assertEqual(5, result.total)
        self.assertFalse(result.deleted)
        self.assertIn('dry run', out.lower())
        self.assertTrue(self.exists('audit', audit))

    def test_max_number_aborts(self):
        audit = self.family()[0]
        self.delete('audit', audit)
        out = io.StringIO()
        command = purge.PurgeCommand(max_number=4, out=out, now=NOW)
        self.assertRaises(exception.PurgeLimitExceeded, command.execute)
        self.assertIn('aborted', out.getvalue())
        self.assertTrue(self.exists('audit', audit))
        result, _out = self.run_purge(max_number=5)
        self.assertEqual(5, result.total)

    def test_goal_filter(self):
        goal_a = db_utils.create_test_goal(name='goal-a')
        goal_b = db_utils.create_test_goal(name='goal-b')
        audit_a = self.family(goal_id=goal_a.id)[0]
        audit_b = self.family(goal_id=goal_b.id)[0]
        self.delete('audit', audit_a)
        self.delete('audit', audit_b)
        scoring = db_utils.create_test_scoring_engine()
        self.delete('scoring_engine', scoring)
        result, _out = self.run_purge(goal='goal-a')
        self.assertEqual(1, result.counts['audits'])
        self.assertEqual(0, result.counts['scoring_engines'])
        self.assertFalse(self.exists('audit', audit_a))
        self.assertTrue(self.exists('audit', audit_b))
        result, _out = self.run_purge(goal=goal_b.uuid)
        self.assertFalse(self.exists('audit', audit_b))
        self.assertRaises(exception.GoalNotFound, self.run_purge,
                          goal='no-such-goal')

    def test_orphans(self):
        goal = db_utils.create_test_goal()
        strategy = db_utils.create_test_strategy(goal_id=goal.id)
        audit = self.family(goal_id=goal.id, strategy_id=strategy.id)[0]
        template = db_utils.create_test_audit_template(
            goal_id=goal.id, strategy_id=strategy.id)
        self.delete('goal', goal)

        # Orphans excluded: the live rows keep the goal alive.
        result, _out = self.run_purge(exclude_orphans=True)
        self.assertEqual(0, result.total)
        self.assertTrue(self.exists('goal', goal))

        result, _out = self.run_purge()
        self.assertEqual(1, result.counts['goals'])
        self.assertEqual(1, result.counts['strategies'])
        self.assertEqual(1, result.counts['audit_templates'])
        self.assertEqual(1, result.counts['audits'])
        self.assertEqual(2, result.counts['actions'])
        for kind, row in (('goal', goal), ('strategy', strategy),
                          ('audit', audit), ('audit_template', template)):
            self.assertFalse(self.exists(kind, row), kind)

    def test_never_part_of_a_parents_children(self):
        audit, plan, actions, _ind = self.family()
        # one action soft-deleted under a live plan: stays
        self.delete('action', actions[0])
        result, _out = self.run_purge()
        self.assertEqual(0, result.total)
        # the plan deleted on its own: goes with all its actions
        self.delete('action_plan', plan)
        result, _out = self.run_purge()
        self.assertEqual(1, result.counts['action_plans'])
        self.assertEqual(2, result.counts['actions'])
        self.assertTrue(self.exists('audit', audit))

    def test_parent_with_live_child_kept_when_orphans_excluded(self):
        audit, plan, actions, _ind = self.family()
        self.delete('audit', audit)
        # bring one plan back to life behind the cascade's back
        self.dbapi.update_action_plan(plan.id, {'deleted': 0,
                                                'state': 'SUCCEEDED'})
        result, _out = self.run_purge(exclude_orphans=True)
        self.assertEqual(0, result.total)
        self.assertTrue(self.exists('audit', audit))
        result, _out = self.run_purge()
        self.assertEqual(1, result.counts['audits'])
        self.assertEqual(1, result.counts['action_plans'])

    def test_referenced_strategy_kept(self):
        strategy = db_utils.create_test_strategy()
        audit = db_utils.create_test_audit(strategy_id=strategy.id)
        self.delete('strategy', strategy)
        result, _out = self.run_purge(exclude_orphans=True)
        self.assertEqual(0, result.counts['strategies'])
        self.assertTrue(self.exists('audit', audit))


class TestDbManageCommand(base.TestCase):
    """The console script end to end, on a temporary SQLite file."""

    def run_cli(self, conf, *args):
        env = dict(os.environ, PYTHONWARNINGS='ignore')
        proc = subprocess.run(
            [sys.executable, '-m', 'watcher.cmd.db_manage',
             '--config-file', conf] + list(args),
            capture_output=True, text=True, env=env, timeout=120)
        return proc.returncode, proc.stdout + proc.stderr

    def test_upgrade_purge_downgrade(self):
        tmp = self.useFixture(fixtures.TempDir()).path
        db_file = os.path.join(tmp, 'watcher.sqlite')
        conf = os.path.join(tmp, 'watcher.conf')
        with open(conf, 'w') as f:
            f.write('[database]\nconnection = sqlite:///%s\n' % db_file)

        rc, out = self.run_cli(conf, 'upgrade')
        self.assertEqual(0, rc, out)
        engine = sa.create_engine('sqlite:///%s' % db_file)
        self.addCleanup(engine.dispose)
        with engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO goals (uuid, name, name_key, display_name, "
                "efficacy_specification, deleted, deleted_at) VALUES "
                "('6c1b0d4e-55aa-4bde-9d3e-0a8f0b2f3c11', 'g', 'g', 'G', "
                "'[]', "
                "1, '2020-01-01 00:00:00')"))

        rc, out = self.run_cli(conf, 'purge', '--dry-run')
        self.assertEqual(0, rc, out)
        self.assertRegex(out, r'Goals\s+1')
        rc, out = self.run_cli(conf, 'purge', '-n', '0')
        self.assertEqual(1, rc, out)
        rc, out = self.run_cli(conf, 'purge', '-d', '1', '-e')
        self.assertEqual(0, rc, out)
        with engine.connect() as conn:
            self.assertEqual(0, conn.execute(
                sa.text('SELECT COUNT(*) FROM goals')).scalar())

        rc, out = self.run_cli(conf, 'downgrade')
        self.assertEqual(0, rc, out)
        self.assertEqual(['alembic_version'],
                         sa.inspect(engine).get_table_names())
