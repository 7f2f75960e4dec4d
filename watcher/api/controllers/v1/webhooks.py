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

CONF = cfg.CONF

# An EVENT audit can be triggered again and again: while it runs (ONGOING)
# the decision engine coalesces the trigger into one more run, and a failed
# run does not stop later events from retrying it.
TRIGGERABLE_STATES = (objects.audit.State.PENDING,
                      objects.audit.State.ONGOING,
                      objects.audit.State.SUCCEEDED,
                      objects.audit.State.FAILED)


class WebhookController(rest.RestController):

    @expose.expose(wtypes.text, body=types.jsontype,
                   status_code=HTTPStatus.ACCEPTED)
    def post(self, audit_ident, body):
        if CONF.api.enable_webhooks_auth:
            base.authorize('webhook:trigger')
        audit = base.get_object(objects.Audit, audit_ident)
        if audit.audit_type != objects.audit.AuditType.EVENT:
            raise exception.AuditTypeNotAllowed(audit_type=audit.audit_type)
        if audit.state not in TRIGGERABLE_STATES:
            raise exception.AuditStateNotAllowed(state=audit.state)
        rpc.trigger_audit(base.context(), audit.uuid)
        return None
