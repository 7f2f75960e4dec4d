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

"""Base class of the simulated services (one per API)."""

import logging

from watcher.simulator import errors
from watcher.simulator import wsgi

LOG = logging.getLogger(__name__)


class Service:
    """A WSGI-ish service mounted under ``prefix``.

    Subclasses fill :attr:`router` in :meth:`routes` and may override
    :meth:`error_body` to speak their API's error format, and
    :attr:`microversions` to negotiate versions.
    """

    prefix = ''
    microversions = None

    def __init__(self, cloud):
        self.cloud = cloud
        self.router = wsgi.Router()
        self.routes()

    def routes(self):
        raise NotImplementedError

    def error_body(self, exc):
        return {'error': {'code': exc.code, 'title': exc.title,
                          'message': exc.message}}

    def url(self, req, path=''):
        return '%s%s%s' % (req.host_url, self.prefix, path)

    def __call__(self, req, path):
        version = None
        try:
            handler, params = self.router.match(req.method, path)
            if handler is None:
                raise errors.NotFound('The resource could not be found.')
            if self.microversions is not None:
                version = self.microversions.requested(req)
                req.environ['simulator.version'] = version
            resp = handler(req, **params)
        except errors.SimulatorError as exc:
            resp = wsgi.json_response(self.error_body(exc), status=exc.code)
        except Exception as exc:  # pragma: no cover - a simulator bug
            LOG.exception('simulator failure on %s %s', req.method,
                          req.path)
            err = errors.SimulatorError('Unexpected error: %s' % exc)
            resp = wsgi.json_response(self.error_body(err), status=500)
        if self.microversions is not None:
            for key, value in self.microversions.headers(
                    version or self.microversions.default).items():
                resp.headers[key] = value
        resp.headers.setdefault('x-openstack-request-id',
                                'req-%s' % self.cloud.new_request_id())
        return resp

    @staticmethod
    def version(req):
        return req.environ.get('simulator.version', (1, 0))
