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

"""Glance and Neutron stand-ins for the real-cloud harness.

Usage: python stubs.py HOST PORT   (serves /image and /network)

nova-api reads image metadata when it boots a server, and migrations and
deletes list ports and extensions; servers are booted with networks='none',
so empty lists and a few fixed images are all nova needs. Shelving creates
a snapshot image (POST, then a data upload and a PATCH) that unshelving
reads and deletes, so images can also be created, patched and deleted
(kept in memory).
"""
import http
import json
import socketserver
import sys
import threading
import uuid
from wsgiref import simple_server

IMAGES = {
    '1f8a8c3b-6d55-4c64-9a43-0b5b1bd5f1a1': 'cirros',
    '2e0b6a3c-7a11-4f0e-8d4e-4a3f3c9b2c22': 'ubuntu',
}


def _image(image_id, name):
    return {'id': image_id, 'name': name, 'status': 'active',
            'visibility': 'public', 'disk_format': 'qcow2',
            'container_format': 'bare', 'size': 16338944,
            'virtual_size': 117440512, 'min_disk': 0, 'min_ram': 0,
            'protected': False, 'os_hidden': False, 'tags': [],
            'checksum': 'ee1eca47dc88f4879d8a229cc70a07c6',
            'owner': None, 'created_at': '2026-01-01T00:00:00Z',
            'updated_at': '2026-01-01T00:00:00Z',
            'self': '/v2/images/%s' % image_id,
            'file': '/v2/images/%s/file' % image_id,
            'schema': '/v2/schemas/image'}


_IMAGE_FIELDS = {
    'id': 'string', 'name': ['null', 'string'], 'status': 'string',
    'visibility': 'string', 'disk_format': ['null', 'string'],
    'container_format': ['null', 'string'], 'size': ['null', 'integer'],
    'virtual_size': ['null', 'integer'], 'min_disk': 'integer',
    'min_ram': 'integer', 'protected': 'boolean', 'os_hidden': 'boolean',
    'checksum': ['null', 'string'], 'owner': ['null', 'string'],
    'created_at': 'string', 'updated_at': 'string', 'self': 'string',
    'file': 'string', 'schema': 'string',
    'tags': 'array'}
_IMAGE_SCHEMA = {
    'name': 'image',
    'properties': {name: {'type': kind} for name, kind in
                   _IMAGE_FIELDS.items()},
    'additionalProperties': {'type': 'string'},
    'links': [{'rel': 'self', 'href': '{self}'},
              {'rel': 'enclosure', 'href': '{file}'},
              {'rel': 'describedby', 'href': '{schema}'}]}


_CREATED = {}
_LOCK = threading.Lock()


def _read_json(environ):
    length = int(environ.get('CONTENT_LENGTH') or 0)
    data = environ['wsgi.input'].read(length) if length else b''
    try:
        return json.loads(data) if data else {}
    except ValueError:      # an image upload: raw bytes
        return {}


def _image_write(method, path, environ):
    """Create, upload to, patch or delete an image (None: not handled)."""
    parts = [p for p in path.split('/') if p]
    if method == 'POST' and parts == ['v2', 'images']:
        body = _read_json(environ)
        image_id = body.get('id') or str(uuid.uuid4())
        image = _image(image_id, body.get('name'))
        image.update(status='queued', visibility='private', size=None,
                     virtual_size=None, checksum=None)
        image.update({k: v for k, v in body.items() if k != 'id'})
        with _LOCK:
            _CREATED[image_id] = image
        return 201, image
    if len(parts) < 3 or parts[:2] != ['v2', 'images']:
        return None
    image_id = parts[2]
    with _LOCK:
        image = _CREATED.get(image_id)
        if method == 'DELETE':
            _CREATED.pop(image_id, None)
            return 204, None
        if image is None:
            return None
        if method == 'PUT' and parts[3:] == ['file']:
            _read_json(environ)
            image.update(status='active', size=0, virtual_size=0)
            return 204, None
        if method == 'PATCH':
            for op in _read_json(environ) or ():
                key = op.get('path', '').lstrip('/')
                if op.get('op') == 'remove':
                    image.pop(key, None)
                elif key:
                    image[key] = op.get('value')
            return 200, dict(image)
    return None


def _image_routes(path):
    parts = [p for p in path.split('/') if p]
    if len(parts) == 3 and parts[:2] == ['v2', 'images']:
        with _LOCK:
            if parts[2] in _CREATED:
                return dict(_CREATED[parts[2]])
    if path in ('', '/'):
        return {'versions': [{'id': 'v2.16', 'status': 'CURRENT',
                              'links': [{'rel': 'self',
                                         'href': '/image/v2/'}]}]}
    if path == '/v2/schemas/image':
        return _IMAGE_SCHEMA
    if path == '/v2/images':
        return {'images': [_image(i, n) for i, n in IMAGES.items()],
                'schema': '/v2/schemas/images', 'first': '/v2/images'}
    if path.startswith('/v2/images/'):
        ident = path.split('/')[3]
        for image_id, name in IMAGES.items():
            if ident in (image_id, name):
                return _image(image_id, name)
    return None


_EMPTY_COLLECTIONS = ('ports', 'networks', 'subnets', 'security-groups',
                      'floatingips', 'extensions', 'trunks', 'qos')


def _network_routes(path):
    if path in ('', '/'):
        return {'versions': [{'id': 'v2.0', 'status': 'CURRENT',
                              'links': [{'rel': 'self',
                                         'href': '/network/v2.0/'}]}]}
    parts = [p for p in path.split('/') if p]
    if parts and parts[0] == 'v2.0' and len(parts) == 2:
        name = parts[1].split('.')[0]
        if name in _EMPTY_COLLECTIONS:
            return {name.replace('-', '_'): []}
    return None


def _respond(start_response, status, body):
    if body is None:
        start_response('%d %s' % (status, http.HTTPStatus(status).phrase),
                       [])
        return [b'']
    data = json.dumps(body).encode()
    start_response('%d %s' % (status, http.HTTPStatus(status).phrase),
                   [('Content-Type', 'application/json'),
                    ('Content-Length', str(len(data)))])
    return [data]


def application(environ, start_response):
    path = environ.get('PATH_INFO', '')
    method = environ['REQUEST_METHOD']
    body = None
    if path.startswith('/image') and method != 'GET':
        written = _image_write(method, path[len('/image'):], environ)
        if written is not None:
            return _respond(start_response, *written)
    if method in ('GET', 'HEAD'):
        if path.startswith('/image'):
            body = _image_routes(path[len('/image'):])
        elif path.startswith('/network'):
            body = _network_routes(path[len('/network'):])
    if method == 'DELETE':
        return _respond(start_response, 204, None)
    if body is None:
        start_response('404 Not Found', [('Content-Type',
                                          'application/json')])
        return [json.dumps({'error': 'not found: %s' % path}).encode()]
    return _respond(start_response, 200, body)


class _Server(socketserver.ThreadingMixIn, simple_server.WSGIServer):
    daemon_threads = True


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    simple_server.make_server(host, port, application,
                              server_class=_Server).serve_forever()


if __name__ == '__main__':
    main()
