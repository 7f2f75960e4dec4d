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

"""watcher.decision_engine.ha: ownership, takeover, restart settlement."""
import datetime

from apscheduler.schedulers import background

from watcher.decision_engine import ha
from watcher import objects
from watcher.tests import base
from watcher.tests import objects_utils

UTC = datetime.timezone.utc


def noop_job():
    pass


class HATestCase(base.DbTestCase):

    def setUp(self):
        super().setUp()
        self.flags(service_down_time=60)
        self.now = datetime.datetime.now(UTC)

    def service(self, host, alive=True, name=ha.DECISION_ENGINE):
        seen = self.now if alive else self.now - datetime.timedelta(hours=1)
        return objects_utils.create_test_service(
            self.context, name=name, host=host, last_seen_up=seen)


class TestAuditOwnership(HATestCase):

    def test_compare_and_set(self):
        audit = objects_utils.create_test_audit(self.context)
        self.assertTrue(ha.claim_audit(self.context, audit.uuid, 'a'))
        self.assertFalse(ha.claim_audit(self.context, audit.uuid, 'b'))
        self.assertFalse(ha.claim_audit(self.context, audit.uuid, 'b',
                                        expected='c'))
        self.assertTrue(ha.claim_audit(self.context, audit.uuid, 'b',
                                       expected='a'))
        self.assertEqual('b', objects.Audit.get_by_uuid(
            self.context, audit.uuid).hostname)

    def test_live_owner_keeps_its_audit(self):
        self.service('a')
        self.service('b')
        audit = objects_utils.create_test_audit(
            self.context, audit_type='CONTINUOUS', interval='60',
            hostname='a', state='ONGOING')
        self.assertFalse(ha.claim_continuous_audit(self.context, audit, 'b'))
        self.assertTrue(ha.claim_continuous_audit(self.context, audit, 'a'))

    def test_dead_owner_is_taken_over_once(self):
        self.service('a', alive=False)
        self.service('b')
        self.service('c')
        audit = objects_utils.create_test_audit(
            self.context, audit_type='CONTINUOUS', interval='60',
            hostname='a', state='ONGOING')
        self.assertEqual([audit.uuid], [a.uuid for a in
                                        ha.orphaned_continuous_audits(
                                            self.context)])
        stale_view = objects.Audit.get_by_uuid(self.context, audit.uuid)
        self.assertTrue(ha.claim_continuous_audit(self.context, audit, 'b'))
        self.assertEqual('b', audit.hostname)
        # c still believes 'a' owns it: its takeover must lose
        self.assertFalse(ha.claim_continuous_audit(self.context, stale_view,
                                                   'c'))
        fresh = objects.Audit.get_by_uuid(self.context, audit.uuid)
        self.assertFalse(ha.claim_continuous_audit(self.context, fresh, 'c'))
        self.assertEqual([], ha.orphaned_continuous_audits(self.context))

    def test_unowned_audit_is_claimed(self):
        self.service('b')
        audit = objects_utils.create_test_audit(
            self.context, audit_type='CONTINUOUS', interval='60')
        self.assertTrue(ha.claim_continuous_audit(self.context, audit, 'b'))
        self.assertEqual('b', objects.Audit.get_by_uuid(
            self.context, audit.uuid).hostname)

    def test_live_hosts(self):
        self.service('a')
        self.service('z', alive=False)
        self.service('q', name=ha.APPLIER)
        self.assertEqual({'a'}, ha.live_hosts(self.context))
        self.assertTrue(ha.owner_is_alive(self.context, 'a'))
        self.assertFalse(ha.owner_is_alive(self.context, 'z'))
        self.assertFalse(ha.owner_is_alive(self.context, None))


class TestSettlement(HATestCase):

    def test_decision_engine_restart(self):
        oneshot = objects_utils.create_test_audit(
            self.context, hostname='me', state='ONGOING')
        continuous = objects_utils.create_test_audit(
            self.context, hostname='me', state='ONGOING',
            audit_type='CONTINUOUS', interval='60')
        other = objects_utils.create_test_audit(
            self.context, hostname='other', state='ONGOING')
        event = objects_utils.create_test_audit(
            self.context, hostname='me', state='ONGOING', audit_type='EVENT')
        self.assertEqual([event.uuid],
                         ha.settle_decision_engine(self.context, 'me'))

        def state(a):
            return objects.Audit.get_by_uuid(self.context, a.uuid).state
        # the recovery sweep runs it again
        self.assertEqual('ONGOING', state(oneshot))
        # an interrupted EVENT audit can be triggered again
        self.assertEqual('FAILED', state(event))
        self.assertEqual('ONGOING', state(continuous))
        self.assertEqual('ONGOING', state(other))
        self.assertEqual([], ha.settle_decision_engine(self.context, 'me'))


class TestJobStore(HATestCase):

    def _scheduler(self, service_id):
        sched = background.BackgroundScheduler(timezone=UTC)
        sched.add_jobstore(ha.ServiceJobStore(
            service_id, tag={'host': 'h%d' % service_id}, engine=self.engine),
            'ha')
        sched.start(paused=True)
        self.addCleanup(sched.shutdown, wait=False)
        return sched

    def test_jobs_are_per_service_and_taken_over(self):
        dead = self.service('a', alive=False)
        alive = self.service('b')
        sched_a = self._scheduler(dead.id)
        sched_b = self._scheduler(alive.id)
        later = self.now + datetime.timedelta(days=1)
        sched_a.add_job(noop_job, 'date', run_date=later, id='job-a',
                        jobstore='ha')
        sched_b.add_job(noop_job, 'date', run_date=later, id='job-b',
                        jobstore='ha')
        self.assertEqual(['job-a'], [j.id for j in sched_a.get_jobs('ha')])
        self.assertEqual(['job-b'], [j.id for j in sched_b.get_jobs('ha')])
        self.assertEqual(1, ha.take_over_jobs(alive.id, now=self.now))
        self.assertEqual(['job-a', 'job-b'],
                         sorted(j.id for j in sched_b.get_jobs('ha')))
        self.assertEqual([], sched_a.get_jobs('ha'))
        self.assertEqual(0, ha.take_over_jobs(alive.id, now=self.now))
