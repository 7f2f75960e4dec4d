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

"""Pecan hooks of watcher-api: request context and fault handling."""
import pecan
from pecan import hooks

from watcher.api import expose
from watcher.api.middleware import auth
from watcher.common import context as watcher_context
from watcher.common import policy


def build_context(environ):
    """The RequestContext of a request, from what authentication left."""
    request_id = environ.get('openstack.request_id')
    global_request_id = environ.get('openstack.global_request_id')
    if environ.get(auth.NOAUTH_KEY):
        return watcher_context.RequestContext(
            is_admin=True, roles=['admin'], request_id=request_id,
            global_request_id=global_request_id, overwrite=False)
    if environ.get(auth.ANONYMOUS_KEY):
        return watcher_context.RequestContext(
            is_admin=False, roles=[], request_id=request_id,
            global_request_id=global_request_id, overwrite=False)
    ctx = watcher_context.RequestContext.from_environ(
        environ, overwrite=False)
    ctx.is_admin = policy.check_is_admin(ctx)
    return ctx


class ContextHook(hooks.PecanHook):
    """Puts a watcher RequestContext on ``pecan.request.context``."""

    priority = 10

    def before(self, state):
        state.request.context = build_context(state.request.environ)


class FaultHook(hooks.PecanHook):
    """Turns any escaping exception into a fault document.

    Routing 404/405 included; no traceback is ever shown.
    """

    priority = 1000

    def on_error(self, state, e):
        response = pecan.Response()
        code, fault = expose.fault_of(e)
        response.status = code
        response.body = expose.fault_body(code, fault)
        response.content_type = 'application/json'
        response.charset = None
        allow = getattr(e, 'headers', {}).get('Allow')
        if allow:
            response.headers['Allow'] = allow
        return response
