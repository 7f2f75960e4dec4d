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

"""Nova's inventory APIs: hypervisors, compute services, flavors,
aggregates, availability zones, server groups and limits.

:class:`ComputeInventoryAPI` is a mixin of
:class:`~watcher.simulator.compute.ComputeService` (the routes, microversion
and paging live there; servers and migrations too).
"""

import json

from watcher.simulator import clock
from watcher.simulator import errors
from watcher.simulator import wsgi
from watcher.simulator.cloud import index as cloud_index


class ComputeInventoryAPI:
    """The inventory half of the compute API."""

    # -------------------------------------------------------- hypervisors
    def _find_hypervisor(self, ident):
        cloud = self.cloud
        host = cloud.hosts_by_uuid.get(ident)
        if host is None and ident.isdigit():
            seq = int(ident)
            pos = cloud.host_index.after(seq - 1)
            if pos < len(cloud.host_index.ids) and \
                    cloud.host_index.seqs[pos] == seq:
                host = cloud.hosts[cloud.host_index.ids[pos]]
        if host is None:
            raise errors.NotFound('Hypervisor with ID %s could not be found.'
                                  % ident)
        return host

    def _hypervisor_view(self, req, h, detail, with_servers=False):
        mv = self.mv(req)
        svc = h.service
        view = {
            'id': h.uuid if mv >= (2, 53) else h.seq,
            'hypervisor_hostname': h.name,
            'state': 'up' if svc.is_up else 'down',
            'status': svc.status,
        }
        if detail:
            view.update({
                'hypervisor_type': h.hypervisor_type,
                'hypervisor_version': h.hypervisor_version,
                'host_ip': h.host_ip,
                'service': {'id': svc.id if mv >= (2, 53) else svc.seq,
                            'host': h.name,
                            'disabled_reason': svc.disabled_reason},
            })
            if mv >= (2, 88):
                view['uptime'] = (' 08:32:11 up %d days, 18:25, 1 user,  '
                                  'load average: 0.20, 0.12, 0.14'
                                  % ((self.cloud.now() - h.booted_at)
                                     // 86400))
            else:
                used = h.usage
                cpu_info = {'arch': 'x86_64', 'model': 'Skylake-Server',
                            'vendor': 'Intel', 'features': ['avx2'],
                            'topology': {'cores': h.vcpus // 2,
                                         'threads': 2, 'sockets': 1}}
                view.update({
                    'vcpus': h.vcpus, 'memory_mb': h.memory_mb,
                    'local_gb': h.disk_gb, 'vcpus_used': used['VCPU'],
                    'memory_mb_used': used['MEMORY_MB']
                    + h.reserved_memory_mb,
                    'local_gb_used': used['DISK_GB'],
                    'free_ram_mb': h.memory_mb - used['MEMORY_MB']
                    - h.reserved_memory_mb,
                    'free_disk_gb': h.disk_gb - used['DISK_GB'],
                    'current_workload': 0,
                    'running_vms': len(h.servers),
                    'disk_available_least': h.disk_gb - used['DISK_GB'],
                    'cpu_info': cpu_info if mv >= (2, 28)
                    else json.dumps(cpu_info)})
        if with_servers:
            servers = sorted((self.cloud.servers[s] for s in h.servers),
                             key=lambda s: s.seq)
            if servers:
                view['servers'] = [{'name': s.instance_name, 'uuid': s.id}
                                   for s in servers]
        return view

    def _hypervisors(self, req, detail):
        cloud = self.cloud
        limit = self._limit(req)
        marker = req.GET.get('marker')
        pattern = req.GET.get('hypervisor_hostname_pattern')
        with_servers = wsgi.bool_param(req, 'with_servers')
        with cloud.lock:
            marker_seq = None
            if marker:
                try:
                    marker_seq = self._find_hypervisor(marker).seq
                except errors.NotFound:
                    raise errors.BadRequest('marker [%s] not found' % marker)
            predicate = None
            if pattern:
                predicate = lambda h: pattern in h.name  # noqa: E731
            items, more = cloud_index.paginate(
                cloud.host_index, cloud.hosts.get, marker_seq, limit,
                predicate)
            if pattern and not items and not marker:
                raise errors.NotFound('No hypervisor matching %r could be '
                                      'found.' % pattern)
            body = {'hypervisors': [
                self._hypervisor_view(req, h, detail, with_servers)
                for h in items]}
        if more and items and self.mv(req) >= (2, 33):
            marker_id = items[-1].uuid if self.mv(req) >= (2, 53) \
                else str(items[-1].seq)
            body['hypervisors_links'] = [{
                'rel': 'next', 'href': wsgi.next_href(req, marker_id,
                                                      limit)}]
        return wsgi.json_response(body)

    def list_hypervisors(self, req):
        return self._hypervisors(req, False)

    def list_hypervisors_detail(self, req):
        return self._hypervisors(req, True)

    def show_hypervisor(self, req, hyp_id):
        with self.cloud.lock:
            host = self._find_hypervisor(hyp_id)
            return wsgi.json_response({'hypervisor': self._hypervisor_view(
                req, host, True, wsgi.bool_param(req, 'with_servers'))})

    def statistics(self, req):
        with self.cloud.lock:
            hosts = list(self.cloud.hosts.values())
            stats = {
                'count': len(hosts),
                'vcpus': sum(h.vcpus for h in hosts),
                'memory_mb': sum(h.memory_mb for h in hosts),
                'local_gb': sum(h.disk_gb for h in hosts),
                'vcpus_used': sum(h.usage['VCPU'] for h in hosts),
                'memory_mb_used': sum(h.usage['MEMORY_MB'] for h in hosts),
                'local_gb_used': sum(h.usage['DISK_GB'] for h in hosts),
                'running_vms': sum(len(h.servers) for h in hosts),
            }
            stats['free_ram_mb'] = stats['memory_mb'] - \
                stats['memory_mb_used']
            stats['free_disk_gb'] = stats['local_gb'] - \
                stats['local_gb_used']
            stats['current_workload'] = 0
            stats['disk_available_least'] = stats['free_disk_gb']
            return wsgi.json_response({'hypervisor_statistics': stats})

    # ------------------------------------------------------------ services
    def _service_view(self, req, svc):
        mv = self.mv(req)
        view = {
            'binary': svc.binary, 'host': svc.host,
            'id': svc.id if mv >= (2, 53) else svc.seq,
            'zone': svc.zone, 'status': svc.status, 'state': svc.state
            if not svc.forced_down else 'down',
            'updated_at': clock.isoformat(svc.updated_at, micro=True),
            'disabled_reason': svc.disabled_reason,
        }
        if mv >= (2, 11):
            view['forced_down'] = svc.forced_down
        return view

    def list_services(self, req):
        binary = req.GET.get('binary')
        host = req.GET.get('host')
        cloud = self.cloud
        with cloud.lock:
            out = []
            for sid in cloud.service_index.ids:
                svc = cloud.services[sid]
                if binary and svc.binary != binary:
                    continue
                if host and svc.host != host:
                    continue
                out.append(self._service_view(req, svc))
            return wsgi.json_response({'services': out})

    def update_service(self, req, service_id):
        if self.mv(req) < (2, 53):
            raise errors.NotFound('Unknown action')
        body = wsgi.read_json(req)
        if not isinstance(body, dict) or not body:
            raise errors.BadRequest('No updates were requested.')
        unknown = set(body) - {'status', 'disabled_reason', 'forced_down'}
        if unknown:
            raise errors.BadRequest(
                'Additional properties are not allowed (%s were unexpected)'
                % ', '.join(sorted(unknown)))
        with self.cloud.lock:
            self._service_by_id(service_id)
            svc = self.cloud.update_service(
                service_id, status=body.get('status'),
                disabled_reason=body.get('disabled_reason'),
                forced_down=body.get('forced_down'))
            return wsgi.json_response(
                {'service': self._service_view(req, svc)})

    def _service_by_id(self, ident):
        cloud = self.cloud
        svc = cloud.services.get(ident)
        if svc is None:
            raise errors.NotFound('Service %s could not be found.' % ident)
        return svc

    def _legacy(self, req, **changes):
        body = wsgi.read_json(req)
        host = body.get('host')
        binary = body.get('binary', 'nova-compute')
        if not host:
            raise errors.BadRequest("'host' is a required property")
        if 'disabled_reason' in body:
            changes['disabled_reason'] = body['disabled_reason']
        if 'forced_down' in changes:
            changes['forced_down'] = bool(body.get('forced_down', False))
        svc = self.cloud.set_service_by_host(host, binary, **changes)
        view = {'host': svc.host, 'binary': svc.binary,
                'status': svc.status}
        if svc.disabled_reason:
            view['disabled_reason'] = svc.disabled_reason
        if 'forced_down' in changes:
            view = {'host': svc.host, 'binary': svc.binary,
                    'forced_down': svc.forced_down}
        return wsgi.json_response({'service': view})

    def legacy_disable(self, req):
        return self._legacy(req, status='disabled')

    def legacy_enable(self, req):
        return self._legacy(req, status='enabled')

    def legacy_force_down(self, req):
        return self._legacy(req, forced_down=True)

    # ------------------------------------------------------------- flavors
    def _flavor_full(self, req, f, detail=True):
        view = {'id': f.id, 'name': f.name, 'links': [
            {'rel': 'self', 'href': self.url(req, '/v2.1/flavors/%s' % f.id)},
            {'rel': 'bookmark', 'href': self.url(req, '/flavors/%s' % f.id)}]}
        if self.mv(req) >= (2, 55):
            view['description'] = f.description
        if not detail:
            return view
        view.update({'ram': f.ram, 'disk': f.disk, 'swap': f.swap or '',
                     'OS-FLV-EXT-DATA:ephemeral': f.ephemeral,
                     'OS-FLV-DISABLED:disabled': False, 'vcpus': f.vcpus,
                     'os-flavor-access:is_public': f.is_public,
                     'rxtx_factor': f.rxtx_factor})
        if self.mv(req) >= (2, 75):
            view['swap'] = f.swap
        if self.mv(req) >= (2, 61):
            view['extra_specs'] = dict(f.extra_specs)
        return view

    def list_flavors(self, req):
        with self.cloud.lock:
            return wsgi.json_response({'flavors': [
                self._flavor_full(req, f, False)
                for f in self.cloud.flavors.values()]})

    def list_flavors_detail(self, req):
        with self.cloud.lock:
            return wsgi.json_response({'flavors': [
                self._flavor_full(req, f)
                for f in self.cloud.flavors.values()]})

    def show_flavor(self, req, flavor_id):
        flavor = self.cloud.flavors.get(flavor_id)
        if flavor is None:
            raise errors.NotFound('Flavor %s could not be found.' % flavor_id)
        return wsgi.json_response({'flavor': self._flavor_full(req, flavor)})

    def flavor_extra_specs(self, req, flavor_id):
        flavor = self.cloud.flavors.get(flavor_id)
        if flavor is None:
            raise errors.NotFound('Flavor %s could not be found.' % flavor_id)
        return wsgi.json_response({'extra_specs': dict(flavor.extra_specs)})

    # -------------------------------------------------- aggregates and AZs
    def _aggregate_view(self, req, a):
        view = {'id': a.id, 'name': a.name,
                'availability_zone': a.availability_zone,
                'hosts': list(a.hosts), 'metadata': dict(a.metadata),
                'created_at': clock.isoformat(a.created_at, micro=True),
                'updated_at': None, 'deleted': False, 'deleted_at': None}
        if self.mv(req) >= (2, 41):
            view['uuid'] = a.uuid
        return view

    def list_aggregates(self, req):
        with self.cloud.lock:
            return wsgi.json_response({'aggregates': [
                self._aggregate_view(req, a)
                for a in self.cloud.aggregates.values()]})

    def show_aggregate(self, req, agg_id):
        with self.cloud.lock:
            for a in self.cloud.aggregates.values():
                if str(a.id) == agg_id or a.uuid == agg_id:
                    return wsgi.json_response(
                        {'aggregate': self._aggregate_view(req, a)})
        raise errors.NotFound('Aggregate %s could not be found.' % agg_id)

    def _zones(self):
        zones = {}
        for name in self.cloud.host_index.ids:
            h = self.cloud.hosts[name]
            zones.setdefault(h.availability_zone, []).append(h)
        return zones

    def list_azs(self, req):
        with self.cloud.lock:
            return wsgi.json_response({'availabilityZoneInfo': [
                {'zoneName': z, 'zoneState': {'available': any(
                    h.service.is_up for h in hosts)}, 'hosts': None}
                for z, hosts in self._zones().items()]})

    def list_azs_detail(self, req):
        cloud = self.cloud
        with cloud.lock:
            internal = {}
            for sid in cloud.service_index.ids:
                svc = cloud.services[sid]
                if svc.binary == 'nova-compute':
                    continue
                internal.setdefault(svc.host, {})[svc.binary] = {
                    'available': svc.is_up,
                    'active': svc.status == 'enabled',
                    'updated_at': clock.isoformat(svc.updated_at, micro=True)}
            out = [{'zoneName': 'internal',
                    'zoneState': {'available': True}, 'hosts': internal}]
            for zone, hosts in self._zones().items():
                out.append({
                    'zoneName': zone,
                    'zoneState': {'available': any(h.service.is_up
                                                   for h in hosts)},
                    'hosts': {h.name: {'nova-compute': {
                        'available': h.service.is_up,
                        'active': h.service.status == 'enabled',
                        'updated_at': clock.isoformat(
                            h.service.updated_at, micro=True)}}
                        for h in hosts}})
            return wsgi.json_response({'availabilityZoneInfo': out})

    # ------------------------------------------------------- server groups
    def _group_view(self, req, g):
        view = {'id': g.id, 'name': g.name,
                'members': [m for m in g.members if m in self.cloud.servers]}
        if self.mv(req) >= (2, 64):
            view.update({'policy': g.policy, 'rules': dict(g.rules)})
        else:
            view.update({'policies': [g.policy], 'metadata': {}})
        if self.mv(req) >= (2, 13):
            view.update({'project_id': g.project_id, 'user_id': g.user_id})
        return view

    def list_server_groups(self, req):
        with self.cloud.lock:
            return wsgi.json_response({'server_groups': [
                self._group_view(req, g)
                for g in self.cloud.server_groups.values()]})

    def show_server_group(self, req, group_id):
        with self.cloud.lock:
            group = self.cloud.server_groups.get(group_id)
            if group is None:
                raise errors.NotFound('Instance group %s could not be found.'
                                      % group_id)
            return wsgi.json_response(
                {'server_group': self._group_view(req, group)})

    def limits(self, req):
        return wsgi.json_response({'limits': {'rate': [], 'absolute': {
            'maxTotalCores': -1, 'maxTotalInstances': -1,
            'maxTotalRAMSize': -1, 'maxServerMeta': 128,
            'maxServerGroups': -1, 'maxServerGroupMembers': -1,
            'totalCoresUsed': 0, 'totalInstancesUsed': 0,
            'totalRAMUsed': 0, 'totalServerGroupsUsed': 0}}})
