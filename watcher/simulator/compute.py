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

"""Nova (compute API v2.1, microversions 2.1 - 2.96) subset.

Mounted at ``/compute``; the catalog endpoint is ``/compute/v2.1``.
Microversion from ``OpenStack-API-Version: compute X.Y`` or
``X-OpenStack-Nova-API-Version``; both are echoed in the response.
Servers, their actions and migrations are here; hypervisors, services,
flavors, aggregates, zones and server groups in :mod:`.compute_inventory`.
"""

import re

from watcher.simulator import clock
from watcher.simulator import compute_inventory
from watcher.simulator import errors
from watcher.simulator import service
from watcher.simulator.cloud import index as cloud_index
from watcher.simulator import wsgi

MAX_LIMIT = 1000
MICROVERSIONS = wsgi.Microversions('compute', '2.1', '2.96',
                                   legacy='X-OpenStack-Nova-API-Version')

# Nova shows a server's progress only in these statuses
PROGRESS_STATUSES = ('ACTIVE', 'BUILD', 'REBUILD', 'RESIZE', 'VERIFY_RESIZE',
                     'MIGRATING')
# and a migration's links only while a live migration is in progress
LIVE_IN_PROGRESS = ('queued', 'preparing', 'running', 'post-migrating')

NOVA_ERRORS = {400: 'badRequest', 403: 'forbidden', 404: 'itemNotFound',
               405: 'badMethod', 406: 'notAcceptable',
               409: 'conflictingRequest', 500: 'computeFault'}


def _iso(t):
    return clock.isoformat(t)


def _iso_micro(t):
    return clock.isoformat(t, micro=True)


class ComputeService(compute_inventory.ComputeInventoryAPI,
                     service.Service):
    prefix = '/compute'
    microversions = MICROVERSIONS

    def routes(self):
        r = self.router
        r.add('GET', '', self.versions)
        r.add('GET', '/v2.1', self.version_doc)
        v = '/v2.1'
        r.add('GET', v + '/servers', self.list_servers)
        r.add('GET', v + '/servers/detail', self.list_servers_detail)
        r.add('POST', v + '/servers', self.create_server)
        r.add('GET', v + '/servers/{server_id}', self.show_server)
        r.add('DELETE', v + '/servers/{server_id}', self.delete_server)
        r.add('POST', v + '/servers/{server_id}/action', self.action)
        r.add('GET', v + '/servers/{server_id}/metadata', self.get_metadata)
        r.add('PUT', v + '/servers/{server_id}/metadata', self.put_metadata)
        r.add('POST', v + '/servers/{server_id}/metadata',
              self.post_metadata)
        r.add('GET', v + '/servers/{server_id}/migrations',
              self.server_migrations)
        r.add('GET', v + '/servers/{server_id}/migrations/{mig_id}',
              self.server_migration)
        r.add('DELETE', v + '/servers/{server_id}/migrations/{mig_id}',
              self.abort_migration)
        r.add('GET', v + '/os-migrations', self.list_migrations)
        r.add('GET', v + '/os-hypervisors', self.list_hypervisors)
        r.add('GET', v + '/os-hypervisors/detail',
              self.list_hypervisors_detail)
        r.add('GET', v + '/os-hypervisors/statistics', self.statistics)
        r.add('GET', v + '/os-hypervisors/{hyp_id}', self.show_hypervisor)
        r.add('GET', v + '/os-services', self.list_services)
        r.add('PUT', v + '/os-services/disable', self.legacy_disable)
        r.add('PUT', v + '/os-services/disable-log-reason',
              self.legacy_disable)
        r.add('PUT', v + '/os-services/enable', self.legacy_enable)
        r.add('PUT', v + '/os-services/force-down', self.legacy_force_down)
        r.add('PUT', v + '/os-services/{service_id}', self.update_service)
        r.add('GET', v + '/flavors', self.list_flavors)
        r.add('GET', v + '/flavors/detail', self.list_flavors_detail)
        r.add('GET', v + '/flavors/{flavor_id}', self.show_flavor)
        r.add('GET', v + '/flavors/{flavor_id}/os-extra_specs',
              self.flavor_extra_specs)
        r.add('GET', v + '/os-aggregates', self.list_aggregates)
        r.add('GET', v + '/os-aggregates/{agg_id}', self.show_aggregate)
        r.add('GET', v + '/os-availability-zone', self.list_azs)
        r.add('GET', v + '/os-availability-zone/detail', self.list_azs_detail)
        r.add('GET', v + '/os-server-groups', self.list_server_groups)
        r.add('GET', v + '/os-server-groups/{group_id}',
              self.show_server_group)
        r.add('GET', v + '/limits', self.limits)

    def error_body(self, exc):
        key = NOVA_ERRORS.get(exc.code, 'computeFault')
        return {key: {'code': exc.code, 'message': exc.message}}

    @staticmethod
    def mv(req):
        return req.environ.get('simulator.version', (2, 1))

    # ------------------------------------------------------------ discovery
    def _v21(self, req):
        return {
            'id': 'v2.1', 'status': 'CURRENT', 'version': '2.96',
            'min_version': '2.1', 'updated': '2013-07-23T11:33:21Z',
            'links': [{'rel': 'self',
                       'href': self.url(req, '/v2.1/')}],
            'media-types': [{
                'base': 'application/json',
                'type': 'application/vnd.openstack.compute+json;version=2.1'
            }]}

    def versions(self, req):
        return wsgi.json_response({'versions': [
            {'id': 'v2.0', 'status': 'SUPPORTED', 'version': '',
             'min_version': '', 'updated': '2011-01-21T11:33:21Z',
             'links': [{'rel': 'self', 'href': self.url(req, '/v2/')}]},
            self._v21(req)]})

    def version_doc(self, req):
        return wsgi.json_response({'version': self._v21(req)})

    # ------------------------------------------------------------- paging
    def _limit(self, req):
        limit = wsgi.int_param(req, 'limit', MAX_LIMIT, minimum=0)
        return min(limit, MAX_LIMIT)

    # -------------------------------------------------------------- views
    def _flavor_view(self, req, flavor):
        if self.mv(req) >= (2, 47):
            view = {'vcpus': flavor.vcpus, 'ram': flavor.ram,
                    'disk': flavor.disk, 'ephemeral': flavor.ephemeral,
                    'swap': flavor.swap, 'original_name': flavor.name,
                    'extra_specs': dict(flavor.extra_specs)}
            return view
        return {'id': flavor.id, 'links': [{
            'rel': 'bookmark',
            'href': self.url(req, '/flavors/%s' % flavor.id)}]}

    def _server_links(self, req, server):
        return [{'rel': 'self',
                 'href': self.url(req, '/v2.1/servers/%s' % server.id)},
                {'rel': 'bookmark',
                 'href': self.url(req, '/servers/%s' % server.id)}]

    def _server_view(self, req, s, detail=True):
        if not detail:
            return {'id': s.id, 'name': s.name,
                    'links': self._server_links(req, s)}
        mv = self.mv(req)
        host_status = ''
        if s.host:
            svc = self.cloud.hosts[s.host].service
            if svc.forced_down or svc.state != 'up':
                host_status = 'DOWN'
            elif svc.status == 'disabled':
                host_status = 'MAINTENANCE'
            else:
                host_status = 'UP'
        view = {
            'accessIPv4': '', 'accessIPv6': '', 'addresses': {},
            'created': _iso(s.created_at),
            'flavor': self._flavor_view(req, s.flavor),
            'hostId': s.host_id(),
            'id': s.id,
            'image': {'id': s.image_id, 'links': [{
                'rel': 'bookmark',
                'href': self.url(req, '/images/%s' % s.image_id)}]},
            'links': self._server_links(req, s),
            'metadata': dict(s.metadata),
            'name': s.name,
            'status': s.status,
            'tenant_id': s.project_id,
            'user_id': s.user_id,
            'updated': _iso(s.updated_at),
            'OS-DCF:diskConfig': 'MANUAL',
            'progress': 0,
            'OS-EXT-AZ:availability_zone': s.availability_zone,
            'config_drive': '',
            'key_name': s.key_name,
            'OS-SRV-USG:launched_at': _iso_micro(s.launched_at)
            if s.launched_at else None,
            'OS-SRV-USG:terminated_at': None,
            'OS-EXT-SRV-ATTR:host': s.host,
            'OS-EXT-SRV-ATTR:instance_name': s.instance_name,
            'OS-EXT-SRV-ATTR:hypervisor_hostname': s.node,
            'OS-EXT-STS:task_state': s.task_state,
            'OS-EXT-STS:vm_state': s.vm_state,
            'OS-EXT-STS:power_state': s.power_state,
            'os-extended-volumes:volumes_attached': [
                {'id': v.id, 'delete_on_termination': False}
                for v in self._volumes_of(s)],
            # no 'security_groups': Nova lists those of the server's ports,
            # and simulated servers have none (addresses is empty)
        }
        if s.status not in PROGRESS_STATUSES:
            del view['progress']
        if mv >= (2, 3):
            view.update({
                'OS-EXT-SRV-ATTR:hostname': s.name,
                'OS-EXT-SRV-ATTR:kernel_id': '',
                'OS-EXT-SRV-ATTR:launch_index': 0,
                'OS-EXT-SRV-ATTR:ramdisk_id': '',
                'OS-EXT-SRV-ATTR:reservation_id': s.reservation_id,
                'OS-EXT-SRV-ATTR:root_device_name': '/dev/vda',
                'OS-EXT-SRV-ATTR:user_data': None})
        if mv >= (2, 9):
            view['locked'] = s.locked
        if mv >= (2, 16):
            view['host_status'] = host_status
        if mv >= (2, 19):
            view['description'] = s.description
        if mv >= (2, 26):
            view['tags'] = list(s.tags)
        if mv >= (2, 63):
            view['trusted_image_certificates'] = None
        if mv >= (2, 73):
            view['locked_reason'] = s.locked_reason
        if mv >= (2, 96):
            view['pinned_availability_zone'] = s.pinned_availability_zone
        if s.fault and s.vm_state == 'error':
            view['fault'] = dict(s.fault)
        return view

    def _volumes_of(self, server):
        volumes = self.cloud.volumes
        return [volumes[v] for v in self.cloud.server_volumes.get(
            server.id, ()) if v in volumes]

    # ------------------------------------------------------------ servers
    def _server_filter(self, req):
        cloud = self.cloud
        checks = []
        get = req.GET.get
        all_tenants = wsgi.bool_param(req, 'all_tenants') or \
            'all_tenants' in req.GET and req.GET['all_tenants'] == ''
        project = get('project_id') or get('tenant_id')
        if not all_tenants:
            project = cloud.settings['project_id']
        if project:
            checks.append(lambda s: s.project_id == project)
        status = get('status')
        if status:
            wanted = status.upper()
            checks.append(lambda s: s.status == wanted)
        for param, attr in (('vm_state', 'vm_state'),
                            ('task_state', 'task_state'),
                            ('availability_zone', 'availability_zone'),
                            ('pinned_availability_zone',
                             'pinned_availability_zone')):
            value = get(param)
            if value:
                checks.append(lambda s, a=attr, v=value: getattr(s, a) == v)
        name = get('name')
        if name:
            try:
                regex = re.compile(name)
            except re.error:
                raise errors.BadRequest('Invalid name filter %s' % name)
            checks.append(lambda s: regex.search(s.name) is not None)
        flavor = get('flavor')
        if flavor:
            checks.append(lambda s: s.flavor.id == flavor)
        if 'locked' in req.GET:
            locked = wsgi.bool_param(req, 'locked')
            checks.append(lambda s: s.locked == locked)
        uuid = get('uuid')
        if uuid:
            checks.append(lambda s: s.id == uuid)
        if not checks:
            return None
        return lambda s: all(c(s) for c in checks)

    def _servers(self, req, detail):
        cloud = self.cloud
        limit = self._limit(req)
        marker = req.GET.get('marker')
        predicate = self._server_filter(req)
        host = req.GET.get('host') or req.GET.get('node')
        with cloud.lock:
            marker_seq = cloud_index.marker_seq(
                cloud.servers, marker, errors.BadRequest,
                'marker [%s] not found')
            if host:
                h = cloud.find_host(host)
                if h is None:
                    items, more = [], False
                else:
                    index = cloud_index.OrderedIndex()
                    for s in sorted((cloud.servers[i] for i in h.servers),
                                    key=lambda s: s.seq):
                        index.append(s.seq, s.id)
                    items, more = cloud_index.paginate(
                        index, cloud.servers.get, marker_seq, limit,
                        predicate, newest_first=True)
            else:
                # Nova's default order: created_at, then id, descending
                items, more = cloud_index.paginate(
                    cloud.server_index, cloud.servers.get, marker_seq, limit,
                    predicate, newest_first=True)
            body = {'servers': [self._server_view(req, s, detail)
                                for s in items]}
        if more and items:
            body['servers_links'] = [{
                'rel': 'next', 'href': wsgi.next_href(req, items[-1].id,
                                                      limit)}]
        return wsgi.json_response(body)

    def list_servers(self, req):
        return self._servers(req, False)

    def list_servers_detail(self, req):
        return self._servers(req, True)

    def show_server(self, req, server_id):
        with self.cloud.lock:
            server = self.cloud.get_server_strict(server_id)
            view = self._server_view(req, server)
            if self.mv(req) >= (2, 71):
                # only the single-server view carries it, as in Nova
                view['server_groups'] = [
                    server.server_group] if server.server_group in \
                    self.cloud.server_groups else []
            return wsgi.json_response({'server': view})

    def delete_server(self, req, server_id):
        self.cloud.get_server_strict(server_id)
        self.cloud.delete_server(server_id)
        return wsgi.json_response(None, status=204)

    def create_server(self, req):
        body = wsgi.read_json(req).get('server')
        if not isinstance(body, dict) or not body.get('name'):
            raise errors.BadRequest("Invalid input for field/attribute "
                                    "server. 'name' is a required property")
        flavor_ref = str(body.get('flavorRef', '')).rstrip('/').split('/')[-1]
        if not flavor_ref:
            raise errors.BadRequest("'flavorRef' is a required property")
        try:
            self.cloud.get_flavor(flavor_ref)
        except errors.NotFound as exc:
            raise errors.BadRequest(exc.message)
        az = body.get('availability_zone')
        host = None
        if az and ':' in az:
            az, _, host = az.partition(':')
            host = host or None
            az = az or None
        host = body.get('host') or host
        hints = wsgi.read_json(req).get('os:scheduler_hints') or {}
        image = str(body.get('imageRef') or '').rstrip('/').split('/')[-1]
        server = self.cloud.create_server(
            body['name'], flavor_ref, availability_zone=az, host=host,
            metadata=body.get('metadata'), server_group=hints.get('group'),
            image_id=image or None, key_name=body.get('key_name'),
            description=body.get('description'))
        return wsgi.json_response({'server': {
            'id': server.id, 'links': self._server_links(req, server),
            'OS-DCF:diskConfig': 'MANUAL',
            'security_groups': [{'name': 'default'}],
            'adminPass': 'simulated'}}, status=202)

    def get_metadata(self, req, server_id):
        with self.cloud.lock:
            server = self.cloud.get_server_strict(server_id)
            return wsgi.json_response({'metadata': dict(server.metadata)})

    def put_metadata(self, req, server_id):
        body = wsgi.read_json(req).get('metadata', {})
        server = self.cloud.set_metadata(server_id, body, replace=True)
        return wsgi.json_response({'metadata': dict(server.metadata)})

    def post_metadata(self, req, server_id):
        body = wsgi.read_json(req).get('metadata', {})
        server = self.cloud.set_metadata(server_id, body)
        return wsgi.json_response({'metadata': dict(server.metadata)})

    # ------------------------------------------------------------ actions
    def action(self, req, server_id):
        body = wsgi.read_json(req)
        if not isinstance(body, dict) or len(body) != 1:
            raise errors.BadRequest('Invalid server action body')
        name, args = next(iter(body.items()))
        args = args if isinstance(args, dict) else {}
        cloud = self.cloud
        cloud.get_server_strict(server_id)
        mv = self.mv(req)
        if name == 'os-migrateLive':
            host = args.get('host')
            block = args.get('block_migration', 'auto')
            if mv >= (2, 25) and block not in ('auto', True, False):
                raise errors.BadRequest(
                    "Invalid input for field/attribute block_migration.")
            cloud.live_migrate(server_id, host=host, block_migration=block)
            return wsgi.json_response(None, status=202)
        if name == 'migrate':
            host = args.get('host')
            if host is not None and mv < (2, 56):
                raise errors.BadRequest(
                    "Invalid input for field/attribute migrate. Additional "
                    "properties are not allowed ('host' was unexpected)")
            cloud.cold_migrate(server_id, host=host)
            return wsgi.json_response(None, status=202)
        if name == 'resize':
            flavor = str(args.get('flavorRef', '')).rstrip('/').split(
                '/')[-1]
            if not flavor:
                raise errors.BadRequest("'flavorRef' is a required property")
            try:
                cloud.get_flavor(flavor)
            except errors.NotFound:
                raise errors.BadRequest('Unable to find flavor %s' % flavor)
            cloud.resize(server_id, flavor)
            return wsgi.json_response(None, status=202)
        if name == 'confirmResize':
            cloud.confirm_resize(server_id)
            return wsgi.json_response(None, status=204)
        if name == 'revertResize':
            cloud.revert_resize(server_id)
            return wsgi.json_response(None, status=202)
        simple = {'os-stop': cloud.stop, 'os-start': cloud.start,
                  'shelve': cloud.shelve, 'unlock': cloud.unlock_server}
        if name in simple:
            simple[name](server_id)
            return wsgi.json_response(None, status=202)
        if name == 'lock':
            cloud.lock_server(server_id, args.get('locked_reason'))
            return wsgi.json_response(None, status=202)
        if name == 'unshelve':
            cloud.unshelve(server_id, (args or {}).get('availability_zone'))
            return wsgi.json_response(None, status=202)
        if name in ('forceDelete',):
            cloud.delete_server(server_id)
            return wsgi.json_response(None, status=202)
        raise errors.BadRequest('There is no such action: %s' % name)

    # --------------------------------------------------------- migrations
    def _migration_view(self, req, m, server_style=False):
        mv = self.mv(req)
        view = {
            'id': m.id,
            'created_at': _iso_micro(m.created_at),
            'updated_at': _iso_micro(m.updated_at),
            'dest_compute': m.dest_compute, 'dest_host': m.dest_host,
            'dest_node': m.dest_node, 'source_compute': m.source_compute,
            'source_node': m.source_node, 'status': m.status,
        }
        if server_style:
            view.update({
                'server_uuid': m.instance_uuid,
                'memory_total_bytes': m.memory_total,
                'memory_processed_bytes': m.memory_total // 2,
                'memory_remaining_bytes': m.memory_total // 2,
                'disk_total_bytes': 0, 'disk_processed_bytes': 0,
                'disk_remaining_bytes': 0})
        else:
            view.update({
                'instance_uuid': m.instance_uuid,
                'old_instance_type_id': m.old_flavor.internal_id,
                'new_instance_type_id': m.new_flavor.internal_id})
            if mv >= (2, 23):
                view['migration_type'] = m.migration_type
            if mv >= (2, 23) and m.migration_type == 'live-migration' and \
                    m.status in LIVE_IN_PROGRESS:
                view['links'] = [{
                    'rel': 'self',
                    'href': self.url(req, '/v2.1/servers/%s/migrations/%d'
                                     % (m.instance_uuid, m.id))}]
        if mv >= (2, 59):
            view['uuid'] = m.uuid
        if mv >= (2, 80):
            view['user_id'] = m.user_id
            view['project_id'] = m.project_id
        return view

    def list_migrations(self, req):
        cloud = self.cloud
        get = req.GET.get
        limit = self._limit(req)
        checks = []
        for param, attr in (('instance_uuid', 'instance_uuid'),
                            ('status', 'status'),
                            ('migration_type', 'migration_type'),
                            ('source_compute', 'source_compute'),
                            ('project_id', 'project_id'),
                            ('user_id', 'user_id')):
            value = get(param)
            if value:
                checks.append(lambda m, a=attr, v=value: getattr(m, a) == v)
        host = get('host')
        if host:
            checks.append(lambda m: host in (m.source_compute,
                                             m.dest_compute))
        with cloud.lock:
            marker = get('marker')
            marker_seq = None
            if marker:
                marker_seq = cloud.get_migration(marker).id
            items, more = cloud_index.paginate(
                cloud.migration_index, cloud.migrations.get, marker_seq,
                limit, (lambda m: all(c(m) for c in checks)) if checks
                else None)
            body = {'migrations': [self._migration_view(req, m)
                                   for m in items]}
        if more and items and self.mv(req) >= (2, 59):
            body['migrations_links'] = [{
                'rel': 'next',
                'href': wsgi.next_href(req, items[-1].uuid, limit)}]
        return wsgi.json_response(body)

    def server_migrations(self, req, server_id):
        with self.cloud.lock:
            server = self.cloud.get_server_strict(server_id)
            migs = [m for m in self.cloud.migrations.values()
                    if m.instance_uuid == server.id
                    and m.migration_type == 'live-migration'
                    and m.status in ('queued', 'preparing', 'running')]
            return wsgi.json_response({'migrations': [
                self._migration_view(req, m, True) for m in migs]})

    def server_migration(self, req, server_id, mig_id):
        with self.cloud.lock:
            server = self.cloud.get_server_strict(server_id)
            mig = self.cloud.get_migration(mig_id)
            if mig.instance_uuid != server.id:
                raise errors.NotFound('Migration %s could not be found.'
                                      % mig_id)
            return wsgi.json_response(
                {'migration': self._migration_view(req, mig, True)})

    def abort_migration(self, req, server_id, mig_id):
        self.cloud.get_server_strict(server_id)
        self.cloud.abort_live_migration(server_id, mig_id)
        return wsgi.json_response(None, status=202)
