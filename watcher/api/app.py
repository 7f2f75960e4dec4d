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

"""The watcher-api WSGI application.

Filters, outermost first: ``/healthcheck`` (answered before
authentication, :mod:`watcher.api.healthcheck`), CORS, HTTP proxy headers,
request id, authentication (keystonemiddleware or noauth), microversion
negotiation, request body size limit, the parsable error body, then the
pecan app with its context and fault hooks.
"""
from oslo_config import cfg
from oslo_middleware import catch_errors
from oslo_middleware import cors
from oslo_middleware import http_proxy_to_wsgi
from oslo_middleware import request_id
import pecan

from watcher.api import healthcheck
from watcher.api import hooks
from watcher.api import microversion
from watcher.api import middleware
from watcher.common import library_seams
from watcher.common import policy

CONF = cfg.CONF


def get_pecan_config():
    return pecan.configuration.conf_from_dict({
        'app': {
            'root': 'watcher.api.controllers.root.RootController',
            'modules': ['watcher.api'],
            'debug': False,
        },
    })


def setup_app(config=None):
    """Build the WSGI app; ``config`` is an optional pecan config dict."""
    pecan_config = get_pecan_config()
    if config:
        pecan_config.update(config)
    policy.init()
    # pecan's per-request signature inspection, remembered (measured there)
    library_seams.memoize_pecan_argspec()
    # result rows parsed in one loop (measured there)
    library_seams.fast_pymysql_rows()
    app = pecan.make_app(
        pecan_config.app.root,
        debug=False,
        force_canonical=False,
        guess_content_type_from_ext=False,
        hooks=[hooks.ContextHook(), hooks.FaultHook()],
    )
    app = middleware.ParsableErrorMiddleware(app)
    app = middleware.RequestBodyMiddleware(app)
    app = middleware.BodySizeLimitMiddleware(app)
    app = microversion.MicroversionMiddleware(app)
    app = middleware.AuthMiddleware(app, CONF)
    app = request_id.RequestId(app)
    app = http_proxy_to_wsgi.HTTPProxyToWSGI(app, CONF)
    app = cors.CORS(app, CONF)
    app = healthcheck.HealthcheckDispatcher(app, CONF)
    # Outermost: an error no layer turned into a response (a misconfigured
    # [keystone_authtoken], say) is a 500, not a connection closed unanswered.
    app = catch_errors.CatchErrors(app)
    return middleware.ServerHeaderMiddleware(app)


def app_factory(global_config, **local_conf):
    """paste.deploy factory (etc/watcher/api-paste.ini)."""
    return setup_app()
