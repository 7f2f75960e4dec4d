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

"""Seeded fuzzing of the API on SQLite: no 5xx, always the error body."""
from watcher.tests.functional.api import base
from watcher.tests.functional.api import fuzz


class TestFuzz(base.APITestCase):
    seed_history = False

    def test_random_requests(self):
        fuzz.seed_rows(self, self.app, self.headers('1.7'))
        self.assertEqual(2000, fuzz.check(self, self.app, 2000))
