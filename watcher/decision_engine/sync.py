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

"""Record the installed plugins in the database (``watcher-sync``).

Run by ``watcher-sync`` and at every decision engine start. What it does:

1. Reads the plugins: goals (``watcher_goals``: name, display name,
   efficacy specification), strategies (``watcher_strategies``: name,
   display name, goal, ``parameters_spec`` = ``get_schema()``), scoring
   engines (``watcher_scoring_engines`` and the engines listed by
   ``watcher_scoring_engine_containers``) and action descriptions
   (``watcher_actions``, ``get_description()``). A plugin that fails to load
   is logged and skipped.
2. Goals and strategies: an unchanged definition keeps its row (and uuid);
   a changed definition soft-deletes the old row and creates a new one; a
   definition no longer installed is soft-deleted. Scoring engines and
   action descriptions are updated in place; removed scoring engines are
   soft-deleted.
3. References to replaced or removed goals/strategies:

   * audit templates follow a replaced goal/strategy to its new row; a
     template whose goal is gone is logged as stale (left as is); a removed
     strategy is nulled on templates;
   * PENDING/ONGOING audits whose goal or strategy changed or disappeared
     are CANCELLED;
   * RECOMMENDED/PENDING action plans whose strategy changed or disappeared,
     or whose audit's goal did, are CANCELLED (and their audits, when
     still PENDING/ONGOING).

Running it twice changes nothing the second time.
"""
import collections

from oslo_log import log
from stevedore import extension

from watcher.common import context as watcher_context
from watcher.common import exception
from watcher.common import utils
from watcher import objects
from watcher.objects import states

LOG = log.getLogger(__name__)

GOALS = 'watcher_goals'
STRATEGIES = 'watcher_strategies'
SCORING_ENGINES = 'watcher_scoring_engines'
SCORING_ENGINE_CONTAINERS = 'watcher_scoring_engine_containers'
ACTIONS = 'watcher_actions'

GoalDef = collections.namedtuple(
    'GoalDef', 'name display_name efficacy_specification')
StrategyDef = collections.namedtuple(
    'StrategyDef', 'name display_name goal_name parameters_spec')
ScoringEngineDef = collections.namedtuple(
    'ScoringEngineDef', 'name description metainfo')


class Discovered:
    """What the installed plugins declare."""

    def __init__(self, goals=None, strategies=None, scoring_engines=None,
                 action_descriptions=None):
        self.goals = goals or {}
        self.strategies = strategies or {}
        self.scoring_engines = scoring_engines or {}
        self.action_descriptions = action_descriptions or {}


class SyncReport:
    """What one synchronisation changed (for logs and tests)."""

    def __init__(self):
        self.created = collections.defaultdict(list)
        self.replaced = collections.defaultdict(list)
        self.removed = collections.defaultdict(list)
        self.updated = collections.defaultdict(list)
        self.cancelled_audits = []
        self.cancelled_action_plans = []
        self.stale_audit_templates = []

    @property
    def changed(self):
        return any((self.created, self.replaced, self.removed, self.updated,
                    self.cancelled_audits, self.cancelled_action_plans))

    def __repr__(self):
        return ('<SyncReport created=%s replaced=%s removed=%s updated=%s '
                'cancelled_audits=%s cancelled_action_plans=%s>' % (
                    dict(self.created), dict(self.replaced),
                    dict(self.removed), dict(self.updated),
                    self.cancelled_audits, self.cancelled_action_plans))


# --- discovery --------------------------------------------------------------

def _extensions(namespace):
    def failed(manager, entrypoint, exc):
        LOG.warning('Plugin %s of %s cannot be loaded: %s', entrypoint,
                    namespace, exc)

    manager = extension.ExtensionManager(
        namespace=namespace, invoke_on_load=False,
        on_load_failure_callback=failed)
    return {ext.name: ext.plugin for ext in manager.extensions}


def _call(plugin, name, default=None):
    attr = getattr(plugin, name, None)
    if attr is None:
        return default
    return attr() if callable(attr) else attr


def _efficacy_specification(goal_cls):
    spec = _call(goal_cls, 'get_efficacy_specification')
    if spec is None:
        return []
    serialize = getattr(spec, 'serialize_indicators_specifications', None)
    if serialize is not None:
        return list(serialize())
    indicators = _call(spec, 'get_indicators_specifications') or []
    return [i.to_dict() if hasattr(i, 'to_dict') else dict(i)
            for i in indicators]


def discover_goals():
    goals = {}
    for entry_name, cls in _extensions(GOALS).items():
        try:
            name = _call(cls, 'get_name') or entry_name
            goals[name] = GoalDef(
                name=name,
                display_name=(_call(cls, 'get_display_name') or name),
                efficacy_specification=_efficacy_specification(cls))
        except Exception:
            LOG.exception('Goal plugin %s is unusable', entry_name)
    return goals


def discover_strategies():
    strategies = {}
    for entry_name, cls in _extensions(STRATEGIES).items():
        try:
            name = _call(cls, 'get_name') or entry_name
            strategies[name] = StrategyDef(
                name=name,
                display_name=(_call(cls, 'get_display_name') or name),
                goal_name=_call(cls, 'get_goal_name'),
                parameters_spec=_call(cls, 'get_schema') or {})
        except Exception:
            LOG.exception('Strategy plugin %s is unusable', entry_name)
    return strategies


def _scoring_engine_def(engine):
    metainfo = engine.get_metainfo()
    return ScoringEngineDef(name=engine.get_name(),
                            description=engine.get_description(),
                            metainfo=None if metainfo is None
                            else str(metainfo))


def discover_scoring_engines():
    engines = {}
    for entry_name, cls in _extensions(SCORING_ENGINES).items():
        try:
            definition = _scoring_engine_def(cls())
            engines[definition.name] = definition
        except Exception:
            LOG.exception('Scoring engine plugin %s is unusable', entry_name)
    for entry_name, cls in _extensions(SCORING_ENGINE_CONTAINERS).items():
        try:
            for engine in cls.get_scoring_engine_list():
                definition = _scoring_engine_def(engine)
                engines[definition.name] = definition
        except Exception:
            LOG.exception('Scoring engine container %s is unusable',
                          entry_name)
    return engines


def discover_action_descriptions():
    descriptions = {}
    for action_type, cls in _extensions(ACTIONS).items():
        try:
            text = _call(cls, 'get_description')
        except Exception:
            LOG.exception('Action plugin %s has no usable description',
                          action_type)
            continue
        if text:
            descriptions[action_type] = utils.truncate(text, one_line=False)
    return descriptions


def discover():
    return Discovered(goals=discover_goals(),
                      strategies=discover_strategies(),
                      scoring_engines=discover_scoring_engines(),
                      action_descriptions=discover_action_descriptions())


# --- synchronisation --------------------------------------------------------

class Syncer:
    """Brings the database in line with the installed plugins."""

    def __init__(self, discovered=None):
        self._discovered = discovered

    def sync(self, context=None):
        ctx = context or watcher_context.get_admin_context()
        found = self._discovered or discover()
        report = SyncReport()
        goal_ids = self._sync_goals(ctx, objects, found.goals, report)
        strategy_ids = self._sync_strategies(ctx, objects, found.strategies,
                                             goal_ids, report)
        self._sync_scoring_engines(ctx, objects, found.scoring_engines,
                                   report)
        self._sync_action_descriptions(ctx, objects,
                                       found.action_descriptions, report)
        self._fix_references(ctx, objects, goal_ids, strategy_ids, report)
        if report.changed:
            LOG.info('Plugin synchronisation: %r', report)
        else:
            LOG.debug('Plugin synchronisation: nothing changed')
        return report

    # goals ----------------------------------------------------------------

    @staticmethod
    def _same_goal(row, definition):
        return (row.display_name == definition.display_name and
                list(row.efficacy_specification or []) ==
                list(definition.efficacy_specification or []))

    def _sync_goals(self, ctx, objects, goals, report):
        """Returns ``{'keep': {old_id}, 'replaced': {old_id: new_id},
        'removed': {old_id}}``.
        """
        result = {'keep': set(), 'replaced': {}, 'removed': set(),
                  'by_name': {}}
        rows = objects.Goal.list(ctx)
        by_name = collections.defaultdict(list)
        for row in rows:
            by_name[row.name].append(row)
        for name, definition in sorted(goals.items()):
            current = by_name.pop(name, [])
            kept = None
            for row in current:
                if kept is None and self._same_goal(row, definition):
                    kept = row
            # rows to retire go first: (name, deleted) is unique
            retired = [row for row in current if row is not kept]
            for row in retired:
                row.soft_delete()
            if kept is None:
                kept = objects.Goal(
                    ctx, name=definition.name,
                    display_name=definition.display_name,
                    efficacy_specification=list(
                        definition.efficacy_specification))
                kept.create()
                (report.replaced if current else report.created)['goal'] \
                    .append(name)
            result['keep'].add(kept.id)
            result['by_name'][name] = kept.id
            for row in retired:
                result['replaced'][row.id] = kept.id
        for name, stale_rows in by_name.items():
            for row in stale_rows:
                result['removed'].add(row.id)
                report.removed['goal'].append(name)
                row.soft_delete()
        return result

    # strategies -------------------------------------------------------------

    @staticmethod
    def _same_strategy(row, definition, goal_id):
        return (row.display_name == definition.display_name and
                row.goal_id == goal_id and
                dict(row.parameters_spec or {}) ==
                dict(definition.parameters_spec or {}))

    def _sync_strategies(self, ctx, objects, strategies, goal_ids, report):
        result = {'keep': set(), 'replaced': {}, 'removed': set()}
        rows = objects.Strategy.list(ctx)
        by_name = collections.defaultdict(list)
        for row in rows:
            by_name[row.name].append(row)
        for name, definition in sorted(strategies.items()):
            goal_id = goal_ids['by_name'].get(definition.goal_name)
            if goal_id is None:
                LOG.warning('Strategy %s is for goal %s, which is not '
                            'installed: skipped', name, definition.goal_name)
                continue
            current = by_name.pop(name, [])
            kept = None
            for row in current:
                if kept is None and self._same_strategy(row, definition,
                                                        goal_id):
                    kept = row
            retired = [row for row in current if row is not kept]
            # templates of a retired row: remembered before the soft delete
            # nulls their strategy
            templates = {row.id: [t.id for t in objects.AuditTemplate.list(
                ctx, filters={'strategy_id': row.id})] for row in retired}
            for row in retired:
                row.soft_delete()
            if kept is None:
                kept = objects.Strategy(
                    ctx, name=definition.name,
                    display_name=definition.display_name,
                    goal_id=goal_id,
                    parameters_spec=dict(definition.parameters_spec or {}))
                kept.create()
                (report.replaced if current else report.created)[
                    'strategy'].append(name)
            result['keep'].add(kept.id)
            for row in retired:
                result['replaced'][row.id] = kept.id
                self._retarget_templates(ctx, objects, templates[row.id],
                                         kept.id)
        for name, stale_rows in by_name.items():
            for row in stale_rows:
                result['removed'].add(row.id)
                report.removed['strategy'].append(name)
                # soft delete nulls the strategy of the templates using it
                row.soft_delete()
        return result

    @staticmethod
    def _retarget_templates(ctx, objects, template_ids, new_strategy_id):
        for template_id in template_ids:
            template = objects.AuditTemplate.get_by_id(ctx, template_id)
            template.strategy_id = new_strategy_id
            template.save()

    # scoring engines and action descriptions ---------------------------------

    def _sync_scoring_engines(self, ctx, objects, engines, report):
        rows = {row.name: row for row in objects.ScoringEngine.list(ctx)}
        for name, definition in sorted(engines.items()):
            row = rows.pop(name, None)
            if row is None:
                objects.ScoringEngine(
                    ctx, name=name, description=definition.description,
                    metainfo=definition.metainfo).create()
                report.created['scoring_engine'].append(name)
            elif (row.description != definition.description or
                  row.metainfo != definition.metainfo):
                row.description = definition.description
                row.metainfo = definition.metainfo
                row.save()
                report.updated['scoring_engine'].append(name)
        for name, row in rows.items():
            row.soft_delete()
            report.removed['scoring_engine'].append(name)

    def _sync_action_descriptions(self, ctx, objects, descriptions, report):
        rows = {row.action_type: row
                for row in objects.ActionDescription.list(ctx)}
        for action_type, text in sorted(descriptions.items()):
            row = rows.get(action_type)
            if row is None:
                try:
                    objects.ActionDescription(
                        ctx, action_type=action_type,
                        description=text).create()
                except exception.Conflict:
                    continue
                report.created['action_description'].append(action_type)
            elif row.description != text:
                row.description = text
                row.save()
                report.updated['action_description'].append(action_type)

    # references --------------------------------------------------------------

    def _fix_references(self, ctx, objects, goal_ids, strategy_ids, report):
        changed_goals = set(goal_ids['replaced']) | goal_ids['removed']
        changed_strategies = (set(strategy_ids['replaced']) |
                              strategy_ids['removed'])
        for old_id, new_id in goal_ids['replaced'].items():
            for template in objects.AuditTemplate.list(
                    ctx, filters={'goal_id': old_id}):
                template.goal_id = new_id
                template.save()
        for old_id in goal_ids['removed']:
            for template in objects.AuditTemplate.list(
                    ctx, filters={'goal_id': old_id}):
                LOG.error('Audit template %s (%s) refers to a goal that is '
                          'no longer installed', template.uuid,
                          template.name)
                report.stale_audit_templates.append(template.uuid)
        if not (changed_goals or changed_strategies):
            return
        # audits in flight built on an old definition
        cancelled_audits = set()
        for audit in objects.Audit.list(
                ctx, filters={'state__in': ['PENDING', 'ONGOING']}):
            if audit.goal_id in changed_goals or (
                    audit.strategy_id is not None and
                    audit.strategy_id in changed_strategies):
                self._cancel(audit, 'its goal or strategy definition changed')
                cancelled_audits.add(audit.id)
                report.cancelled_audits.append(audit.uuid)
        # plans not started yet built on an old definition
        for plan in objects.ActionPlan.list(
                ctx, filters={'state__in': ['RECOMMENDED', 'PENDING']}):
            audit = None
            try:
                audit = objects.Audit.get_by_id(
                    watcher_context.get_admin_context(show_deleted=True),
                    plan.audit_id)
            except exception.NotFound:
                pass
            goal_changed = audit is not None and audit.goal_id in \
                changed_goals
            if not (goal_changed or plan.strategy_id in changed_strategies):
                continue
            self._cancel(plan, 'its goal or strategy definition changed')
            report.cancelled_action_plans.append(plan.uuid)
            if audit is not None and audit.id not in cancelled_audits and \
                    audit.state in ('PENDING', 'ONGOING') and \
                    not audit.deleted_at:
                self._cancel(audit, 'its action plan was cancelled by a '
                                    'plugin update')
                cancelled_audits.add(audit.id)
                report.cancelled_audits.append(audit.uuid)

    @staticmethod
    def _cancel(obj, why):
        try:
            obj.fire('cancel', states.ENGINE, status_message=utils.truncate(
                'Cancelled by watcher-sync: %s' % why))
        except exception.WatcherException:
            LOG.exception('Cannot cancel %s %s', obj.obj_name(), obj.uuid)


def sync(context=None):
    """Run one synchronisation; returns its :class:`SyncReport`."""
    return Syncer().sync(context)
