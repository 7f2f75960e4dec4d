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

"""Which strategy an audit runs.

:func:`select_strategy` answers with the ``Strategy`` record (needed to
file the action plan) and a fresh instance of its plugin:

* the audit names a strategy: that one; its plugin must be installed on
  this decision engine (``StrategyNotAvailable`` otherwise);
* the audit names only a goal: the goal's ``default_strategy`` when its
  plugin is installed here, else the first strategy of the goal (in the
  order they were recorded by ``watcher-sync``: by name) whose plugin is
  installed here; none: ``NoAvailableStrategyForGoal``.
"""
from oslo_log import log

from watcher.common import exception
from watcher.decision_engine import loading
from watcher import objects

LOG = log.getLogger(__name__)


def load_strategy(name):
    """An instance of the strategy plugin ``name`` (``LoadingError``)."""
    return loading.load(loading.STRATEGIES, name)


def _goal_default(goal_name):
    try:
        goal = loading.get_class(loading.GOALS, goal_name)
    except exception.LoadingError:
        return None
    return getattr(goal, 'default_strategy', None)


def _goal_name(context, audit):
    goal = audit.goal if audit.obj_attr_is_set('goal') else None
    if goal is None:
        try:
            goal = objects.Goal.get_by_id(context, audit.goal_id)
        except exception.GoalNotFound:
            return str(audit.goal_id)
    return goal.name


def select_strategy(context, audit):
    """Return ``(strategy_record, strategy_plugin)`` for ``audit``."""
    if audit.strategy_id is not None:
        record = objects.Strategy.get_by_id(context, audit.strategy_id)
        try:
            return record, load_strategy(record.name)
        except exception.LoadingError:
            raise exception.StrategyNotAvailable(strategy=record.name)

    candidates = objects.Strategy.list(
        context, filters={'goal_id': audit.goal_id}, sort_key='id')
    preferred = _goal_default(_goal_name(context, audit))
    candidates.sort(key=lambda record: record.name != preferred)
    for record in candidates:
        try:
            plugin = load_strategy(record.name)
        except exception.LoadingError:
            LOG.warning('Strategy %s of the goal is not installed here; '
                        'trying the next one', record.name)
            continue
        LOG.info('Audit %s: strategy %s selected for its goal',
                 audit.uuid, record.name)
        return record, plugin
    raise exception.NoAvailableStrategyForGoal(
        goal=_goal_name(context, audit))
