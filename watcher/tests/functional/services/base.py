"""Base of the service tests: file database, in-process messaging with
notifications on the transport, a capture listener, service helpers.
"""
from watcher.common import service as watcher_service
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
