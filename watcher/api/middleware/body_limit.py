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

"""Refuses request bodies larger than ``[api] max_request_body_size``."""
import io
import json

from oslo_config import cfg

from watcher.common import exception

CONF = cfg.CONF


def _too_large(start_response, size, limit):
    error = exception.RequestBodyTooLarge(size=size, limit=limit)
    fault = {'faultcode': 'Client', 'faultstring': str(error),
             'debuginfo': None}
    body = json.dumps({'error_message': json.dumps(fault)}).encode('utf-8')
    start_response('413 Request Entity Too Large',
                   [('Content-Type', 'application/json'),
                    ('Content-Length', str(len(body)))])
    return [body]


class BodySizeLimitMiddleware:
    def __init__(self, app, limit=None):
        self.app = app
        self._limit = limit

    @property
    def limit(self):
        return self._limit or CONF.api.max_request_body_size

    def __call__(self, environ, start_response):
        limit = self.limit
        length = environ.get('CONTENT_LENGTH')
        if length:
            try:
                size = int(length)
            except ValueError:
                size = None
            if size is None or size < 0:
                fault = {'faultcode': 'Client', 'debuginfo': None,
                         'faultstring': 'Invalid Content-Length header'}
                body = json.dumps(
                    {'error_message': json.dumps(fault)}).encode('utf-8')
                start_response('400 Bad Request',
                               [('Content-Type', 'application/json'),
                                ('Content-Length', str(len(body)))])
                return [body]
            if size > limit:
                return _too_large(start_response, size, limit)
        elif environ.get('HTTP_TRANSFER_ENCODING', '').lower() == 'chunked':
            data = environ['wsgi.input'].read(limit + 1)
            if len(data) > limit:
                return _too_large(start_response, '>%d' % limit, limit)
            environ['wsgi.input'] = io.BytesIO(data)
            environ['CONTENT_LENGTH'] = str(len(data))
            environ.pop('HTTP_TRANSFER_ENCODING', None)
        return self.app(environ, start_response)
