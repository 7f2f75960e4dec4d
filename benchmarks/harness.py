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

"""Pieces the benchmarks share: a request counter around the simulated
cloud, the simulated cloud in a process of its own, a private Prometheus
scraping it, SQL statement counting and peak RSS.

``python benchmarks/harness.py cloud --hosts N --vms-per-host M`` serves a
generated cloud (seed 1) on a free loopback port, prints one JSON line
(``url``, ``auth_url``, ``hosts``, ``servers``) and serves until its stdin
closes; ``GET /_bench/requests`` answers the requests served so far (and
restarts the count).
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from urllib import parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
if os.path.dirname(HERE) not in sys.path:
    sys.path.insert(0, os.path.dirname(HERE))

# the simulator only: importing watcher's test modules here would start the
# database facade on their in-memory SQLite before a benchmark configures
# its own database
from watcher.simulator import exposition  # noqa: E402

COUNT_PATH = '/_bench/requests'


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class Counter:
    """Counts the requests a simulator server serves (scrapes of its
    ``/metrics`` by a Prometheus excepted); ``GET /_bench/requests`` on
    the server answers the count and restarts it.
    """

    def __init__(self, server):
        self.lock = threading.Lock()
        self.count = 0
        httpd = server._httpd
        app = httpd.get_app()

        def counting(environ, start_response):
            if environ.get('PATH_INFO') == COUNT_PATH:
                body = json.dumps({'requests': self.take()}).encode()
                start_response('200 OK', [
                    ('Content-Type', 'application/json'),
                    ('Content-Length', str(len(body)))])
                return [body]
            if environ.get('PATH_INFO', '').rstrip('/') != '/metrics':
                # a Prometheus scrape is not a request of watcher's
                with self.lock:
                    self.count += 1
            return app(environ, start_response)
        httpd.set_app(counting)

    def take(self):
        with self.lock:
            count, self.count = self.count, 0
            return count


def cpu_seconds(pid):
    """User + system CPU seconds of process ``pid`` so far."""
    with open('/proc/%d/stat' % pid) as fobj:
        fields = fobj.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def reset_peak_rss():
    """Start a new peak RSS measurement of this process (Linux)."""
    try:
        with open('/proc/self/clear_refs', 'w') as fobj:
            fobj.write('5')
    except OSError:
        pass


def peak_rss_mb():
    """Peak RSS of this process since :func:`reset_peak_rss`, in MiB."""
    with open('/proc/self/status') as fobj:
        for line in fobj:
            if line.startswith('VmHWM:'):
                return int(line.split()[1]) / 1024.0
    return None


class CloudProcess:
    """The simulated cloud served by a child process."""

    def __init__(self, hosts, vms_per_host, exporter_cpus=None):
        extra = ([] if exporter_cpus is None
                 else ['--exporter-cpus', str(exporter_cpus)])
        self.proc = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), 'cloud',
             '--hosts', str(hosts), '--vms-per-host', str(vms_per_host)]
            + extra,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError('the simulated cloud did not start')
        info = json.loads(line)
        self.url = info['url']
        self.auth_url = info['auth_url']
        self.hosts = info['hosts']
        self.servers = info['servers']
        self.hostnames = info['hostnames']

    def take_requests(self):
        with urllib.request.urlopen(self.url + COUNT_PATH) as resp:
            return json.load(resp)['requests']

    def cpu_seconds(self):
        return cpu_seconds(self.proc.pid)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class PrometheusProcess:
    """A private Prometheus (Debian package) scraping the simulated cloud:
    one ``node`` target per compute host (its ``fqdn`` label) and one
    ``ceilometer`` target, as ``watcher/tests/integration/
    test_prometheus.py`` sets it up (``exposition.scrape_config``).
    """

    def __init__(self, cloud_url, hostnames, scrape=5):
        binary = shutil.which('prometheus')
        if not binary:
            raise RuntimeError('the prometheus binary is not installed '
                               '(Debian: apt-get install -y prometheus)')
        address = parse.urlsplit(cloud_url).netloc
        self.workdir = tempfile.mkdtemp(prefix='watcher-bench-prom-')
        config = os.path.join(self.workdir, 'prometheus.yml')
        with open(config, 'w') as fobj:
            fobj.write(exposition.scrape_config(address, hostnames,
                                                scrape))
        self.port = free_port()
        self.log = open(os.path.join(self.workdir, 'prometheus.log'), 'w')
        self.proc = subprocess.Popen(
            [binary, '--config.file=%s' % config,
             '--storage.tsdb.path=%s' % os.path.join(self.workdir, 'data'),
             '--web.listen-address=127.0.0.1:%d' % self.port],
            stdout=self.log, stderr=subprocess.STDOUT)
        self.expected_targets = len(hostnames) + 1

    def cpu_seconds(self):
        return cpu_seconds(self.proc.pid)

    def query(self, promql):
        url = 'http://127.0.0.1:%d/api/v1/query?%s' % (
            self.port, parse.urlencode({'query': promql}))
        with urllib.request.urlopen(url, timeout=10) as resp:
            return json.load(resp)['data']['result']

    def wait_scraped(self, timeout=600, samples=3, scrape=5):
        """Wait until every target was scraped ``samples`` times."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError('prometheus exited; see %s'
                                   % self.log.name)
            try:
                got = self.query('sum(up)')
                if got and float(got[0]['value'][1]) >= \
                        self.expected_targets:
                    time.sleep(samples * scrape)
                    return
            except (OSError, ValueError, KeyError):
                pass
            time.sleep(1)
        raise RuntimeError('prometheus did not scrape every target')

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


class SqlCounter:
    """Counts the SQL statements an engine executes, except those of the
    threads marked with :meth:`ignore_this_thread`.
    """

    def __init__(self, engine):
        import sqlalchemy as sa
        self.count = 0
        self.lock = threading.Lock()
        self.local = threading.local()
        sa.event.listen(engine, 'before_cursor_execute', self._on_execute)

    def _on_execute(self, *args, **kwargs):
        if getattr(self.local, 'ignored', False):
            return
        with self.lock:
            self.count += 1

    def ignore_this_thread(self):
        self.local.ignored = True

    def take(self):
        with self.lock:
            count, self.count = self.count, 0
            return count


def _serve_cloud(argv):
    parser = argparse.ArgumentParser(prog='harness.py cloud')
    parser.add_argument('--hosts', type=int, default=500)
    parser.add_argument('--vms-per-host', type=int, default=15)
    parser.add_argument('--exporter-cpus', type=int, default=None,
                        help="CPUs each host's node_exporter lists "
                             '(default: all)')
    args = parser.parse_args(argv)
    import warnings
    warnings.filterwarnings('ignore')
    from watcher.simulator import fixture as sim_fixture
    from watcher.simulator import scenario
    data = scenario.generate(hosts=args.hosts,
                             vms_per_host=args.vms_per_host, seed=1)
    if args.exporter_cpus is not None:
        data.setdefault('settings', {})['exporter_cpus'] = \
            args.exporter_cpus
    simulated = sim_fixture.SimulatedCloud(scenario=data).start()
    Counter(simulated.server)
    state = simulated.state
    print(json.dumps({
        'url': simulated.url, 'auth_url': simulated.auth_url,
        'hosts': len(state.hosts), 'servers': len(state.servers),
        'hostnames': sorted(state.hosts)}), flush=True)
    try:
        sys.stdin.read()
    finally:
        simulated.stop()
    return 0


if __name__ == '__main__':
    if sys.argv[1:2] == ['cloud']:
        sys.exit(_serve_cloud(sys.argv[2:]))
    sys.exit('usage: harness.py cloud --hosts N --vms-per-host M')
