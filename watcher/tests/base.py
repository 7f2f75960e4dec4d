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

"""Base classes and fixtures for watcher's tests.

* ``TestCase``: a testtools test case (pytest runs it too) whose
  configuration overrides are undone after each test (``self.flags(...)``
  sets options, ``self.useFixture(ConfFixture())`` is already in place) and
  which gives an admin request context as ``self.context``.
* ``DbTestCase``: a ``TestCase`` with a fresh, empty SQLite schema per test
  (``DbFixture``); the database API is reachable as ``self.dbapi``.
* ``DbFixture``: use it directly (``self.useFixture(DbFixture())``) in other
  test classes; ``fixture.engine`` is the engine of the test's database.

The schema is built once per process and copied into each test's private
in-memory database, so a DB test costs about a millisecond of set-up.
"""
import os
import sqlite3
import threading
import unittest

import fixtures
from oslo_config import fixture as config_fixture
from oslo_db.sqlalchemy import enginefacade
import testtools

from watcher.common import context as watcher_context
from watcher.conf import CONF
from watcher.db import api as db_api
from watcher.db.sqlalchemy import api as sqla_api
from watcher.db.sqlalchemy import models
from watcher.db.sqlalchemy import sqlite

_TEMPLATE = None
_TEMPLATE_LOCK = threading.Lock()


def _protect_default_database():
    """Outside a DbFixture, tests reach an empty in-memory database.

    Never the ``[database] connection`` default (a ``watcher.sqlite`` file
    in the working directory), even from a thread that outlives its test.
    """
    manager = sqla_api.get_context_manager()
    if not manager.is_started:
        manager.configure(connection='sqlite://', sqlite_fk=True)


_protect_default_database()


def _template_db():
    """An in-memory SQLite database holding the empty schema (built once)."""
    global _TEMPLATE
    with _TEMPLATE_LOCK:
        if _TEMPLATE is None:
            manager = enginefacade.transaction_context()
            manager.configure(connection='sqlite://', sqlite_fk=True)
            engine = manager.writer.get_engine()
            models.Base.metadata.create_all(engine)
            _TEMPLATE = engine
        return _TEMPLATE


class ConfFixture(fixtures.Fixture):
    """Undo every configuration override at clean-up."""

    def _setUp(self):
        self.conf = self.useFixture(config_fixture.Config(CONF)).conf
        self.conf.set_default('connection', 'sqlite://', group='database')
        self.conf.set_default('host', 'test-host')


class DbFixture(fixtures.Fixture):
    """A private in-memory SQLite database with watcher's schema."""

    def _setUp(self):
        template = _template_db()
        manager = enginefacade.transaction_context()
        manager.configure(connection='sqlite://', sqlite_fk=True)
        self.engine = manager.writer.get_engine()
        with template.raw_connection() as src, \
                self.engine.raw_connection() as dst:
            source = src.driver_connection
            target = dst.driver_connection
            assert isinstance(source, sqlite3.Connection)
            source.backup(target)
        reset = sqla_api.get_context_manager().patch_factory(manager)
        # No engine.dispose() at clean-up: a background thread a test left
        # running may still be inside a query, and closing the shared
        # SQLite connection under it crashes the process. The engine goes
        # away with its last user.
        self.addCleanup(reset)
        self.dbapi = db_api.get_instance()


class FileDbFixture(fixtures.Fixture):
    """watcher's schema in a SQLite *file*, safe for many threads.

    Code that writes from several threads (applier, services, the audit
    pipeline) needs one connection per thread, as in production; the
    in-memory database of :class:`DbFixture` shares one connection, which
    would mix their transactions. The file gets the production SQLite
    settings (write lock taken at BEGIN, busy timeout).
    """

    def __init__(self, directory=None):
        super().__init__()
        self.directory = directory

    def _setUp(self):
        directory = self.directory or self.useFixture(
            fixtures.TempDir()).path
        self.path = os.path.join(directory, 'watcher.sqlite')
        self.url = 'sqlite:///%s' % self.path
        with _template_db().raw_connection() as src:
            target = sqlite3.connect(self.path)
            try:
                src.driver_connection.backup(target)
            finally:
                target.close()
        manager = enginefacade.transaction_context()
        manager.configure(connection=self.url, sqlite_fk=True)
        self.engine = sqlite.harden(manager.writer.get_engine())
        reset = sqla_api.get_context_manager().patch_factory(manager)
        self.addCleanup(self.engine.dispose)
        self.addCleanup(reset)
        self.dbapi = db_api.get_instance()


class TestCase(testtools.TestCase):
    """Base of every watcher unit test."""

    def setUp(self):
        super().setUp()
        self.conf_fixture = self.useFixture(ConfFixture())
        self.context = watcher_context.get_admin_context()

    def flags(self, group=None, **kw):
        """Override options for the duration of the test."""
        for key, value in kw.items():
            self.conf_fixture.conf.set_override(key, value, group)


class DbTestCase(TestCase):
    """A test case with a fresh database per test."""

    def setUp(self):
        super().setUp()
        self.db_fixture = self.useFixture(DbFixture())
        self.dbapi = self.db_fixture.dbapi
        self.engine = self.db_fixture.engine


# --- real database servers (integration tests) ------------------------------

SERVER_URLS = {
    'mysql': 'mysql+pymysql://root@127.0.0.1:3306/',
    'postgresql': 'postgresql+psycopg2://postgres@127.0.0.1:5432/postgres',
}


_UNAVAILABLE = {}


def server_unavailable_reason(backend):
    """Why the local ``backend`` server cannot be used (None if it can).

    Asked once per process and backend.
    """
    if backend == 'sqlite':
        return None
    url = SERVER_URLS[backend]
    if url not in _UNAVAILABLE:
        import sqlalchemy as sa
        engine = sa.create_engine(url)
        try:
            with engine.connect() as conn:
                conn.execute(sa.text('SELECT 1'))
            _UNAVAILABLE[url] = None
        except Exception as exc:
            _UNAVAILABLE[url] = '%s server not reachable at %s: %s' % (
                backend, url.split('@')[-1].rstrip('/').split('/')[0],
                str(exc).splitlines()[0])
        finally:
            engine.dispose()
    return _UNAVAILABLE[url]


def require_server(backend):
    """Skip the calling test (or class set-up) when the server is absent."""
    reason = server_unavailable_reason(backend)
    if reason:
        raise unittest.SkipTest(reason)


class ServerDatabase(fixtures.Fixture):
    """A private database ``watcher_test_<random>`` on a local server.

    ``backend`` is ``sqlite`` (a temporary in-memory database), ``mysql``
    (MariaDB at 127.0.0.1:3306, root, no password) or ``postgresql``
    (127.0.0.1:5432, user postgres, trust). Call ``require_server(backend)``
    first in the test's setUp (a skip raised inside a fixture is reported
    as an error by pytest). ``self.url`` and
    ``self.engine`` reach the database; it is dropped at clean-up.
    """

    def __init__(self, backend):
        super().__init__()
        self.backend = backend

    def _setUp(self):
        import sqlalchemy as sa
        import uuid

        if self.backend == 'sqlite':
            self.url = 'sqlite://'
            self.engine = sa.create_engine(self.url)
            self.addCleanup(self.engine.dispose)
            return
        require_server(self.backend)
        server_url = SERVER_URLS[self.backend]
        admin = sa.create_engine(server_url, isolation_level='AUTOCOMMIT')
        self.addCleanup(admin.dispose)
        name = 'watcher_test_' + uuid.uuid4().hex[:12]
        with admin.connect() as conn:
            if self.backend == 'mysql':
                conn.execute(sa.text(
                    'CREATE DATABASE %s CHARACTER SET utf8mb4' % name))
            else:
                conn.execute(sa.text('CREATE DATABASE %s' % name))

        def drop():
            with admin.connect() as conn:
                if self.backend == 'postgresql':
                    conn.execute(sa.text(
                        'SELECT pg_terminate_backend(pid) FROM '
                        'pg_stat_activity WHERE datname = :n AND '
                        'pid <> pg_backend_pid()'), {'n': name})
                conn.execute(sa.text('DROP DATABASE IF EXISTS %s' % name))
        self.addCleanup(drop)
        base_url = server_url.rsplit('/', 1)[0]
        self.url = base_url + '/' + name
        if self.backend == 'mysql':
            self.url += '?charset=utf8mb4'
        self.engine = sa.create_engine(self.url)
        self.addCleanup(self.engine.dispose)


class BackendDbFixture(fixtures.Fixture):
    """Point the database API at a ``ServerDatabase`` migrated to head."""

    def __init__(self, backend):
        super().__init__()
        self.backend = backend

    def _setUp(self):
        from watcher.db.sqlalchemy import migration
        server = self.useFixture(ServerDatabase(self.backend))
        manager = enginefacade.transaction_context()
        manager.configure(connection=server.url, sqlite_fk=True)
        self.engine = manager.writer.get_engine()
        self.addCleanup(self.engine.dispose)
        migration.upgrade('head', engine=self.engine)
        reset = sqla_api.get_context_manager().patch_factory(manager)
        self.addCleanup(reset)
        self.dbapi = db_api.get_instance()


class BackendClassMixin:
    """One database of ``backend`` per test class, empty tables per test.

    Migrating a MariaDB database takes seconds, so a class shares one; set
    ``backend`` to 'sqlite', 'mysql' or 'postgresql' in the concrete class.
    """

    backend = None
    _db = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        require_server(cls.backend)
        cls._db = BackendDbFixture(cls.backend)
        try:
            cls._db.setUp()
        except Exception:
            cls._db = None
            raise

    @classmethod
    def tearDownClass(cls):
        if cls._db is not None:
            cls._db.cleanUp()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        with self._db.engine.begin() as conn:
            for table in reversed(models.Base.metadata.sorted_tables):
                conn.execute(table.delete())
