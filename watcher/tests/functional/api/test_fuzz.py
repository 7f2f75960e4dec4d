"""Seeded fuzzing of the API on SQLite: no 5xx, always the error body."""
from watcher.tests.functional.api import base
from watcher.tests.functional.api import fuzz


class TestFuzz(base.APITestCase):
    seed_history = False

    def test_random_requests(self):
        fuzz.seed_rows(self, self.app, self.headers('1.7'))
        self.assertEqual(2000, fuzz.check(self, self.app, 2000))
