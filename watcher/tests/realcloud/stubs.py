"""Glance and Neutron stand-ins for the real-cloud harness.

Usage: python stubs.py HOST PORT   (serves /image and /network)

nova-api reads image metadata when it boots a server, and migrations and
deletes list ports and extensions; servers are booted with networks='none',
so empty lists and a few fixed images are all nova needs.
"""
import json
import socketserver
import sys
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


def _image_routes(path):
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


def application(environ, start_response):
    path = environ.get('PATH_INFO', '')
    body = None
    if path.startswith('/image'):
        body = _image_routes(path[len('/image'):])
    elif path.startswith('/network'):
        body = _network_routes(path[len('/network'):])
    if environ['REQUEST_METHOD'] == 'DELETE' and body is None:
        start_response('204 No Content', [])
        return [b'']
    if body is None:
        start_response('404 Not Found', [('Content-Type',
                                          'application/json')])
        return [json.dumps({'error': 'not found: %s' % path}).encode()]
    data = json.dumps(body).encode()
    start_response('200 OK', [('Content-Type', 'application/json'),
                              ('Content-Length', str(len(data)))])
    return [data]


class _Server(socketserver.ThreadingMixIn, simple_server.WSGIServer):
    daemon_threads = True


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    simple_server.make_server(host, port, application,
                              server_class=_Server).serve_forever()


if __name__ == '__main__':
    main()
