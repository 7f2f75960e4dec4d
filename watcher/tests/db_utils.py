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

"""Test helpers writing rows through the database API (no objects layer).

For every resource ``<res>`` (goal, strategy, audit_template, audit,
action_plan, action, efficacy_indicator, scoring_engine, service,
action_description, apscheduler_job excepted)::

    get_test_<res>(**kw)      -> dict of column values (defaults + kw)
    create_test_<res>(**kw)   -> the created DB row (model instance)

Use them inside a test that has a database (``watcher.tests.base.DbTestCase``
or ``DbFixture``). Defaults are valid and unique on every call (fresh uuid,
numbered name). Parents are made for you: ``create_test_audit()`` without
``goal_id`` uses (creating it once) a default goal and strategy, an action
plan without ``audit_id`` gets a default audit, and so on. Pass
``strategy_id=None`` explicitly for an audit/template without a strategy.

Example::

    goal = db_utils.create_test_goal(name='dummy')
    audit = db_utils.create_test_audit(goal_id=goal.id, state='ONGOING')
    plan = db_utils.create_test_action_plan(audit_id=audit.id)
    db_utils.create_test_action(action_plan_id=plan.id, parents=[])
"""
import itertools

from watcher.common import context as watcher_context
from watcher.common import exception
from watcher.common import utils
from watcher.db import api as db_api

_COUNTER = itertools.count(1)

DEFAULT_GOAL_UUID = 'a1a1a1a1-0000-4000-8000-000000000001'
DEFAULT_STRATEGY_UUID = 'a1a1a1a1-0000-4000-8000-000000000002'


def _n():
    return next(_COUNTER)


def _dbapi():
    return db_api.get_instance()


def _ctx():
    return watcher_context.get_admin_context()


def _default(get_by_uuid, create, uuid, **values):
    try:
        return get_by_uuid(_ctx(), uuid)
    except exception.NotFound:
        return create(uuid=uuid, **values)


def default_goal():
    """The goal used when a helper is given no goal_id (made once)."""
    return _default(_dbapi().get_goal_by_uuid, create_test_goal,
                    DEFAULT_GOAL_UUID, name='test_goal',
                    display_name='Test goal')


def default_strategy():
    """The strategy used when a helper is given no strategy_id."""
    return _default(_dbapi().get_strategy_by_uuid, create_test_strategy,
                    DEFAULT_STRATEGY_UUID, name='test_strategy',
                    display_name='Test strategy',
                    goal_id=default_goal().id)


def _fill(values, key, factory):
    if key not in values:
        values[key] = factory()


# --- dict builders ----------------------------------------------------------

def get_test_goal(**kw):
    n = _n()
    values = {
        'uuid': utils.generate_uuid(),
        'name': 'goal_%d' % n,
        'display_name': 'Goal %d' % n,
        'efficacy_specification': [],
    }
    values.update(kw)
    return values


def get_test_strategy(**kw):
    n = _n()
    values = {
        'uuid': utils.generate_uuid(),
        'name': 'strategy_%d' % n,
        'display_name': 'Strategy %d' % n,
        'parameters_spec': {},
    }
    values.update(kw)
    return values


def get_test_audit_template(**kw):
    values = {
        'uuid': utils.generate_uuid(),
        'name': 'template_%d' % _n(),
        'description': 'Description of an audit template',
        'scope': [],
        'default_parameters': {},
    }
    values.update(kw)
    return values


def get_test_audit(**kw):
    values = {
        'uuid': utils.generate_uuid(),
        'name': 'audit_%d' % _n(),
        'audit_type': 'ONESHOT',
        'state': 'PENDING',
        'parameters': {},
        'interval': None,
        'scope': [],
        'auto_trigger': False,
        'next_run_time': None,
        'hostname': None,
        'start_time': None,
        'end_time': None,
        'force': False,
        'status_message': None,
    }
    values.update(kw)
    return values


def get_test_action_plan(**kw):
    values = {
        'uuid': utils.generate_uuid(),
        'state': 'RECOMMENDED',
        'global_efficacy': [],
        'hostname': None,
        'status_message': None,
    }
    values.update(kw)
    return values


def get_test_action(**kw):
    values = {
        'uuid': utils.generate_uuid(),
        'action_type': 'nop',
        'input_parameters': {'message': 'hello'},
        'state': 'PENDING',
        'parents': [],
        'status_message': None,
    }
    values.update(kw)
    return values


def get_test_efficacy_indicator(**kw):
    values = {
        'uuid': utils.generate_uuid(),
        'name': 'indicator_%d' % _n(),
        'description': 'An efficacy indicator',
        'unit': '%',
        'value': 0.0,
    }
    values.update(kw)
    return values


def get_test_scoring_engine(**kw):
    values = {
        'uuid': utils.generate_uuid(),
        'name': 'scoring_engine_%d' % _n(),
        'description': 'A scoring engine',
        'metainfo': '',
    }
    values.update(kw)
    return values


def get_test_service(**kw):
    values = {
        'name': 'watcher-service-%d' % _n(),
        'host': 'test-host',
        'last_seen_up': None,
    }
    values.update(kw)
    return values


def get_test_action_description(**kw):
    values = {
        'action_type': 'action_type_%d' % _n(),
        'description': 'Does something',
    }
    values.update(kw)
    return values


# --- creators --------------------------------------------------------------

def create_test_goal(**kw):
    return _dbapi().create_goal(get_test_goal(**kw))


def create_test_strategy(**kw):
    values = get_test_strategy(**kw)
    _fill(values, 'goal_id', lambda: default_goal().id)
    return _dbapi().create_strategy(values)


def create_test_audit_template(**kw):
    values = get_test_audit_template(**kw)
    _fill(values, 'goal_id', lambda: default_goal().id)
    _fill(values, 'strategy_id', lambda: default_strategy().id)
    return _dbapi().create_audit_template(values)


def create_test_audit(**kw):
    values = get_test_audit(**kw)
    _fill(values, 'goal_id', lambda: default_goal().id)
    _fill(values, 'strategy_id', lambda: default_strategy().id)
    return _dbapi().create_audit(values)


def create_test_action_plan(**kw):
    values = get_test_action_plan(**kw)
    _fill(values, 'strategy_id', lambda: default_strategy().id)
    _fill(values, 'audit_id', lambda: create_test_audit(
        strategy_id=values['strategy_id']).id)
    return _dbapi().create_action_plan(values)


def create_test_action(**kw):
    values = get_test_action(**kw)
    _fill(values, 'action_plan_id', lambda: create_test_action_plan().id)
    return _dbapi().create_action(values)


def create_test_efficacy_indicator(**kw):
    values = get_test_efficacy_indicator(**kw)
    _fill(values, 'action_plan_id', lambda: create_test_action_plan().id)
    return _dbapi().create_efficacy_indicator(values)


def create_test_scoring_engine(**kw):
    return _dbapi().create_scoring_engine(get_test_scoring_engine(**kw))


def create_test_service(**kw):
    return _dbapi().create_service(get_test_service(**kw))


def create_test_action_description(**kw):
    return _dbapi().create_action_description(
        get_test_action_description(**kw))
