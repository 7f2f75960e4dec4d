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

"""Decision engines killed (``kill -9``) at named points: nothing is lost,
nothing runs twice (issue 16 items 10, 12 and 13).

The daemons run as processes over the machine's RabbitMQ and MariaDB (each
test skips, saying why, when one is missing); the simulated cloud is their
cloud. A decision engine is stopped at a precise point of an audit's run by
a lock this test holds in MariaDB:

* **computing** -- a lock on the end of ``action_plans`` (a next-key lock
  under REPEATABLE READ) makes the engine's insert of the plan wait: the
  audit is ONGOING, nothing is stored, and later audits wait claimed in the
  engine's worker pool;
* **plan stored, audit not finished** -- then a shared lock on the audit's
  row lets the plan (whose foreign key check only needs a shared lock)
  commit, while the engine's update of the audit to SUCCEEDED waits.

The engine is killed there; the lock is released (the killed engine's
transaction is rolled back by the server). The heartbeat and sweep options
are short (``service_down_time`` 4 s, ``periodic_interval`` 1 s,
``audit_recovery_interval`` 1 s) so that each test takes seconds.
"""
import sqlalchemy as sa

from watcher.decision_engine import rpcapi as de_rpcapi
from watcher import objects
from watcher.tests import base as tests_base
from watcher.tests.integration import daemons
from watcher.tests.integration import test_rabbit_services
from watcher.tests import objects_utils

DE = 'watcher-decision-engine'
WAIT = 90
wait_until = daemons.wait_until


class DecisionEngineFaults(test_rabbit_services.RabbitServicesTestCase):

    def setUp(self):
        problem = tests_base.server_unavailable_reason('mysql')
        if problem:
            self.skipTest('MariaDB is needed to stop a decision engine at '
                          'a chosen point (row locks): %s' % problem)
        super().setUp()
        self.goal_id, self.strategy_id = self.dummy_ids()
        self.locks = sa.create_engine(self.db.url)
        self.addCleanup(self.locks.dispose)

    def start_engine(self, host, **options):
        """A decision engine on ``host`` with ``[watcher_decision_engine]``
        ``options`` (a later configuration file overrides the run's).
        """
        extra = ''.join('%s = %s\n' % item for item in options.items())
        conf = daemons.write_file(
            '%s/%s-%s.conf' % (self.tmp, DE, host),
            '[DEFAULT]\nhost = %s\n[watcher_decision_engine]\n%s'
            % (host, extra))
        self.processes.start('%s-%s' % (DE, host), [
            DE, '--config-file', self.config_path, '--config-file', conf])
        self.wait_active(DE, host)

    # --- the points an engine is stopped at -------------------------------

    def hold(self, statement, **params):
        """Run a locking ``statement`` in a transaction kept open until the
        returned release function is called (or the test ends).
        """
        conn = self.locks.connect().execution_options(
            isolation_level='REPEATABLE READ')
        trans = conn.begin()
        conn.execute(sa.text(statement), params)
        released = []

        def release():
            if not released:
                released.append(True)
                trans.rollback()
                conn.close()
        self.addCleanup(release)
        return release

    def hold_plan_inserts(self):
        return self.hold('SELECT id FROM action_plans WHERE id >= 0 '
                         'FOR UPDATE')

    def hold_audit_updates(self, audit):
        return self.hold('SELECT id FROM audits WHERE uuid = :uuid '
                         'LOCK IN SHARE MODE', uuid=audit.uuid)

    # --- reading ------------------------------------------------------------

    def new_audit(self, cast=True):
        audit = objects_utils.create_test_audit(
            self.context, goal_id=self.goal_id, strategy_id=self.strategy_id)
        if cast:
            de_rpcapi.DecisionEngineAPI().trigger_audit(self.context,
                                                        audit.uuid)
        return audit

    def audit(self, audit):
        return objects.Audit.get_by_uuid(self.context, audit.uuid)

    def plans(self, audit):
        return objects.ActionPlan.list(self.context,
                                       filters={'audit_id': audit.id})

    def wait_audit(self, audit, state, hostname=None):
        def reached():
            current = self.audit(audit)
            return current.state == state and (
                hostname is None or current.hostname == hostname)
        self.assertTrue(wait_until(reached, timeout=WAIT),
                        'audit %s never %s on %s (it is %s on %s)' % (
                            audit.uuid, state, hostname,
                            self.audit(audit).state,
                            self.audit(audit).hostname))

    def assert_ran_once(self, audit, host):
        """SUCCEEDED on ``host`` with exactly one plan, RECOMMENDED."""
        self.wait_audit(audit, 'SUCCEEDED')
        self.assertEqual(host, self.audit(audit).hostname)
        self.assertEqual(['RECOMMENDED'],
                         [p.state for p in self.plans(audit)])


class TestDecisionEngineKilled(DecisionEngineFaults):

    def test_queued_and_running_audits_are_taken_over_by_a_peer(self):
        # items 10 and 13: killed while computing one audit with two more
        # claimed and waiting in its pool; a peer runs all three, once
        self.start_engine('de-a', max_audit_workers=1)
        release = self.hold_plan_inserts()
        audits = [self.new_audit() for _ in range(3)]
        self.assertTrue(wait_until(
            lambda: sorted(self.audit(a).state for a in audits) ==
            ['ONGOING', 'PENDING', 'PENDING'] and
            {self.audit(a).hostname for a in audits} == {'de-a'},
            timeout=WAIT), [(self.audit(a).state, self.audit(a).hostname)
                            for a in audits])
        self.kill(DE, 'de-a')
        release()
        self.start_engine('de-b')
        for audit in audits:
            self.assert_ran_once(audit, 'de-b')

    def test_plan_stored_audit_unfinished_is_resolved_by_a_peer(self):
        # item 12: the audit must not end CANCELLED beside a startable plan
        self.start_engine('de-a')
        self.start_engine('de-b')
        release_plans = self.hold_plan_inserts()
        audit = self.new_audit(cast=False)
        de_rpcapi.DecisionEngineAPI().trigger_audit(self.context, audit.uuid)
        self.wait_audit(audit, 'ONGOING')
        owner = self.audit(audit).hostname
        survivor = 'de-b' if owner == 'de-a' else 'de-a'
        release_audit = self.hold_audit_updates(audit)
        release_plans()
        self.assertTrue(wait_until(lambda: self.plans(audit), timeout=WAIT),
                        'the plan was never stored')
        self.kill(DE, owner)
        release_audit()
        self.assertEqual('ONGOING', self.audit(audit).state)
        self.assert_ran_once(audit, survivor)

    def test_restarted_engine_runs_its_interrupted_audit_again(self):
        # item 13, same host: no CANCELLED audit after a restart
        self.start_engine('de-a')
        release = self.hold_plan_inserts()
        audit = self.new_audit()
        self.wait_audit(audit, 'ONGOING', 'de-a')
        self.kill(DE, 'de-a')
        release()
        self.assertEqual([], self.plans(audit))
        self.start_engine('de-a')
        self.assert_ran_once(audit, 'de-a')

    def test_audits_whose_cast_was_lost_are_run(self):
        # item 10: created while no engine ran and never cast (a cast
        # dropped by the broker looks the same)
        audits = [self.new_audit(cast=False) for _ in range(2)]
        self.start_engine('de-a', audit_recovery_grace=1)
        for audit in audits:
            self.assert_ran_once(audit, 'de-a')
