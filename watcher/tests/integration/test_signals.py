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

"""Signals an operator (systemd, logrotate) sends to the real processes.

``watcher-all``, ``watcher-decision-engine``, ``watcher-applier`` and
``watcher-api`` (2 workers), each on a SQLite file and the fake or
in-process transport, logging to a file:

* SIGUSR2 writes a Guru Meditation Report into ``[oslo_reports] log_dir``
  and the process goes on;
* SIGHUP after the log file was rotated away and the configuration
  edited: a new log file is opened, the changed mutable options are
  named, the process goes on (the API keeps its workers and serves);
* SIGTERM stops it with exit status 0.

SIGHUP reloads in place: the services are not restarted (the start is not
logged again), and in ``watcher-all`` an action plan running when the
signal arrives carries on to SUCCEEDED (a launcher that re-forks its
workers on SIGHUP, as oslo.service's threading launchers do, would cut it
short; see ``doc/source/admin/signals.rst``).
"""
import json
import os
import signal
import socket
import subprocess
import time
import urllib.request

import fixtures
import testtools

from watcher.tests.integration import daemons

TIMEOUT = 60  # bounds a wait of a hung test; nothing is timed


def _wait(predicate, what, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError('timed out waiting for %s' % what)
        time.sleep(0.1)


def _read(path):
    try:
        with open(path, errors='replace') as stream:
            return stream.read()
    except OSError:
        return ''


class _SignalsBase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.db_url = 'sqlite:///%s' % os.path.join(self.tmp, 'w.sqlite')
        self.reports = os.path.join(self.tmp, 'reports')
        os.mkdir(self.reports)
        self.log = os.path.join(self.tmp, 'service.log')
        self.conf = os.path.join(self.tmp, 'watcher.conf')
        self.processes = self.useFixture(daemons.Processes(self.tmp))
        self.processes.attach_logs_to(self)
        self.addOnException(lambda exc_info: self.addDetail(
            'service.log', testtools.content.text_content(
                _read(self.log)[-20000:])))

    def write_conf(self, debug=False, down_time=90, extra=''):
        daemons.write_file(self.conf, (
            '[DEFAULT]\nauth_strategy = noauth\ntransport_url = fake://\n'
            'debug = %s\nservice_down_time = %d\nlog_file = %s\n'
            'periodic_interval = 1\n'
            '[database]\nconnection = %s\n[oslo_reports]\nlog_dir = %s\n'
            '[api]\nhost = 127.0.0.1\nport = %d\nworkers = 2\n%s' % (
                debug, down_time, self.log, self.db_url, self.reports,
                self.port, extra)))

    def upgrade_db(self):
        subprocess.run([daemons.script('watcher-db-manage'), '--config-file',
                        self.conf, 'upgrade'], check=True,
                       capture_output=True, timeout=120)

    def check_signals(self, name, ready_marker):
        proc = self.processes.procs[name]
        _wait(lambda: ready_marker in _read(self.log), 'the start of %s'
              % name)

        proc.send_signal(signal.SIGUSR2)
        _wait(lambda: any('Guru Meditation' in _read(os.path.join(
            self.reports, f)) for f in os.listdir(self.reports)),
            'a Guru Meditation Report')
        self.assertIsNone(proc.poll())

        os.rename(self.log, self.log + '.1')
        self.write_conf(debug=True, down_time=7)
        proc.send_signal(signal.SIGHUP)
        _wait(lambda: 'Options changed by the reload' in _read(self.log),
              'the reload logged in a new log file')
        line = [li for li in _read(self.log).splitlines()
                if 'Options changed by the reload' in li][0]
        self.assertIn('[DEFAULT] debug', line)
        self.assertIn('[DEFAULT] service_down_time', line)
        time.sleep(0.5)
        self.assertIsNone(proc.poll(), '%s died on SIGHUP' % name)
        # reloaded in place, not stopped and started again
        self.assertNotIn(ready_marker, _read(self.log))

        proc.send_signal(signal.SIGTERM)
        self.assertEqual(0, proc.wait(TIMEOUT))


class TestDaemonSignals(_SignalsBase):

    def setUp(self):
        super().setUp()
        self.port = daemons.free_port()
        self.write_conf()
        self.upgrade_db()

    def test_decision_engine(self):
        self.processes.start('de', ['watcher-decision-engine',
                                    '--config-file', self.conf])
        self.check_signals('de', 'listening on topic')

    def test_applier(self):
        self.processes.start('applier', ['watcher-applier', '--config-file',
                                         self.conf])
        self.check_signals('applier', 'listening on topic')

    def test_ready_notification_for_systemd(self):
        # the shipped units are Type=notify: READY=1 once the RPC server
        # consumes and the service row is registered
        path = os.path.join(self.tmp, 'notify')
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.addCleanup(sock.close)
        sock.bind(path)
        sock.settimeout(TIMEOUT)
        self.processes.start(
            'de', ['watcher-decision-engine', '--config-file', self.conf],
            env=dict(os.environ, NOTIFY_SOCKET=path))
        self.assertEqual(b'READY=1', sock.recv(4096).strip())
        self.assertIn('listening on topic', _read(self.log))


class TestAllInOneSignals(_SignalsBase):

    def test_watcher_all(self):
        self.port = daemons.free_port()
        self.write_conf(extra='[simulator]\nport = 0\n')
        self.processes.start('all', ['watcher-all', '--config-file',
                                     self.conf])
        self.processes.wait_port('all', self.port)
        self.check_signals('all', 'watcher-all: API on')


class TestApiSignals(_SignalsBase):

    def test_watcher_api_workers_reload_and_serve(self):
        self.port = daemons.free_port()
        self.write_conf()
        self.upgrade_db()
        self.processes.start('api', ['watcher-api', '--config-file',
                                     self.conf])
        self.processes.wait_port('api', self.port)
        proc = self.processes.procs['api']
        _wait(lambda: 'watcher-api serving' in _read(self.log),
              'the start of watcher-api')
        os.rename(self.log, self.log + '.1')
        self.write_conf(debug=True, down_time=7)
        proc.send_signal(signal.SIGHUP)
        # the parent and each of its 3 children (2 workers, the monitor)
        _wait(lambda: _read(self.log).count(
            'Options changed by the reload') >= 4, 'four reloads')
        self.assertIsNone(proc.poll())
        url = 'http://127.0.0.1:%d/v1/goals' % self.port
        for _ in range(4):
            with urllib.request.urlopen(url, timeout=15) as response:
                self.assertEqual(200, response.status)
        self.assertNotIn('starting another', _read(self.log))
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(0, proc.wait(TIMEOUT))


class TestReloadKeepsWork(_SignalsBase):
    """SIGHUP while the applier of ``watcher-all`` runs an action plan."""

    def _call(self, method, path, body=None):
        request = urllib.request.Request(
            'http://127.0.0.1:%d%s' % (self.port, path), method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={'Content-Type': 'application/json',
                     'OpenStack-API-Version': 'infra-optim 1.1'})
        with urllib.request.urlopen(request, timeout=15) as response:
            return json.loads(response.read() or b'null')

    def _plan_of(self, audit):
        plans = self._call('GET', '/v1/action_plans?audit_uuid=%s'
                           % audit)['action_plans']
        return plans[0] if plans else None

    def _sleep_action(self, plan):
        actions = self._call('GET', '/v1/actions?action_plan_uuid=%s'
                             % plan)['actions']
        return [a for a in actions if a['action_type'] == 'sleep'][0]

    def test_sighup_during_an_action_plan(self):
        self.port = daemons.free_port()
        self.write_conf(extra='[simulator]\nport = 0\n')
        self.processes.start('all', ['watcher-all', '--config-file',
                                     self.conf])
        self.processes.wait_port('all', self.port)
        proc = self.processes.procs['all']
        audit = self._call('POST', '/v1/audits', {
            'goal': 'dummy', 'strategy': 'dummy', 'audit_type': 'ONESHOT',
            'auto_trigger': True, 'parameters': {'para1': 6}})['uuid']
        _wait(lambda: self._plan_of(audit) is not None, 'the action plan')
        plan = self._plan_of(audit)['uuid']
        _wait(lambda: self._sleep_action(plan)['state'] == 'ONGOING',
              'the sleep action running')

        self.write_conf(debug=True, down_time=7)
        proc.send_signal(signal.SIGHUP)
        _wait(lambda: 'Options changed by the reload' in _read(self.log),
              'the reload')
        _wait(lambda: self._plan_of(audit)['state'] not in (
            'PENDING', 'ONGOING'), 'the end of the action plan')
        self.assertEqual('SUCCEEDED', self._plan_of(audit)['state'])
        self.assertEqual('SUCCEEDED', self._sleep_action(plan)['state'])
        self.assertEqual(1, _read(self.log).count('watcher-all: API on'))
        self.assertIsNone(proc.poll())
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(0, proc.wait(TIMEOUT))
