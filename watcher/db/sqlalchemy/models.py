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

"""SQLAlchemy models: one class per table of watcher's database.

Soft delete: every table but ``apscheduler_jobs`` carries ``deleted`` and
``deleted_at``. ``deleted`` is 0 for a live row and the row's own id once it
is soft-deleted, so unique constraints spanning ``deleted`` hold among live
rows only, identically on every backend.

Case-insensitive names: goals, strategies, audit templates and audits also
keep ``name_key``, their name case-folded in Python (:func:`fold_name`).
Lookups by name and name uniqueness go through that column and its unique
index, so ``DUMMY`` finds ``dummy`` and ``Foo`` clashes with ``foo`` the
same way on every backend (no collation or SQL ``lower()`` involved, which
differ between SQLite, MariaDB and PostgreSQL), while ``name`` is returned
as stored.
"""
import collections.abc

from oslo_db.sqlalchemy import models
import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy import orm

from watcher.common import utils
from watcher.db.sqlalchemy.types import JSONEncoded
from watcher.db.sqlalchemy.types import name_type
from watcher.db.sqlalchemy.types import UTCDateTime

TABLE_ARGS = {'mysql_engine': 'InnoDB', 'mysql_charset': 'utf8mb4'}

NAMING_CONVENTION = {
    'ix': 'ix_%(table_name)s_%(column_0_N_name)s',
    'fk': 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s',
    'pk': 'pk_%(table_name)s',
}


def _utcnow():
    return utils.utcnow(naive=True)


def fold_name(name):
    """The form in which names are compared: case-folded (None stays)."""
    if name is None:
        return None
    if isinstance(name, str):
        return name.casefold()
    if isinstance(name, collections.abc.Iterable):
        return [fold_name(n) for n in name]
    return name


def _name_key_default(context):
    return fold_name(context.get_current_parameters().get('name'))


def _name_key_column(nullable=False):
    # casefold can lengthen a name ('ß' -> 'ss'): room for that
    return sa.Column(name_type(255), nullable=nullable,
                     default=_name_key_default)


def has_name_key(model):
    return 'name_key' in model.__table__.columns


def with_name_key(model, values):
    """``values`` with ``name_key`` following a new ``name``."""
    if 'name' in values and has_name_key(model):
        values = dict(values, name_key=fold_name(values['name']))
    return values


def lookup(model, column, value):
    """(column, value) that compare ``column`` against ``value``.

    ``name`` of a model with a ``name_key`` compares case-insensitively,
    and so does ``uuid`` (stored in lower case; MariaDB's collation finds
    an upper-case spelling, so every backend does).
    """
    if column == 'name' and has_name_key(model):
        return model.name_key, fold_name(value)
    if column == 'uuid':
        return model.uuid, fold_name(value)
    return getattr(model, column), value


class WatcherBase(models.ModelBase):
    """Columns and helpers shared by every soft-deletable table."""

    created_at = sa.Column(UTCDateTime(), default=_utcnow)
    updated_at = sa.Column(UTCDateTime(), onupdate=_utcnow)
    deleted_at = sa.Column(UTCDateTime())
    deleted = sa.Column(sa.Integer, default=0, nullable=False,
                        server_default='0')

    def as_dict(self):
        return {c.name: getattr(self, c.name) for c in self.__table__.columns}


Base = orm.declarative_base(
    cls=WatcherBase,
    metadata=sa.MetaData(naming_convention=NAMING_CONVENTION))


def _uuid_column():
    return sa.Column(sa.String(36), nullable=False)


class Goal(Base):
    __tablename__ = 'goals'
    __table_args__ = (
        sa.UniqueConstraint('uuid', 'deleted', name='uniq_goals0uuid'),
        sa.UniqueConstraint('name_key', 'deleted',
                            name='uniq_goals0name_key'),
        TABLE_ARGS)

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    uuid = _uuid_column()
    name = sa.Column(name_type(63), nullable=False)
    name_key = _name_key_column()
    display_name = sa.Column(name_type(63), nullable=False)
    efficacy_specification = sa.Column(JSONEncoded(), nullable=False)


class Strategy(Base):
    __tablename__ = 'strategies'
    __table_args__ = (
        sa.UniqueConstraint('uuid', 'deleted', name='uniq_strategies0uuid'),
        sa.UniqueConstraint('name_key', 'deleted',
                            name='uniq_strategies0name_key'),
        TABLE_ARGS)

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    uuid = _uuid_column()
    name = sa.Column(name_type(63), nullable=False)
    name_key = _name_key_column()
    display_name = sa.Column(name_type(63), nullable=False)
    goal_id = sa.Column(sa.Integer, sa.ForeignKey('goals.id'),
                        nullable=False, index=True)
    parameters_spec = sa.Column(JSONEncoded(), nullable=True)

    goal = orm.relationship(Goal, lazy='raise', foreign_keys=goal_id)


class AuditTemplate(Base):
    __tablename__ = 'audit_templates'
    __table_args__ = (
        sa.UniqueConstraint('uuid', 'deleted',
                            name='uniq_audit_templates0uuid'),
        sa.UniqueConstraint('name_key', 'deleted',
                            name='uniq_audit_templates0name_key'),
        TABLE_ARGS)

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    uuid = _uuid_column()
    name = sa.Column(name_type(63), nullable=False)
    name_key = _name_key_column()
    description = sa.Column(sa.String(255), nullable=True)
    goal_id = sa.Column(sa.Integer, sa.ForeignKey('goals.id'),
                        nullable=False, index=True)
    strategy_id = sa.Column(sa.Integer, sa.ForeignKey('strategies.id'),
                            nullable=True, index=True)
    scope = sa.Column(JSONEncoded(), nullable=True)
    default_parameters = sa.Column(JSONEncoded(), nullable=True)

    goal = orm.relationship(Goal, lazy='raise', foreign_keys=goal_id)
    strategy = orm.relationship(Strategy, lazy='raise',
                                foreign_keys=strategy_id)


class Audit(Base):
    __tablename__ = 'audits'
    __table_args__ = (
        sa.UniqueConstraint('uuid', 'deleted', name='uniq_audits0uuid'),
        sa.UniqueConstraint('name_key', 'deleted',
                            name='uniq_audits0name_key'),
        sa.Index('ix_audits_state', 'state'),
        TABLE_ARGS)

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    uuid = _uuid_column()
    name = sa.Column(name_type(63), nullable=True)
    name_key = _name_key_column(nullable=True)
    audit_type = sa.Column(sa.String(20), nullable=False)
    state = sa.Column(sa.String(20), nullable=False)
    parameters = sa.Column(JSONEncoded(), nullable=True)
    interval = sa.Column(sa.String(36), nullable=True)
    goal_id = sa.Column(sa.Integer, sa.ForeignKey('goals.id'),
                        nullable=False, index=True)
    strategy_id = sa.Column(sa.Integer, sa.ForeignKey('strategies.id'),
                            nullable=True, index=True)
    scope = sa.Column(JSONEncoded(), nullable=True)
    auto_trigger = sa.Column(sa.Boolean, nullable=False, default=False,
                             server_default=sa.false())
    next_run_time = sa.Column(UTCDateTime(), nullable=True)
    hostname = sa.Column(sa.String(255), nullable=True)
    start_time = sa.Column(UTCDateTime(), nullable=True)
    end_time = sa.Column(UTCDateTime(), nullable=True)
    force = sa.Column(sa.Boolean, nullable=False, default=False,
                      server_default=sa.false())
    status_message = sa.Column(sa.String(255), nullable=True)

    goal = orm.relationship(Goal, lazy='raise', foreign_keys=goal_id)
    strategy = orm.relationship(Strategy, lazy='raise',
                                foreign_keys=strategy_id)


class ActionPlan(Base):
    __tablename__ = 'action_plans'
    __table_args__ = (
        sa.UniqueConstraint('uuid', 'deleted',
                            name='uniq_action_plans0uuid'),
        sa.Index('ix_action_plans_state', 'state'),
        TABLE_ARGS)

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    uuid = _uuid_column()
    audit_id = sa.Column(sa.Integer, sa.ForeignKey('audits.id'),
                         nullable=False, index=True)
    strategy_id = sa.Column(sa.Integer, sa.ForeignKey('strategies.id'),
                            nullable=False, index=True)
    state = sa.Column(sa.String(20), nullable=False)
    global_efficacy = sa.Column(JSONEncoded(), nullable=True)
    hostname = sa.Column(sa.String(255), nullable=True)
    status_message = sa.Column(sa.String(255), nullable=True)

    audit = orm.relationship(Audit, lazy='raise', foreign_keys=audit_id)
    strategy = orm.relationship(Strategy, lazy='raise',
                                foreign_keys=strategy_id)


class Action(Base):
    __tablename__ = 'actions'
    __table_args__ = (
        sa.UniqueConstraint('uuid', 'deleted', name='uniq_actions0uuid'),
        TABLE_ARGS)

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    uuid = _uuid_column()
    action_plan_id = sa.Column(sa.Integer, sa.ForeignKey('action_plans.id'),
                               nullable=False, index=True)
    action_type = sa.Column(sa.String(255), nullable=False)
    input_parameters = sa.Column(JSONEncoded(), nullable=True)
    state = sa.Column(sa.String(20), nullable=False)
    parents = sa.Column(JSONEncoded(), nullable=True)
    status_message = sa.Column(sa.String(255), nullable=True)

    action_plan = orm.relationship(ActionPlan, lazy='raise',
                                   foreign_keys=action_plan_id)


class EfficacyIndicator(Base):
    __tablename__ = 'efficacy_indicators'
    __table_args__ = (
        sa.UniqueConstraint('uuid', 'deleted',
                            name='uniq_efficacy_indicators0uuid'),
        TABLE_ARGS)

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    uuid = _uuid_column()
    name = sa.Column(name_type(63), nullable=False)
    description = sa.Column(sa.String(255), nullable=True)
    unit = sa.Column(sa.String(63), nullable=True)
    value = sa.Column(sa.Double(), nullable=True)
    action_plan_id = sa.Column(sa.Integer, sa.ForeignKey('action_plans.id'),
                               nullable=False, index=True)

    action_plan = orm.relationship(ActionPlan, lazy='raise',
                                   foreign_keys=action_plan_id)


class ScoringEngine(Base):
    __tablename__ = 'scoring_engines'
    __table_args__ = (
        sa.UniqueConstraint('uuid', 'deleted',
                            name='uniq_scoring_engines0uuid'),
        sa.UniqueConstraint('name', 'deleted',
                            name='uniq_scoring_engines0name'),
        TABLE_ARGS)

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    uuid = _uuid_column()
    name = sa.Column(name_type(63), nullable=False)
    description = sa.Column(sa.String(255), nullable=True)
    # Free text (often JSON) describing the engine, owned by its plugin.
    metainfo = sa.Column(sa.Text().with_variant(
        mysql.LONGTEXT(), 'mysql', 'mariadb'), nullable=True)


class Service(Base):
    __tablename__ = 'services'
    __table_args__ = (
        sa.UniqueConstraint('host', 'name', 'deleted',
                            name='uniq_services0host0name0deleted'),
        TABLE_ARGS)

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    name = sa.Column(name_type(255), nullable=False)
    host = sa.Column(name_type(255), nullable=False)
    last_seen_up = sa.Column(UTCDateTime(), nullable=True)


class ActionDescription(Base):
    __tablename__ = 'action_descriptions'
    __table_args__ = (
        sa.UniqueConstraint('action_type', 'deleted',
                            name='uniq_action_descriptions0action_type'),
        TABLE_ARGS)

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    action_type = sa.Column(name_type(255), nullable=False)
    description = sa.Column(sa.String(255), nullable=False)


class APSchedulerJob(Base.registry.generate_base()):
    """Job store of the decision engine's scheduler (one row per job).

    ``service_id`` names the live service that owns (runs) the job; ``tag``
    is ``{"host": ..., "name": ...}`` of that service. No soft delete.
    """
    __tablename__ = 'apscheduler_jobs'
    __table_args__ = (TABLE_ARGS,)

    id = sa.Column(name_type(191), primary_key=True)
    next_run_time = sa.Column(sa.Double(), index=True)
    job_state = sa.Column(sa.LargeBinary().with_variant(
        mysql.LONGBLOB(), 'mysql', 'mariadb'), nullable=False)
    service_id = sa.Column(sa.Integer, sa.ForeignKey('services.id'),
                           nullable=False, index=True)
    tag = sa.Column(JSONEncoded(), nullable=True)


# Every table, parents before children (create order; reverse to drop).
TABLES = [Goal, Strategy, AuditTemplate, Audit, ActionPlan, Action,
          EfficacyIndicator, ScoringEngine, Service, ActionDescription,
          APSchedulerJob]
