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

"""Continuous and event audits against the simulated demo cloud.

The decision engine side is real: the audit dispatcher with its worker
pool, watcher's APScheduler background scheduler, the manager's RPC
methods (called directly) and the ``ha`` ownership rules. Waits are bounded
polls of the database (the bound only stops a hung test; nothing asserts
on elapsed time).
"""
import datetime

import pytest

from watcher.cmd import service as watcher_service
from watcher.decision_engine.audit import continuous
from watcher.decision_engine.audit import dispatcher as dispatcher_mod
from watcher.decision_engine import manager as de_manager
from watcher.tests.functional.decision_engine import test_audits

AuditEnvironment = test_audits.AuditEnvironment
wait_until = test_audits.wait_until


@pytest.fixture(scope='module')
def env():
    environment = AuditEnvironment()
    environment.setUp()
    environment.conf.set_override('continuous_audit_interval', 1,
                                  group='watcher_decision_engine')
    yield environment
    environment.cleanUp()


@pytest.fixture
def engine(env):
    """The decision engine's dispatcher on a running scheduler."""
    scheduler = watcher_service.Scheduler(name='test-de')
    dispatcher_mod.stop()
    dispatcher = dispatcher_mod.get_dispatcher()
    dispatcher.start(scheduler=scheduler)
    scheduler.start()
    yield dispatcher
    dispatcher_mod.stop()
    scheduler.shutdown(wait=True)


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def states(plans):
    return [p.state for p in plans]


def test_continuous_audit_runs_on_schedule(env, engine):
    audit = env.create_audit('dummy', audit_type='CONTINUOUS', interval='1')
    de_manager.DecisionEngineManager(run_sync=False).trigger_audit(
        env.context, audit.uuid)
    assert wait_until(lambda: len(env.plans(audit)) >= 3)
    current = env.audit(audit.uuid)
    assert current.state == 'ONGOING'
    assert current.hostname == env.conf.host
    assert current.next_run_time is not None
    # suspend: the job goes away, no more runs
    current.state = 'SUSPENDED'
    current.save()
    assert wait_until(lambda: engine.continuous.planned(audit.uuid) is None)
    plans = env.plans(audit)
    # every run cancelled the plan of the run before it (as upstream)
    assert states(plans) == ['CANCELLED'] * (len(plans) - 1) + [
        'RECOMMENDED']
    assert env.audit(audit.uuid).state == 'SUSPENDED'
    # resumed: picked up again by the poll and runs again
    current = env.audit(audit.uuid)
    current.state = 'ONGOING'
    current.save()
    count = len(plans)
    assert wait_until(lambda: len(env.plans(audit)) > count)
    current = env.audit(audit.uuid)
    current.state = 'CANCELLED'
    current.save()
    assert wait_until(lambda: engine.continuous.planned(audit.uuid) is None)


def test_continuous_audit_stops_at_its_end_time(env, engine):
    audit = env.create_audit(
        'dummy', audit_type='CONTINUOUS', interval='1',
        end_time=utcnow() + datetime.timedelta(seconds=2))
    engine.execute_audit(env.context, audit.uuid)
    assert wait_until(lambda: env.audit(audit.uuid).state == 'SUCCEEDED')
    finished = env.audit(audit.uuid)
    assert finished.next_run_time is None
    assert engine.continuous.planned(audit.uuid) is None
    assert continuous.job_id(audit.uuid) not in {
        job.id for job in engine._scheduler.scheduler.get_jobs()}
    plans = env.plans(audit)
    assert plans
    assert states(plans) == ['CANCELLED'] * (len(plans) - 1) + [
        'RECOMMENDED']
    end = test_audits.objects.Audit.get_by_uuid(env.context,
                                                audit.uuid).end_time
    assert all(p.created_at <= end + datetime.timedelta(seconds=30)
               for p in plans)


def test_event_audit_runs_on_each_trigger(env, engine):
    audit = env.create_audit('dummy', audit_type='EVENT')
    manager = de_manager.DecisionEngineManager(run_sync=False)
    # created: nothing runs until the webhook fires
    assert env.audit(audit.uuid).state == 'PENDING'
    assert env.plans(audit) == []

    manager.trigger_audit(env.context, audit.uuid)     # webhook 1
    assert engine.event.wait_idle(audit.uuid, 30)
    assert env.audit(audit.uuid).state == 'SUCCEEDED'
    assert states(env.plans(audit)) == ['RECOMMENDED']

    manager.trigger_audit(env.context, audit.uuid)     # webhook 2
    assert engine.event.wait_idle(audit.uuid, 30)
    assert env.audit(audit.uuid).state == 'SUCCEEDED'
    assert states(env.plans(audit)) == ['SUPERSEDED', 'RECOMMENDED']


def test_event_audit_with_a_failing_datasource(env, engine):
    audit = env.create_audit('basic', audit_type='EVENT')
    env.conf.set_override('datasources', ['gnocchi'],
                          group='watcher_datasources')
    try:
        engine.trigger_event_audit(env.context, audit.uuid)
        assert engine.event.wait_idle(audit.uuid, 30)
    finally:
        env.conf.set_override('datasources', ['simulator'],
                              group='watcher_datasources')
    failed = env.audit(audit.uuid)
    assert failed.state == 'FAILED'
    assert 'not available from any configured datasource' in \
        failed.status_message
    # the next trigger (datasource back) succeeds
    engine.trigger_event_audit(env.context, audit.uuid)
    assert engine.event.wait_idle(audit.uuid, 30)
    assert env.audit(audit.uuid).state == 'SUCCEEDED'
    assert states(env.plans(audit)) == ['RECOMMENDED']


def test_oneshot_audit_through_the_manager(env, engine):
    audit = env.create_audit('dummy')
    de_manager.DecisionEngineManager(run_sync=False).trigger_audit(
        env.context, audit.uuid)
    assert wait_until(lambda: env.audit(audit.uuid).state == 'SUCCEEDED')
    assert states(env.plans(audit)) == ['RECOMMENDED']
