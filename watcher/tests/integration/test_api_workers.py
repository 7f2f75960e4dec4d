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

"""watcher-api with worker processes: a dead child is replaced, SIGTERM
stops them all, a killed parent takes its children along, and clients
that send nothing do not stop the API.

Runs the real ``watcher-api`` script (noauth, a SQLite file, the fake
transport) with ``[api] workers = 2``: the parent supervises two serving
workers and the service monitor's process.
"""
import json
import os
import signal
import time
import urllib.request

import testtools

from watcher.tests.integration import daemons

WATCHER_API = daemons.script('watcher-api')


def _children(pid):
    found = []
    try:
        for task in os.listdir('/proc/%d/task' % pid):
            with open('/proc/%d/task/%s/children' % (pid, task)) as f:
                found.extend(int(child) for child in f.read().split())
    except OSError:
        pass
    return set(found)


def _alive(pid):
    try:
        with open('/proc/%d/stat' % pid) as f:
            state = f.read().rsplit(')', 1)[1].split()[0]
    except OSError:
        return False
    return state != 'Z'


def _wait(predicate, timeout=30, what='condition'):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError('timed out waiting for %s' % what)
        time.sleep(0.1)


@testtools.skipUnless(os.path.exists(WATCHER_API),
                      'watcher-api script not installed')
class TestWorkerSupervision(testtools.TestCase):

    def setUp(self):
        super().setUp()
        api = self.useFixture(daemons.SeededApi(workers=2))
        self.conf, self.url = api.conf, api.url
        self.processes = api.processes
        self.processes.attach_logs_to(self)
        self.parent = self.processes.procs['watcher-api'].pid

    def _goals(self):
        with urllib.request.urlopen(self.url + '/v1/goals',
                                    timeout=15) as response:
            self.assertEqual(200, response.status)
            return {g['name'] for g in json.loads(response.read())['goals']}

    def test_dead_child_is_replaced_and_sigterm_stops_all(self):
        # two workers and the service monitor
        _wait(lambda: len(_children(self.parent)) == 3, what='3 children')
        before = _children(self.parent)
        victim = min(before)
        os.kill(victim, signal.SIGKILL)
        _wait(lambda: len(_children(self.parent)) == 3 and
              victim not in _children(self.parent),
              what='a replacement child')
        after = _children(self.parent)
        self.assertEqual(2, len(before & after))
        for _ in range(20):
            self.assertIn('dummy', self._goals())
        self.assertIn('starting another',
                      self.processes.log_text('watcher-api'))

        os.kill(self.parent, signal.SIGTERM)
        proc = self.processes.procs['watcher-api']
        self.assertEqual(0, proc.wait(20))
        for pid in after:
            self.assertFalse(_alive(pid), 'child %d outlived its parent'
                             % pid)

    def test_workers_die_with_a_killed_parent(self):
        _wait(lambda: len(_children(self.parent)) == 3, what='3 children')
        children = _children(self.parent)
        self.processes.kill('watcher-api')
        _wait(lambda: not any(_alive(pid) for pid in children),
              what='the orphaned children to exit')
        # the port is free again: a new watcher-api serves on it
        port = int(self.url.rsplit(':', 1)[1])
        url = daemons.start_api(self.processes, [self.conf],
                                name='watcher-api-2', workers=2, port=port)
        self.assertEqual(self.url, url)
        self.assertIn('dummy', self._goals())

    def test_idle_clients_do_not_stop_the_api(self):
        # default [api] client_socket_timeout; as many silent clients as
        # worker processes
        port = int(self.url.rsplit(':', 1)[1])
        socks = daemons.idle_body_clients(port, count=2)
        try:
            self.assertIn('dummy', self._goals())
        finally:
            for sock in socks:
                sock.close()
