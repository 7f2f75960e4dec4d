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

"""Gabbi fixtures: the in-process API over a fresh, seeded database."""
import os

from gabbi import fixture
from keystonemiddleware import auth_token  # noqa: F401 (registers opts)
from keystonemiddleware import fixture as ksm_fixture

from watcher.api import app as api_app
from watcher.common import context
from watcher.common import policy
from watcher.decision_engine.audit import continuous
from watcher.tests import synthetic
from watcher import objects
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


class SyntheticSources:
    """Cluster models and metrics of a small seeded synthetic cluster."""

    def __init__(self):
        self.cluster = synthetic.generate(2, seed=1, servers_per_host=(2, 3))

    def get_model(self, model_type):
        return self.cluster.model.copy() if model_type == 'compute' else None

    def apply_scope(self, model_type, model, scope):
        return model

    def fetch_metrics(self, strategy_name, queries, compute_model):
        return self.cluster.frame_for(queries)


class ContinuousAuditRuns(fixture.GabbiFixture):
    """A CONTINUOUS audit run twice by the decision engine's pipeline.

    Use after APIFixture: ``CONTINUOUS_AUDIT_UUID`` names the audit (the
    API then shows what the two runs left behind).
    """

    def start_fixture(self):
        ctx = context.get_admin_context()
        goal = objects.Goal.get_by_name(ctx, 'dummy')
        strategy = objects.Strategy.get_by_name(ctx, 'dummy')
        audit = objects.Audit(
            ctx, name='audit-reruns', audit_type='CONTINUOUS',
            state='PENDING', interval='3600', goal_id=goal.id,
            strategy_id=strategy.id, parameters={}, scope=[],
            auto_trigger=False, force=True)
        audit.create()
        handler = continuous.ContinuousAuditHandler(
            sources=SyntheticSources(), applier_api=seed.FakeRPC())
        for _run in range(2):
            handler.execute(ctx, audit.uuid)
        os.environ['CONTINUOUS_AUDIT_UUID'] = audit.uuid

    def stop_fixture(self):
        os.environ.pop('CONTINUOUS_AUDIT_UUID', None)


class KeystoneTokens(fixture.GabbiFixture):
    """Keystone auth with canned tokens (use after APIFixture).

    ``admin-token`` (admin, member, reader), ``member-token`` (member,
    reader), ``reader-token`` (reader) and ``watcher-reader-token``
    (watcher_reader), all on project p1.
    """

    TOKENS = {'admin-token': ['admin', 'member', 'reader'],
              'member-token': ['member', 'reader'],
              'reader-token': ['reader'],
              'watcher-reader-token': ['watcher_reader']}

    def start_fixture(self):
        self.conf = base.ConfFixture()
        self.conf.setUp()
        self.conf.conf.set_override('auth_strategy', 'keystone')
        self.conf.conf.set_override(
            'www_authenticate_uri', 'http://keystone.test/identity/v3',
            group='keystone_authtoken')
        self.tokens = ksm_fixture.AuthTokenFixture()
        self.tokens.setUp()
        for i, (token, roles) in enumerate(sorted(self.TOKENS.items())):
            self.tokens.add_token_data(token_id=token, user_id='u%d' % i,
                                       project_id='p1', role_list=roles)

    def stop_fixture(self):
        self.tokens.cleanUp()
        self.conf.cleanUp()
