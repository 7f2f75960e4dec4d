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

"""SQLite file databases: readers take no write lock, writers wait."""
import threading

from sqlalchemy import event

from watcher.common import context as watcher_context
from watcher.db.sqlalchemy import api as sqla_api
from watcher.db.sqlalchemy import sqlite
from watcher import objects
from watcher.objects import base as objects_base
from watcher.tests import base
from watcher.tests import objects_utils


class TestSqliteFile(base.TestCase):

    def setUp(self):
        super().setUp()
        self.db = self.useFixture(base.FileDbFixture())
        self.goal = objects_utils.create_test_goal(self.context, name='g')

    def _in_thread(self, body):
        done = threading.Event()
        errors = []

        def run():
            try:
                body()
            except Exception as e:  # reported by the test
                errors.append(e)
            finally:
                done.set()
        threading.Thread(target=run, daemon=True).start()
        return done, errors

    def _create_goal(self, name):
        objects_utils.create_test_goal(
            watcher_context.get_admin_context(), name=name)

    def test_write_ahead_log(self):
        with self.db.engine.connect() as conn:
            mode = conn.exec_driver_sql('PRAGMA journal_mode').scalar()
        self.assertEqual('wal', mode)

    def test_a_writer_does_not_wait_for_an_open_read_transaction(self):
        with objects_base.reading():
            self.assertEqual(['g'], [g.name for g in objects.Goal.list(
                self.context)])
            done, errors = self._in_thread(lambda: self._create_goal('w'))
            # With the write lock taken by the reader's BEGIN, the writer
            # would wait here until the read transaction ends.
            self.assertTrue(done.wait(10), 'the writer waited for a reader')
            self.assertEqual([], errors)
            # the reader's snapshot predates the write
            self.assertEqual(['g'], [g.name for g in objects.Goal.list(
                self.context)])
        self.assertEqual({'g', 'w'}, {g.name for g in objects.Goal.list(
            self.context)})

    def test_writers_still_take_the_lock_at_begin(self):
        statements = []

        def seen(conn, cursor, statement, *args):
            statements.append(statement)
        event.listen(self.db.engine, 'after_cursor_execute', seen)
        self.addCleanup(event.remove, self.db.engine, 'after_cursor_execute',
                        seen)
        with objects_base.reading():
            objects.Goal.list(self.context)
        self._create_goal('w2')
        # a read nested in a write belongs to the write
        with sqla_api._session_for_write():
            with sqla_api._session_for_read() as session:
                session.connection().exec_driver_sql('SELECT 1')
        begins = [s for s in statements if s.startswith('BEGIN')]
        self.assertEqual('BEGIN', begins[0])
        self.assertGreaterEqual(len(begins), 3)
        self.assertEqual({'BEGIN IMMEDIATE'}, set(begins[1:]))

    def test_transaction_kind_outermost_wins(self):
        self.assertFalse(sqlite._read_only())
        with sqlite.transaction_kind('read'):
            self.assertTrue(sqlite._read_only())
            with sqlite.transaction_kind('write'):
                self.assertTrue(sqlite._read_only())
        with sqlite.transaction_kind('write'):
            with sqlite.transaction_kind('read'):
                self.assertFalse(sqlite._read_only())
        self.assertFalse(sqlite._read_only())
