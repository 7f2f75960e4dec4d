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

"""One small adapter over the two clouds the real-cloud suite runs against.

``SimulatorBackend`` (``watcher.simulator``, scenario :data:`SCENARIO`) and
``RealBackend`` (:class:`~watcher.tests.realcloud.harness.RealCloud`) give
the tests the same handful of things:

* ``conn`` - an openstacksdk connection (admin), ``hosts`` - the three
  compute hosts ``compute1..3``;
* ``boot(name, host, flavor)`` - a server pinned to a host, ACTIVE;
* ``get(path, service='compute', microversion=...)`` - a raw JSON GET, the
  way the collectors read (:mod:`watcher.decision_engine.model.collector.api`);
* ``wait_server(id, ...)`` / ``wait_gone(id)`` - poll until a server is in
  a status with no task state (and on a host), or is deleted;
* ``provider(host)``, ``inventories(host)``, ``usages(host)`` - Placement;
* ``notifications`` - a :class:`Capture` of the Nova versioned
  notifications the cloud emitted since the session started;
* ``reset()`` - delete every server and enable every compute service, so
  that a test can start from an empty cloud.

:func:`shape` reduces a JSON document to its key sets and value types, so
that the responses of the two clouds can be compared.
"""
import threading
import time
import uuid

import openstack

SERVERS_MV = '2.96'
HYPERVISORS_MV = '2.87'      # the last one with vcpus/memory_mb/local_gb
HYPERVISORS_NEW_MV = '2.88'
SERVICES_MV = '2.96'
PLACEMENT_MV = '1.39'
HOSTS = ('compute1', 'compute2', 'compute3')
WAIT = 120.0                 # bounds a hung wait; never a timing assertion

#: The simulator scenario shaped like the real cloud of the harness: three
#: 16 vCPU / 32 GiB / 500 GB hosts, Nova 34's default allocation ratios and
#: reserved host memory, the harness's flavors.
SCENARIO = {
    'name': 'realcloud',
    'description': 'shaped like watcher/tests/realcloud/harness.py',
    'seed': 7,
    'settings': {'migration_duration': 0.3, 'resize_duration': 0.3,
                 'action_duration': 0.1},
    'flavors': [
        {'name': 'm1.small', 'vcpus': 1, 'ram': 2048, 'disk': 20},
        {'name': 'm1.medium', 'vcpus': 2, 'ram': 4096, 'disk': 40},
        {'name': 'm1.large', 'vcpus': 4, 'ram': 8192, 'disk': 80},
        {'name': 'm1.xlarge', 'vcpus': 8, 'ram': 16384, 'disk': 160},
    ],
    'defaults': {'host': {
        'vcpus': 16, 'memory_mb': 32768, 'disk_gb': 500,
        'cpu_allocation_ratio': 4.0, 'ram_allocation_ratio': 1.0,
        'disk_allocation_ratio': 1.0, 'reserved_vcpus': 0,
        'reserved_memory_mb': 512, 'reserved_disk_gb': 0,
        'availability_zone': 'nova'}},
    'hosts': [{'name': h} for h in HOSTS],
}


def shape(doc):
    """Key sets and value types of a JSON document, recursively.

    Lists become the list of the distinct shapes of their items (an empty
    list is ``[]``); scalars become their type name; ``None`` is
    ``'null'``.
    """
    if isinstance(doc, dict):
        return {k: shape(v) for k, v in doc.items()}
    if isinstance(doc, list):
        shapes = []
        for item in doc:
            s = shape(item)
            if s not in shapes:
                shapes.append(s)
        return shapes
    if doc is None:
        return 'null'
    if isinstance(doc, bool):
        return 'bool'
    if isinstance(doc, (int, float)):
        return 'number'
    return type(doc).__name__


def differences(left, right, path='', ignore=()):
    """The places where two shapes differ, as readable strings."""
    out = []
    if path in ignore:
        return out
    if isinstance(left, dict) and isinstance(right, dict):
        for key in sorted(set(left) | set(right)):
            sub = '%s.%s' % (path, key) if path else key
            if sub in ignore:
                continue
            if key not in right:
                out.append('%s: only in the first' % sub)
            elif key not in left:
                out.append('%s: only in the second' % sub)
            else:
                out.extend(differences(left[key], right[key], sub, ignore))
    elif isinstance(left, list) and isinstance(right, list):
        if left and right:
            # compare the first item shapes (lists of like items)
            out.extend(differences(left[0], right[0], path + '[]', ignore))
    elif left != right:
        out.append('%s: %r != %r' % (path, left, right))
    return out


class Capture:
    """Nova versioned notifications received by an oslo.messaging listener
    (exchange ``nova``, topic ``versioned_notifications``).
    """

    def __init__(self, transport, pool):
        import oslo_messaging
        self.messages = []
        self._cond = threading.Condition()
        capture = self

        class Endpoint:
            def info(self, ctxt, publisher_id, event_type, payload,
                     metadata):
                capture._add('INFO', publisher_id, event_type, payload)

            def error(self, ctxt, publisher_id, event_type, payload,
                      metadata):
                capture._add('ERROR', publisher_id, event_type, payload)

            warn = info

        self.listener = oslo_messaging.get_notification_listener(
            transport, [oslo_messaging.Target(
                exchange='nova', topic='versioned_notifications')],
            [Endpoint()], executor='threading', pool=pool)
        self.listener.start()

    def _add(self, priority, publisher_id, event_type, payload):
        with self._cond:
            self.messages.append({'priority': priority,
                                  'publisher_id': publisher_id,
                                  'event_type': event_type,
                                  'payload': payload})
            self._cond.notify_all()

    def mark(self):
        with self._cond:
            return len(self.messages)

    def since(self, mark=0):
        with self._cond:
            return list(self.messages[mark:])

    def wait_for(self, predicate, mark=0, timeout=60.0):
        """The first message since ``mark`` matching ``predicate``."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for message in self.messages[mark:]:
                    if predicate(message):
                        return message
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._cond.wait(left)

    def wait_event(self, event_type, instance=None, mark=0, timeout=60.0):
        def match(message):
            if message['event_type'] != event_type:
                return False
            data = (message['payload'] or {}).get('nova_object.data', {})
            return instance is None or data.get('uuid') == instance
        return self.wait_for(match, mark, timeout)

    def stop(self):
        self.listener.stop()
        self.listener.wait()


class Backend:
    name = None
    hosts = HOSTS
    image_id = '1f8a8c3b-6d55-4c64-9a43-0b5b1bd5f1a1'   # stubs.IMAGES

    def __init__(self, conn, notifications):
        self.conn = conn
        self.notifications = notifications
        self._flavors = {}
        self._providers = {}

    # -- raw reads --------------------------------------------------------
    def proxy(self, service):
        return getattr(self.conn, service)

    def request(self, method, path, service='compute', microversion=None,
                json=None, params=None, ok=(200, 201, 202, 204)):
        if microversion is None:
            microversion = {'compute': SERVERS_MV,
                            'placement': PLACEMENT_MV}.get(service)
        kwargs = {'params': params or {}, 'microversion': microversion}
        if json is not None:
            kwargs['json'] = json
        resp = self.proxy(service).request(path, method, **kwargs)
        if resp.status_code not in ok:
            raise AssertionError('%s %s %s: %s %s' % (
                self.name, method, path, resp.status_code, resp.text[:500]))
        return resp.json() if resp.content else {}

    def get(self, path, service='compute', microversion=None, params=None,
            ok=(200,)):
        return self.request('GET', path, service, microversion,
                            params=params, ok=ok)

    def server(self, server_id, microversion=SERVERS_MV):
        resp = self.conn.compute.get('/servers/%s' % server_id,
                                     microversion=microversion)
        if resp.status_code == 404:
            return None
        assert resp.status_code == 200, resp.text
        return resp.json()['server']

    # -- servers ----------------------------------------------------------
    def flavor_id(self, name):
        if name not in self._flavors:
            self._flavors[name] = self.conn.compute.find_flavor(
                name, ignore_missing=False).id
        return self._flavors[name]

    def boot(self, name, host, flavor='m1.small', wait=True):
        """Create a server pinned to ``host``; its id (ACTIVE if wait)."""
        body = self.request('POST', '/servers', json={'server': {
            'name': name, 'flavorRef': self.flavor_id(flavor),
            'imageRef': self.image_id, 'networks': 'none',
            'availability_zone': 'nova:%s' % host}},
            microversion='2.74')
        server_id = body['server']['id']
        if wait:
            self.wait_server(server_id, 'ACTIVE', host=host)
        return server_id

    def wait_server(self, server_id, status, host=None, timeout=WAIT,
                    microversion=SERVERS_MV):
        """Poll until the server has ``status``, no task state (and is on
        ``host``); return its JSON. ERROR fails at once.
        """
        deadline = time.monotonic() + timeout
        server = None
        while time.monotonic() < deadline:
            server = self.server(server_id, microversion)
            if server is not None:
                if server['status'] == status and not server.get(
                        'OS-EXT-STS:task_state') and (
                        host is None or
                        server.get('OS-EXT-SRV-ATTR:host') == host):
                    return server
                if server['status'] == 'ERROR' and status != 'ERROR':
                    raise AssertionError('%s: server %s in ERROR: %s' % (
                        self.name, server_id, server.get('fault')))
            time.sleep(0.2)
        raise AssertionError('%s: server %s not %s%s in %ss (last: %s)' % (
            self.name, server_id, status, ' on %s' % host if host else '',
            timeout, server and (server['status'],
                                 server.get('OS-EXT-STS:task_state'),
                                 server.get('OS-EXT-SRV-ATTR:host'))))

    def wait_gone(self, server_id, timeout=WAIT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.server(server_id) is None:
                return
            time.sleep(0.2)
        raise AssertionError('%s: server %s still there' % (self.name,
                                                            server_id))

    def servers(self):
        return self.get('/servers/detail',
                        params={'all_tenants': 1})['servers']

    def unique(self, prefix):
        return '%s-%s' % (prefix, uuid.uuid4().hex[:6])

    # -- placement --------------------------------------------------------
    def provider(self, host):
        if host not in self._providers:
            body = self.get('/resource_providers', 'placement',
                            params={'name': host})
            [rp] = body['resource_providers']
            self._providers[host] = rp['uuid']
        return self._providers[host]

    def inventories(self, host):
        return self.get('/resource_providers/%s/inventories'
                        % self.provider(host), 'placement')

    def usages(self, host):
        return self.get('/resource_providers/%s/usages' % self.provider(host),
                        'placement')['usages']

    def allocations(self, consumer):
        return self.get('/allocations/%s' % consumer, 'placement')

    # -- clean slate ------------------------------------------------------
    def services(self):
        return self.get('/os-services', microversion=SERVICES_MV,
                        params={'binary': 'nova-compute'})['services']

    def reset(self):
        """Delete every server, enable and un-force every compute service."""
        ids = [s['id'] for s in self.servers()]
        for server_id in ids:
            self.request('DELETE', '/servers/%s' % server_id,
                         ok=(202, 204, 404))
        for server_id in ids:
            self.wait_gone(server_id)
        for svc in self.services():
            if svc['status'] != 'enabled' or svc['forced_down']:
                self.request('PUT', '/os-services/%s' % svc['id'],
                             microversion='2.53',
                             json={'status': 'enabled',
                                   'forced_down': False})
        self.settle()

    def settle(self):
        """Let the cloud finish what it was doing (no-op by default)."""


class SimulatorBackend(Backend):
    name = 'simulator'

    def __init__(self, cloud, notifications):
        self.cloud = cloud
        conn = openstack.connect(**cloud.cloud_config())
        super().__init__(conn, notifications)

    def settle(self):
        self.cloud.wait_idle()


class RealBackend(Backend):
    name = 'real'

    def __init__(self, cloud_config, notifications, cloud=None):
        self.cloud = cloud
        super().__init__(openstack.connect(**cloud_config), notifications)

    def settle(self):
        """Wait until Placement has no provider marked disabled.

        Enabling a compute service removes the COMPUTE_STATUS_DISABLED trait
        of its resource provider asynchronously (nova-api casts to the
        compute); until then the scheduler's pre-filter skips the host and a
        boot pinned to it fails with "No valid host".
        """
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            providers = self.get('/resource_providers',
                                 'placement')['resource_providers']
            disabled = [
                p['name'] for p in providers
                if 'COMPUTE_STATUS_DISABLED' in self.get(
                    '/resource_providers/%s/traits' % p['uuid'],
                    'placement')['traits']]
            if not disabled:
                return
            time.sleep(0.5)
        raise AssertionError('compute providers still disabled in Placement: '
                             '%s' % ', '.join(disabled))
