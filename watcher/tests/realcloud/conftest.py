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

"""Fixtures of the real-cloud suite (``tox -e realcloud``).

``real_cloud`` (session): ONE
:class:`~watcher.tests.realcloud.harness.RealCloud` for the whole
session - real Keystone, Placement and Nova (3 computes) on loopback. The
whole folder is skipped, with the reason, when the machine lacks MariaDB,
RabbitMQ or ``rabbitmqctl`` or when the pinned services cannot be
installed for lack of network; any other failure to start is an error, not
a skip.

Set ``WATCHER_REALCLOUD_ATTACH=/path/state.json`` to run against a cloud
already started by ``python -m watcher.tests.realcloud.harness
--state-file /path/state.json`` (fast iterations while developing), and
``WATCHER_REALCLOUD_VENV`` to reuse a venv holding the pinned services.

``keystone`` (module): a real Keystone only, that of ``real_cloud`` when
the session already started it, else Keystone alone (seconds).

``cloud`` (parametrised: ``simulator`` and ``real``): the same small
adapter (:mod:`watcher.tests.realcloud.backends`) over the simulated cloud
(scenario shaped like the real one) and over the real cloud, emptied of
servers before each test. ``sim`` and ``real`` give each one alone, for the
tests that compare them side by side.
"""
import json
import logging
import os
import subprocess
import time

import pytest

from watcher.simulator import fixture as sim_fixture
from watcher.simulator import workload
from watcher.tests.realcloud import backends
from watcher.tests.realcloud import harness

LOG = logging.getLogger(__name__)

_NETWORK_HINTS = ('Could not find a version', 'No matching distribution',
                  'Temporary failure in name resolution',
                  'Failed to establish a new connection',
                  'Network is unreachable', 'Name or service not known',
                  'ConnectTimeoutError', 'ProxyError')
_state = {}


def _notification_transport(url):
    import oslo_messaging
    from oslo_config import cfg
    conf = cfg.ConfigOpts()
    conf([], project='watcher-realcloud')
    return oslo_messaging.get_notification_transport(conf, url=url)


class _Attached:
    """A cloud started elsewhere (``WATCHER_REALCLOUD_ATTACH``)."""

    def __init__(self, description):
        self.description = description
        self.transport_url = description['transport_url']
        self.computes = description['computes']
        self.workdir = description['workdir']
        self.ports = description['ports']

    def cloud_config(self):
        return dict(self.description['cloud_config'])

    def stop(self):
        pass


def _start_real_cloud():
    attach = os.environ.get('WATCHER_REALCLOUD_ATTACH')
    if attach:
        with open(attach) as src:
            return _Attached(json.load(src)), 0.0
    cloud = harness.RealCloud(computes=3)
    started = time.monotonic()
    try:
        cloud.start()
    except harness.Unavailable as exc:
        pytest.skip('real cloud unavailable: %s' % exc)
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        text = str(exc)
        if 'pip' in text and any(hint in text for hint in _NETWORK_HINTS):
            pytest.skip('the pinned OpenStack services cannot be installed '
                        '(no network?): %s' % text.splitlines()[0])
        raise
    return cloud, time.monotonic() - started


@pytest.fixture(scope='session')
def real_cloud():
    """The session's RealCloud (or the attached one)."""
    if 'skip' in _state:
        pytest.skip(_state['skip'])
    try:
        cloud, took = _start_real_cloud()
    except pytest.skip.Exception as exc:
        _state['skip'] = str(exc)
        raise
    LOG.warning('real cloud ready in %.1f s', took)
    _state['start_seconds'] = took
    _state['cloud'] = cloud
    yield cloud
    _state.pop('cloud', None)
    _state['rss_mib'] = _resident_mib(cloud)
    cloud.stop()


@pytest.fixture(scope='session')
def real_storage(real_cloud):
    """The session's cloud with Cinder and Ironic added.

    Started only for the tests that ask for it.
    """
    if not hasattr(real_cloud, 'start_storage'):
        pytest.skip('an attached cloud brings no Cinder/Ironic')
    started = time.monotonic()
    try:
        real_cloud.start_storage()
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        text = str(exc)
        if 'pip' in text and any(hint in text for hint in _NETWORK_HINTS):
            pytest.skip('cinder/ironic cannot be installed (no network?): '
                        '%s' % text.splitlines()[0])
        raise
    LOG.warning('cinder and ironic ready in %.1f s',
                time.monotonic() - started)
    return real_cloud


def _resident_mib(cloud):
    """Resident memory of the cloud's processes (and their workers)."""
    groups = [p.pid for p in getattr(cloud, 'processes', {}).values()
              if p.poll() is None]
    if not groups:
        return None
    out = subprocess.run(['ps', '-e', '-o', 'pgid=,rss='],
                         stdout=subprocess.PIPE, text=True).stdout
    total = 0
    for line in out.splitlines():
        pgid, rss = line.split()
        if int(pgid) in groups:
            total += int(rss)
    return total / 1024.0


@pytest.fixture(scope='module')
def keystone():
    """Something whose ``cloud_config()`` reaches a real Keystone.

    As its admin: the session's real cloud when it is already up (the
    whole suite), else Keystone started alone for the module.
    """
    if _state.get('cloud') is not None:
        yield _state['cloud']
        return
    identity = harness.RealCloud(computes=0)
    try:
        identity.start_identity()
    except harness.Unavailable as exc:
        pytest.skip('real keystone unavailable: %s' % exc)
    try:
        yield identity
    finally:
        identity.stop()


@pytest.fixture(scope='session')
def real_backend(real_cloud):
    transport = _notification_transport(real_cloud.transport_url)
    capture = backends.Capture(transport, pool='realcloud-conformance')
    backend = backends.RealBackend(real_cloud.cloud_config(), capture,
                                   cloud=real_cloud)
    backend.transport = transport
    yield backend
    capture.stop()
    backend.conn.close()
    transport.cleanup()


@pytest.fixture(scope='session')
def sim_backend():
    transport = _notification_transport('fake://')
    capture = backends.Capture(transport, pool='realcloud-conformance')
    cloud = sim_fixture.SimulatedCloud(scenario=backends.SCENARIO,
                                       transport=transport)
    cloud.start()
    backend = backends.SimulatorBackend(cloud, capture)
    backend.transport = transport
    yield backend
    capture.stop()
    backend.conn.close()
    cloud.stop()
    transport.cleanup()


@pytest.fixture
def real(real_backend):
    """The real cloud, without servers, every compute service enabled."""
    real_backend.reset()
    return real_backend


@pytest.fixture
def sim(sim_backend):
    """The simulated cloud, without servers, every service enabled."""
    sim_backend.reset()
    return sim_backend


@pytest.fixture(params=['simulator', 'real'])
def cloud(request):
    """Each cloud in turn behind the same adapter (emptied first)."""
    fixture = 'sim' if request.param == 'simulator' else 'real'
    return request.getfixturevalue(fixture)


@pytest.fixture
def mirrored_metrics(real):
    """A simulated cloud whose hosts and servers mirror the real ones, for
    the ``simulator`` datasource; yields a function that mirrors.
    """
    scenario = dict(backends.SCENARIO)
    scenario['name'] = 'realcloud-metrics'
    with sim_fixture.SimulatedCloud(scenario=scenario) as mirror:
        def mirror_servers(cpu=0.1):
            flavors = {}
            for server in real.servers():
                flavor = server['flavor']['original_name']
                flavors.setdefault(flavor, mirror.state.get_flavor(flavor))
                mirror.state.add_server(
                    server['name'], flavor,
                    host=server['OS-EXT-SRV-ATTR:host'], id=server['id'],
                    profile=workload.Profile('steady', cpu=cpu, ram=0.3))
            return mirror
        yield mirror_servers


def pytest_terminal_summary(terminalreporter):
    if 'start_seconds' in _state:
        terminalreporter.write_line(
            'real cloud started in %.1f s' % _state['start_seconds'])
    if _state.get('rss_mib'):
        terminalreporter.write_line(
            'real cloud resident memory at the end: %.0f MiB'
            % _state['rss_mib'])
