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

"""watcher.cmd.service: heartbeat, scheduler, service life cycle."""
import datetime
import logging
import threading

import fixtures

from watcher.cmd import service as watcher_service
from watcher import objects
from watcher.tests import base
from watcher.tests.functional.services import fixtures as svc_fixtures


class TestHeartbeat(base.DbTestCase):

    def test_register_once_and_beat(self):
        beat = watcher_service.Heartbeat('watcher-applier', host='h1')
        first = beat.register()
        again = watcher_service.Heartbeat('watcher-applier', host='h1')
        self.assertEqual(first.id, again.register().id)
        old = datetime.datetime(2001, 1, 1, tzinfo=datetime.timezone.utc)
        first.last_seen_up = old
        first.save()
        svc = beat.beat()
        self.assertGreater(svc.last_seen_up, old)
        stored = objects.Service.get_by_host_and_name(
            self.context, 'h1', 'watcher-applier')
        self.assertEqual(svc.last_seen_up, stored.last_seen_up)
        self.assertEqual('ACTIVE', objects.Service.status_of(stored))

    def test_beat_registers_again_after_purge(self):
        beat = watcher_service.Heartbeat('watcher-applier', host='h2')
        svc = beat.register()
        svc.destroy()
        self.assertIsNone(beat.beat())   # row gone: logged, forgotten
        self.assertIsNotNone(beat.beat())  # registered anew
        self.assertEqual(1, len(objects.Service.list(
            self.context, filters={'host': 'h2'})))


class TestScheduler(base.TestCase):

    def test_interval_job_runs(self):
        sched = watcher_service.Scheduler(max_workers=1)
        ran = threading.Event()
        sched.add_interval_job(ran.set, 3600, job_id='j', run_now=True)
        sched.start()
        self.addCleanup(sched.shutdown)
        self.assertTrue(ran.wait(30))
        sched.remove_job('j')
        sched.remove_job('missing')  # tolerated


class _Manager:
    topic = 'watcher.test.topic'
    service_name = 'watcher-test'
    RPC_API_VERSION = '1.0'

    def __init__(self):
        self.started = self.stopped = False
        self.ticks = 0

    def start(self, service):
        self.started = service

    def stop(self):
        self.stopped = True

    def periodic_jobs(self):
        return [(self.tick, 3600)]

    def tick(self):
        self.ticks += 1

    def ping(self, context, value):
        return value * 2


class TestService(base.DbTestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(svc_fixtures.MessagingFixture())

    def test_life_cycle(self):
        manager = _Manager()
        svc = watcher_service.Service(manager, host='h3')
        svc.start()
        self.addCleanup(svc.stop)
        self.assertIs(svc, manager.started)
        row = objects.Service.get_by_host_and_name(self.context, 'h3',
                                                   'watcher-test')
        self.assertEqual(row.id, svc.service_id)
        self.assertIsNotNone(row.last_seen_up)
        self.assertIsNotNone(svc.scheduler.scheduler.get_job('tick'))
        self.assertIsNotNone(svc.scheduler.scheduler.get_job('heartbeat'))
        import oslo_messaging as messaging
        from watcher.common import rpc
        client = rpc.get_client(messaging.Target(topic=manager.topic,
                                                 version='1.0'), timeout=30)
        self.assertEqual(42, client.call(self.context, 'ping', value=21))
        svc.stop()
        self.assertTrue(manager.stopped)
        done = threading.Event()
        threading.Thread(target=lambda: (svc.wait(), done.set())).start()
        self.assertTrue(done.wait(30))


class TestLauncher(base.TestCase):

    def test_launch_stops_everything(self):
        events = []

        class Svc:
            def __init__(self, name):
                self.name = name

            def start(self):
                events.append(('start', self.name))

            def stop(self):
                events.append(('stop', self.name))

            def wait(self):
                pass

        launcher = watcher_service.Launcher()
        launcher.launch_service(Svc('a'))
        launcher.launch_service(Svc('b'))
        launcher.stop()
        launcher.wait()
        self.assertEqual([('start', 'a'), ('start', 'b'), ('stop', 'b'),
                          ('stop', 'a')], events)

    def test_reload_resets_without_stopping(self):
        events = []

        class Svc:
            def start(self):
                events.append('start')

            def stop(self):
                events.append('stop')

            def reset(self):
                events.append('reset')

        # the re-reading itself is checked on real processes
        # (integration/test_signals.py)
        self.useFixture(fixtures.MockPatchObject(
            watcher_service, 'reload_configuration', return_value=True))
        launcher = watcher_service.Launcher()
        launcher.launch_service(Svc())
        launcher._reload()
        self.assertEqual(['start', 'reset'], events)


class TestWSGIServiceAccessLog(base.TestCase):

    def test_request_line_quoted_once(self):
        import urllib.request

        def hello(environ, start_response):
            start_response('200 OK', [('Content-Type', 'text/plain')])
            return [b'hello']

        logs = self.useFixture(fixtures.FakeLogger(
            name='watcher.cmd.service', level=logging.INFO))
        svc = watcher_service.WSGIService(app=hello, host='127.0.0.1',
                                          port=0)
        svc.start()
        self.addCleanup(svc.stop)
        with urllib.request.urlopen('http://127.0.0.1:%d/x' % svc.port,
                                    timeout=10) as response:
            self.assertEqual(b'hello', response.read())
        svc.stop()
        self.assertIn('127.0.0.1 "GET /x HTTP/1.1" 200 5', logs.output)
        self.assertNotIn('""', logs.output)
