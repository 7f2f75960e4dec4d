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

"""/v1/webhooks/{audit} (1.4): an alarm (Aodh) triggers an EVENT audit.

Aodh sends no microversion header, so the call is served whatever the
negotiated version is (as the reference does). The body is any JSON and
is not used. With ``[api] enable_webhooks_auth`` the caller needs a token
and the ``webhook:trigger`` rule; without it the route is public.
"""
from http import HTTPStatus

from oslo_config import cfg
from pecan import rest
from wsme import types as wtypes

from watcher.api.controllers.v1 import base
from watcher.api.controllers.v1 import types
from watcher.api import expose
from watcher.api import rpc
from watcher.common import exception
from watcher import objects
from watcher.objects import states

CONF = cfg.CONF

# The states an EVENT audit may be triggered in: the audit machine's
# ``trigger`` event (the decision engine fires it when the run starts).
TRIGGERABLE_STATES = objects.audit.MACHINE.sources('trigger')


class WebhookController(rest.RestController):

    @expose.expose(wtypes.text, body=types.jsontype,
                   status_code=HTTPStatus.ACCEPTED)
    def post(self, audit_ident, body):
        if CONF.api.enable_webhooks_auth:
            base.authorize('webhook:trigger')
        audit = base.get_object(objects.Audit, audit_ident)
        if audit.audit_type != objects.audit.AuditType.EVENT:
            raise exception.AuditTypeNotAllowed(audit_type=audit.audit_type)
        if not audit.MACHINE.may(states.WEBHOOK, 'trigger', audit.state):
            raise exception.AuditStateNotAllowed(state=audit.state)
        rpc.trigger_audit(base.context(), audit.uuid)
        return None
