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

"""Bad input gets the same 4xx on MariaDB and PostgreSQL as on SQLite: a
string longer than its column (SQLite would store anything) is a 400 naming
the field, and a smaller run of the seeded fuzzing gets no 5xx.

The API runs in-process (webtest, noauth, the decision engine stood in for
by the API tests' fake RPC) over a private database of each server.
"""
import webtest

from watcher.api import app as api_app
from watcher.common import policy
from watcher.tests import base
from watcher.tests.functional.api import fuzz
from watcher.tests.functional.api import length_limits
from watcher.tests.functional.api import seed

HEADERS = {'Accept': 'application/json',
           'OpenStack-API-Version': 'infra-optim 1.7'}


class LimitsMixin(base.BackendClassMixin):

    def setUp(self):
        super().setUp()
        self.flags(auth_strategy='noauth')
        policy.reset()
        self.addCleanup(policy.reset)
        seed.FakeRPC().patch(self.useFixture)
        seed.catalogue(self.context)
        self.app = webtest.TestApp(api_app.setup_app())

    def test_too_long_strings_are_400_naming_the_field(self):
        length_limits.check(
            self, self.app, HEADERS)

    def test_random_requests(self):
        fuzz.seed_rows(self, self.app, HEADERS)
        self.assertEqual(300, fuzz.check(self, self.app, 300))


class TestMySQL(LimitsMixin, base.TestCase):
    backend = 'mysql'


class TestPostgreSQL(LimitsMixin, base.TestCase):
    backend = 'postgresql'
