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

"""Version 1 of the infra-optim API: ``GET /v1`` and its collections."""
from pecan import rest

from watcher.api.controllers import link
from watcher.api.controllers.v1 import action
from watcher.api.controllers.v1 import action_plan
from watcher.api.controllers.v1 import audit
from watcher.api.controllers.v1 import audit_template
from watcher.api.controllers.v1 import data_model
from watcher.api.controllers.v1 import goal
from watcher.api.controllers.v1 import scoring_engine
from watcher.api.controllers.v1 import service
from watcher.api.controllers.v1 import strategy
from watcher.api.controllers.v1 import webhooks
from watcher.api import expose
from watcher.api import microversion

MEDIA_TYPES = [{'base': 'application/json',
                'type': 'application/vnd.openstack.watcher.v1+json'}]
DESCRIBED_BY = ('http://docs.openstack.org/developer/watcher/dev/'
                'api-spec-v1.html')

# (collection, microversion that introduced it); the /v1 document lists
# them in this order. Goals and strategies are never listed (as upstream).
_LINKED = (
    ('audit_templates', None),
    ('audits', None),
    ('data_model', microversion.DATA_MODEL),
    ('actions', None),
    ('action_plans', None),
    ('scoring_engines', None),
    ('services', None),
    ('webhooks', microversion.WEBHOOK),
)


class Controller(rest.RestController):

    audit_templates = audit_template.AuditTemplatesController()
    audits = audit.AuditsController()
    actions = action.ActionsController()
    action_plans = action_plan.ActionPlansController()
    goals = goal.GoalsController()
    strategies = strategy.StrategiesController()
    scoring_engines = scoring_engine.ScoringEngineController()
    services = service.ServicesController()
    data_model = data_model.DataModelController()
    webhooks = webhooks.WebhookController()

    @expose.expose()
    def get(self):
        base = link.base_url()
        document = {'id': 'v1', 'media_types': MEDIA_TYPES}
        for collection, since in _LINKED:
            if since is None or microversion.allows(since):
                document[collection] = link.make_links(collection, '', base)
        document['links'] = [
            {'href': '%s/v1/' % base, 'rel': 'self'},
            {'href': DESCRIBED_BY, 'rel': 'describedby',
             'type': 'text/html'},
        ]
        return document
