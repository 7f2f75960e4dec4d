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

"""Python API tests: the WSGI app in-process (webtest) over a seeded DB."""
import webtest

from watcher.api import app as api_app
from watcher.api import microversion
from watcher.common import policy
from watcher.tests import base
from watcher.tests.functional.api import seed

LATEST = 'infra-optim %s' % microversion.MAX_VERSION_STRING


class APITestCase(base.DbTestCase):
    """noauth API over the seeded catalogue and history, fake RPC."""

    auth_strategy = 'noauth'
    seed_history = True

    def setUp(self):
        super().setUp()
        self.flags(auth_strategy=self.auth_strategy)
        policy.reset()
        self.addCleanup(policy.reset)
        self.rpc = seed.FakeRPC()
        self.rpc.patch(self.useFixture)
        self.goals, self.strategies = seed.catalogue(self.context)
        if self.seed_history:
            seed.history(self.goals, self.strategies, self.context)
        self.app = webtest.TestApp(api_app.setup_app())

    def headers(self, version=None, **extra):
        headers = {'Accept': 'application/json'}
        if version:
            headers['OpenStack-API-Version'] = 'infra-optim %s' % version
        headers.update(extra)
        return headers

    def get(self, url, version=None, status=200, **kw):
        return self.app.get(url, headers=self.headers(version), status=status,
                            **kw)

    def post(self, url, body, version=None, status=201, **kw):
        return self.app.post_json(url, body, headers=self.headers(version),
                                  status=status, **kw)

    def patch(self, url, ops, version=None, status=200, **kw):
        return self.app.patch_json(url, ops, headers=self.headers(version),
                                   status=status, **kw)

    def fault(self, response):
        import json
        return json.loads(response.json['error_message'])
