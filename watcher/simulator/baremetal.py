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

"""Ironic (bare metal API v1, microversions 1.1 - 1.99) subset, mounted at
``/baremetal``."""

import json

from watcher.simulator import clock
from watcher.simulator import errors
from watcher.simulator import service
from watcher.simulator.cloud import index as cloud_index
from watcher.simulator import wsgi

MAX_LIMIT = 1000
HEADER = 'X-OpenStack-Ironic-API-Version'


class IronicVersions(wsgi.Microversions):
    def headers(self, version):
        return {HEADER: self.fmt(version),
                'X-OpenStack-Ironic-API-Minimum-Version':
                    self.fmt(self.minimum),
                'X-OpenStack-Ironic-API-Maximum-Version':
                    self.fmt(self.maximum),
                'OpenStack-API-Version': 'baremetal %s' % self.fmt(version),
                'Vary': 'OpenStack-API-Version, ' + HEADER}


MICROVERSIONS = IronicVersions('baremetal', '1.1', '1.99', legacy=HEADER)

LIST_FIELDS = ('uuid', 'name', 'instance_uuid', 'power_state',
               'provision_state', 'maintenance', 'links')

#: node fields (and links) that a request below the given minor version
#: does not see, as Ironic 39 hides them (checked against it by
#: realcloud/test_storage_conformance.py); the others are in every version
FIELD_MINOR = dict(
    {'driver_internal_info': 3, 'name': 5, 'inspection_started_at': 6,
     'inspection_finished_at': 6, 'clean_step': 7, 'raid_config': 12,
     'target_raid_config': 12, 'states': 14, 'network_interface': 20,
     'resource_class': 21, 'portgroups': 24, 'volume': 32,
     'storage_interface': 33, 'traits': 37, 'rescue_interface': 38,
     'bios_interface': 40, 'fault': 42, 'deploy_step': 44,
     'conductor_group': 46, 'automated_clean': 47, 'protected': 48,
     'protected_reason': 48, 'conductor': 49, 'owner': 50,
     'description': 51, 'allocation_uuid': 52, 'retired': 61,
     'retired_reason': 61, 'lessee': 65, 'network_data': 66,
     'boot_mode': 75, 'secure_boot': 75, 'shard': 82, 'parent_node': 83,
     'firmware_interface': 86, 'service_step': 87,
     'disable_power_off': 95},
    **dict.fromkeys(('boot_interface', 'console_interface',
                     'deploy_interface', 'inspect_interface',
                     'management_interface', 'power_interface',
                     'raid_interface', 'vendor_interface'), 31))


def _iso(t):
    return clock.isoformat(t, micro=True) + '+00:00'


class BaremetalService(service.Service):
    prefix = '/baremetal'
    microversions = MICROVERSIONS

    def routes(self):
        r = self.router
        r.add('GET', '', self.root)
        r.add('GET', '/v1', self.v1)
        r.add('GET', '/v1/nodes', self.list_nodes)
        r.add('GET', '/v1/nodes/detail', self.list_nodes_detail)
        r.add('GET', '/v1/nodes/{node_id}', self.show_node)
        r.add('GET', '/v1/nodes/{node_id}/states', self.states)
        r.add('PUT', '/v1/nodes/{node_id}/states/power', self.set_power)
        r.add('PUT', '/v1/nodes/{node_id}/maintenance', self.set_maintenance)
        r.add('DELETE', '/v1/nodes/{node_id}/maintenance',
              self.unset_maintenance)

    def error_body(self, exc):
        return {'error_message': json.dumps({
            'faultstring': exc.message,
            'faultcode': 'Client' if exc.code < 500 else 'Server',
            'debuginfo': None})}

    def _version(self, req):
        return {'id': 'v1', 'links': [{'href': self.url(req, '/v1/'),
                                       'rel': 'self'}],
                'status': 'CURRENT', 'min_version': '1.1',
                'version': '1.99'}

    def root(self, req):
        return wsgi.json_response({
            'name': 'OpenStack Ironic API',
            'description': 'Ironic is an OpenStack project which enables the '
                           'provision and management of baremetal machines.',
            'default_version': self._version(req),
            'versions': [self._version(req)]})

    def v1(self, req):
        return wsgi.json_response({
            'id': 'v1',
            'links': [{'href': self.url(req, '/v1/'), 'rel': 'self'}],
            'media_types': [{
                'base': 'application/json',
                'type': 'application/vnd.openstack.ironic.v1+json'}],
            'nodes': [{'href': self.url(req, '/v1/nodes/'), 'rel': 'self'}],
            'version': self._version(req)})

    def _links(self, req, path):
        return [{'href': self.url(req, '/v1/' + path), 'rel': 'self'},
                {'href': self.url(req, '/' + path), 'rel': 'bookmark'}]

    def _node_view(self, req, n, detail=True, fields=None):
        links = self._links(req, 'nodes/%s' % n.uuid)
        internal = {}
        if n.last_power_state_change is not None:
            internal['last_power_state_change'] = clock.isoformat(
                n.last_power_state_change, micro=True)
        view = {
            'uuid': n.uuid, 'name': n.name,
            'instance_uuid': n.instance_uuid,
            'power_state': n.power_state,
            'target_power_state': n.target_power_state,
            'provision_state': n.provision_state,
            'target_provision_state': None,
            'maintenance': n.maintenance,
            'maintenance_reason': n.maintenance_reason,
            'fault': None, 'driver': n.driver,
            'driver_info': {}, 'driver_internal_info': internal,
            'properties': dict(n.properties), 'extra': dict(n.extra),
            'instance_info': {}, 'console_enabled': False,
            'last_error': n.last_error, 'resource_class': n.resource_class,
            'conductor_group': '', 'conductor': 'simulator',
            'created_at': _iso(n.created_at),
            'updated_at': _iso(n.updated_at),
            'provision_updated_at': None, 'inspection_started_at': None,
            'inspection_finished_at': None, 'protected': False,
            'protected_reason': None, 'owner': None, 'lessee': None,
            'description': None, 'automated_clean': None,
            'retired': False, 'retired_reason': None,
            'chassis_uuid': None, 'reservation': None, 'clean_step': {},
            'deploy_step': {}, 'service_step': {}, 'raid_config': {},
            'target_raid_config': {}, 'traits': [], 'network_data': {},
            'allocation_uuid': None, 'boot_mode': None, 'secure_boot': None,
            'shard': None, 'parent_node': None, 'disable_power_off': False,
            'network_interface': 'noop', 'boot_interface': 'fake',
            'power_interface': 'fake', 'management_interface': 'fake',
            'deploy_interface': 'fake', 'console_interface': 'fake',
            'inspect_interface': 'fake', 'raid_interface': 'fake',
            'vendor_interface': 'fake', 'bios_interface': 'fake',
            'rescue_interface': 'no-rescue', 'storage_interface': 'noop',
            'firmware_interface': 'no-firmware',
            'links': links,
            'ports': self._links(req, 'nodes/%s/ports' % n.uuid),
            'states': self._links(req, 'nodes/%s/states' % n.uuid),
            'portgroups': self._links(req, 'nodes/%s/portgroups' % n.uuid),
            'volume': self._links(req, 'nodes/%s/volume' % n.uuid),
        }
        minor = self.version(req)[1]
        view = {k: v for k, v in view.items()
                if FIELD_MINOR.get(k, 0) <= minor}
        if fields:
            return {k: view.get(k) for k in fields}
        if not detail:
            return {k: view[k] for k in LIST_FIELDS if k in view}
        return view

    def _nodes(self, req, detail):
        cloud = self.cloud
        limit = min(wsgi.int_param(req, 'limit', MAX_LIMIT, 0) or MAX_LIMIT,
                    MAX_LIMIT)
        marker = req.GET.get('marker')
        fields = req.GET.get('fields')
        fields = fields.split(',') if fields else None
        checks = []
        if 'maintenance' in req.GET:
            wanted = wsgi.bool_param(req, 'maintenance')
            checks.append(lambda n: n.maintenance == wanted)
        for param in ('provision_state', 'power_state', 'resource_class',
                      'driver', 'instance_uuid'):
            value = req.GET.get(param)
            if value:
                checks.append(lambda n, p=param, v=value:
                              getattr(n, p) == v)
        if 'associated' in req.GET:
            assoc = wsgi.bool_param(req, 'associated')
            checks.append(lambda n: (n.instance_uuid is not None) == assoc)
        with cloud.lock:
            marker_seq = cloud_index.marker_seq(
                cloud.nodes, marker, errors.BadRequest,
                'Marker %s could not be found.')
            items, more = cloud_index.paginate(
                cloud.node_index, cloud.nodes.get, marker_seq, limit,
                (lambda n: all(c(n) for c in checks)) if checks else None)
            body = {'nodes': [self._node_view(req, n, detail, fields)
                              for n in items]}
        if more and items:
            body['next'] = wsgi.next_href(req, items[-1].uuid, limit)
        return wsgi.json_response(body)

    def list_nodes(self, req):
        return self._nodes(req, wsgi.bool_param(req, 'detail'))

    def list_nodes_detail(self, req):
        return self._nodes(req, True)

    def show_node(self, req, node_id):
        fields = req.GET.get('fields')
        with self.cloud.lock:
            return wsgi.json_response(self._node_view(
                req, self._get(node_id), True,
                fields.split(',') if fields else None))

    def _get(self, node_id):
        try:
            return self.cloud.get_node(node_id)
        except errors.NotFound:
            raise errors.NotFound('Node %s could not be found.' % node_id)

    def states(self, req, node_id):
        with self.cloud.lock:
            n = self._get(node_id)
            return wsgi.json_response({
                'power_state': n.power_state,
                'target_power_state': n.target_power_state,
                'provision_state': n.provision_state,
                'target_provision_state': None,
                'last_error': n.last_error, 'console_enabled': False,
                'provision_updated_at': None, 'raid_config': {},
                'target_raid_config': {}})

    def set_power(self, req, node_id):
        body = wsgi.read_json(req)
        target = body.get('target') if isinstance(body, dict) else None
        if not target:
            raise errors.BadRequest('Missing argument: "target"')
        node = self.cloud.set_node_power(self._get(node_id).uuid, target)
        resp = wsgi.json_response(None, status=202)
        resp.headers['Location'] = self.url(
            req, '/v1/nodes/%s/states' % node.uuid)
        return resp

    def set_maintenance(self, req, node_id):
        body = wsgi.read_json(req, required=False) or {}
        with self.cloud.lock:
            node = self._get(node_id)
            node.maintenance = True
            node.maintenance_reason = body.get('reason')
            node.updated_at = self.cloud.now()
        return wsgi.json_response(None, status=202)

    def unset_maintenance(self, req, node_id):
        with self.cloud.lock:
            node = self._get(node_id)
            node.maintenance = False
            node.maintenance_reason = None
            node.updated_at = self.cloud.now()
        return wsgi.json_response(None, status=202)
