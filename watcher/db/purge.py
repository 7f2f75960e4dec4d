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

"""``watcher-db-manage purge``: remove soft-deleted rows for good.

What is purged
  * rows soft-deleted more than ``age_in_days`` days ago (any age when not
    given): goals, strategies, audit templates, audits, action plans,
    scoring engines and action descriptions;
  * orphans, unless ``exclude_orphans``: live or recently deleted rows whose
    parent is gone or purged (a strategy, template or audit of such a goal,
    a template or audit of such a strategy, a plan of such an audit or
    strategy);
  * actions and efficacy indicators only together with their action plan.

Integrity
  * a purged parent takes all its children with it (an audit all its action
    plans, a plan all its actions and indicators), never a part of them; a
    parent whose children cannot all go (a live child while orphans are
    excluded) is kept, with its children;
  * a row still referenced by a row that stays is kept (a goal used by a
    live strategy, a strategy used by a kept audit...);
  * ``goal`` (uuid or name) limits the purge to that goal's strategies,
    templates, audits (with their plans and actions) and the goal itself;
  * ``max_number``: when more rows than that would go, nothing is deleted
    (``PurgeLimitExceeded``);
  * ``dry_run``: count and report only.

Everything is deleted in one transaction, children first.
"""
import collections
import datetime
import sys

import sqlalchemy as sa

from watcher.common import exception
from watcher.common import utils
from watcher.db.sqlalchemy import api as sqla_api
from watcher.db.sqlalchemy import models

# Report order (parents first) and the table of each type.
TYPES = collections.OrderedDict([
    ('goals', models.Goal),
    ('strategies', models.Strategy),
    ('audit_templates', models.AuditTemplate),
    ('audits', models.Audit),
    ('action_plans', models.ActionPlan),
    ('actions', models.Action),
    ('efficacy_indicators', models.EfficacyIndicator),
    ('scoring_engines', models.ScoringEngine),
    ('action_descriptions', models.ActionDescription),
])

LABELS = {
    'goals': 'Goals',
    'strategies': 'Strategies',
    'audit_templates': 'Audit Templates',
    'audits': 'Audits',
    'action_plans': 'Action Plans',
    'actions': 'Actions',
    'efficacy_indicators': 'Efficacy Indicators',
    'scoring_engines': 'Scoring Engines',
    'action_descriptions': 'Action Descriptions',
}

_FKS = {
    'strategies': ('goal_id',),
    'audit_templates': ('goal_id', 'strategy_id'),
    'audits': ('goal_id', 'strategy_id'),
    'action_plans': ('audit_id', 'strategy_id'),
    'actions': ('action_plan_id',),
    'efficacy_indicators': ('action_plan_id',),
}

_CHUNK = 500


class PurgeResult:
    """What a purge found (``counts`` per type) and whether it deleted."""

    def __init__(self, ids, deleted):
        self.ids = ids
        self.counts = collections.OrderedDict(
            (name, len(ids[name])) for name in TYPES)
        self.deleted = deleted

    @property
    def total(self):
        return sum(self.counts.values())


class PurgeCommand:

    def __init__(self, age_in_days=None, max_number=None, goal=None,
                 exclude_orphans=False, dry_run=False, out=None, now=None):
        if age_in_days is not None and age_in_days < 0:
            raise exception.InvalidParameterValue(
                err='age_in_days must be a positive number of days')
        if max_number is not None and max_number < 0:
            raise exception.InvalidParameterValue(
                err='max_number must be a positive number')
        self.age_in_days = age_in_days
        self.max_number = max_number
        self.goal = goal
        self.exclude_orphans = exclude_orphans
        self.dry_run = dry_run
        self.out = out or sys.stdout
        self.now = now or utils.utcnow(naive=True)

    # --- finding -----------------------------------------------------------

    def _load(self, session):
        """id, deleted, deleted_at and foreign keys of every row."""
        rows = {}
        for name, model in TYPES.items():
            cols = [model.id, model.deleted, model.deleted_at]
            cols += [getattr(model, fk) for fk in _FKS.get(name, ())]
            rows[name] = {r.id: r for r in session.execute(
                sa.select(*cols)).all()}
        return rows

    def _expired(self, row):
        if not row.deleted:
            return False
        if self.age_in_days is None or row.deleted_at is None:
            return True
        cutoff = self.now - datetime.timedelta(days=self.age_in_days)
        return row.deleted_at < cutoff

    def _goal_ids(self, session):
        if self.goal is None:
            return None
        query = sa.select(models.Goal.id)
        if utils.is_uuid_like(self.goal):
            query = query.where(models.Goal.uuid == self.goal)
        else:
            query = query.where(models.Goal.name == self.goal)
        ids = set(session.execute(query).scalars())
        if not ids:
            raise exception.GoalNotFound(goal=self.goal)
        return ids

    def find(self, session):
        """The ids to delete, per type (see the module docstring)."""
        rows = self._load(session)
        goal_ids = self._goal_ids(session)
        gone = {name: {i for i, r in rows[name].items() if self._expired(r)}
                for name in TYPES}

        def parent_gone(table, parent_id):
            return parent_id is not None and (
                parent_id not in rows[table] or parent_id in gone[table])

        # In the goal's scope?
        audit_goal = {i: r.goal_id for i, r in rows['audits'].items()}
        plan_goal = {i: audit_goal.get(r.audit_id)
                     for i, r in rows['action_plans'].items()}

        def in_scope(name, row_id):
            if goal_ids is None:
                return True
            row = rows[name][row_id]
            if name == 'goals':
                return row_id in goal_ids
            if name in ('strategies', 'audit_templates', 'audits'):
                return row.goal_id in goal_ids
            if name == 'action_plans':
                return plan_goal.get(row_id) in goal_ids
            return False  # scoring engines, descriptions: not a goal's

        cand = {name: {i for i in gone[name] if in_scope(name, i)}
                for name in ('goals', 'strategies', 'audit_templates',
                             'audits', 'action_plans', 'scoring_engines',
                             'action_descriptions')}

        if not self.exclude_orphans:
            # Orphans of gone parents, found top-down so an orphan's own
            # orphans follow (a plan of an audit orphaned by its goal).
            for name in ('strategies', 'audit_templates', 'audits',
                         'action_plans'):
                parents = {'goal_id': 'goals', 'strategy_id': 'strategies',
                           'audit_id': 'audits'}
                for row_id, row in rows[name].items():
                    if not in_scope(name, row_id):
                        continue
                    for fk in _FKS[name]:
                        table = parents[fk]
                        value = getattr(row, fk)
                        if parent_gone(table, value) or (
                                value in cand.get(table, ())):
                            cand[name].add(row_id)
                            break

        children = {
            'action_plans': collections.defaultdict(set),
            'actions': collections.defaultdict(set),
            'efficacy_indicators': collections.defaultdict(set),
        }
        for row_id, row in rows['action_plans'].items():
            children['action_plans'][row.audit_id].add(row_id)
        for name in ('actions', 'efficacy_indicators'):
            for row_id, row in rows[name].items():
                children[name][row.action_plan_id].add(row_id)

        def may_go_with_parent(name, row_id):
            return (rows[name][row_id].deleted or
                    not self.exclude_orphans)

        # Fixed point: drop what cannot go (children, references), until
        # nothing changes.
        changed = True
        while changed:
            changed = False
            for plan_id in list(cand['action_plans']):
                if not self._plan_children_ok(plan_id, children,
                                              may_go_with_parent):
                    cand['action_plans'].discard(plan_id)
                    changed = True
            for audit_id in list(cand['audits']):
                plans = children['action_plans'][audit_id]
                missing = plans - cand['action_plans']
                if not missing:
                    continue
                # Take the audit's other plans along, or keep the audit.
                if all(may_go_with_parent('action_plans', p) and
                       self._plan_children_ok(p, children,
                                              may_go_with_parent)
                       for p in missing):
                    cand['action_plans'].update(missing)
                else:
                    cand['audits'].discard(audit_id)
                changed = True
            changed |= self._drop_referenced(rows, cand)

        ids = {name: set(cand.get(name, ())) for name in TYPES}
        for plan_id in ids['action_plans']:
            ids['actions'] |= children['actions'][plan_id]
            ids['efficacy_indicators'] |= (
                children['efficacy_indicators'][plan_id])
        return ids

    @staticmethod
    def _plan_children_ok(plan_id, children, may_go_with_parent):
        return all(may_go_with_parent('actions', k)
                   for k in children['actions'][plan_id]) and all(
            may_go_with_parent('efficacy_indicators', k)
            for k in children['efficacy_indicators'][plan_id])

    @staticmethod
    def _drop_referenced(rows, cand):
        """Keep parents still referenced by rows that stay."""
        changed = False
        references = {
            'goals': (('strategies', 'goal_id'),
                      ('audit_templates', 'goal_id'), ('audits', 'goal_id')),
            'strategies': (('audit_templates', 'strategy_id'),
                           ('audits', 'strategy_id'),
                           ('action_plans', 'strategy_id')),
        }
        for parent, refs in references.items():
            used = set()
            for child, fk in refs:
                for row_id, row in rows[child].items():
                    if row_id not in cand[child]:
                        used.add(getattr(row, fk))
            kept = cand[parent] & used
            if kept:
                cand[parent] -= kept
                changed = True
        return changed

    # --- deleting and reporting --------------------------------------------

    def _delete(self, session, ids):
        for name in ('efficacy_indicators', 'actions', 'action_plans',
                     'audits', 'audit_templates', 'strategies', 'goals',
                     'scoring_engines', 'action_descriptions'):
            table = TYPES[name].__table__
            id_list = sorted(ids[name])
            for start in range(0, len(id_list), _CHUNK):
                session.execute(sa.delete(table).where(
                    table.c.id.in_(id_list[start:start + _CHUNK])))

    def _print(self, text=''):
        self.out.write(text + '\n')

    def report(self, result):
        width = max(len(label) for label in LABELS.values())
        self._print('Objects to purge%s:' % (
            ' (dry run)' if self.dry_run else ''))
        for name, count in result.counts.items():
            self._print('  %-*s %6d' % (width, LABELS[name], count))
        self._print('  %-*s %6d' % (width, 'Total', result.total))

    def execute(self):
        """Find, report, then delete (unless dry run or over the limit)."""
        with sqla_api._session_for_write() as session:
            ids = self.find(session)
            result = PurgeResult(ids, deleted=False)
            self.report(result)
            if self.max_number is not None and (
                    result.total > self.max_number):
                self._print('Purge aborted: %d objects exceed the maximum '
                            'of %d; nothing was deleted.' %
                            (result.total, self.max_number))
                raise exception.PurgeLimitExceeded(
                    count=result.total, max_number=self.max_number)
            if self.dry_run:
                self._print('Dry run: nothing was deleted.')
                return result
            self._delete(session, ids)
        result.deleted = True
        self._print('Purge summary: %d objects deleted.' % result.total)
        return result


def purge(age_in_days=None, max_number=None, goal=None,
          exclude_orphans=False, dry_run=False, out=None):
    """Run a purge; returns a PurgeResult (see PurgeCommand)."""
    return PurgeCommand(age_in_days=age_in_days, max_number=max_number,
                        goal=goal, exclude_orphans=exclude_orphans,
                        dry_run=dry_run, out=out).execute()
