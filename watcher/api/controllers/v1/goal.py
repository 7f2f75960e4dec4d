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

"""/v1/goals: what an audit can optimise (read-only, synced from plugins).

Fields: uuid, name, display_name, efficacy_specification, links; the
detail list and show add created_at, updated_at, deleted_at.
"""
from wsme import types as wtypes

from watcher.api.controllers.v1 import base
from watcher.api import expose
from watcher import objects


def view(goal, detail=False, extra=None):
    doc = {
        'uuid': goal.uuid,
        'name': goal.name,
        'display_name': goal.display_name,
        'efficacy_specification': goal.efficacy_specification or [],
        'links': base.make_links('goals', goal.uuid),
    }
    if detail:
        doc.update(base.timestamps(goal))
    return doc


class GoalsController(base.ListController):

    plural = 'goals'
    object_class = objects.Goal
    sort_keys = ('id', 'uuid', 'name', 'display_name', 'created_at',
                 'updated_at')
    _custom_actions = {'detail': ['GET']}

    @expose.expose(wtypes.text, int, wtypes.text, wtypes.text)
    def get_all(self, marker=None, limit=None, sort_key='id',
                sort_dir='asc'):
        base.authorize('goal:get_all')
        return self.collection(view, None, limit, marker, sort_key,
                               sort_dir)

    @expose.expose(wtypes.text, int, wtypes.text, wtypes.text)
    def detail(self, marker=None, limit=None, sort_key='id',
               sort_dir='asc'):
        base.authorize('goal:detail')
        return self.collection(view, None, limit, marker, sort_key,
                               sort_dir, detail=True)

    @expose.expose(wtypes.text)
    def get_one(self, goal):
        base.authorize('goal:get')
        return view(base.get_object(objects.Goal, goal), detail=True)
