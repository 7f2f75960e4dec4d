"""Gabbi fixtures: the in-process API over a fresh, seeded database."""
import os

from gabbi import fixture

from watcher.api import app as api_app
from watcher.common import policy
from watcher.tests import base
from watcher.tests.functional.api import seed


def setup_app():
    """What gabbi's intercept serves (built once per gabbi file)."""
    return api_app.setup_app()


class APIFixture(fixture.GabbiFixture):
    """noauth API, seeded catalogue and history, fake RPC."""

    def start_fixture(self):
        self.conf = base.ConfFixture()
        self.conf.setUp()
        conf = self.conf.conf
        conf.set_override('auth_strategy', 'noauth')
        conf.set_override('max_limit', 1000, group='api')
        conf.set_override('max_request_body_size', 4096, group='api')
        self.db = base.DbFixture()
        self.db.setUp()
        policy.reset()
        self.rpc = seed.FakeRPC()
        self._patches = []
        self.rpc.patch(self._use)
        goals, strategies = seed.catalogue()
        seed.history(goals, strategies)
        for key, value in seed.UUIDS.items():
            os.environ[key] = value

    def _use(self, fix):
        fix.setUp()
        self._patches.append(fix)

    def stop_fixture(self):
        for fix in reversed(self._patches):
            fix.cleanUp()
        self.db.cleanUp()
        self.conf.cleanUp()
        policy.reset()
