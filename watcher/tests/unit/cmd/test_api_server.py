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

from watcher.cmd import api_server as api_cmd
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
        original = api_cmd.Handler.setup

        def setup(handler):
            original(handler)
            seen.append(handler.connection.getsockopt(
                socket.IPPROTO_TCP, socket.TCP_NODELAY))
        self.patch(api_cmd.Handler, 'setup', setup)
        results = []
        self._get(port, results)
        self.assertEqual([(200, b'ok')], results)
        self.assertEqual(1, len(seen))
        self.assertTrue(seen[0])


def _streamed(environ, start_response):
    # two chunks and no Content-Length: the end of the body is the close
    start_response('200 OK', [('Content-Type', 'text/plain')])
    return iter([b'o', b'k'])


def _ignores_body(environ, start_response):
    start_response('200 OK', [('Content-Type', 'text/plain'),
                              ('Content-Length', '2')])
    return [b'ok']


def _read_responses(sock, count):
    """``count`` raw responses (each with Content-Length) from ``sock``."""
    data, found = b'', []
    while len(found) < count:
        head, sep, rest = data.partition(b'\r\n\r\n')
        if sep:
            length = [int(line.split(b':')[1]) for line in head.split(b'\r\n')
                      if line.lower().startswith(b'content-length:')][0]
            if len(rest) >= length:
                found.append((head, rest[:length]))
                data = rest[length:]
                continue
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return found


class TestKeepAlive(TestApiServer):

    def test_requests_share_a_connection(self):
        app = _CountingApp(hold=0)
        port = self._serve(app, threads=1)
        conn = http.client.HTTPConnection('127.0.0.1', port, timeout=20)
        self.addCleanup(conn.close)
        conn.request('GET', '/')
        first = conn.getresponse()
        self.assertEqual(b'ok', first.read())
        self.assertEqual(11, first.version)
        self.assertFalse(first.will_close)
        sock = conn.sock
        for _ in range(3):
            conn.request('GET', '/')
            self.assertEqual(b'ok', conn.getresponse().read())
        self.assertIs(sock, conn.sock)
        self.assertEqual(4, app.served)

    def test_contended_worker_closes_after_the_response(self):
        app = _CountingApp(hold=0.3)
        port = self._serve(app, threads=1)
        first = http.client.HTTPConnection('127.0.0.1', port, timeout=20)
        self.addCleanup(first.close)
        first.request('GET', '/')
        deadline = time.monotonic() + 20
        while app.in_flight == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        # a second client waits in the listening queue meanwhile
        second = socket.create_connection(('127.0.0.1', port), timeout=20)
        self.addCleanup(second.close)
        second.sendall(b'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
        response = first.getresponse()
        self.assertEqual(b'ok', response.read())
        self.assertEqual('close', response.getheader('Connection'))
        head, body = _read_responses(second, 1)[0]
        self.assertEqual(b'ok', body)
        self.assertNotIn(b'Connection: close', head)

    def test_idle_connection_does_not_hold_the_worker(self):
        # long enough that waiting for the idle client would time out the
        # other one
        self.flags(client_socket_timeout=60, group='api')
        app = _CountingApp(hold=0)
        port = self._serve(app, threads=1)
        idle = http.client.HTTPConnection('127.0.0.1', port, timeout=20)
        self.addCleanup(idle.close)
        idle.request('GET', '/')
        self.assertEqual(b'ok', idle.getresponse().read())
        self.assertEqual([(200, b'ok')] * 3, self._burst(port, 3))
        idle.request('GET', '/')
        self.assertEqual(b'ok', idle.getresponse().read())

    def test_idle_connection_closed_after_the_socket_timeout(self):
        self.flags(client_socket_timeout=1, group='api')
        port = self._serve(_CountingApp(hold=0), threads=1)
        sock = socket.create_connection(('127.0.0.1', port), timeout=20)
        self.addCleanup(sock.close)
        sock.sendall(b'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
        self.assertEqual(1, len(_read_responses(sock, 1)))
        self.assertEqual(b'', sock.recv(1))

    def test_pipelined_requests(self):
        for threads in (1, 2):
            port = self._serve(_CountingApp(hold=0), threads=threads)
            sock = socket.create_connection(('127.0.0.1', port), timeout=20)
            self.addCleanup(sock.close)
            sock.sendall(b'GET /a HTTP/1.1\r\nHost: x\r\n\r\n' * 3)
            responses = _read_responses(sock, 3)
            self.assertEqual([b'ok'] * 3, [body for _h, body in responses])
            self.assertTrue(all(h.startswith(b'HTTP/1.1 200')
                                for h, _b in responses))

    def test_unknown_length_closes(self):
        port = self._serve(_streamed, threads=1)
        conn = http.client.HTTPConnection('127.0.0.1', port, timeout=20)
        self.addCleanup(conn.close)
        conn.request('GET', '/')
        response = conn.getresponse()
        self.assertEqual('close', response.getheader('Connection'))
        self.assertEqual(b'ok', response.read())

    def test_http10_client_gets_one_request(self):
        port = self._serve(_CountingApp(hold=0), threads=1)
        sock = socket.create_connection(('127.0.0.1', port), timeout=20)
        self.addCleanup(sock.close)
        sock.sendall(b'GET / HTTP/1.0\r\n\r\n')
        data = b''
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        self.assertTrue(data.startswith(b'HTTP/1.0 200'), data)
        self.assertTrue(data.endswith(b'\r\n\r\nok'), data)

    def test_unread_body_is_skipped(self):
        port = self._serve(_ignores_body, threads=1)
        conn = http.client.HTTPConnection('127.0.0.1', port, timeout=20)
        self.addCleanup(conn.close)
        conn.request('POST', '/', body=b'x' * 1000)
        self.assertEqual(b'ok', conn.getresponse().read())
        sock = conn.sock
        conn.request('GET', '/')
        self.assertEqual(b'ok', conn.getresponse().read())
        self.assertIs(sock, conn.sock)

    def test_large_unread_body_closes(self):
        port = self._serve(_ignores_body, threads=1)
        sock = socket.create_connection(('127.0.0.1', port), timeout=20)
        self.addCleanup(sock.close)
        body = b'x' * (api_cmd.DRAIN_LIMIT + 1)
        sock.sendall(b'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n'
                     b'\r\n' % len(body))
        head, body_back = _read_responses(sock, 1)[0]
        self.assertIn(b'Connection: close', head)
        self.assertEqual(b'ok', body_back)
