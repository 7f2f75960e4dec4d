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

"""A body shorter than its Content-Length, then a half-closed socket, gets
a 400 with the error body from the real ``watcher-api`` process, whose
``Server`` header names neither the WSGI server nor Python.
"""
import json
import os
import socket

import testtools

from watcher.tests.integration import daemons

WATCHER_API = daemons.script('watcher-api')


def _response(sock):
    data = b''
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk


@testtools.skipUnless(os.path.exists(WATCHER_API),
                      'watcher-api script not installed')
class TestShortBody(testtools.TestCase):

    def setUp(self):
        super().setUp()
        api = self.useFixture(daemons.SeededApi())
        self.processes = api.processes
        self.processes.attach_logs_to(self)
        self.port = api.port

    def _send_half(self, method, path):
        sock = socket.create_connection(('127.0.0.1', self.port), timeout=30)
        self.addCleanup(sock.close)
        sock.sendall(('%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n'
                      'Content-Type: application/json\r\n'
                      'Connection: close\r\n'
                      'Content-Length: 100\r\n\r\n' % (method, path)).encode()
                     + b'{"name": "x"')
        sock.shutdown(socket.SHUT_WR)
        return _response(sock)

    def test_short_body_then_half_close_is_400(self):
        for method, path in (('POST', '/v1/audit_templates'),
                             ('POST', '/v1/audits'),
                             ('PATCH', '/v1/audits/x')):
            raw = self._send_half(method, path)
            head, _, body = raw.partition(b'\r\n\r\n')
            self.assertTrue(head.startswith(b'HTTP/1.1 400')
                            or head.startswith(b'HTTP/1.0 400'), raw[:500])
            servers = [line for line in head.split(b'\r\n')
                       if line.lower().startswith(b'server:')]
            self.assertEqual([b'Server: OpenStack-Watcher'], servers)
            self.assertNotIn(b'Python', head)
            fault = json.loads(json.loads(body)['error_message'])
            self.assertIn('shorter than its Content-Length',
                          fault['faultstring'])
        self.assertNotIn('Traceback',
                         self.processes.log_text('watcher-api'))
