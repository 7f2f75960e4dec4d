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

"""watcher.common.rpc: transports, serializer, embedded mode."""
from oslo_config import cfg
import oslo_messaging as messaging
from oslo_messaging.notify import _impl_test

from watcher.common import context as watcher_context
from watcher.common import rpc
from watcher.conf import CONF
from watcher import objects
from watcher.tests import base
from watcher.tests.functional.services import fixtures as svc_fixtures


class TestEmbeddedTransport(base.TestCase):

    def setUp(self):
        super().setUp()
        self.messaging = self.useFixture(svc_fixtures.MessagingFixture())

    def test_one_driver_for_rpc_and_notifications(self):
        self.assertTrue(rpc.is_embedded())
        self.assertIs(rpc.get_transport()._driver,
                      rpc.get_notification_transport()._driver)
        self.assertNotEqual(type(rpc.get_transport()),
                            type(rpc.get_notification_transport()))

    def test_init_is_idempotent(self):
        first = rpc.get_transport()
        self.assertIs(first, rpc.init(CONF))

    def test_notifier_publisher(self):
        rpc.get_notifier('infra-optim:h1').info({}, 'x.y', {'a': 1})
        (_ctxt, msg, priority, _retry), = _impl_test.NOTIFICATIONS
        self.assertEqual('infra-optim:h1', msg['publisher_id'])
        self.assertEqual('INFO', priority)

    def test_notification_level_none_uses_noop(self):
        self.flags(notification_level='None')
        rpc.reset_notifier()
        rpc.get_notifier('p').info({}, 'x.y', {})
        self.assertEqual([], _impl_test.NOTIFICATIONS)


class TestTransportChoice(base.TestCase):

    def setUp(self):
        super().setUp()
        rpc.register_opts(CONF)

    def test_unset_url_follows_embedded_default(self):
        self.assertFalse(rpc.wants_embedded(CONF, embedded_default=False))
        self.assertTrue(rpc.wants_embedded(CONF, embedded_default=True))

    def test_fake_url_is_embedded(self):
        self.flags(transport_url='fake://')
        self.assertTrue(rpc.wants_embedded(CONF))

    def test_rabbit_url_is_not_embedded(self):
        self.flags(transport_url='rabbit://guest:guest@127.0.0.1:5672/')
        self.assertFalse(rpc.wants_embedded(CONF, embedded_default=True))


class TestSerializer(base.TestCase):

    def test_context_round_trip(self):
        ser = rpc.get_serializer()
        ctx = watcher_context.RequestContext(user_id='u', project_id='p',
                                             show_deleted=True,
                                             is_admin=True)
        back = ser.deserialize_context(ser.serialize_context(ctx))
        self.assertIsInstance(back, watcher_context.RequestContext)
        self.assertEqual('u', back.user_id)
        self.assertTrue(back.show_deleted)

    def test_empty_context_is_admin(self):
        back = rpc.get_serializer().deserialize_context({})
        self.assertTrue(back.is_admin)

    def test_objects_round_trip(self):
        ser = rpc.get_serializer(objects.base.WatcherObjectSerializer())
        svc = objects.Service(self.context, id=3, name='n', host='h',
                              last_seen_up=None)
        primitive = ser.serialize_entity(self.context, {'svc': svc})
        self.assertEqual('Service',
                         primitive['svc']['watcher_object.name'])
        back = ser.deserialize_entity(self.context, primitive)
        self.assertIsInstance(back['svc'], objects.Service)
        self.assertEqual('h', back['svc'].host)


class TestRegisterOpts(base.TestCase):
    """rpc.register_opts reads oslo.messaging's public option listing: if
    the options it needs leave that listing, this fails here first.
    """

    def test_options_readable_before_any_transport(self):
        conf = cfg.ConfigOpts()
        conf([], project='watcher-test')
        rpc.register_opts(conf)
        rpc.register_opts(conf)  # idempotent
        self.assertIsNone(rpc._configured_url(conf))  # the default
        self.assertEqual([], conf[rpc.NOTIFICATIONS_GROUP].driver)
        self.assertIsNone(conf[rpc.NOTIFICATIONS_GROUP].transport_url)
        conf.set_override('transport_url', 'rabbit://u:p@h:5672/v')
        self.assertEqual('rabbit://u:p@h:5672/v', rpc._configured_url(conf))
        # oslo.messaging registers the same option objects itself: no clash
        transport = messaging.get_rpc_transport(conf, url='fake://')
        self.addCleanup(transport.cleanup)
        messaging.get_notification_transport(conf, url='fake://').cleanup()
