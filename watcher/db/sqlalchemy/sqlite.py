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

"""SQLite settings that make the embedded database safe for many threads.

watcher-all runs the API, the decision engine and the applier in one
process on one SQLite file. pysqlite begins transactions lazily and SQLite
then upgrades a read lock to a write lock, which fails at once with
"database is locked" when another thread writes. Taking the write lock when
the transaction begins (BEGIN IMMEDIATE), and waiting for it up to a busy
timeout, serialises writers instead of failing them.

A transaction that only reads never needs that upgrade: one begun inside
``transaction_kind('read')`` (the database API's read transactions) takes
no write lock, and with the write-ahead log (journal_mode WAL) readers and
the one writer do not wait for each other. Reads no longer queue behind
the write lock, nor behind each other.
"""
import contextlib
import threading

from sqlalchemy import event

BUSY_TIMEOUT_MS = 20000

_KINDS = threading.local()


@contextlib.contextmanager
def transaction_kind(kind):
    """Mark the transactions this thread begins inside as ``kind``.

    ``kind`` is ``'read'`` or ``'write'``. What counts is the outermost
    mark: a read nested in a write transaction belongs to the write.
    """
    outer = getattr(_KINDS, 'kind', None)
    if outer is None:
        _KINDS.kind = kind
    try:
        yield
    finally:
        if outer is None:
            _KINDS.kind = None


def _read_only():
    return getattr(_KINDS, 'kind', None) == 'read'


def harden(engine):
    """Install the hooks on a SQLite engine; other engines are left alone."""
    if engine.dialect.name != 'sqlite':
        return engine

    @event.listens_for(engine, 'connect')
    def _connect(dbapi_conn, _record):
        cursor = dbapi_conn.cursor()
        cursor.execute('PRAGMA busy_timeout=%d' % BUSY_TIMEOUT_MS)
        # In-memory databases answer "memory" and keep their journal.
        cursor.execute('PRAGMA journal_mode=WAL')
        cursor.close()

    # oslo.db turns pysqlite's implicit transactions off and emits its own
    # plain BEGIN; make that BEGIN take the write lock at once, unless the
    # transaction only reads.
    @event.listens_for(engine, 'before_cursor_execute', retval=True)
    def _immediate(conn, cursor, statement, parameters, context,
                   executemany):
        if statement.strip().upper() == 'BEGIN' and not _read_only():
            statement = 'BEGIN IMMEDIATE'
        return statement, parameters

    return engine
