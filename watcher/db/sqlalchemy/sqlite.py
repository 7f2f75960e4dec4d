"""SQLite settings that make the embedded database safe for many threads.

watcher-all runs the API, the decision engine and the applier in one
process on one SQLite file. pysqlite begins transactions lazily and SQLite
then upgrades a read lock to a write lock, which fails at once with
"database is locked" when another thread writes. Taking the write lock when
the transaction begins (BEGIN IMMEDIATE), and waiting for it up to a busy
timeout, serialises writers instead of failing them.
"""
from sqlalchemy import event

BUSY_TIMEOUT_MS = 20000


def harden(engine):
    """Install the hooks on a SQLite engine; other engines are left alone."""
    if engine.dialect.name != 'sqlite':
        return engine

    @event.listens_for(engine, 'connect')
    def _connect(dbapi_conn, _record):
        cursor = dbapi_conn.cursor()
        cursor.execute('PRAGMA busy_timeout=%d' % BUSY_TIMEOUT_MS)
        cursor.close()

    # oslo.db turns pysqlite's implicit transactions off and emits its own
    # plain BEGIN; make that BEGIN take the write lock at once.
    @event.listens_for(engine, 'before_cursor_execute', retval=True)
    def _immediate(conn, cursor, statement, parameters, context,
                   executemany):
        if statement.strip().upper() == 'BEGIN':
            statement = 'BEGIN IMMEDIATE'
        return statement, parameters

    return engine
