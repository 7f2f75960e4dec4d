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
