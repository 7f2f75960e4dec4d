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

"""/v1/strategies: the algorithms of each goal (read-only).

Fields: uuid, name, display_name, goal_uuid, goal_name, links; the detail
list and show add parameters_spec. ``/v1/strategies/{ident}/state`` is
the decision engine's requirement check of a strategy.
"""
from wsme import types as wtypes

from watcher.api.controllers.v1 import base
from watcher.api import expose
from watcher.api import rpc
from watcher import objects


def view(strategy, detail=False, extra=None):
    goal = base.related(strategy, 'goal', extra)
    doc = {
        'uuid': strategy.uuid,
        'name': strategy.name,
        'display_name': strategy.display_name,
        'links': base.make_links('strategies', strategy.uuid),
        'goal_uuid': goal.uuid if goal else None,
        'goal_name': goal.name if goal else None,
    }
    if detail:
        doc['parameters_spec'] = strategy.parameters_spec or {}
    return doc


class StrategiesController(base.ListController):

    plural = 'strategies'
    object_class = objects.Strategy
    sort_keys = ('id', 'uuid', 'name', 'display_name', 'created_at',
                 'updated_at')
    relations = ('goal',)
    _custom_actions = {'detail': ['GET'], 'state': ['GET']}

    def _list(self, goal, marker, limit, sort_key, sort_dir, detail):
        filters = base.ident_filter('goal', goal)
        return self.collection(view, filters, limit, marker, sort_key,
                               sort_dir, detail=detail,
                               params={'goal': goal})

    @expose.expose(wtypes.text, wtypes.text, int, wtypes.text, wtypes.text)
    def get_all(self, goal=None, marker=None, limit=None, sort_key='id',
                sort_dir='asc'):
        base.authorize('strategy:get_all')
        return self._list(goal, marker, limit, sort_key, sort_dir, False)

    @expose.expose(wtypes.text, wtypes.text, int, wtypes.text, wtypes.text)
    def detail(self, goal=None, marker=None, limit=None, sort_key='id',
               sort_dir='asc'):
        base.authorize('strategy:detail')
        return self._list(goal, marker, limit, sort_key, sort_dir, True)

    @expose.expose(wtypes.text)
    def get_one(self, strategy):
        base.authorize('strategy:get')
        return view(base.get_object(objects.Strategy, strategy, eager=True),
                    detail=True)

    @expose.expose(wtypes.text)
    def state(self, strategy):
        base.authorize('strategy:state')
        found = base.get_object(objects.Strategy, strategy)
        return rpc.get_strategy_state(base.context(), found)
