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

"""Authentication of watcher-api requests.

``[DEFAULT] auth_strategy = keystone`` (and ``enable_authentication``
true) validates tokens with keystonemiddleware; ``noauth`` (or the legacy
``enable_authentication = False``) serves every request as an admin.

Some routes never need a token: the version documents ``/`` and ``/v1``,
and the webhook ``/v1/webhooks/{audit}`` when ``[api]
enable_webhooks_auth`` is false (Aodh's plain ``http://`` alarm actions
carry no token). The options are read per request, so a value from the
configuration file is always honoured. Identity headers a caller sends on
such a route are dropped: nothing but keystonemiddleware may set them.
"""
import re

from keystonemiddleware import auth_token
from oslo_config import cfg

CONF = cfg.CONF

NOAUTH_KEY = 'watcher.noauth'
ANONYMOUS_KEY = 'watcher.anonymous'

_PUBLIC = re.compile(r'^/(v1/?)?$')
_WEBHOOK = re.compile(r'^/v1/webhooks(/.*)?$')

# Headers keystonemiddleware sets after validating a token.
_IDENTITY_PREFIXES = ('HTTP_X_IDENTITY_STATUS', 'HTTP_X_SERVICE_IDENTITY',
                      'HTTP_X_ROLE', 'HTTP_X_USER', 'HTTP_X_PROJECT',
                      'HTTP_X_TENANT', 'HTTP_X_DOMAIN', 'HTTP_X_SERVICE_',
                      'HTTP_X_SYSTEM_SCOPE', 'HTTP_X_IS_ADMIN_PROJECT',
                      'HTTP_X_TRUST', 'HTTP_X_AUTH_TOKEN',
                      'HTTP_X_SERVICE_CATALOG', 'HTTP_X_APP_CRED')


def use_keystone(conf=CONF):
    return conf.auth_strategy == 'keystone' and conf.enable_authentication


def is_public(path, conf=CONF):
    if _PUBLIC.match(path):
        return True
    return bool(_WEBHOOK.match(path)) and not conf.api.enable_webhooks_auth


def _strip_identity(environ):
    for key in [k for k in environ if k.startswith(_IDENTITY_PREFIXES)]:
        del environ[key]
    environ.pop('keystone.token_info', None)
    environ.pop('keystone.token_auth', None)


class AuthMiddleware:
    def __init__(self, app, conf=CONF):
        self.app = app
        self.conf = conf
        self._protected = None

    @property
    def protected(self):
        if self._protected is None:
            self._protected = auth_token.AuthProtocol(
                self.app, {'oslo_config_config': self.conf})
        return self._protected

    def __call__(self, environ, start_response):
        environ.pop(NOAUTH_KEY, None)
        environ.pop(ANONYMOUS_KEY, None)
        if not use_keystone(self.conf):
            environ[NOAUTH_KEY] = True
            return self.app(environ, start_response)
        if is_public(environ.get('PATH_INFO', '') or '/', self.conf):
            _strip_identity(environ)
            environ[ANONYMOUS_KEY] = True
            return self.app(environ, start_response)
        return self.protected(environ, start_response)
