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

"""Cinder (block storage API v3, microversions 3.0 - 3.71) subset, mounted
at ``/volume``; the catalog endpoint is ``/volume/v3/<project_id>``."""

import uuid as uuidlib

from watcher.simulator import clock
from watcher.simulator import errors
from watcher.simulator import service
from watcher.simulator.cloud import index as cloud_index
from watcher.simulator import wsgi

MICROVERSIONS = wsgi.Microversions('volume', '3.0', '3.71')
MAX_LIMIT = 1000
CINDER_ERRORS = {400: 'badRequest', 404: 'itemNotFound', 405: 'badMethod',
                 406: 'notAcceptable', 409: 'conflictingRequest',
                 500: 'computeFault'}


def _iso(t):
    return clock.isoformat(t, micro=True)


class BlockStorageService(service.Service):
    prefix = '/volume'
    microversions = MICROVERSIONS

    def routes(self):
        r = self.router
        r.add('GET', '', self.versions)
        r.add('GET', '/v3', self.versions_v3)
        p = '/v3/{project_id}'
        r.add('GET', p, self.versions_v3)
        r.add('GET', p + '/volumes', self.list_volumes)
        r.add('GET', p + '/volumes/detail', self.list_volumes_detail)
        r.add('GET', p + '/volumes/{volume_id}', self.show_volume)
        r.add('POST', p + '/volumes/{volume_id}/action', self.action)
        r.add('GET', p + '/types', self.list_types)
        r.add('GET', p + '/types/{type_id}', self.show_type)
        r.add('GET', p + '/types/{type_id}/extra_specs', self.type_specs)
        r.add('GET', p + '/scheduler-stats/get_pools', self.pools)
        r.add('GET', p + '/os-services', self.services)
        r.add('GET', p + '/os-availability-zone', self.zones)

    def error_body(self, exc):
        key = CINDER_ERRORS.get(exc.code, 'computeFault')
        return {key: {'code': exc.code, 'message': exc.message}}

    def mv(self, req):
        return req.environ.get('simulator.version', (3, 0))

    # ------------------------------------------------------------ discovery
    def _v3(self, req):
        return {'id': 'v3.0', 'status': 'CURRENT', 'version': '3.71',
                'min_version': '3.0', 'updated': '2023-08-31T00:00:00Z',
                'links': [{'rel': 'self', 'href': self.url(req, '/v3/')}],
                'media-types': [{
                    'base': 'application/json',
                    'type': 'application/vnd.openstack.volume+json;version=3'
                }]}

    def versions(self, req):
        return wsgi.json_response({'versions': [self._v3(req)]}, status=300)

    def versions_v3(self, req, project_id=None):
        return wsgi.json_response({'versions': [self._v3(req)]})

    # -------------------------------------------------------------- volumes
    def _volume_view(self, req, v, detail=True):
        links = [{'rel': 'self', 'href': self.url(
            req, '/v3/%s/volumes/%s' % (v.project_id, v.id))},
            {'rel': 'bookmark', 'href': self.url(
                req, '/volumes/%s' % v.id)}]
        if not detail:
            return {'id': v.id, 'name': v.name, 'links': links}
        mv = self.mv(req)
        view = {
            'id': v.id, 'name': v.name, 'status': v.status, 'size': v.size,
            'availability_zone': v.availability_zone,
            'created_at': _iso(v.created_at),
            'updated_at': _iso(v.updated_at),
            'attachments': [dict(a) for a in v.attachments],
            'bootable': 'true' if v.bootable else 'false',
            'encrypted': False, 'description': v.description,
            'volume_type': v.volume_type.name, 'snapshot_id': None,
            'source_volid': None, 'metadata': dict(v.metadata),
            'links': links, 'user_id': v.user_id,
            'os-vol-host-attr:host': v.pool,
            'os-vol-tenant-attr:tenant_id': v.project_id,
            'os-vol-mig-status-attr:migstat': v.migration_status,
            'os-vol-mig-status-attr:name_id': None,
            'replication_status': None, 'consistencygroup_id': None,
            'multiattach': False,
            # shown to admins, which every simulated token is
            'migration_status': v.migration_status,
        }
        if mv >= (3, 13):
            view['group_id'] = None
        if mv >= (3, 21):
            view['provider_id'] = None
        if mv >= (3, 48):
            # the cinder-volume service of its backend
            view['service_uuid'] = None if not v.pool else str(
                uuidlib.uuid5(uuidlib.NAMESPACE_URL,
                              'cinder-volume:' + v.pool.split('#')[0]))
            view['shared_targets'] = False
        if mv >= (3, 61):
            view['cluster_name'] = None
        if mv >= (3, 63):
            view['volume_type_id'] = v.volume_type.id
        if mv >= (3, 65):
            view['consumes_quota'] = True
        return view

    def _volumes(self, req, detail):
        cloud = self.cloud
        limit = min(wsgi.int_param(req, 'limit', MAX_LIMIT), MAX_LIMIT)
        marker = req.GET.get('marker')
        checks = []
        if not wsgi.bool_param(req, 'all_tenants'):
            project = cloud.settings['project_id']
            checks.append(lambda v: v.project_id == project)
        elif req.GET.get('project_id'):
            project = req.GET['project_id']
            checks.append(lambda v: v.project_id == project)
        for param in ('status', 'name', 'availability_zone'):
            value = req.GET.get(param)
            if value:
                checks.append(lambda v, p=param, x=value: getattr(v, p) == x)
        host = req.GET.get('host')
        if host:
            checks.append(lambda v: v.pool == host or
                          v.pool.split('#')[0] == host)
        with cloud.lock:
            marker_seq = cloud_index.marker_seq(
                cloud.volumes, marker, errors.NotFound,
                'Marker %s could not be found.')
            items, more = cloud_index.paginate(
                cloud.volume_index, cloud.volumes.get, marker_seq, limit,
                (lambda v: all(c(v) for c in checks)) if checks else None)
            body = {'volumes': [self._volume_view(req, v, detail)
                                for v in items]}
        if more and items:
            body['volumes_links'] = [{
                'rel': 'next', 'href': wsgi.next_href(req, items[-1].id,
                                                      limit)}]
        return wsgi.json_response(body)

    def list_volumes(self, req, project_id):
        return self._volumes(req, False)

    def list_volumes_detail(self, req, project_id):
        return self._volumes(req, True)

    def show_volume(self, req, project_id, volume_id):
        with self.cloud.lock:
            return wsgi.json_response({'volume': self._volume_view(
                req, self.cloud.get_volume(volume_id))})

    def action(self, req, project_id, volume_id):
        body = wsgi.read_json(req)
        if not isinstance(body, dict) or len(body) != 1:
            raise errors.BadRequest('Invalid volume action body')
        name, args = next(iter(body.items()))
        args = args if isinstance(args, dict) else {}
        if name == 'os-migrate_volume':
            host = args.get('host')
            if not host:
                raise errors.BadRequest("'host' is a required property")
            self.cloud.migrate_volume(volume_id, host,
                                      args.get('force_host_copy', False),
                                      args.get('lock_volume', False))
            return wsgi.json_response(None, status=202)
        if name == 'os-retype':
            new_type = args.get('new_type')
            if not new_type:
                raise errors.BadRequest("'new_type' is a required property")
            self.cloud.retype_volume(volume_id, new_type,
                                     args.get('migration_policy', 'never'))
            return wsgi.json_response(None, status=202)
        raise errors.BadRequest('There is no such action: %s' % name)

    # ---------------------------------------------------------------- types
    def _type_view(self, t):
        return {'id': t.id, 'name': t.name, 'description': t.description,
                'is_public': t.is_public, 'extra_specs': dict(t.extra_specs),
                'os-volume-type-access:is_public': t.is_public,
                'qos_specs_id': None}

    def list_types(self, req, project_id):
        with self.cloud.lock:
            return wsgi.json_response({'volume_types': [
                self._type_view(t) for t in self.cloud.volume_types.values()]})

    def show_type(self, req, project_id, type_id):
        with self.cloud.lock:
            return wsgi.json_response({'volume_type': self._type_view(
                self.cloud.get_volume_type(type_id))})

    def type_specs(self, req, project_id, type_id):
        with self.cloud.lock:
            return wsgi.json_response({'extra_specs': dict(
                self.cloud.get_volume_type(type_id).extra_specs)})

    # ------------------------------------------------------- pools/services
    def pools(self, req, project_id):
        detail = wsgi.bool_param(req, 'detail')
        name = req.GET.get('name')
        backend = req.GET.get('volume_type')
        cloud = self.cloud
        with cloud.lock:
            out = []
            for p in cloud.pools.values():
                if name and p.name != name:
                    continue
                if backend:
                    try:
                        vt = cloud.get_volume_type(backend)
                    except errors.NotFound:
                        continue
                    if vt.backend != p.backend:
                        continue
                entry = {'name': p.name}
                if detail:
                    entry['capabilities'] = {
                        'pool_name': p.pool_name,
                        'total_capacity_gb': p.total_capacity_gb,
                        'free_capacity_gb': p.free_capacity_gb,
                        'allocated_capacity_gb': p.allocated_capacity_gb,
                        'provisioned_capacity_gb': p.allocated_capacity_gb,
                        'max_over_subscription_ratio':
                            p.max_over_subscription_ratio,
                        'reserved_percentage': p.reserved_percentage,
                        'thin_provisioning_support': p.thin_provisioning,
                        'thick_provisioning_support': not p.thin_provisioning,
                        'multiattach': True,
                        'volume_backend_name': p.backend,
                        'storage_protocol': p.storage_protocol,
                        'vendor_name': p.vendor_name,
                        'driver_version': '3.0.0',
                        'QoS_support': False,
                        'backend_state': 'up',
                        'location_info': 'simulated:%s' % p.name,
                        'timestamp': _iso(cloud.now()),
                        # the volume manager adds them whatever the driver
                        'filter_function': None,
                        'goodness_function': None,
                    }
                out.append(entry)
            return wsgi.json_response({'pools': out})

    def services(self, req, project_id):
        cloud = self.cloud
        binary = req.GET.get('binary')
        host = req.GET.get('host')
        now = _iso(cloud.now())
        with cloud.lock:
            entries = [('cinder-scheduler', cloud.controller)]
            for h in sorted({p.host for p in cloud.pools.values()}):
                entries.append(('cinder-volume', h))
            out = []
            for b, h in entries:
                if (binary and b != binary) or (host and h != host):
                    continue
                svc = {'binary': b, 'host': h, 'zone': 'nova',
                       'status': 'enabled', 'state': 'up',
                       'updated_at': now, 'disabled_reason': None}
                if self.mv(req) >= (3, 7):
                    svc['cluster'] = None
                if b == 'cinder-volume':
                    svc.update({'replication_status': 'disabled',
                                'active_backend_id': None, 'frozen': False})
                    if self.mv(req) >= (3, 49):
                        svc['backend_state'] = 'up'
                out.append(svc)
            return wsgi.json_response({'services': out})

    def zones(self, req, project_id):
        return wsgi.json_response({'availabilityZoneInfo': [
            {'zoneName': 'nova', 'zoneState': {'available': True}}]})
