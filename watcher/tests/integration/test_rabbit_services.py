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

"""The daemons as separate processes over the machine's RabbitMQ.

Needs RabbitMQ at ``rabbit://guest:guest@127.0.0.1:5672/`` (skipped, with
the reason, when it does not answer). Every test run uses its own
``control_exchange``, RPC topics and notification topic, so it never meets
other users of the broker. The daemons share one SQLite file; the
simulated cloud (in this process) is their cloud.

Covered:

* ``watcher-decision-engine`` and ``watcher-applier`` register and heartbeat
  (ACTIVE); a killed daemon turns FAILED, as ``openstack optimize service
  list`` (through ``watcher-api``) shows.
* ``trigger_audit`` cast from this process runs the audit in the decision
  engine process; ``launch_action_plan`` runs a plan in the applier
  process; notifications are read back from the broker.
* Two decision engines, the owner of a continuous audit killed mid-way: the
  survivor takes the audit over and it keeps running, never on both
  engines for the same due time.

* The broker restarted under running daemons (``rabbitmqctl stop_app`` /
  ``start_app``): a cast sent while it is down is delivered once it is
  back (or, when the broker dropped it, the decision engine's sweep for
  unclaimed one-shot audits runs the audit), and both daemons keep
  serving. It drops every connection to this machine's broker for a few
  seconds: set WATCHER_TEST_NO_BROKER_RESTART=1 where the broker is
  shared.
"""
import datetime
import json
import os
import shutil
import signal
import subprocess
import threading
import urllib.request

import fixtures
from oslo_config import fixture as config_fixture
from oslo_db.sqlalchemy import enginefacade
import testtools

from watcher.applier import rpcapi as applier_rpcapi
from watcher.common import context as watcher_context
from watcher.common import rpc
from watcher.conf import CONF
from watcher.db.sqlalchemy import api as sqla_api
from watcher.db.sqlalchemy import migration
from watcher.db.sqlalchemy import models
from watcher.decision_engine import rpcapi as de_rpcapi
from watcher.decision_engine import sync
from watcher import objects
from watcher.simulator import fixture as sim_fixture
from watcher.tests import base as tests_base
from watcher.tests.functional.services import fixtures as svc_fixtures
from watcher.tests.integration import daemons
from watcher.tests import objects_utils

RABBIT_URL = daemons.RABBIT_URL
UTC = datetime.timezone.utc

wait_until = daemons.wait_until


class RabbitServicesTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        problem = daemons.rabbit_problem()
        if problem:
            self.skipTest(problem)
        self.useFixture(fixtures.Timeout(600, gentle=True))
        self.conf = self.useFixture(config_fixture.Config(CONF)).conf
        self.context = watcher_context.get_admin_context()
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.names = daemons.RunNames()
        self.suffix = self.names.suffix
        # after the daemons are stopped (clean-ups run last first)
        self.addCleanup(
            daemons.delete_from_broker, exchanges=self.names.exchanges(),
            queues=self.names.queues(['de-1', 'de-a', 'de-b'], ['ap-1']))
        self.db = self._database()
        sync.Syncer().sync(self.context)
        self.cloud = self.useFixture(sim_fixture.SimulatedCloud())
        self.processes = self.useFixture(daemons.Processes(self.tmp))
        self.processes.attach_logs_to(self)
        self._write_config()
        self._init_messaging()

    def _database(self):
        """A private MariaDB database when the server answers (several
        processes write at once), else a SQLite file.
        """
        if tests_base.server_unavailable_reason('mysql'):
            db = self.useFixture(tests_base.FileDbFixture(self.tmp))
        else:
            db = self.useFixture(tests_base.ServerDatabase('mysql'))
            manager = enginefacade.transaction_context()
            manager.configure(connection=db.url)
            engine = manager.writer.get_engine()
            models.Base.metadata.create_all(engine)
            self.addCleanup(engine.dispose)
            self.addCleanup(
                sqla_api.get_context_manager().patch_factory(manager))
            db.engine = engine
        migration.stamp('head', engine=db.engine)
        return db

    # --- configuration ------------------------------------------------------

    def _write_config(self):
        names = self.names
        self.exchange = names.exchange
        self.de_topic = names.de_topic
        self.applier_topic = names.applier_topic
        self.notif_topic = names.notif_topic
        self.config_path = daemons.write_file(
            os.path.join(self.tmp, 'watcher.conf'),
            daemons.messaging_config(names, self.db.url, self.cloud.url,
                                     self.cloud.auth_url))

    def _init_messaging(self):
        rpc.cleanup()
        rpc.register_opts(CONF)
        self.conf.set_override('transport_url', RABBIT_URL)
        self.conf.set_override('control_exchange', self.exchange)
        self.conf.set_override('driver', ['messagingv2'],
                               group='oslo_messaging_notifications')
        self.conf.set_override('topics', [self.notif_topic],
                               group='oslo_messaging_notifications')
        self.conf.set_override('conductor_topic', self.de_topic,
                               group='watcher_decision_engine')
        self.conf.set_override('conductor_topic', self.applier_topic,
                               group='watcher_applier')
        self.conf.set_override('service_down_time', 4)
        rpc.init(CONF)
        self.addCleanup(rpc.cleanup)
        self.capture = self.useFixture(
            svc_fixtures.NotificationCapture(topics=[self.notif_topic]))

    # --- processes -----------------------------------------------------------

    def start_daemon(self, binary, host):
        host_conf = daemons.write_file(
            os.path.join(self.tmp, '%s-%s.conf' % (binary, host)),
            '[DEFAULT]\nhost = %s\n' % host)
        return self.processes.start(
            '%s-%s' % (binary, host),
            [binary, '--config-file', self.config_path, '--config-file',
             host_conf])

    def kill(self, binary, host):
        self.processes.kill('%s-%s' % (binary, host))

    def service_status(self, name, host):
        try:
            svc = objects.Service.get_by_host_and_name(self.context, host,
                                                       name)
        except Exception:
            return None
        return objects.Service.status_of(svc)

    def wait_active(self, name, host):
        self.assertTrue(wait_until(
            lambda: self.service_status(name, host) == 'ACTIVE',
            timeout=120), '%s on %s never became ACTIVE' % (name, host))

    def audit_state(self, audit_uuid):
        return objects.Audit.get_by_uuid(self.context, audit_uuid).state

    def dummy_ids(self):
        goal = objects.Goal.get_by_name(self.context, 'dummy')
        strategy = objects.Strategy.get_by_name(self.context, 'dummy')
        return goal.id, strategy.id


class TestDaemons(RabbitServicesTestCase):

    def test_services_active_then_failed(self):
        self.start_daemon('watcher-decision-engine', 'de-1')
        self.start_daemon('watcher-applier', 'ap-1')
        self.wait_active('watcher-decision-engine', 'de-1')
        self.wait_active('watcher-applier', 'ap-1')
        api = self._start_api()
        listing = self._service_list(api)
        self.assertEqual('ACTIVE', listing[('watcher-decision-engine',
                                            'de-1')])
        self.assertEqual('ACTIVE', listing[('watcher-applier', 'ap-1')])
        self.kill('watcher-applier', 'ap-1')
        self.assertTrue(wait_until(
            lambda: self._service_list(api).get(
                ('watcher-applier', 'ap-1')) == 'FAILED', timeout=120))
        self.assertEqual('ACTIVE', self._service_list(api)[
            ('watcher-decision-engine', 'de-1')])

    def _start_api(self):
        return daemons.start_api(self.processes, [self.config_path])

    def _service_list(self, url):
        """``openstack optimize service list`` (the HTTP API when the
        client cannot run without Keystone).
        """
        result = daemons.openstack(url, 'service', 'list')
        if result.returncode == 0:
            return {(r['Name'], r['Host']): r['Status'] for r in result.data}
        with urllib.request.urlopen(url + '/v1/services') as resp:
            rows = json.loads(resp.read())['services']
        return {(r['name'], r['host']): r['status'] for r in rows}

    def test_audit_and_plan_over_rabbit(self):
        self.start_daemon('watcher-decision-engine', 'de-1')
        self.start_daemon('watcher-applier', 'ap-1')
        self.wait_active('watcher-decision-engine', 'de-1')
        self.wait_active('watcher-applier', 'ap-1')
        goal_id, strategy_id = self.dummy_ids()
        audit = objects_utils.create_test_audit(
            self.context, goal_id=goal_id, strategy_id=strategy_id)
        de_rpcapi.DecisionEngineAPI().trigger_audit(self.context, audit.uuid)
        self.assertTrue(wait_until(
            lambda: self.audit_state(audit.uuid) in ('SUCCEEDED', 'FAILED'),
            timeout=120))
        self.assertEqual('de-1', objects.Audit.get_by_uuid(
            self.context, audit.uuid).hostname)
        self.capture.wait_for('audit.update', 'audit.strategy.start',
                              timeout=60)
        publishers = {i[2] for i in self.capture.items
                      if i[0] == 'audit.strategy.start'}
        self.assertEqual({'infra-optim:de-1'}, publishers)

        plan = objects_utils.create_test_action_plan(
            self.context, state='PENDING', audit_id=audit.id,
            strategy_id=strategy_id)
        objects_utils.create_test_action(self.context, action_plan_id=plan.id,
                                         action_type='nop',
                                         input_parameters={'message': 'hi'})
        applier_rpcapi.ApplierAPI().launch_action_plan(self.context,
                                                       plan.uuid)
        self.assertTrue(wait_until(
            lambda: objects.ActionPlan.get_by_uuid(
                self.context, plan.uuid).state in ('SUCCEEDED', 'FAILED'),
            timeout=120))
        self.assertEqual('SUCCEEDED', objects.ActionPlan.get_by_uuid(
            self.context, plan.uuid).state)
        self.capture.wait_for('action_plan.execution.end', timeout=60)

    def test_sigterm_mid_plan_then_restart_settles_it(self):
        # SIGTERM lets the running action finish or leaves it to the
        # restart recovery (as a kill would)

        proc = self.start_daemon('watcher-applier', 'ap-1')
        self.wait_active('watcher-applier', 'ap-1')
        goal_id, strategy_id = self.dummy_ids()
        audit = objects_utils.create_test_audit(
            self.context, goal_id=goal_id, strategy_id=strategy_id,
            state='SUCCEEDED')
        plan = objects_utils.create_test_action_plan(
            self.context, state='PENDING', audit_id=audit.id,
            strategy_id=strategy_id)
        action = objects_utils.create_test_action(
            self.context, action_plan_id=plan.id, action_type='sleep',
            input_parameters={'duration': 3})
        applier_rpcapi.ApplierAPI().launch_action_plan(self.context,
                                                       plan.uuid)
        self.assertTrue(wait_until(
            lambda: objects.Action.get_by_uuid(
                self.context, action.uuid).state == 'ONGOING',
            timeout=120), 'the action never started')
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(0, proc.wait(60))
        # what the stop left is settled at the next start: nothing stays
        # ONGOING
        self.start_daemon('watcher-applier', 'ap-1')
        self.wait_active('watcher-applier', 'ap-1')
        self.assertTrue(wait_until(
            lambda: objects.ActionPlan.get_by_uuid(
                self.context, plan.uuid).state in (
                    'SUCCEEDED', 'CANCELLED', 'FAILED'), timeout=60),
            objects.ActionPlan.get_by_uuid(self.context, plan.uuid).state)
        self.assertNotIn(objects.Action.get_by_uuid(
            self.context, action.uuid).state, ('ONGOING', 'PENDING'))


class TestTwoDecisionEngines(RabbitServicesTestCase):

    def test_continuous_audit_survives_its_engine(self):
        self.start_daemon('watcher-decision-engine', 'de-a')
        self.start_daemon('watcher-decision-engine', 'de-b')
        self.wait_active('watcher-decision-engine', 'de-a')
        self.wait_active('watcher-decision-engine', 'de-b')
        goal_id, strategy_id = self.dummy_ids()
        audit = objects_utils.create_test_audit(
            self.context, goal_id=goal_id, strategy_id=strategy_id,
            audit_type='CONTINUOUS', interval='3')

        def owner():
            return objects.Audit.get_by_uuid(self.context,
                                             audit.uuid).hostname
        self.assertTrue(wait_until(lambda: owner() is not None, timeout=120))
        first = owner()
        survivor = 'de-b' if first == 'de-a' else 'de-a'

        def runs_by(host):
            return [i for i in self.capture.items
                    if i[0] == 'audit.strategy.start' and
                    i[2] == 'infra-optim:%s' % host and
                    i[3]['watcher_object.data']['uuid'] == audit.uuid]
        self.assertTrue(wait_until(lambda: len(runs_by(first)) >= 2,
                                   timeout=120),
                        'the owner never ran the audit twice')
        self.assertEqual([], runs_by(survivor))
        self.kill('watcher-decision-engine', first)
        self.assertTrue(wait_until(lambda: owner() == survivor,
                                   timeout=120), 'no takeover')
        self.assertTrue(wait_until(lambda: len(runs_by(survivor)) >= 2,
                                   timeout=120),
                        'the survivor does not run the audit')
        self.assertEqual('ONGOING', self.audit_state(audit.uuid))
        # never both engines for one due time: the runs of the survivor all
        # come after the last run of the dead owner
        last_dead = max(i for i, item in enumerate(self.capture.items)
                        if item in runs_by(first))
        first_survivor = min(i for i, item in enumerate(self.capture.items)
                             if item in runs_by(survivor))
        self.assertLess(last_dead, first_survivor)


def _broker_restart_problem():
    """Why this run may not restart the machine's RabbitMQ."""
    if not shutil.which('rabbitmqctl'):
        return 'rabbitmqctl is not installed'
    if os.geteuid() != 0:
        return 'restarting RabbitMQ needs root (rabbitmqctl)'
    if os.environ.get('WATCHER_TEST_NO_BROKER_RESTART'):
        return 'WATCHER_TEST_NO_BROKER_RESTART is set'
    return None


class TestBrokerRestart(RabbitServicesTestCase):
    """The broker restarted under running daemons: they reconnect, and a
    one-shot audit cast while it was down runs once it is back (the cast
    delivered, or the sweep for unclaimed audits when it was dropped).

    It stops and starts the RabbitMQ application of this machine (every
    connection to it drops for a few seconds); set
    WATCHER_TEST_NO_BROKER_RESTART=1 where the broker is shared.
    """

    def _rabbitmqctl(self, *args):
        subprocess.run(['rabbitmqctl'] + list(args), check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                       timeout=120)

    def test_daemons_survive_a_broker_restart(self):

        problem = _broker_restart_problem()
        if problem:
            self.skipTest(problem)
        self.start_daemon('watcher-decision-engine', 'de-1')
        self.start_daemon('watcher-applier', 'ap-1')
        self.wait_active('watcher-decision-engine', 'de-1')
        self.wait_active('watcher-applier', 'ap-1')
        goal_id, strategy_id = self.dummy_ids()

        self._rabbitmqctl('stop_app')
        restarted = False
        try:
            audit = objects_utils.create_test_audit(
                self.context, goal_id=goal_id, strategy_id=strategy_id)
            # cast while the broker is down: oslo.messaging retries it; it
            # can still be lost (the sender may reconnect before the
            # engine declared its queue again, and a cast to an exchange
            # with no queue is dropped): then the engine's sweep for
            # one-shot audits nobody holds runs it
            # ([watcher_decision_engine] audit_recovery_grace)
            sender = threading.Thread(
                target=de_rpcapi.DecisionEngineAPI().trigger_audit,
                args=(self.context, audit.uuid), daemon=True)
            sender.start()
            sender.join(3)
            self.assertNotIn(self.audit_state(audit.uuid),
                             ('SUCCEEDED', 'FAILED'))
            self._rabbitmqctl('start_app')
            restarted = True
        finally:
            if not restarted:
                self._rabbitmqctl('start_app')
        self._rabbitmqctl('await_startup')
        sender.join(120)
        self.assertTrue(wait_until(
            lambda: self.audit_state(audit.uuid) in ('SUCCEEDED', 'FAILED'),
            timeout=120), 'the audit cast during the outage never ran')
        self.assertEqual('SUCCEEDED', self.audit_state(audit.uuid))

        # the applier's RPC server reconnected too
        plan = objects_utils.create_test_action_plan(
            self.context, state='PENDING', audit_id=audit.id,
            strategy_id=strategy_id)
        objects_utils.create_test_action(self.context, action_plan_id=plan.id,
                                         action_type='nop',
                                         input_parameters={'message': 'hi'})
        applier_rpcapi.ApplierAPI().launch_action_plan(self.context,
                                                       plan.uuid)
        self.assertTrue(wait_until(
            lambda: objects.ActionPlan.get_by_uuid(
                self.context, plan.uuid).state == 'SUCCEEDED', timeout=120))
        self.assertEqual('ACTIVE', self.service_status(
            'watcher-decision-engine', 'de-1'))
        self.assertEqual('ACTIVE', self.service_status('watcher-applier',
                                                       'ap-1'))
