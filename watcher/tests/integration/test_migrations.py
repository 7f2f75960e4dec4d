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

"""Migrations on SQLite, MariaDB and PostgreSQL: upgrade to head matches
the models exactly (alembic's autogenerate finds no difference), and
downgrade to base leaves no table behind.

MariaDB (127.0.0.1:3306, root) and PostgreSQL (127.0.0.1:5432, postgres)
tests create a private ``watcher_test_<random>`` database and drop it; they
are skipped, with the reason, when the server does not answer.
"""
import unittest

from alembic.autogenerate import compare_metadata
from alembic import migration as alembic_migration
from alembic import script as alembic_script
import fixtures
import sqlalchemy as sa

from watcher.db.sqlalchemy import migration
from watcher.db.sqlalchemy import models
from watcher.tests import base

TABLES = {'goals', 'strategies', 'audit_templates', 'audits',
          'action_plans', 'actions', 'efficacy_indicators',
          'scoring_engines', 'services', 'action_descriptions',
          'apscheduler_jobs'}


class MigrationsMixin:
    backend = None

    def setUp(self):
        super().setUp()
        base.require_server(self.backend)
        self.engine = self.useFixture(
            base.ServerDatabase(self.backend)).engine

    def tables(self):
        return set(sa.inspect(self.engine).get_table_names()) - {
            'alembic_version'}

    def diff(self):
        with self.engine.connect() as conn:
            context = alembic_migration.MigrationContext.configure(
                conn, opts={'compare_type': True})
            return compare_metadata(context, models.Base.metadata)

    def test_upgrade_then_downgrade(self):
        """Up one revision at a time, compare, down again, then create."""
        scripts = alembic_script.ScriptDirectory.from_config(
            migration.alembic_config_for())
        revisions = [r.revision for r in scripts.walk_revisions(
            'base', 'heads')]  # newest first
        self.assertIsNone(migration.version(engine=self.engine))
        for revision in reversed(revisions):
            migration.upgrade(revision, engine=self.engine)
            self.assertEqual(revision, migration.version(engine=self.engine))
        self.assertEqual(migration.head(),
                         migration.version(engine=self.engine))
        self.assertEqual(TABLES, self.tables())
        self.assertEqual([], self.diff())

        for revision in revisions[1:]:
            migration.downgrade(revision, engine=self.engine)
            self.assertEqual(revision, migration.version(engine=self.engine))
        migration.downgrade('base', engine=self.engine)
        self.assertIsNone(migration.version(engine=self.engine))
        self.assertEqual(set(), self.tables())

        # downgrade left nothing in the way of a schema made from the models
        migration.create_schema(engine=self.engine)
        self.assertEqual(migration.head(),
                         migration.version(engine=self.engine))
        self.assertEqual(TABLES, self.tables())
        self.assertEqual([], self.diff())

    def _insert_goals(self, *rows):
        with self.engine.begin() as conn:
            for ident, name, deleted in rows:
                conn.execute(sa.text(
                    "INSERT INTO goals (id, uuid, name, display_name, "
                    "efficacy_specification, deleted) VALUES "
                    "(:id, :uuid, :name, :name, '[]', :deleted)"),
                    {'id': ident, 'uuid': 'u%d' % ident, 'name': name,
                     'deleted': deleted})

    def test_name_keys_of_existing_rows(self):
        migration.upgrade('0001_initial', engine=self.engine)
        # a soft-deleted namesake differing by case is no clash
        self._insert_goals((1, 'Dummy', 0), (2, 'DUMMY', 2),
                           (3, 'Straße', 0))
        migration.upgrade('head', engine=self.engine)
        with self.engine.connect() as conn:
            keys = conn.execute(sa.text(
                'SELECT id, name, name_key FROM goals ORDER BY id')).all()
        self.assertEqual([(1, 'Dummy', 'dummy'), (2, 'DUMMY', 'dummy'),
                          (3, 'Straße', 'strasse')],
                         [tuple(row) for row in keys])

    def test_live_names_differing_by_case_stop_the_upgrade(self):
        migration.upgrade('0001_initial', engine=self.engine)
        self._insert_goals((1, 'Dummy', 0), (2, 'dummy', 0))
        error = self.assertRaises(RuntimeError, migration.upgrade, 'head',
                                  engine=self.engine)
        self.assertIn("'Dummy', 'dummy'", str(error))
        self.assertEqual('0001_initial',
                         migration.version(engine=self.engine))
        # nothing was changed: once renamed, the upgrade goes through
        with self.engine.begin() as conn:
            conn.execute(sa.text("UPDATE goals SET name = 'dummy2' "
                                 "WHERE id = 2"))
        migration.upgrade('head', engine=self.engine)


class TestMigrationsSQLite(MigrationsMixin, base.TestCase):
    backend = 'sqlite'


class TestMigrationsMySQL(MigrationsMixin, base.TestCase):
    backend = 'mysql'


class TestMigrationsPostgreSQL(MigrationsMixin, base.TestCase):
    backend = 'postgresql'


class TestUnreachableServer(base.TestCase):

    def test_skipped_with_reason(self):
        self.useFixture(fixtures.MonkeyPatch(
            'watcher.tests.base.SERVER_URLS',
            {'mysql': 'mysql+pymysql://root@127.0.0.1:1/'}))
        err = self.assertRaises(unittest.SkipTest, base.require_server,
                                'mysql')
        self.assertIn('mysql server not reachable at 127.0.0.1:1:', str(err))
