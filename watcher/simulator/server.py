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

"""The simulator's WSGI application and its threaded HTTP server.

One port serves every simulated API::

    /identity        Keystone v3 (auth_url = <base>/identity/v3)
    /compute         Nova v2.1
    /placement       Placement
    /volume          Cinder v3
    /baremetal       Ironic v1
    /prometheus      Prometheus-compatible query API (metric-storage)
    /metrics         Prometheus exposition of the workload model
    /simulator/v1    control / introspection API and bulk metrics
"""

import logging
import socketserver
import threading
from wsgiref import simple_server

import webob

from watcher.simulator import baremetal
from watcher.simulator import block_storage
from watcher.simulator import compute
from watcher.simulator import control
from watcher.simulator import exposition
from watcher.simulator import identity
from watcher.simulator import notifications
from watcher.simulator import placement
from watcher.simulator import prometheus
from watcher.simulator import scenario as scenario_mod
from watcher.simulator import wsgi

LOG = logging.getLogger(__name__)


class SimulatorApp:
    """WSGI application routing to the simulated services by prefix."""

    def __init__(self, cloud):
        self.cloud = cloud
        self.identity = identity.IdentityService(cloud)
        self.services = [
            self.identity,
            compute.ComputeService(cloud),
            placement.PlacementService(cloud),
            block_storage.BlockStorageService(cloud),
            baremetal.BaremetalService(cloud),
            prometheus.PrometheusService(cloud),
            control.ControlService(cloud),
        ]

    def __call__(self, environ, start_response):
        req = webob.Request(environ)
        path = req.path_info
        if path.rstrip('/') == '/metrics':
            status, text = exposition.render(
                self.cloud, req.GET.get('host'), req.GET.get('group'))
            resp = wsgi.text_response(text)
            resp.status = status
            resp.headers['Content-Type'] = exposition.CONTENT_TYPE
        elif path in ('', '/'):
            resp = wsgi.json_response({
                'name': 'watcher simulated cloud',
                'scenario': self.cloud.name,
                'auth_url': req.host_url + '/identity/v3',
                'services': [s.prefix for s in self.services]
                + ['/metrics']})
        else:
            resp = None
            for svc in self.services:
                prefix = svc.prefix
                if path == prefix or path.startswith(prefix + '/'):
                    sub = path[len(prefix):]
                    resp = svc(req, sub.rstrip('/') if sub != '/' else '')
                    break
            if resp is None:
                resp = wsgi.json_response(
                    {'error': 'not found: %s' % path}, status=404)
        return resp(environ, start_response)


class _Handler(simple_server.WSGIRequestHandler):
    def log_message(self, fmt, *args):
        LOG.debug('%s - %s', self.client_address[0], fmt % args)

    def address_string(self):
        return self.client_address[0]


class _Server(socketserver.ThreadingMixIn, simple_server.WSGIServer):
    daemon_threads = True
    request_queue_size = 128
    allow_reuse_address = True

    def server_bind(self):
        # Skip WSGIServer/HTTPServer's reverse DNS lookup of the address.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = host
        self.server_port = port
        self.setup_environ()


class SimulatorServer:
    """A simulated cloud served over HTTP from a background thread.

    ``scenario``: anything :func:`watcher.simulator.scenario.load` accepts
    (path, bundled name, YAML text, dict; ``None`` = the demo), or pass an
    already built ``cloud``.  ``transport`` (an ``oslo_messaging.Transport``)
    or ``transport_url`` turn notifications on.
    """

    def __init__(self, scenario=None, host='127.0.0.1', port=0,
                 transport=None, transport_url=None, cloud=None):
        if cloud is None:
            notifier = notifications.Notifications(
                transport=transport, transport_url=transport_url)
            cloud = scenario_mod.build(scenario, notifier=notifier)
        self.cloud = cloud
        self.host = host
        self.requested_port = port
        self.app = SimulatorApp(cloud)
        self._httpd = None
        self._thread = None

    @property
    def port(self):
        return self._httpd.server_address[1] if self._httpd else None

    @property
    def url(self):
        host = self.host
        if ':' in host:
            host = '[%s]' % host
        return 'http://%s:%d' % (host, self.port)

    @property
    def auth_url(self):
        return self.url + '/identity/v3'

    def start(self):
        if self._httpd is not None:
            return self
        _Server.address_family = (socketserver.socket.AF_INET6
                                  if ':' in self.host
                                  else socketserver.socket.AF_INET)
        self._httpd = simple_server.make_server(
            self.host, self.requested_port, self.app, server_class=_Server,
            handler_class=_Handler)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={'poll_interval': 0.1},
            name='simulator-http', daemon=True)
        self._thread.start()
        return self

    def serve_forever(self):
        """Serve in the calling thread (for the CLI)."""
        if self._httpd is None:
            self._httpd = simple_server.make_server(
                self.host, self.requested_port, self.app,
                server_class=_Server, handler_class=_Handler)
        try:
            self._httpd.serve_forever(poll_interval=0.5)
        finally:
            self.stop()

    def stop(self):
        httpd, self._httpd = self._httpd, None
        if httpd is not None:
            if self._thread is not None:
                httpd.shutdown()
                self._thread.join(timeout=5)
                self._thread = None
            httpd.server_close()
        self.cloud.stop_background()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
