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

"""Base of the service tests: file database, in-process messaging with
notifications on the transport, a capture listener, service helpers.
"""
from watcher.cmd import service as watcher_service
from watcher import notifications
from watcher.tests import base
from watcher.tests.functional.services import fixtures as svc_fixtures


class ServiceTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.db = self.useFixture(base.FileDbFixture())
        self.messaging = self.useFixture(
            svc_fixtures.MessagingFixture(driver='messagingv2'))
        notifications.install()
        self.capture = self.useFixture(svc_fixtures.NotificationCapture())

    def start_service(self, manager, host=None):
        svc = watcher_service.Service(manager, host=host)
        svc.start()
        self.addCleanup(svc.stop)
        return svc

    wait_until = staticmethod(svc_fixtures.wait_until)
