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

"""The API-side service status monitor (service.update)."""
import datetime

from watcher.cmd import service_monitor
from watcher import notifications
from watcher.tests import base
from watcher.tests.functional.services import fixtures as svc_fixtures
from watcher.tests import objects_utils

UTC = datetime.timezone.utc


class TestServiceMonitor(base.DbTestCase):

    def setUp(self):
        super().setUp()
        self.messaging = self.useFixture(svc_fixtures.MessagingFixture())
        notifications.install()
        self.flags(service_down_time=90)

    def test_flip_emits_service_update(self):
        now = datetime.datetime.now(UTC)
        svc = objects_utils.create_test_service(
            self.context, name='watcher-decision-engine', host='n1',
            last_seen_up=now)
        monitor = service_monitor.ServiceMonitor()
        self.assertEqual([], monitor.check(now=now))  # first pass records
        self.assertEqual([], self.messaging.events())
        later = now + datetime.timedelta(seconds=300)
        flips = monitor.check(now=later)
        self.assertEqual([(svc.id, 'ACTIVE', 'FAILED')],
                         [(s.id, o, n) for s, o, n in flips])
        self.assertEqual([], monitor.check(now=later))  # no new flip
        svc.last_seen_up = later
        svc.save()
        monitor.check(now=later)
        self.assertEqual(['service.update', 'service.update'],
                         self.messaging.events())
        states = [n[3]['watcher_object.data']['status_update']
                  ['watcher_object.data'] for n in
                  self.messaging.notifications]
        self.assertEqual([{'old_state': 'ACTIVE', 'state': 'FAILED'},
                          {'old_state': 'FAILED', 'state': 'ACTIVE'}],
                         states)

    def test_start_stop(self):
        monitor = service_monitor.start(interval=3600)
        self.addCleanup(monitor.stop)
        self.assertTrue(monitor._scheduler.running)
        monitor.stop()
        self.assertIsNone(monitor._scheduler)
