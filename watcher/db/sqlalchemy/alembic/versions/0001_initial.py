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

"""Initial schema: every table of watcher.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-22 00:00:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

from watcher.db.sqlalchemy.types import JSONEncoded
from watcher.db.sqlalchemy.types import name_type
from watcher.db.sqlalchemy.types import UTCDateTime

revision = '0001_initial'
down_revision = None
branch_labels = None
depends_on = None

_MYSQL = {'mysql_engine': 'InnoDB', 'mysql_charset': 'utf8mb4'}


def _longtext():
    return sa.Text().with_variant(mysql.LONGTEXT(), 'mysql',
                                  'mariadb')


def _common(table):
    """id, soft-delete and timestamp columns shared by the tables."""
    return [
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=True),
        sa.Column('updated_at', UTCDateTime(), nullable=True),
        sa.Column('deleted_at', UTCDateTime(), nullable=True),
        sa.Column('deleted', sa.Integer(), server_default='0',
                  nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_%s' % table),
    ]


def _uniq(table, *columns):
    name = 'uniq_%s0%s' % (table, columns[0])
    return sa.UniqueConstraint(*(columns + ('deleted',)), name=name)


def _fk(table, column, target):
    return sa.ForeignKeyConstraint(
        [column], ['%s.id' % target],
        name='fk_%s_%s_%s' % (table, column, target))


def _index(table, column):
    op.create_index('ix_%s_%s' % (table, column), table, [column])


def upgrade():
    op.create_table(
        'goals',
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('name', name_type(63), nullable=False),
        sa.Column('display_name', name_type(63), nullable=False),
        sa.Column('efficacy_specification', JSONEncoded(), nullable=False),
        *_common('goals'),
        _uniq('goals', 'uuid'), _uniq('goals', 'name'),
        **_MYSQL)

    op.create_table(
        'strategies',
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('name', name_type(63), nullable=False),
        sa.Column('display_name', name_type(63), nullable=False),
        sa.Column('goal_id', sa.Integer(), nullable=False),
        sa.Column('parameters_spec', JSONEncoded(), nullable=True),
        *_common('strategies'),
        _uniq('strategies', 'uuid'), _uniq('strategies', 'name'),
        _fk('strategies', 'goal_id', 'goals'),
        **_MYSQL)
    _index('strategies', 'goal_id')

    op.create_table(
        'audit_templates',
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('name', name_type(63), nullable=False),
        sa.Column('description', sa.String(255), nullable=True),
        sa.Column('goal_id', sa.Integer(), nullable=False),
        sa.Column('strategy_id', sa.Integer(), nullable=True),
        sa.Column('scope', JSONEncoded(), nullable=True),
        sa.Column('default_parameters', JSONEncoded(), nullable=True),
        *_common('audit_templates'),
        _uniq('audit_templates', 'uuid'), _uniq('audit_templates', 'name'),
        _fk('audit_templates', 'goal_id', 'goals'),
        _fk('audit_templates', 'strategy_id', 'strategies'),
        **_MYSQL)
    _index('audit_templates', 'goal_id')
    _index('audit_templates', 'strategy_id')

    op.create_table(
        'audits',
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('name', name_type(63), nullable=True),
        sa.Column('audit_type', sa.String(20), nullable=False),
        sa.Column('state', sa.String(20), nullable=False),
        sa.Column('parameters', JSONEncoded(), nullable=True),
        sa.Column('interval', sa.String(36), nullable=True),
        sa.Column('goal_id', sa.Integer(), nullable=False),
        sa.Column('strategy_id', sa.Integer(), nullable=True),
        sa.Column('scope', JSONEncoded(), nullable=True),
        sa.Column('auto_trigger', sa.Boolean(), server_default=sa.false(),
                  nullable=False),
        sa.Column('next_run_time', UTCDateTime(), nullable=True),
        sa.Column('hostname', sa.String(255), nullable=True),
        sa.Column('start_time', UTCDateTime(), nullable=True),
        sa.Column('end_time', UTCDateTime(), nullable=True),
        sa.Column('force', sa.Boolean(), server_default=sa.false(),
                  nullable=False),
        sa.Column('status_message', sa.String(255), nullable=True),
        *_common('audits'),
        _uniq('audits', 'uuid'), _uniq('audits', 'name'),
        _fk('audits', 'goal_id', 'goals'),
        _fk('audits', 'strategy_id', 'strategies'),
        **_MYSQL)
    _index('audits', 'goal_id')
    _index('audits', 'strategy_id')
    _index('audits', 'state')

    op.create_table(
        'action_plans',
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('audit_id', sa.Integer(), nullable=False),
        sa.Column('strategy_id', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(20), nullable=False),
        sa.Column('global_efficacy', JSONEncoded(), nullable=True),
        sa.Column('hostname', sa.String(255), nullable=True),
        sa.Column('status_message', sa.String(255), nullable=True),
        *_common('action_plans'),
        _uniq('action_plans', 'uuid'),
        _fk('action_plans', 'audit_id', 'audits'),
        _fk('action_plans', 'strategy_id', 'strategies'),
        **_MYSQL)
    _index('action_plans', 'audit_id')
    _index('action_plans', 'strategy_id')
    _index('action_plans', 'state')

    op.create_table(
        'actions',
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('action_plan_id', sa.Integer(), nullable=False),
        sa.Column('action_type', sa.String(255), nullable=False),
        sa.Column('input_parameters', JSONEncoded(), nullable=True),
        sa.Column('state', sa.String(20), nullable=False),
        sa.Column('parents', JSONEncoded(), nullable=True),
        sa.Column('status_message', sa.String(255), nullable=True),
        *_common('actions'),
        _uniq('actions', 'uuid'),
        _fk('actions', 'action_plan_id', 'action_plans'),
        **_MYSQL)
    _index('actions', 'action_plan_id')

    op.create_table(
        'efficacy_indicators',
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('name', name_type(63), nullable=False),
        sa.Column('description', sa.String(255), nullable=True),
        sa.Column('unit', sa.String(63), nullable=True),
        sa.Column('value', sa.Double(), nullable=True),
        sa.Column('action_plan_id', sa.Integer(), nullable=False),
        *_common('efficacy_indicators'),
        _uniq('efficacy_indicators', 'uuid'),
        _fk('efficacy_indicators', 'action_plan_id', 'action_plans'),
        **_MYSQL)
    _index('efficacy_indicators', 'action_plan_id')

    op.create_table(
        'scoring_engines',
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('name', name_type(63), nullable=False),
        sa.Column('description', sa.String(255), nullable=True),
        sa.Column('metainfo', _longtext(), nullable=True),
        *_common('scoring_engines'),
        _uniq('scoring_engines', 'uuid'), _uniq('scoring_engines', 'name'),
        **_MYSQL)

    op.create_table(
        'services',
        sa.Column('name', name_type(255), nullable=False),
        sa.Column('host', name_type(255), nullable=False),
        sa.Column('last_seen_up', UTCDateTime(), nullable=True),
        *_common('services'),
        sa.UniqueConstraint('host', 'name', 'deleted',
                            name='uniq_services0host0name0deleted'),
        **_MYSQL)

    op.create_table(
        'action_descriptions',
        sa.Column('action_type', name_type(255), nullable=False),
        sa.Column('description', sa.String(255), nullable=False),
        *_common('action_descriptions'),
        _uniq('action_descriptions', 'action_type'),
        **_MYSQL)

    op.create_table(
        'apscheduler_jobs',
        sa.Column('id', name_type(191), nullable=False),
        sa.Column('next_run_time', sa.Double(), nullable=True),
        sa.Column('job_state', sa.LargeBinary().with_variant(
            mysql.LONGBLOB(), 'mysql', 'mariadb'),
            nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.Column('tag', JSONEncoded(), nullable=True),
        sa.PrimaryKeyConstraint('id', name='pk_apscheduler_jobs'),
        _fk('apscheduler_jobs', 'service_id', 'services'),
        **_MYSQL)
    _index('apscheduler_jobs', 'next_run_time')
    _index('apscheduler_jobs', 'service_id')


def downgrade():
    for table in ('apscheduler_jobs', 'action_descriptions', 'services',
                  'scoring_engines', 'efficacy_indicators', 'actions',
                  'action_plans', 'audits', 'audit_templates', 'strategies',
                  'goals'):
        op.drop_table(table)
