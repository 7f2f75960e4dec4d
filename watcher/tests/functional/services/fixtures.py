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

"""Fixtures for service tests: messaging on the in-process transport,
notification capture, a file SQLite database shared by threads.
"""
import threading
import time

import fixtures
import oslo_messaging as messaging
from oslo_messaging.notify import _impl_test

from watcher.common import rpc
from watcher.conf import CONF

NOTIFICATIONS_GROUP = 'oslo_messaging_notifications'


def wait_until(predicate, timeout=30.0, interval=0.02):
    """Poll ``predicate`` until true; returns its last value (never
    asserts on elapsed time: the timeout only bounds a hung test).
    """
    deadline = time.monotonic() + timeout
    value = predicate()
    while not value and time.monotonic() < deadline:
        time.sleep(interval)
        value = predicate()
    return value


class MessagingFixture(fixtures.Fixture):
    """In-process messaging (``fake://``) set up through ``rpc.init``.

    ``driver``: the notifier driver; ``test`` keeps notifications in memory
    (``self.notifications``), ``messagingv2`` sends them on the transport
    (capture them with :class:`NotificationCapture`).
    """

    def __init__(self, driver='test', level='INFO'):
        super().__init__()
        self.driver = driver
        self.level = level

    def _setUp(self):
        rpc.cleanup()
        rpc.register_opts(CONF)
        CONF.set_override('transport_url', 'fake://')
        CONF.set_override('driver', [self.driver], group=NOTIFICATIONS_GROUP)
        CONF.set_override('notification_level', self.level)
        self.addCleanup(CONF.clear_override, 'transport_url')
        self.addCleanup(CONF.clear_override, 'driver',
                        group=NOTIFICATIONS_GROUP)
        self.addCleanup(CONF.clear_override, 'notification_level')
        _impl_test.reset()
        rpc.init(CONF)
        self.addCleanup(rpc.cleanup)
        self.addCleanup(_impl_test.reset)

    @property
    def notifications(self):
        """``[(event_type, priority, publisher_id, payload)]`` in order."""
        return [(msg['event_type'], priority, msg['publisher_id'],
                 msg['payload'])
                for _ctxt, msg, priority, _retry in
                _impl_test.NOTIFICATIONS]

    def events(self):
        return [event for event, _p, _pub, _payload in self.notifications]


class _Collector:
    def __init__(self):
        self.items = []
        self.lock = threading.Lock()

    def _add(self, priority, ctxt, publisher_id, event_type, payload):
        with self.lock:
            self.items.append((event_type, priority, publisher_id, payload))

    def __getattr__(self, priority):
        if priority in ('audit', 'critical', 'debug', 'info', 'warn',
                        'error', 'sample'):
            def endpoint(ctxt, publisher_id, event_type, payload, metadata):
                self._add(priority.upper(), ctxt, publisher_id, event_type,
                          payload)
            return endpoint
        raise AttributeError(priority)


class NotificationCapture(fixtures.Fixture):
    """A notification listener on the shared notification transport."""

    def __init__(self, topics=None):
        super().__init__()
        self.topics = topics

    def _setUp(self):
        topics = self.topics or CONF.oslo_messaging_notifications.topics
        self._collector = _Collector()
        endpoint = self._collector
        # oslo.messaging looks endpoints' priority methods up by name
        for prio in ('audit', 'critical', 'debug', 'info', 'warn', 'error',
                     'sample'):
            setattr(endpoint, prio, getattr(self._collector, prio))
        self.listener = rpc.get_notification_listener(
            [messaging.Target(topic=t) for t in topics], [endpoint])
        self.listener.start()
        self.addCleanup(self._stop)

    def _stop(self):
        self.listener.stop()
        self.listener.wait()

    @property
    def items(self):
        with self._collector.lock:
            return list(self._collector.items)

    def events(self):
        return [item[0] for item in self.items]

    def wait_for(self, *event_types, timeout=30.0):
        """Wait until every ``event_type`` was seen; returns the items."""
        wait_until(lambda: all(e in self.events() for e in event_types),
                   timeout=timeout)
        return self.items
