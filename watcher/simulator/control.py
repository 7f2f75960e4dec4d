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

"""Control and introspection API of the simulator, under ``/simulator/v1``.

Not an OpenStack API: it is for tests, demos and the operator question
"what would this audit do to my cloud?".  JSON in, JSON out, no auth.

=======  ==============================  =====================================
method   path                            what
=======  ==============================  =====================================
GET      /simulator/v1                   index of this API
GET      /simulator/v1/scenario          name, description, seed, settings
GET      /simulator/v1/state             placement of everything (hosts with
                                         capacity/usage/servers, servers,
                                         migrations, volumes, pools, nodes,
                                         faults)
GET      /simulator/v1/hosts[/NAME]      hosts part of the state
PATCH    /simulator/v1/hosts/NAME        ``{"state": "up|down", "status":
                                         "enabled|disabled",
                                         "disabled_reason": ..,
                                         "forced_down": bool}``; emits
                                         service.update
GET      /simulator/v1/servers[?host=H]  servers part of the state
PATCH    /simulator/v1/servers/ID        ``{"workload": {"profile": ..,
                                         "cpu": 0.5, "ram": 0.4}}``
GET      /simulator/v1/faults            injected faults
POST     /simulator/v1/faults            ``{"target": "<server id or name,
                                         host, volume, node or *>",
                                         "operation": "live_migration|
                                         cold_migration|resize|stop|start|
                                         shelve|unshelve|delete|create|
                                         volume_migrate|volume_retype|power|
                                         any", "count": 1 (null = always),
                                         "message": ".."}`` -> 201
DELETE   /simulator/v1/faults[/ID]       remove one or all faults
GET      /simulator/v1/time              ``{"time": epoch, "iso": .., "speed":
                                         ..}``
POST     /simulator/v1/time              ``{"advance": seconds}`` and/or
                                         ``{"speed": factor}``
POST     /simulator/v1/wait              wait until no operation is in
                                         flight: ``{"timeout": 10}`` ->
                                         ``{"idle": true}``
GET      /simulator/v1/notifications     emitted notifications (newest last);
                                         ``?event_type=&limit=``
GET      /simulator/v1/metrics           bulk metrics (see metrics_api)
=======  ==============================  =====================================
"""

from watcher.simulator import errors
from watcher.simulator import metrics_api
from watcher.simulator import service
from watcher.simulator import workload
from watcher.simulator import wsgi


class ControlService(service.Service):
    prefix = '/simulator/v1'

    def routes(self):
        r = self.router
        r.add('GET', '', self.index)
        r.add('GET', '/scenario', self.scenario)
        r.add('GET', '/state', self.state)
        r.add('GET', '/hosts', self.hosts)
        r.add('GET', '/hosts/{name}', self.host)
        r.add('PATCH', '/hosts/{name}', self.patch_host)
        r.add('GET', '/servers', self.servers)
        r.add('GET', '/servers/{ident}', self.server)
        r.add('PATCH', '/servers/{ident}', self.patch_server)
        r.add('GET', '/faults', self.faults)
        r.add('POST', '/faults', self.add_fault)
        r.add('DELETE', '/faults', self.clear_faults)
        r.add('DELETE', '/faults/{fault_id}', self.delete_fault)
        r.add('GET', '/time', self.time)
        r.add('POST', '/time', self.set_time)
        r.add('POST', '/wait', self.wait)
        r.add('GET', '/notifications', self.notifications)
        r.add('GET', '/metrics', self.metrics)

    def error_body(self, exc):
        return {'error': exc.message}

    def index(self, req):
        return wsgi.json_response({'links': [
            {'rel': name, 'href': self.url(req, '/' + name)}
            for name in ('scenario', 'state', 'hosts', 'servers', 'faults',
                         'time', 'wait', 'notifications', 'metrics')]})

    def scenario(self, req):
        cloud = self.cloud
        return wsgi.json_response({
            'name': cloud.name, 'seed': cloud.seed,
            'description': getattr(cloud, 'description', None),
            'settings': dict(cloud.settings),
            'hosts': len(cloud.hosts), 'servers': len(cloud.servers)})

    def state(self, req):
        return wsgi.json_response(self.cloud.snapshot())

    def hosts(self, req):
        return wsgi.json_response({'hosts': self.cloud.snapshot()['hosts']})

    def host(self, req, name):
        for h in self.cloud.snapshot()['hosts']:
            if name in (h['name'], h['uuid'], h['fqdn']):
                return wsgi.json_response({'host': h})
        raise errors.NotFound('no host %s' % name)

    def patch_host(self, req, name):
        body = wsgi.read_json(req)
        cloud = self.cloud
        with cloud.lock:
            host = cloud.get_host(name)
            if 'state' in body:
                if body['state'] not in ('up', 'down'):
                    raise errors.BadRequest('state must be up or down')
                cloud._checkpoint_host(host)
                host.service.state = body['state']
            kwargs = {k: body[k] for k in ('status', 'disabled_reason',
                                           'forced_down') if k in body}
            cloud.update_service(host.service.id, **kwargs)
        return self.host(req, name)

    def servers(self, req):
        servers = self.cloud.snapshot()['servers']
        host = req.GET.get('host')
        if host:
            servers = [s for s in servers if s['host'] == host]
        return wsgi.json_response({'servers': servers})

    def server(self, req, ident):
        with self.cloud.lock:
            server = self.cloud.get_server(ident)
            sid = server.id
        for s in self.cloud.snapshot()['servers']:
            if s['id'] == sid:
                return wsgi.json_response({'server': s})
        raise errors.NotFound('no server %s' % ident)

    def patch_server(self, req, ident):
        body = wsgi.read_json(req)
        cloud = self.cloud
        spec = body.get('workload')
        if not isinstance(spec, dict):
            raise errors.BadRequest('expected {"workload": {...}}')
        with cloud.lock:
            server = cloud.get_server(ident)
            old = server.profile
            try:
                profile = workload.Profile(
                    spec.get('profile', old.kind),
                    float(spec.get('cpu', old.cpu)),
                    float(spec.get('ram', old.ram)),
                    float(spec.get('disk_iops', old.disk_iops)),
                    seed=server.seq)
            except (TypeError, ValueError) as exc:
                raise errors.BadRequest(str(exc))
            if server.host:
                cloud._checkpoint_host(cloud.hosts[server.host])
            # Keep ceilometer_cpu monotonic across the profile change.
            running = server.cpu_since is not None
            cloud._server_cpu_stop(server)
            server.profile = profile
            if running:
                cloud._server_cpu_start(server)
        return self.server(req, ident)

    def faults(self, req):
        with self.cloud.lock:
            return wsgi.json_response({'faults': [
                f.as_dict() for f in self.cloud.faults.values()]})

    def add_fault(self, req):
        body = wsgi.read_json(req)
        if not isinstance(body, dict):
            raise errors.BadRequest('expected a JSON object')
        fault = self.cloud.add_fault(
            body.get('target', '*'), body.get('operation', 'any'),
            body.get('count', 1), body.get('message', 'Simulated failure'))
        return wsgi.json_response({'fault': fault.as_dict()}, status=201)

    def clear_faults(self, req):
        self.cloud.clear_faults()
        return wsgi.json_response(None, status=204)

    def delete_fault(self, req, fault_id):
        with self.cloud.lock:
            try:
                del self.cloud.faults[int(fault_id)]
            except (KeyError, ValueError):
                raise errors.NotFound('no fault %s' % fault_id)
        return wsgi.json_response(None, status=204)

    def _time(self):
        clock = self.cloud.clock
        return {'time': clock.now(), 'iso': clock.iso(),
                'speed': clock.speed}

    def time(self, req):
        return wsgi.json_response(self._time())

    def set_time(self, req):
        body = wsgi.read_json(req)
        try:
            if 'speed' in body:
                self.cloud.clock.set_speed(float(body['speed']))
            if 'advance' in body:
                # Bring host counters up to date before time jumps.
                with self.cloud.lock:
                    for host in self.cloud.hosts.values():
                        self.cloud._checkpoint_host(host)
                self.cloud.clock.advance(float(body['advance']))
        except (TypeError, ValueError) as exc:
            raise errors.BadRequest(str(exc))
        return wsgi.json_response(self._time())

    def wait(self, req):
        body = wsgi.read_json(req, required=False) or {}
        idle = self.cloud.wait_idle(float(body.get('timeout', 10)))
        return wsgi.json_response({'idle': idle})

    def notifications(self, req):
        event_type = req.GET.get('event_type')
        limit = wsgi.int_param(req, 'limit', 200, minimum=1)
        items = list(self.cloud.notifier.history)
        if event_type:
            items = [m for m in items if m['event_type'] == event_type]
        return wsgi.json_response({'notifications': items[-limit:]})

    def metrics(self, req):
        name = req.GET.get('name')
        if not name:
            return wsgi.json_response({'metrics': metrics_api.catalogue()})
        resources = req.GET.get('resources')
        end = req.GET.get('time')
        try:
            end = float(end) if end else None
        except ValueError:
            raise errors.BadRequest('time must be epoch seconds')
        return wsgi.json_response(metrics_api.query(
            self.cloud, name, req.GET.get('resource_type'),
            req.GET.get('period', 300), req.GET.get('aggregate', 'mean'),
            req.GET.get('granularity', 300),
            resources.split(',') if resources else None, end))
