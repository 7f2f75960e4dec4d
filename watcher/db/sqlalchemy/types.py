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

"""Column types that behave the same on SQLite, MariaDB/MySQL and PostgreSQL.

* ``JSONEncoded``: any JSON value stored as text (LONGTEXT on MySQL), so no
  backend's native JSON quirks (key ordering, number rendering) leak out.
* ``UTCDateTime``: stored as a naive UTC timestamp with microseconds on every
  backend (MySQL's DATETIME drops them unless ``fsp=6``); aware values are
  converted to UTC before they are written.
* ``name_type(n)``: a VARCHAR compared and ordered byte-wise everywhere
  (``utf8mb4_nopad_bin`` on MariaDB, ``"C"`` on PostgreSQL; SQLite is
  binary by default), so name lookups and ordering are case- and
  space-sensitive on every backend. Lists sorted by other string columns
  order them the same way (``byte_ordered``).
"""
import datetime
import json

import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy.dialects import postgresql


class JSONEncoded(sa.types.TypeDecorator):
    """A JSON document kept as text."""

    impl = sa.Text
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == 'mysql':
            return dialect.type_descriptor(mysql.LONGTEXT())
        return dialect.type_descriptor(sa.Text())

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return json.dumps(value, separators=(',', ':'), sort_keys=False)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return json.loads(value)

    def compare_values(self, x, y):
        return x == y


class UTCDateTime(sa.types.TypeDecorator):
    """A timestamp stored as naive UTC with microsecond precision."""

    impl = sa.DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == 'mysql':
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(sa.DateTime())

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.datetime.fromisoformat(value)
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(
                tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(
                tzinfo=None)
        return value


class NameString(sa.types.TypeDecorator):
    """VARCHAR compared byte-wise, trailing spaces included, everywhere.

    MariaDB gets ``utf8mb4_nopad_bin`` and MySQL 8 ``utf8mb4_0900_bin``
    (plain ``utf8mb4_bin`` pads: 'a ' would equal 'a'); PostgreSQL gets
    the ``"C"`` collation; SQLite compares bytes already.
    """

    impl = sa.String
    cache_ok = True

    def load_dialect_impl(self, dialect):
        length = self.impl.length
        collation = byte_collation(dialect)
        if dialect.name in ('mysql', 'mariadb'):
            return dialect.type_descriptor(mysql.VARCHAR(
                length, charset='utf8mb4', collation=collation))
        if dialect.name == 'postgresql':
            return dialect.type_descriptor(
                postgresql.VARCHAR(length, collation=collation))
        return dialect.type_descriptor(sa.String(length))


def name_type(length):
    """A case-sensitive, byte-ordered VARCHAR on every backend."""
    return NameString(length)


def byte_collation(dialect):
    """The collation of ``dialect`` that compares bytes.

    Trailing spaces included; None where strings compare so already
    (SQLite).
    """
    if dialect.name in ('mysql', 'mariadb'):
        if getattr(dialect, 'is_mariadb', False):
            return 'utf8mb4_nopad_bin'
        if (dialect.server_version_info or (0,)) >= (8, 0, 17):
            return 'utf8mb4_0900_bin'
        return 'utf8mb4_bin'
    if dialect.name == 'postgresql':
        return 'C'
    return None


def byte_ordered(column, dialect):
    """``column`` for ORDER BY and range comparisons in byte order.

    Other string columns keep the table's default collation (on MariaDB
    case-insensitive, on PostgreSQL the database's locale): sorting and
    paging by them gives the same order on every backend only this way.
    """
    collation = byte_collation(dialect)
    if (collation is None or isinstance(column.type, NameString) or
            not isinstance(column.type, sa.String)):
        return column
    return sa.collate(column, collation)
