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

"""/v1/scoring_engines: machine-learning models strategies may consult.

Fields: uuid, name, description, links; detail and show add metainfo.
"""
from wsme import types as wtypes

from watcher.api.controllers.v1 import base
from watcher.api import expose
from watcher import objects


def view(engine, detail=False, extra=None):
    doc = {
        'uuid': engine.uuid,
        'name': engine.name,
        'description': engine.description,
        'links': base.make_links('scoring_engines', engine.uuid),
    }
    if detail:
        doc['metainfo'] = engine.metainfo
    return doc


class ScoringEngineController(base.ListController):

    plural = 'scoring_engines'
    object_class = objects.ScoringEngine
    sort_keys = ('id', 'uuid', 'name', 'description', 'created_at',
                 'updated_at')
    _custom_actions = {'detail': ['GET']}

    @expose.expose(wtypes.text, int, wtypes.text, wtypes.text)
    def get_all(self, marker=None, limit=None, sort_key='id',
                sort_dir='asc'):
        base.authorize('scoring_engine:get_all')
        return self.collection(view, None, limit, marker, sort_key,
                               sort_dir)

    @expose.expose(wtypes.text, int, wtypes.text, wtypes.text)
    def detail(self, marker=None, limit=None, sort_key='id',
               sort_dir='asc'):
        base.authorize('scoring_engine:detail')
        return self.collection(view, None, limit, marker, sort_key,
                               sort_dir, detail=True)

    @expose.expose(wtypes.text)
    def get_one(self, scoring_engine):
        base.authorize('scoring_engine:get')
        return view(base.get_object(objects.ScoringEngine, scoring_engine),
                    detail=True)
