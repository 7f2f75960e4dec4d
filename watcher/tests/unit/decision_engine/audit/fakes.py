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

"""Test doubles for the audit pipeline (sources, applier, clock, scheduler)."""
import datetime
import threading

import fixtures

from watcher.common import exception
from watcher.tests import synthetic
from watcher.decision_engine import loading
from watcher.decision_engine.strategy import base as strategy_base
from watcher.tests import base as test_base
from watcher.tests import db_utils

UTC = datetime.timezone.utc
HOST = 'test-host'


class FakeSources:
    """Models and metrics from a seeded synthetic cluster."""

    def __init__(self, hosts=4, seed=1):
        self.cluster = synthetic.generate(hosts, seed=seed)
        self.models = {'compute': self.cluster.model}
        self.fetches = []
        self.scopes = []
        self.fail_metric = None

    def get_model(self, model_type):
        model = self.models.get(model_type)
        if isinstance(model, Exception):
            raise model
        return model.copy() if model is not None else None

    def apply_scope(self, model_type, model, scope):
        self.scopes.append((model_type, scope))
        return model

    def fetch_metrics(self, strategy_name, queries, compute_model):
        self.fetches.append((strategy_name, list(queries)))
        if self.fail_metric:
            raise exception.MetricNotAvailable(
                metric=self.fail_metric, datasources='gnocchi, aetos')
        return self.cluster.frame_for(queries)


class FakeApplier:
    def __init__(self, error=None):
        self.launched = []
        self.error = error

    def launch_action_plan(self, context, plan_uuid):
        if self.error:
            raise self.error
        self.launched.append(plan_uuid)


class FakeClock:
    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, **kwargs):
        self.now += datetime.timedelta(**kwargs)


class FakeScheduler:
    """Records jobs like APScheduler's add_job/remove_job."""

    def __init__(self):
        self.jobs = {}
        self.removed = []

    def add_job(self, func, trigger, id=None, replace_existing=False,
                **kwargs):
        self.jobs[id] = {'func': func, 'trigger': trigger, **kwargs}

    def remove_job(self, job_id):
        self.removed.append(job_id)
        if job_id not in self.jobs:
            raise KeyError(job_id)
        del self.jobs[job_id]


class Ownership:
    """Ownership decided by the test (default: everything is ours)."""

    def __init__(self, mine=True):
        self.mine = mine
        self.calls = []

    def claim(self, context, audit):
        self.calls.append(audit.uuid)
        return self.mine(audit) if callable(self.mine) else self.mine


class BlockingStrategy(strategy_base.BaseStrategy):
    """The dummy plan, but each run waits for the test to release it."""

    name = 'blocking'
    goal_name = 'dummy'
    required_models = ()
    entered = None
    release = None
    runs = 0

    def do_execute(self, inputs, params, solution):
        type(self).runs += 1
        self.entered.release()
        assert self.release.acquire(timeout=10)
        solution.add_action('nop', input_parameters={'message': 'run'})


class ExplodingStrategy(strategy_base.BaseStrategy):
    name = 'exploding'
    goal_name = 'dummy'
    required_models = ()

    def do_execute(self, inputs, params, solution):
        raise RuntimeError('division by zero in step 3')


EXTRA_STRATEGIES = {'blocking': BlockingStrategy,
                    'exploding': ExplodingStrategy}


class NotificationRecorder(fixtures.Fixture):
    """Records audit.<action>.<phase> notifications."""

    def _setUp(self):
        self.events = []
        self.faults = []

        def record(context, audit, action, phase=None, priority=None,
                   fault=None, host=None, **kwargs):
            self.events.append('audit.%s.%s' % (action, phase))
            self.faults.append(fault)

        self.useFixture(fixtures.MonkeyPatch(
            'watcher.notifications.audit.send_action_notification', record))


class AuditTestCase(test_base.DbTestCase):
    """A database with the dummy goal/strategies and recorded phases."""

    def setUp(self):
        super().setUp()
        self.flags(host=HOST)
        self.notifications = self.useFixture(NotificationRecorder())
        self.goal = db_utils.create_test_goal(name='dummy')
        self.strategy = db_utils.create_test_strategy(
            name='dummy', goal_id=self.goal.id)
        real_load = loading.load

        def load(namespace, name, **kwargs):
            if namespace == loading.STRATEGIES and name in EXTRA_STRATEGIES:
                return EXTRA_STRATEGIES[name]()
            return real_load(namespace, name, **kwargs)

        self.useFixture(fixtures.MonkeyPatch(
            'watcher.decision_engine.loading.load', load))
        self.sources = FakeSources()
        self.applier = FakeApplier()

    def create_strategy(self, name, goal=None):
        return db_utils.create_test_strategy(
            name=name, goal_id=(goal or self.goal).id)

    def create_audit(self, **kw):
        kw.setdefault('goal_id', self.goal.id)
        kw.setdefault('strategy_id', self.strategy.id)
        from watcher import objects
        row = db_utils.create_test_audit(**kw)
        return objects.Audit.get_by_uuid(self.context, row.uuid, eager=True)

    def plans_of(self, audit):
        from watcher import objects
        return objects.ActionPlan.list(
            self.context, filters={'audit_id': audit.id}, sort_key='id')

    def actions_of(self, plan):
        from watcher import objects
        return objects.Action.list(
            self.context, filters={'action_plan_id': plan.id},
            sort_key='id')

    def reload(self, audit):
        from watcher import objects
        return objects.Audit.get_by_uuid(self.context, audit.uuid)


def make_blocking():
    """Reset BlockingStrategy's semaphores; returns (entered, release)."""
    BlockingStrategy.entered = threading.Semaphore(0)
    BlockingStrategy.release = threading.Semaphore(0)
    BlockingStrategy.runs = 0
    return BlockingStrategy.entered, BlockingStrategy.release
