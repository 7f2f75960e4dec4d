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

"""Case-insensitive names: ``name_key`` on goals, strategies, audit
templates and audits, unique among live rows in place of ``name``.

Revision ID: 0002_name_key
Revises: 0001_initial
Create Date: 2026-12-04 19:30:00

Existing rows get their key from the same Python folding the service uses
(``models.fold_name``), not from SQL ``lower()``, which folds differently
on each backend. Live rows whose names differ only by case cannot both
keep their names: the upgrade stops and names them, for the operator to
rename or delete one of each pair first.
"""
import collections

from alembic import op
import sqlalchemy as sa

from watcher.db.sqlalchemy.models import fold_name
from watcher.db.sqlalchemy.types import name_type

revision = '0002_name_key'
down_revision = '0001_initial'
branch_labels = None
depends_on = None

# table -> whether name (and so name_key) may be NULL
TABLES = {'goals': False, 'strategies': False, 'audit_templates': False,
          'audits': True}


def _rows(table):
    return sa.table(table, sa.column('id', sa.Integer()),
                    sa.column('name', sa.String()),
                    sa.column('name_key', sa.String()),
                    sa.column('deleted', sa.Integer()))


def _check_no_clash(table):
    # before any change: MariaDB cannot roll DDL back
    rows = _rows(table)
    live = collections.defaultdict(list)
    for name, in op.get_bind().execute(sa.select(rows.c.name).where(
            rows.c.deleted == 0, rows.c.name.is_not(None))):
        live[fold_name(name)].append(name)
    clashes = [names for names in live.values() if len(names) > 1]
    if clashes:
        raise RuntimeError(
            '%s: names that differ only by case must be made distinct '
            'before this upgrade: %s' % (table, '; '.join(
                ', '.join(repr(n) for n in sorted(names))
                for names in clashes)))


def _fill_keys(table):
    rows = _rows(table)
    conn = op.get_bind()
    for ident, name in conn.execute(sa.select(rows.c.id, rows.c.name)):
        conn.execute(sa.update(rows).where(rows.c.id == ident).values(
            name_key=fold_name(name)))


def upgrade():
    for table in TABLES:
        _check_no_clash(table)
    for table, nullable in TABLES.items():
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('name_key', name_type(255),
                                       nullable=True))
        _fill_keys(table)
        with op.batch_alter_table(table) as batch:
            if not nullable:
                batch.alter_column('name_key', existing_type=name_type(255),
                                   nullable=False)
            batch.drop_constraint('uniq_%s0name' % table, type_='unique')
            batch.create_unique_constraint('uniq_%s0name_key' % table,
                                           ['name_key', 'deleted'])


def downgrade():
    for table in reversed(list(TABLES)):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint('uniq_%s0name_key' % table,
                                  type_='unique')
            batch.create_unique_constraint('uniq_%s0name' % table,
                                           ['name', 'deleted'])
            batch.drop_column('name_key')
