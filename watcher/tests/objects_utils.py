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

"""Test helpers building versioned objects.

For every resource ``<res>`` (goal, strategy, audit_template, audit,
action_plan, action, efficacy_indicator, scoring_engine, service,
action_description)::

    get_test_<res>(context, **kw)     -> an unsaved object (defaults + kw)
    create_test_<res>(context, **kw)  -> the object after ``create()``

Defaults and parent handling are those of :mod:`watcher.tests.db_utils`
(missing goal/strategy/audit/plan ids are filled with default parents made
on demand). ``create()`` goes through the objects layer, so change
listeners are called as in production.

Example::

    audit = objects_utils.create_test_audit(self.context, name='a1')
    plan = objects_utils.create_test_action_plan(self.context,
                                                 audit_id=audit.id)
"""
from watcher import objects
from watcher.tests import db_utils

_OBJECTS = {
    'goal': ('Goal', ()),
    'strategy': ('Strategy', ('goal_id',)),
    'audit_template': ('AuditTemplate', ('goal_id', 'strategy_id')),
    'audit': ('Audit', ('goal_id', 'strategy_id')),
    'action_plan': ('ActionPlan', ('strategy_id', 'audit_id')),
    'action': ('Action', ('action_plan_id',)),
    'efficacy_indicator': ('EfficacyIndicator', ('action_plan_id',)),
    'scoring_engine': ('ScoringEngine', ()),
    'service': ('Service', ()),
    'action_description': ('ActionDescription', ()),
}

_PARENT = {
    'goal_id': lambda values: db_utils.default_goal().id,
    'strategy_id': lambda values: db_utils.default_strategy().id,
    'audit_id': lambda values: db_utils.create_test_audit(
        strategy_id=values.get('strategy_id') or
        db_utils.default_strategy().id).id,
    'action_plan_id': lambda values: db_utils.create_test_action_plan().id,
}


def _build(resource, context, fill_parents, kw):
    cls_name, parents = _OBJECTS[resource]
    values = getattr(db_utils, 'get_test_%s' % resource)(**kw)
    if fill_parents:
        for key in parents:
            if key not in values:
                values[key] = _PARENT[key](values)
    return getattr(objects, cls_name)(context, **values)


def _make(resource):
    def get_test(context, **kw):
        return _build(resource, context, False, kw)

    def create_test(context, **kw):
        obj = _build(resource, context, True, kw)
        obj.create()
        return obj

    get_test.__name__ = 'get_test_%s' % resource
    create_test.__name__ = 'create_test_%s' % resource
    globals()[get_test.__name__] = get_test
    globals()[create_test.__name__] = create_test


for _resource in _OBJECTS:
    _make(_resource)

# Names spelled out for readers and linters (the functions are made above).
get_test_goal = globals()['get_test_goal']
create_test_goal = globals()['create_test_goal']
get_test_strategy = globals()['get_test_strategy']
create_test_strategy = globals()['create_test_strategy']
get_test_audit_template = globals()['get_test_audit_template']
create_test_audit_template = globals()['create_test_audit_template']
get_test_audit = globals()['get_test_audit']
create_test_audit = globals()['create_test_audit']
get_test_action_plan = globals()['get_test_action_plan']
create_test_action_plan = globals()['create_test_action_plan']
get_test_action = globals()['get_test_action']
create_test_action = globals()['create_test_action']
get_test_efficacy_indicator = globals()['get_test_efficacy_indicator']
create_test_efficacy_indicator = globals()['create_test_efficacy_indicator']
get_test_scoring_engine = globals()['get_test_scoring_engine']
create_test_scoring_engine = globals()['create_test_scoring_engine']
get_test_service = globals()['get_test_service']
create_test_service = globals()['create_test_service']
get_test_action_description = globals()['get_test_action_description']
create_test_action_description = globals()['create_test_action_description']
