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

"""watcher-api's server: requests at a time per worker, idle clients."""
import http.client
import socket
import threading
import time

from watcher.cmd import api as api_cmd
from watcher.tests import base


class _CountingApp:
    """A WSGI app that records how many requests it serves at once."""

    def __init__(self, hold=0.05):
        self.hold = hold
        self.lock = threading.Lock()
        self.in_flight = 0
        self.most = 0
        self.served = 0

    def __call__(self, environ, start_response):
        with self.lock:
            self.in_flight += 1
            self.most = max(self.most, self.in_flight)
        time.sleep(self.hold)
        with self.lock:
            self.in_flight -= 1
            self.served += 1
        start_response('200 OK', [('Content-Type', 'text/plain')])
        return [b'ok']


class TestApiServer(base.TestCase):

    def _serve(self, app, threads):
        server = api_cmd.make_server('127.0.0.1', 0, app, threads=threads)
        thread = threading.Thread(target=server.serve_forever,
                                  kwargs={'poll_interval': 0.05},
                                  daemon=True)
        thread.start()

        def stop():
            server.shutdown()
            server.server_close()
        self.addCleanup(stop)
        return server.server_address[1]

    @staticmethod
    def _get(port, results):
        conn = http.client.HTTPConnection('127.0.0.1', port, timeout=20)
        try:
            conn.request('GET', '/')
            response = conn.getresponse()
            results.append((response.status, response.read()))
        finally:
            conn.close()

    def _burst(self, port, count):
        results = []
        clients = [threading.Thread(target=self._get, args=(port, results))
                   for _ in range(count)]
        for client in clients:
            client.start()
        for client in clients:
            client.join(30)
        return results

    def test_one_request_at_a_time_by_default(self):
        self.assertEqual(1, api_cmd.CONF.api.worker_threads)
        app = _CountingApp()
        port = self._serve(app, threads=api_cmd.CONF.api.worker_threads)
        results = self._burst(port, 6)
        self.assertEqual([(200, b'ok')] * 6, results)
        self.assertEqual(6, app.served)
        self.assertEqual(1, app.most)

    def test_worker_threads_bound_concurrency(self):
        app = _CountingApp(hold=0.3)
        port = self._serve(app, threads=3)
        results = self._burst(port, 8)
        self.assertEqual([(200, b'ok')] * 8, results)
        self.assertEqual(3, app.most)

    def test_idle_client_is_dropped_and_the_next_served(self):
        self.flags(client_socket_timeout=1, group='api')
        app = _CountingApp(hold=0)
        port = self._serve(app, threads=1)
        idle = socket.create_connection(('127.0.0.1', port))
        self.addCleanup(idle.close)
        idle.settimeout(20)
        results = []
        self._get(port, results)
        self.assertEqual([(200, b'ok')], results)
        # The server gave up on the silent client: its side is closed.
        self.assertEqual(b'', idle.recv(1))
        self.assertEqual(1, app.served)

    def test_responses_are_not_delayed_by_nagle(self):
        app = _CountingApp(hold=0)
        port = self._serve(app, threads=1)
        seen = []
        original = api_cmd._Handler.setup

        def setup(handler):
            original(handler)
            seen.append(handler.connection.getsockopt(
                socket.IPPROTO_TCP, socket.TCP_NODELAY))
        self.patch(api_cmd._Handler, 'setup', setup)
        results = []
        self._get(port, results)
        self.assertEqual([(200, b'ok')], results)
        self.assertEqual(1, len(seen))
        self.assertTrue(seen[0])
