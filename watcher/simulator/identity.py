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

"""Keystone v3 subset: password tokens and the service catalog.

Any user name and password are accepted; the token is scoped to the
``admin`` project with the admin, member and reader roles, or to the
system (``"scope": {"system": {"all": true}}``) with the same roles.
Endpoint URLs are built from the Host header of the request, so the
catalog points back to the address the client used.
"""

import datetime
import uuid as uuidlib

from watcher.simulator import errors
from watcher.simulator import service
from watcher.simulator import wsgi

DOMAIN = {'id': 'default', 'name': 'Default'}

# (service type, name, path under the server root; {project_id} expanded)
CATALOG = (
    ('identity', 'keystone', '/identity'),
    ('compute', 'nova', '/compute/v2.1'),
    ('placement', 'placement', '/placement'),
    ('block-storage', 'cinder', '/volume/v3/{project_id}'),
    ('volumev3', 'cinderv3', '/volume/v3/{project_id}'),
    ('baremetal', 'ironic', '/baremetal'),
    ('metric-storage', 'aetos', '/prometheus'),
)

ROLES = (('admin', 'a0c1d9e6f5a94b5c9b4f1d6e2c3a4b51'),
         ('member', 'b1d2e0f7a6b04c6d8c5e2f7a3d4b5c62'),
         ('reader', 'c2e3f1a8b7c14d7e9d6f3a8b4e5c6d73'))


def version_doc(base):
    return {
        'id': 'v3.14', 'status': 'stable',
        'updated': '2020-04-07T00:00:00Z',
        'links': [{'rel': 'self', 'href': base + '/identity/v3/'}],
        'media-types': [{
            'base': 'application/json',
            'type': 'application/vnd.openstack.identity-v3+json'}],
    }


class IdentityService(service.Service):
    prefix = '/identity'

    def __init__(self, cloud):
        super().__init__(cloud)
        self.tokens = {}

    def routes(self):
        r = self.router
        r.add('GET', '', self.versions)
        r.add('GET', '/v3', self.version)
        r.add('POST', '/v3/auth/tokens', self.issue)
        r.add('GET', '/v3/auth/tokens', self.validate)
        r.add('DELETE', '/v3/auth/tokens', self.revoke)
        r.add('GET', '/v3/auth/catalog', self.get_catalog)
        r.add('GET', '/v3/auth/projects', self.projects)
        r.add('GET', '/v3/projects', self.projects)
        r.add('GET', '/v3/projects/{project_id}', self.project)
        r.add('GET', '/v3/services', self.services)
        r.add('GET', '/v3/endpoints', self.endpoints)
        r.add('GET', '/v3/regions', self.regions)

    def error_body(self, exc):
        return {'error': {'code': exc.code, 'title': exc.title,
                          'message': exc.message}}

    # ------------------------------------------------------------ discovery
    def versions(self, req):
        return wsgi.json_response(
            {'versions': {'values': [version_doc(req.host_url)]}},
            status=300)

    def version(self, req):
        return wsgi.json_response({'version': version_doc(req.host_url)})

    # -------------------------------------------------------------- catalog
    def catalog(self, req):
        settings = self.cloud.settings
        region = settings['region']
        out = []
        for i, (stype, name, path) in enumerate(CATALOG):
            url = req.host_url + path.format(
                project_id=settings['project_id'])
            sid = uuidlib.uuid5(uuidlib.NAMESPACE_URL, 'svc:' + stype).hex
            endpoints = []
            for interface in ('public', 'internal', 'admin'):
                endpoints.append({
                    'id': uuidlib.uuid5(uuidlib.NAMESPACE_URL,
                                        '%s:%s' % (stype, interface)).hex,
                    'interface': interface, 'region': region,
                    'region_id': region, 'url': url})
            out.append({'endpoints': endpoints, 'id': sid, 'type': stype,
                        'name': name})
        return out

    def _project(self):
        return {'domain': dict(DOMAIN),
                'id': self.cloud.settings['project_id'],
                'name': self.cloud.settings['project_name']}

    def _token_body(self, req, user_name, issued, catalog=True,
                    system=False):
        settings = self.cloud.settings
        expires = issued + datetime.timedelta(hours=24)
        fmt = '%Y-%m-%dT%H:%M:%S.000000Z'
        token = {
            'methods': ['password'],
            'user': {'domain': dict(DOMAIN), 'id': settings['user_id'],
                     'name': user_name, 'password_expires_at': None},
            'audit_ids': [uuidlib.uuid4().hex[:22]],
            'expires_at': expires.strftime(fmt),
            'issued_at': issued.strftime(fmt),
            'project': self._project(),
            'is_domain': False,
            'roles': [{'id': rid, 'name': name} for name, rid in ROLES],
        }
        if system:
            # a system-scoped token names no project (Ironic's policies
            # tell the two kinds apart)
            del token['project'], token['is_domain']
            token['system'] = {'all': True}
        if catalog:
            token['catalog'] = self.catalog(req)
        return {'token': token}

    def issue(self, req):
        body = wsgi.read_json(req)
        try:
            identity = body['auth']['identity']
        except (KeyError, TypeError):
            raise errors.BadRequest(
                "Expecting to find identity in auth. The server could not "
                "comply with the request since it is either malformed or "
                "otherwise incorrect.")
        user_name = self.cloud.settings['user_name']
        if isinstance(identity, dict) and 'password' in identity:
            user = identity['password'].get('user', {})
            user_name = user.get('name') or user.get('id') or user_name
        scope = body['auth'].get('scope')
        system = isinstance(scope, dict) and 'system' in scope
        issued = datetime.datetime.now(datetime.timezone.utc)
        token_id = 'gAAAAA' + uuidlib.uuid4().hex + uuidlib.uuid4().hex
        self.tokens[token_id] = (user_name, issued, system)
        nocatalog = 'nocatalog' in req.GET
        resp = wsgi.json_response(
            self._token_body(req, user_name, issued, not nocatalog, system),
            status=201)
        resp.headers['X-Subject-Token'] = token_id
        return resp

    def _lookup(self, req):
        token_id = req.headers.get('X-Subject-Token')
        if not token_id or token_id not in self.tokens:
            raise errors.NotFound('Could not find token: %s' % token_id)
        return token_id, self.tokens[token_id]

    def validate(self, req):
        token_id, (user_name, issued, system) = self._lookup(req)
        resp = wsgi.json_response(self._token_body(
            req, user_name, issued, 'nocatalog' not in req.GET, system))
        resp.headers['X-Subject-Token'] = token_id
        return resp

    def revoke(self, req):
        token_id, _ = self._lookup(req)
        del self.tokens[token_id]
        return wsgi.json_response(None, status=204)

    def get_catalog(self, req):
        return wsgi.json_response({'catalog': self.catalog(req)})

    def projects(self, req):
        project = self._project()
        project.update({'enabled': True, 'is_domain': False,
                        'parent_id': 'default', 'description': '',
                        'tags': []})
        return wsgi.json_response({'projects': [project]})

    def project(self, req, project_id):
        if project_id not in (self.cloud.settings['project_id'],
                              self.cloud.settings['project_name']):
            raise errors.NotFound('Could not find project: %s' % project_id)
        project = self._project()
        project.update({'enabled': True, 'is_domain': False,
                        'parent_id': 'default', 'description': ''})
        return wsgi.json_response({'project': project})

    def services(self, req):
        return wsgi.json_response({'services': [
            {'id': e['id'], 'type': e['type'], 'name': e['name'],
             'enabled': True} for e in self.catalog(req)]})

    def endpoints(self, req):
        out = []
        for entry in self.catalog(req):
            for ep in entry['endpoints']:
                out.append(dict(ep, service_id=entry['id'], enabled=True))
        return wsgi.json_response({'endpoints': out})

    def regions(self, req):
        return wsgi.json_response({'regions': [
            {'id': self.cloud.settings['region'], 'description': '',
             'parent_region_id': None}]})
