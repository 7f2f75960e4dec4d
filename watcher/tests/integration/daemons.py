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

"""Harness pieces shared by the integration tests that run watcher's
console scripts as separate processes.

* :func:`rabbit_problem` - why the machine's RabbitMQ cannot be used (None
  when it can); tests skip with that reason.
* :func:`free_port`, :func:`wait_until`, :func:`port_open`.
* :class:`RunNames` - the ``control_exchange``, RPC topics and notification
  topic of one test run (unique, so a run never meets the other users of
  the shared broker).
* :func:`messaging_config` - the ``watcher.conf`` text of the daemons of a
  run: RabbitMQ, the run's names, noauth, the simulated cloud's credentials
  and the simulator datasource.
* :class:`Processes` - a fixture starting console scripts with their
  output in a log file each, stopping them (SIGTERM, then SIGKILL) at
  clean-up and, with :meth:`Processes.attach_logs_to`, attaching the log
  tails to a failing test.
* :func:`start_api` - ``watcher-api`` on a free loopback port, waited for.
* :func:`uwsgi_ini`, :func:`start_uwsgi` - the API under uwsgi with the
  shipped ``etc/watcher/watcher-api-uwsgi.ini``.
* :func:`seed_database` - schema, goals, strategies and some history in
  a database given by URL.
* :class:`SeededApi` - the API (``watcher-api`` or uwsgi) on a seeded
  SQLite file, noauth, fake transport: what the tests of the API process
  itself start from.
* :func:`idle_body_clients` - connections that announce a body and send
  nothing (the slow-client attack of issue 16 item 8).
* :func:`openstack` - the real ``openstack optimize`` CLI (python-
  openstackclient + python-watcherclient) without Keystone.
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid

import fixtures
from oslo_db.sqlalchemy import enginefacade
import testtools

from watcher.db.sqlalchemy import api as sqla_api
from watcher.db.sqlalchemy import models
from watcher.tests.functional.api import seed
from watcher.tests.functional.services import fixtures as svc_fixtures

RABBIT_URL = 'rabbit://guest:guest@127.0.0.1:5672/'
BIN = os.path.dirname(sys.executable)
OPENSTACK = os.path.join(BIN, 'openstack')
UWSGI = os.path.join(BIN, 'uwsgi')
SHIPPED_UWSGI_INI = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))), 'etc', 'watcher',
    'watcher-api-uwsgi.ini')

wait_until = svc_fixtures.wait_until


def script(name):
    return os.path.join(BIN, name)


def rabbit_problem():
    """Why RabbitMQ at 127.0.0.1:5672 (guest/guest) cannot be used."""
    try:
        with socket.create_connection(('127.0.0.1', 5672), timeout=2):
            pass
    except OSError as exc:
        return 'RabbitMQ not reachable at 127.0.0.1:5672 (%s)' % exc
    try:
        import kombu
        with kombu.Connection('amqp://guest:guest@127.0.0.1:5672//',
                              connect_timeout=3) as conn:
            conn.ensure_connection(max_retries=1)
    except Exception as exc:
        return 'RabbitMQ refused guest/guest: %s' % exc
    return None


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def port_open(port, host='127.0.0.1'):
    try:
        with socket.create_connection((host, port), 1):
            return True
    except OSError:
        return False


class RunNames:
    """Messaging names private to one test run."""

    def __init__(self, suffix=None):
        self.suffix = suffix or uuid.uuid4().hex[:10]
        self.exchange = 'watcher_test_%s' % self.suffix
        self.de_topic = 'watcher.decision.control.%s' % self.suffix
        self.applier_topic = 'watcher.applier.control.%s' % self.suffix
        self.notif_topic = 'watcher_notifications_%s' % self.suffix

    def exchanges(self, *extra):
        """The exchanges of the run (the RPC fanout ones are auto-deleted
        once their queues expire, but need not wait for it).
        """
        return [self.exchange, self.de_topic + '_fanout',
                self.applier_topic + '_fanout'] + list(extra)

    def queues(self, de_hosts=(), applier_hosts=(), pools=()):
        """The durable queues the daemons of the run declare: RPC topic
        queues (shared and per host), watcher's notification queues and the
        decision engines' notification pools.
        """
        names = [self.de_topic, self.applier_topic]
        names += ['%s.%s' % (self.de_topic, h) for h in de_hosts]
        names += ['%s.%s' % (self.applier_topic, h) for h in applier_hosts]
        names += ['%s.%s' % (self.notif_topic, p) for p in (
            'audit', 'debug', 'info', 'warn', 'error', 'critical',
            'sample')]
        return names + list(pools)


def delete_from_broker(exchanges=(), queues=()):
    """Delete ``queues`` (unless something still consumes them) and
    ``exchanges`` on the machine's RabbitMQ; missing ones are no failure.
    """
    try:
        import kombu
        conn = kombu.Connection('amqp://guest:guest@127.0.0.1:5672//',
                                connect_timeout=3)
        conn.ensure_connection(max_retries=1)
    except Exception:
        return
    with conn:
        todo = [(False, q) for q in queues] + [(True, e) for e in exchanges]
        for is_exchange, name in todo:
            channel = conn.channel()  # an error closes the channel
            try:
                if is_exchange:
                    channel.exchange_delete(name)
                else:
                    channel.queue_delete(name, if_unused=True)
            except Exception:
                pass
            finally:
                try:
                    channel.close()
                except Exception:
                    pass


CONFIG_TEMPLATE = """[DEFAULT]
transport_url = %(rabbit)s
control_exchange = %(exchange)s
periodic_interval = 1
service_down_time = %(service_down_time)d
auth_strategy = noauth
debug = False
[database]
connection = %(db)s
[oslo_messaging_notifications]
driver = messagingv2
topics = %(ntopic)s
[oslo_messaging_rabbit]
rabbit_transient_queues_ttl = 120
[watcher_decision_engine]
conductor_topic = %(de)s
continuous_audit_interval = 1
audit_recovery_interval = 1
audit_recovery_grace = 10
notification_topics = %(model_topics)s
[watcher_applier]
conductor_topic = %(ap)s
[watcher_clients_auth]
auth_type = password
auth_url = %(auth_url)s
username = admin
password = admin
project_name = admin
user_domain_name = Default
project_domain_name = Default
[simulator_client]
endpoint = %(sim)s
[watcher_datasources]
datasources = simulator
[nova]
migration_interval = 0.2
"""


def messaging_config(names, db_url, sim_url, auth_url, model_topics=None,
                     service_down_time=4, extra=''):
    """``watcher.conf`` for the daemons of the run ``names``.

    ``model_topics``: the ``exchange.topic`` list the decision engine
    listens on for the cloud's notifications (default: a topic nobody
    sends to, so the models are only built by the collectors).
    """
    if not model_topics:
        model_topics = ['nova_unused_%s' % names.suffix]
    return CONFIG_TEMPLATE % {
        'rabbit': RABBIT_URL, 'exchange': names.exchange, 'db': db_url,
        'ntopic': names.notif_topic, 'de': names.de_topic,
        'ap': names.applier_topic, 'model_topics': ','.join(model_topics),
        'auth_url': auth_url, 'sim': sim_url,
        'service_down_time': service_down_time} + extra


def write_file(path, text):
    with open(path, 'w') as stream:
        stream.write(text)
    return path


class Processes(fixtures.Fixture):
    """Console scripts run as child processes, one log file each.

    Usable as a fixture (``useFixture``) or by hand (``setUp()`` /
    ``cleanUp()``, e.g. from ``setUpClass``).
    """

    def __init__(self, directory):
        super().__init__()
        self.directory = directory
        self.procs = {}
        self._logs = {}
        self._signalled = set()

    def _setUp(self):
        self.addCleanup(self.stop_all)

    def log_path(self, name):
        return os.path.join(self.directory, '%s.log' % name)

    def start(self, name, argv, env=None):
        """Start ``argv`` (``argv[0]`` a script name of the venv or a path)
        as ``name``; returns the ``Popen``.
        """
        if not os.path.isabs(argv[0]):
            argv = [script(argv[0])] + list(argv[1:])
        log = open(self.log_path(name), 'w')
        self._logs[name] = log
        self._signalled.discard(name)
        proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                                env=env)
        self.procs[name] = proc
        return proc

    def _terminate(self, name):
        proc = self.procs[name]
        if proc.poll() is None and name not in self._signalled:
            self._signalled.add(name)
            proc.send_signal(signal.SIGTERM)

    def stop(self, name, timeout=20):
        proc = self.procs.get(name)
        if proc is not None and proc.poll() is None:
            self._terminate(name)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log = self._logs.pop(name, None)
        if log is not None:
            log.close()

    def kill(self, name):
        proc = self.procs[name]
        proc.kill()
        proc.wait()

    def stop_all(self):
        # signal every process first (they stop in parallel), the last
        # started first (the API before the services it calls)
        names = list(reversed(list(self.procs)))
        for name in names:
            self._terminate(name)
        for name in names:
            self.stop(name)

    def log_text(self, name, tail=20000):
        path = self.log_path(name)
        if not os.path.exists(path):
            return ''
        with open(path, errors='replace') as stream:
            text = stream.read()
        return text[-tail:] if tail else text

    def attach_logs_to(self, test):
        """On a failure of ``test`` (a testtools test), attach and print
        the tail of every log.
        """
        def attach(exc_info):
            for name in self.procs:
                tail = self.log_text(name)
                test.addDetailUniqueName(
                    '%s.log' % name, testtools.content.text_content(tail))
                sys.stderr.write('--- %s ---\n%s\n' % (name, tail))
        test.addOnException(attach)

    def wait_port(self, name, port, timeout=60):
        """Wait until ``name`` listens on ``port``; raise if it exits."""
        proc = self.procs[name]
        deadline = time.monotonic() + timeout
        while not port_open(port):
            if proc.poll() is not None:
                raise RuntimeError('%s exited with %s:\n%s' % (
                    name, proc.returncode, self.log_text(name, 4000)))
            if time.monotonic() > deadline:
                raise RuntimeError('%s does not listen on %d' % (name,
                                                                 port))
            time.sleep(0.1)


def start_api(processes, config_files, name='watcher-api', timeout=60,
              workers=1, port=None):
    """Start ``watcher-api`` on ``port`` (default: a free loopback port);
    returns its URL.
    """
    port = port or free_port()
    api_conf = write_file(
        os.path.join(processes.directory, '%s-port.conf' % name),
        '[api]\nhost = 127.0.0.1\nport = %d\nworkers = %d\n' % (
            port, workers))
    argv = ['watcher-api']
    for path in list(config_files) + [api_conf]:
        argv += ['--config-file', path]
    processes.start(name, argv)
    processes.wait_port(name, port, timeout)
    return 'http://127.0.0.1:%d' % port


def uwsgi_ini(path, port, config_files, processes=2,
              shipped=SHIPPED_UWSGI_INI, threads=None):
    """Write the shipped uwsgi configuration with only what is specific
    to a deployment replaced: the address (loopback, ``port``), the
    number of processes (and threads, when given) and the configuration
    files. Returns ``path``.
    """
    with open(shipped) as stream:
        text = stream.read()
    # the address the clients use: the workers' own HTTP socket or the
    # HTTP router in front of them
    address = next((key for key in ('http11-socket', 'http-socket', 'http')
                    if re.search(r'^%s\s*=' % key, text, re.M)),
                   'http11-socket')
    replaced = {address: '127.0.0.1:%d' % port,
                'processes': str(processes),
                'pyargv': ' '.join('--config-file %s' % f
                                   for f in config_files)}
    if threads is not None:
        replaced['threads'] = str(threads)
    lines = []
    for line in text.splitlines(True):
        key = line.split('=', 1)[0].strip()
        if key in replaced and not line.startswith('#'):
            line = '%s = %s\n' % (key, replaced.pop(key))
        lines.append(line)
    if replaced:
        raise AssertionError('the shipped uwsgi configuration has no %s'
                             % ', '.join(sorted(replaced)))
    return write_file(path, ''.join(lines))


def start_uwsgi(processes, config_files, name='uwsgi', workers=2,
                timeout=60):
    """The API under uwsgi (shipped settings) on a free loopback port;
    returns its URL.
    """
    port = free_port()
    ini = uwsgi_ini(os.path.join(processes.directory, '%s.ini' % name),
                    port, config_files, processes=workers)
    processes.start(name, [UWSGI, '--ini', ini])
    processes.wait_port(name, port, timeout)
    return 'http://127.0.0.1:%d' % port


def seed_database(db_url):
    """Create the schema if needed and write the seed rows (objects)."""
    manager = enginefacade.transaction_context()
    manager.configure(connection=db_url)
    engine = manager.writer.get_engine()
    models.Base.metadata.create_all(engine)
    restore = sqla_api.get_context_manager().patch_factory(manager)
    try:
        goals, strategies = seed.catalogue()
        seed.history(goals, strategies)
    finally:
        restore()
        engine.dispose()


API_CONFIG = """[DEFAULT]
auth_strategy = noauth
transport_url = fake://
use_stderr = true
[database]
connection = %s
"""


class SeededApi(fixtures.Fixture):
    """The API on a seeded SQLite file in a directory of its own.

    ``server``: ``'watcher-api'`` (with ``workers`` processes) or
    ``'uwsgi'`` (the shipped settings, ``workers`` processes). ``extra``:
    more ``watcher.conf`` text, ``{directory}`` standing for the
    directory. Then :attr:`directory`, :attr:`conf`, :attr:`url`,
    :attr:`port` and :attr:`processes` (attach its logs to a test with
    ``processes.attach_logs_to(test)``). Usable by hand (``setUp()`` /
    ``cleanUp()``) from ``setUpClass``.
    """

    def __init__(self, server='watcher-api', workers=1, extra=''):
        super().__init__()
        self.server = server
        self.workers = workers
        self.extra = extra

    def _setUp(self):
        self.directory = self.useFixture(fixtures.TempDir()).path
        db_url = 'sqlite:///%s' % os.path.join(self.directory,
                                               'watcher.sqlite')
        self.conf = write_file(
            os.path.join(self.directory, 'watcher.conf'),
            API_CONFIG % db_url + self.extra.format(directory=self.directory))
        seed_database(db_url)
        self.processes = self.useFixture(Processes(self.directory))
        if self.server == 'uwsgi':
            self.url = start_uwsgi(self.processes, [self.conf],
                                   workers=self.workers)
        else:
            self.url = start_api(self.processes, [self.conf],
                                 workers=self.workers)
        self.port = int(self.url.rsplit(':', 1)[1])


def idle_body_clients(port, count=2, host='127.0.0.1'):
    """Open ``count`` connections that send a POST's headers announcing a
    body, then nothing; returns the sockets (close them when done).
    """
    socks = []
    for _ in range(count):
        sock = socket.create_connection((host, port), timeout=5)
        sock.sendall(b'POST /v1/audit_templates HTTP/1.1\r\n'
                     b'Host: 127.0.0.1\r\n'
                     b'Content-Type: application/json\r\n'
                     b'Content-Length: 100\r\n\r\n')
        socks.append(sock)
    return socks


def openstack(endpoint, *args, as_json=True, timeout=120):
    """Run ``openstack --os-auth-type none --os-endpoint ENDPOINT optimize
    ARGS [-f json]``; returns the ``CompletedProcess`` (``.data``: the
    parsed JSON output when ``as_json`` and it succeeded).
    """
    cmd = [OPENSTACK, '--os-auth-type', 'none', '--os-endpoint', endpoint,
           'optimize'] + [str(a) for a in args]
    if as_json:
        cmd += ['-f', 'json']
    env = {k: v for k, v in os.environ.items() if not k.startswith('OS_')}
    result = subprocess.run(cmd, capture_output=True, text=True,
                            timeout=timeout, env=env)
    result.data = None
    if as_json and result.returncode == 0 and result.stdout.strip():
        result.data = json.loads(result.stdout)
    return result
