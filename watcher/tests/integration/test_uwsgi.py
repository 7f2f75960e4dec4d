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

"""The API under real uwsgi with the shipped configuration.

``etc/watcher/watcher-api-uwsgi.ini`` with only the address, the number of
processes (2) and the configuration file replaced, loading
``watcher.wsgi.api:application`` (noauth, a SQLite file, the fake
transport): the ``openstack optimize`` CLI, more clients than workers,
``/healthcheck`` with its backends, slow clients (issue 16 item 8) and a
short run of ``benchmarks/api.py``.
"""
import http.client
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request

import testtools

from watcher.tests.integration import daemons

BENCHMARK = os.path.join(os.path.dirname(daemons.SHIPPED_UWSGI_INI),
                         '..', '..', 'benchmarks', 'api.py')


@testtools.skipUnless(os.path.exists(daemons.UWSGI),
                      'uwsgi (pyuwsgi) not installed in this environment')
class TestUwsgi(testtools.TestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api = daemons.SeededApi(
            server='uwsgi', workers=2, extra=(
                '[healthcheck]\nbackends = disable_by_file,watcher_database,'
                'watcher_messaging\n'
                'disable_by_file_path = {directory}/maintenance\n'
                'detailed = true\n'))
        try:
            cls.api.setUp()
        except Exception:
            cls.api.cleanUp()
            raise
        cls.processes, cls.url, cls.port = (cls.api.processes, cls.api.url,
                                            cls.api.port)
        cls.conf = cls.api.conf
        cls.disable_file = os.path.join(cls.api.directory, 'maintenance')

    @classmethod
    def tearDownClass(cls):
        cls.api.cleanUp()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.processes.attach_logs_to(self)

    def cli(self, *args):
        result = daemons.openstack(self.url, *args)
        self.assertEqual(0, result.returncode, result.stderr)
        return result.data

    def test_openstack_optimize_cli(self):
        self.assertIn('dummy', {g['Name'] for g in self.cli('goal', 'list')})
        created = self.cli('audittemplate', 'create', 'uwsgi-at', 'dummy',
                           '--strategy', 'dummy')
        self.assertEqual('uwsgi-at', created['Name'])
        shown = self.cli('audittemplate', 'show', 'uwsgi-at')
        self.assertEqual(created['UUID'], shown['UUID'])
        self.assertEqual('dummy', shown['Strategy'])

    def test_more_clients_than_workers_each_answered(self):
        # Three clients that would keep their connections, two workers,
        # requests in turns: a worker holding a kept connection would
        # wait on it (socket-timeout, 5 s) while the third client's
        # request got nothing.
        clients = [http.client.HTTPConnection('127.0.0.1', self.port,
                                              timeout=3) for _ in range(3)]
        try:
            for _round in range(3):
                for connection in clients:
                    connection.request('GET', '/v1/goals', headers={
                        'Connection': 'keep-alive'})
                    response = connection.getresponse()
                    body = json.loads(response.read())
                    self.assertEqual(200, response.status)
                    self.assertIn('goals', body)
                    # the client is told, and its next request (a new
                    # connection: http.client reopens) queues for any
                    # free worker
                    self.assertEqual('close', response.getheader(
                        'Connection'))
                    self.assertIsNone(connection.sock)
        finally:
            for connection in clients:
                connection.close()

    def _health(self):
        request = urllib.request.Request(
            self.url + '/healthcheck',
            headers={'Accept': 'application/json'})
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def test_healthcheck_backends_and_disable_by_file(self):
        status, body = self._health()
        self.assertEqual(200, status, body)
        reasons = {r['reason'] for r in body['reasons']}
        self.assertIn('database OK', reasons)
        self.assertIn('messaging in process', reasons)
        with open(self.disable_file, 'w'):
            pass
        try:
            status, body = self._health()
            self.assertEqual(503, status, body)
        finally:
            os.unlink(self.disable_file)
        self.assertEqual(200, self._health()[0])

    def test_idle_clients_do_not_stop_the_api(self):
        # as many silent clients as processes
        socks = daemons.idle_body_clients(self.port, count=2)
        try:
            with urllib.request.urlopen(self.url + '/v1/goals',
                                        timeout=15) as response:
                self.assertEqual(200, response.status)
        finally:
            for sock in socks:
                sock.close()

    def test_api_benchmark_short_run(self):
        result = subprocess.run(
            [sys.executable, BENCHMARK, '--seconds', '0.5', '--clients', '2',
             '--only', 'goals list', '--uwsgi-ini',
             daemons.SHIPPED_UWSGI_INI],
            capture_output=True, text=True, timeout=240)
        self.assertEqual(0, result.returncode, result.stderr[-3000:])
        row = [line for line in result.stdout.splitlines()
               if line.startswith('goals list')]
        self.assertEqual(1, len(row), result.stdout)
        fields = row[0].split()
        # requests served, none in error
        self.assertGreater(float(fields[3]), 0)
        self.assertEqual('0', fields[7])
