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

"""Small WSGI toolkit shared by the simulated services: routing, JSON
answers, microversion negotiation and paging parameters."""

import json
import re
import urllib.parse

import webob

from watcher.simulator import errors


def json_response(body, status=200, headers=None):
    resp = webob.Response(status=status, charset='UTF-8')
    if body is not None:
        resp.content_type = 'application/json'
        resp.body = json.dumps(body).encode('utf-8')
    else:
        resp.content_type = None
        resp.body = b''
    for key, value in (headers or {}).items():
        resp.headers[key] = value
    return resp


def text_response(text, content_type='text/plain', status=200):
    resp = webob.Response(status=status, charset='UTF-8')
    resp.content_type = content_type
    resp.body = text.encode('utf-8')
    return resp


def read_json(req, required=True):
    if not req.body:
        if required:
            raise errors.BadRequest('The request body is missing.')
        return {}
    try:
        return json.loads(req.body)
    except ValueError:
        raise errors.BadRequest('Malformed request body')


class Router:
    """Method + path template (``/servers/{id}/action``) -> handler."""

    def __init__(self):
        self.routes = []

    def add(self, method, template, handler):
        pattern = '^' + re.sub(r'\{(\w+)\}', r'(?P<\1>[^/]+)',
                               template.rstrip('/')) + '/?$'
        self.routes.append((method, re.compile(pattern), handler))

    def match(self, method, path):
        allowed = False
        for m, pattern, handler in self.routes:
            found = pattern.match(path)
            if found:
                if m == method or (m == 'GET' and method == 'HEAD'):
                    return handler, {k: urllib.parse.unquote(v)
                                     for k, v in found.groupdict().items()}
                allowed = True
        if allowed:
            raise MethodNotAllowed()
        return None, None


class MethodNotAllowed(errors.SimulatorError):
    code = 405
    title = 'Method Not Allowed'

    def __init__(self):
        super().__init__('The method is not allowed for this resource.')


class Microversions:
    """Microversion negotiation of one service.

    ``service`` is the name used in ``OpenStack-API-Version`` (compute,
    placement, volume, baremetal); ``legacy`` the old header name if any.
    """

    def __init__(self, service, minimum, maximum, legacy=None,
                 default=None):
        self.service = service
        self.minimum = self.parse(minimum)
        self.maximum = self.parse(maximum)
        self.default = self.parse(default or minimum)
        self.legacy = legacy

    @staticmethod
    def parse(text):
        major, minor = str(text).split('.')
        return int(major), int(minor)

    @staticmethod
    def fmt(version):
        return '%d.%d' % version

    def requested(self, req):
        value = None
        header = req.headers.get('OpenStack-API-Version')
        if header:
            for part in header.split(','):
                words = part.strip().split()
                if len(words) == 2 and words[0].lower() == self.service:
                    value = words[1]
        if value is None and self.legacy:
            value = req.headers.get(self.legacy)
        if value is None:
            return self.default
        value = value.strip()
        if value == 'latest':
            return self.maximum
        try:
            version = self.parse(value)
        except ValueError:
            raise errors.BadRequest('Invalid API version request: %s'
                                    % value)
        if not self.minimum <= version <= self.maximum:
            raise errors.NotAcceptable(
                'Version %s is not supported by the API. Minimum is %s and '
                'maximum is %s.' % (value, self.fmt(self.minimum),
                                    self.fmt(self.maximum)))
        return version

    def headers(self, version):
        text = self.fmt(version)
        out = {'OpenStack-API-Version': '%s %s' % (self.service, text),
               'Vary': 'OpenStack-API-Version'}
        if self.legacy:
            out[self.legacy] = text
            out['Vary'] += ', ' + self.legacy
        return out


def int_param(req, name, default=None, minimum=0):
    value = req.GET.get(name)
    if value is None or value == '':
        return default
    try:
        number = int(value)
    except ValueError:
        raise errors.BadRequest("Invalid input for query parameters %s. "
                                "Value: %s. '%s' is not an integer"
                                % (name, value, value))
    if number < minimum:
        raise errors.BadRequest('Invalid input for query parameters %s. '
                                'Value: %s. must be >= %d'
                                % (name, value, minimum))
    return number


def bool_param(req, name, default=False):
    value = req.GET.get(name)
    if value is None:
        return default
    return value.strip().lower() in ('1', 'true', 'yes', 'on', 't', 'y')


def next_href(req, marker, limit):
    params = [(k, v) for k, v in req.GET.items() if k not in ('marker',
                                                              'limit')]
    params.append(('limit', str(limit)))
    params.append(('marker', marker))
    return '%s%s?%s' % (req.host_url, req.script_name + req.path_info,
                        urllib.parse.urlencode(params))


def base_url(req):
    return req.host_url
