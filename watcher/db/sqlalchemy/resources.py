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

"""How each resource maps onto its table: model, exceptions, name column,
eager relations and join filters (``RESOURCES``), the filter operators
(``OPS``), the parent joins of list pages, and the wording of a failed
compare-and-set. Read by the generic helpers of
:class:`watcher.db.sqlalchemy.api.Connection`.
"""
import collections.abc

import sqlalchemy as sa
from sqlalchemy import orm

from watcher.common import exception
from watcher.db.sqlalchemy import models


OPS = {
    'eq': lambda col, v: col.is_(None) if v is None else col == v,
    'neq': lambda col, v: col.is_not(None) if v is None else col != v,
    'in': lambda col, v: col.in_(list(v)),
    'notin': lambda col, v: col.not_in(list(v)),
    'not_in': lambda col, v: col.not_in(list(v)),
    'lt': lambda col, v: col < v,
    'lte': lambda col, v: col <= v,
    'gt': lambda col, v: col > v,
    'gte': lambda col, v: col >= v,
}


def ids_where(model, criterion):
    return sa.select(model.id).where(criterion).scalar_subquery()


class Resource:
    """How one resource maps onto its table and its exceptions."""

    def __init__(self, name, model, not_found, not_found_kw, exists,
                 exists_kw=None, has_uuid=True, name_col=None, eager=(),
                 join_filters=None):
        self.name = name
        self.model = model
        self.not_found = not_found
        self.not_found_kw = not_found_kw
        self.exists = exists
        self.exists_kw = exists_kw or (lambda v: {'uuid': v.get('uuid')})
        self.has_uuid = has_uuid
        self.name_col = name_col
        self.eager = eager
        self.join_filters = join_filters or {}
        self.has_state = 'state' in model.__table__.columns

    def raise_not_found(self, ident):
        raise self.not_found(**{self.not_found_kw: ident})

    def raise_exists(self, values):
        raise self.exists(**self.exists_kw(values))


def _via_parent(fk, prefix, parent):
    """``<prefix>_uuid`` and ``<prefix>_name`` filters on the parent row
    that ``fk`` points to (names compared through ``name_key``).
    """
    return {
        prefix + '_uuid': lambda crit: fk.in_(
            ids_where(parent, crit(parent.uuid))),
        prefix + '_name': lambda crit: fk.in_(
            ids_where(parent, crit(parent.name_key))),
    }


def _via_goal(fk):
    return _via_parent(fk, 'goal', models.Goal)


def _via_strategy(fk):
    return _via_parent(fk, 'strategy', models.Strategy)


def _via_audit(fk):
    return _via_parent(fk, 'audit', models.Audit)


def _via_action_plan(fk):
    return {
        'action_plan_uuid': lambda crit: fk.in_(
            ids_where(models.ActionPlan, crit(models.ActionPlan.uuid))),
        'audit_uuid': lambda crit: fk.in_(
            ids_where(models.ActionPlan, models.ActionPlan.audit_id.in_(
                ids_where(models.Audit, crit(models.Audit.uuid))))),
    }


RESOURCES = {
    'goal': Resource(
        'goal', models.Goal, exception.GoalNotFound, 'goal',
        exception.GoalAlreadyExists, name_col='name',
        exists_kw=lambda v: {'uuid': v.get('name') or v.get('uuid')}),
    'strategy': Resource(
        'strategy', models.Strategy, exception.StrategyNotFound, 'strategy',
        exception.StrategyAlreadyExists, name_col='name', eager=('goal',),
        exists_kw=lambda v: {'uuid': v.get('name') or v.get('uuid')},
        join_filters=_via_goal(models.Strategy.goal_id)),
    'audit_template': Resource(
        'audit_template', models.AuditTemplate,
        exception.AuditTemplateNotFound, 'audit_template',
        exception.AuditTemplateAlreadyExists, name_col='name',
        exists_kw=lambda v: {'audit_template': v.get('name') or
                             v.get('uuid')},
        eager=('goal', 'strategy'),
        join_filters=dict(_via_goal(models.AuditTemplate.goal_id),
                          **_via_strategy(models.AuditTemplate.strategy_id))),
    'audit': Resource(
        'audit', models.Audit, exception.AuditNotFound, 'audit',
        exception.AuditAlreadyExists, name_col='name',
        exists_kw=lambda v: {'audit': v.get('name') or v.get('uuid')},
        eager=('goal', 'strategy'),
        join_filters=dict(_via_goal(models.Audit.goal_id),
                          **_via_strategy(models.Audit.strategy_id))),
    'action_plan': Resource(
        'action_plan', models.ActionPlan, exception.ActionPlanNotFound,
        'action_plan', exception.ActionPlanAlreadyExists,
        eager=('audit', 'strategy'),
        join_filters=dict(_via_audit(models.ActionPlan.audit_id),
                          **_via_strategy(models.ActionPlan.strategy_id))),
    'action': Resource(
        'action', models.Action, exception.ActionNotFound, 'action',
        exception.ActionAlreadyExists, eager=('action_plan',),
        join_filters=_via_action_plan(models.Action.action_plan_id)),
    'efficacy_indicator': Resource(
        'efficacy_indicator', models.EfficacyIndicator,
        exception.EfficacyIndicatorNotFound, 'efficacy_indicator',
        exception.EfficacyIndicatorAlreadyExists, eager=('action_plan',),
        join_filters=_via_action_plan(
            models.EfficacyIndicator.action_plan_id)),
    'scoring_engine': Resource(
        'scoring_engine', models.ScoringEngine,
        exception.ScoringEngineNotFound, 'scoring_engine',
        exception.ScoringEngineAlreadyExists, name_col='name',
        exists_kw=lambda v: {'uuid': v.get('name') or v.get('uuid')}),
    'service': Resource(
        'service', models.Service, exception.ServiceNotFound, 'service',
        exception.ServiceAlreadyExists, has_uuid=False, name_col='name',
        exists_kw=lambda v: {'name': v.get('name'), 'host': v.get('host')}),
    'action_description': Resource(
        'action_description', models.ActionDescription,
        exception.ActionDescriptionNotFound, 'action_id',
        exception.ActionDescriptionAlreadyExists, has_uuid=False,
        exists_kw=lambda v: {'action_type': v.get('action_type')}),
}


_PARENT_JOINS = {}


def parent_join(res, name):
    """(alias, join condition, (id, uuid, name) columns) of a parent.

    Built once per relation: building an alias and its expressions costs
    more than the rest of a list query's construction.
    """
    key = (res.name, name)
    try:
        return _PARENT_JOINS[key]
    except KeyError:
        pass
    if name not in res.eager:
        raise ValueError('%s has no parent %s' % (res.name, name))
    model = res.model
    target = orm.aliased(getattr(model, name).property.mapper.class_)
    label = getattr(target, 'name', None)
    join = (target, getattr(model, name + '_id') == target.id,
            (target.id, target.uuid,
             label if label is not None else sa.null()))
    return _PARENT_JOINS.setdefault(key, join)


def describe_expected(expected_state, expected):
    parts = (['|'.join(as_states(expected_state))]
             if expected_state is not None else [])
    parts += ['%s=%s' % item for item in sorted((expected or {}).items())]
    return ', '.join(parts)


def describe_actual(row, expected):
    parts = [str(row.state)]
    parts += ['%s=%s' % (column, getattr(row, column))
              for column in sorted(expected or {})]
    return ', '.join(parts)


def as_states(expected_state):
    if isinstance(expected_state, str):
        return [expected_state]
    if isinstance(expected_state, collections.abc.Iterable):
        return list(expected_state)
    return [expected_state]
