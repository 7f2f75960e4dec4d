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

"""/v1/audit_templates: saved presets (goal, strategy, scope) for audits.

List fields: uuid, name, goal_uuid, goal_name, strategy_uuid,
strategy_name, scope, links; detail, show, create and update add
description, default_parameters (1.7) and the timestamps.
"""
from http import HTTPStatus

import pecan
from wsme import types as wtypes

from watcher.api.controllers import link
from watcher.api.controllers.v1 import base
from watcher.api.controllers.v1 import types
from watcher.api.controllers.v1 import utils as api_utils
from watcher.api import expose
from watcher.api import microversion
from watcher.api.schemas import audit_template as template_schemas
from watcher.api import validation
from watcher.common import exception
from watcher.common.i18n import _
from watcher import objects
from watcher.objects import base as objects_base

NAME_MAX = 63
# Detail fields newer than 1.0 -> the microversion that brought them.
VERSIONED_FIELDS = {'default_parameters': microversion.DEFAULT_PARAMETERS}


class AuditTemplatePostType(wtypes.Base):
    name = wtypes.wsattr(types.text, mandatory=True)
    description = wtypes.wsattr(types.text)
    goal = wtypes.wsattr(types.uuid_or_name, mandatory=True)
    strategy = wtypes.wsattr(types.uuid_or_name)
    scope = wtypes.wsattr(types.listtype)
    default_parameters = wtypes.wsattr(types.dicttype)


def view(template, detail=False, extra=None):
    goal = base.related(template, 'goal', extra)
    strategy = base.related(template, 'strategy', extra)
    doc = {
        'uuid': template.uuid,
        'name': template.name,
        'goal_uuid': goal.uuid if goal else None,
        'goal_name': goal.name if goal else None,
        'strategy_uuid': strategy.uuid if strategy else None,
        'strategy_name': strategy.name if strategy else None,
        'links': base.make_links('audit_templates', template.uuid),
        'scope': template.scope if template.scope is not None else [],
    }
    if detail:
        doc['description'] = template.description
        doc['default_parameters'] = template.default_parameters or {}
        doc.update(base.timestamps(template))
        microversion.hide_newer_fields(doc, VERSIONED_FIELDS)
    return doc


def check_name(name):
    if not name or not name.strip():
        raise exception.Invalid(_('The name of an audit template must not '
                                  'be empty'))
    if len(name) > NAME_MAX:
        raise exception.Invalid(_('The name of an audit template is limited '
                                  'to %d characters') % NAME_MAX)
    return name


def find_goal(ident):
    try:
        return base.get_object(objects.Goal, ident)
    except (exception.NotFound, exception.Invalid):
        raise exception.InvalidGoal(goal_id=ident)


def find_strategy(ident, goal=None):
    try:
        strategy = base.get_object(objects.Strategy, ident)
    except (exception.NotFound, exception.Invalid):
        raise exception.InvalidStrategy(strategy_id=ident)
    if goal is not None and strategy.goal_id != goal.id:
        raise exception.Invalid(
            _('Strategy %(strategy)s does not achieve goal %(goal)s') %
            {'strategy': ident, 'goal': goal.name})
    return strategy


def check_default_parameters(default_parameters, strategy):
    """Validate template defaults against the strategy's spec.

    Defaults may leave out parameters the spec requires (an audit gives
    them), so only types and names are checked here.
    """
    if not default_parameters:
        return default_parameters
    if strategy is None:
        raise exception.Invalid(
            _('default_parameters requires a strategy to be specified'))
    spec = dict(strategy.parameters_spec or {})
    spec.pop('required', None)
    api_utils.validate_parameters(spec, default_parameters,
                                  what='default_parameters')
    return default_parameters


class AuditTemplatesController(base.ListController):

    plural = 'audit_templates'
    object_class = objects.AuditTemplate
    sort_keys = ('id', 'uuid', 'name', 'description', 'goal_id',
                 'strategy_id', 'created_at', 'updated_at')
    relations = ('goal', 'strategy')
    _custom_actions = {'detail': ['GET']}

    def _list(self, goal, strategy, name, marker, limit, sort_key, sort_dir,
              detail):
        filters = dict(base.ident_filter('goal', goal),
                       **base.ident_filter('strategy', strategy))
        if name is not None:
            filters['name'] = name
        return self.collection(
            view, filters, limit, marker, sort_key, sort_dir, detail=detail,
            params={'goal': goal, 'strategy': strategy, 'name': name})

    @expose.expose(wtypes.text, wtypes.text, wtypes.text, wtypes.text, int,
                   wtypes.text, wtypes.text)
    def get_all(self, goal=None, strategy=None, name=None, marker=None,
                limit=None, sort_key='id', sort_dir='asc'):
        base.authorize('audit_template:get_all')
        return self._list(goal, strategy, name, marker, limit, sort_key,
                          sort_dir, False)

    @expose.expose(wtypes.text, wtypes.text, wtypes.text, wtypes.text, int,
                   wtypes.text, wtypes.text)
    def detail(self, goal=None, strategy=None, name=None, marker=None,
               limit=None, sort_key='id', sort_dir='asc'):
        base.authorize('audit_template:detail')
        return self._list(goal, strategy, name, marker, limit, sort_key,
                          sort_dir, True)

    @expose.expose(wtypes.text)
    def get_one(self, audit_template):
        base.authorize('audit_template:get')
        return view(base.get_object(objects.AuditTemplate, audit_template,
                                    eager=True), detail=True)

    @expose.expose(body=AuditTemplatePostType,
                   status_code=HTTPStatus.CREATED)
    def post(self, body):
        base.authorize('audit_template:create')
        given = lambda value: value not in (wtypes.Unset, None)  # noqa
        if (given(body.default_parameters) and
                not microversion.allows(microversion.DEFAULT_PARAMETERS)):
            raise exception.NotAcceptable()
        name = check_name(body.name)
        with objects_base.reading():  # one transaction for both lookups
            goal = find_goal(body.goal)
            strategy = (find_strategy(body.strategy, goal)
                        if given(body.strategy) else None)
        scope = api_utils.validate_scope(
            body.scope if given(body.scope) else [])
        defaults = check_default_parameters(
            body.default_parameters if given(body.default_parameters)
            else {}, strategy)
        template = objects.AuditTemplate(
            base.context(), name=name,
            description=body.description if given(body.description)
            else None,
            goal_id=goal.id, strategy_id=strategy.id if strategy else None,
            scope=scope, default_parameters=defaults)
        template.create()
        pecan.response.location = link.build_url('audit_templates',
                                                 template.uuid)
        template.goal, template.strategy = goal, strategy
        return view(template, detail=True)

    @expose.expose(wtypes.text, body=[types.JsonPatchType])
    def patch(self, audit_template, patch):
        base.authorize('audit_template:update')
        template = base.get_object(objects.AuditTemplate, audit_template,
                                   eager=True)
        with_defaults = microversion.allows(microversion.DEFAULT_PARAMETERS)
        patchable = {'name', 'description', 'goal', 'strategy', 'scope'}
        if with_defaults:
            patchable.add('default_parameters')
        elif any(op.path.startswith('/default_parameters') for op in patch):
            raise exception.NotAcceptable()
        if any(op.path == '/goal' and op.op == 'remove' for op in patch):
            raise exception.Invalid(
                _("Cannot remove 'goal' attribute from an audit template"))
        old = {
            'name': template.name,
            'description': template.description,
            'goal': template.goal.uuid if template.goal else None,
            'strategy': (template.strategy.uuid if template.strategy
                         else None),
            'scope': template.scope or [],
            'default_parameters': template.default_parameters or {},
        }
        new = api_utils.apply_jsonpatch(dict(old), patch, patchable)
        validation.validate(new, template_schemas.PATCH)

        goal = template.goal
        if new['goal'] != old['goal']:
            goal = find_goal(new['goal'])
        strategy = template.strategy
        if new.get('strategy') != old['strategy'] or goal is not \
                template.goal:
            if new.get('strategy') in (None, ''):
                strategy = None
            else:
                strategy = find_strategy(new['strategy'], goal)
        moved = (goal.id != template.goal_id or
                 (strategy.id if strategy else None) != template.strategy_id)
        defaults_patched = any(op.path.startswith('/default_parameters')
                               for op in patch)
        defaults = new.get('default_parameters') or {}
        if moved and old['default_parameters'] and not defaults_patched:
            raise exception.Conflict(
                _('The audit template has default_parameters: replace them '
                  'in the same request that changes its goal or strategy'))
        check_default_parameters(defaults, strategy)
        name = new['name']
        description = new.get('description')
        scope = new.get('scope')
        api_utils.validate_scope(scope if scope is not None else [])

        template.name = name
        template.description = description
        template.goal_id = goal.id
        template.strategy_id = strategy.id if strategy else None
        template.scope = scope if scope is not None else []
        if with_defaults:
            template.default_parameters = defaults
        template.save()
        template.goal, template.strategy = goal, strategy
        return view(template, detail=True)

    @expose.expose(wtypes.text, status_code=HTTPStatus.NO_CONTENT)
    def delete(self, audit_template):
        base.authorize('audit_template:delete')
        template = base.get_object(objects.AuditTemplate, audit_template)
        template.soft_delete()
