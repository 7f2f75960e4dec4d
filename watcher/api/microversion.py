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

"""Microversions of the infra-optim API: the one place that knows them.

Every version the service speaks is listed below with what it brought.
A request names the version it wants in ``OpenStack-API-Version:
infra-optim X.Y`` (``latest`` means the newest); without the header it is
served at the oldest one. The WSGI filter of this module negotiates the
version of every ``/v1`` request, answers 406 for versions outside the
supported range and stamps the version headers on every ``/v1`` response.
Controllers only ever ask :func:`allows` ("is this request at least 1.5?"),
and their views name the fields newer than 1.0 in a ``VERSIONED_FIELDS``
table (field -> the version that brought it) that :func:`hide_newer_fields`
applies.
"""
import functools
import json

import pecan

from watcher.common.i18n import _

SERVICE_TYPE = 'infra-optim'
HEADER = 'OpenStack-API-Version'
MIN_HEADER = 'OpenStack-API-Minimum-Version'
MAX_HEADER = 'OpenStack-API-Maximum-Version'
ENVIRON_KEY = 'watcher.api_version'

# (minor, what it added). Major version is always 1.
VERSIONS = (
    (0, 'Baseline: goals, strategies (+state), audit templates, audits, '
        'action plans (start/cancel, efficacy), actions, services, '
        'scoring engines.'),
    (1, 'Audit start_time and end_time (create and show).'),
    (2, 'Audit force flag (create).'),
    (3, 'GET /v1/data_model.'),
    (4, 'POST /v1/webhooks/{audit} for EVENT audits.'),
    (5, 'PATCH /v1/actions/{uuid} (skip an action); status_message on '
        'audits, action plans and actions.'),
    (6, 'Data model rows carry server_pinned_az and '
        'server_flavor_extra_specs.'),
    (7, 'Audit template default_parameters.'),
)

MAJOR = 1
MIN_MINOR = VERSIONS[0][0]
MAX_MINOR = VERSIONS[-1][0]
MIN_VERSION_STRING = '%d.%d' % (MAJOR, MIN_MINOR)
MAX_VERSION_STRING = '%d.%d' % (MAJOR, MAX_MINOR)

# Names for the versions controllers ask about, so that a reader sees
# what a check is for.
START_END_TIME = '1.1'
FORCE = '1.2'
DATA_MODEL = '1.3'
WEBHOOK = '1.4'
SKIP_ACTION = '1.5'
STATUS_MESSAGE = '1.5'
EXTENDED_COMPUTE_MODEL = '1.6'
DEFAULT_PARAMETERS = '1.7'


class Version(tuple):
    """A (major, minor) pair that prints as ``X.Y``."""

    def __new__(cls, major, minor):
        return super().__new__(cls, (int(major), int(minor)))

    @property
    def major(self):
        return self[0]

    @property
    def minor(self):
        return self[1]

    def __str__(self):
        return '%d.%d' % self

    @classmethod
    def parse(cls, text):
        """``'1.5'`` -> Version(1, 5); ValueError on anything else."""
        major, sep, minor = text.strip().partition('.')
        if not sep or not major.isdigit() or not minor.isdigit():
            raise ValueError(text)
        return cls(major, minor)


MIN_VERSION = Version(MAJOR, MIN_MINOR)
MAX_VERSION = Version(MAJOR, MAX_MINOR)


class VersionNotAcceptable(Exception):
    def __init__(self, message, requested=None):
        super().__init__(message)
        self.message = message
        self.requested = requested


def _requested_text(environ):
    """The infra-optim part of the version header, or None."""
    raw = environ.get('HTTP_OPENSTACK_API_VERSION')
    if raw is None:
        return None
    for item in raw.split(','):
        service, _sep, value = item.strip().partition(' ')
        if service.strip().lower() == SERVICE_TYPE:
            return value.strip()
    return None


def negotiate(environ):
    """The Version a request is served at; VersionNotAcceptable if none."""
    text = _requested_text(environ)
    if text is None or text == '':
        return MIN_VERSION
    if text.lower() == 'latest':
        return MAX_VERSION
    try:
        version = Version.parse(text)
    except ValueError:
        raise VersionNotAcceptable(
            _('Invalid value for %(header)s header: %(value)s. The '
              'supported version range is: [%(min)s, %(max)s].') %
            {'header': HEADER, 'value': text, 'min': MIN_VERSION,
             'max': MAX_VERSION})
    if version.major != MAJOR:
        raise VersionNotAcceptable(
            _('Mutually exclusive versions requested. Version %(ver)s '
              'requested but not supported by this service. The supported '
              'version range is: [%(min)s, %(max)s].') %
            {'ver': version, 'min': MIN_VERSION, 'max': MAX_VERSION},
            requested=version)
    if not MIN_VERSION <= version <= MAX_VERSION:
        raise VersionNotAcceptable(
            _('Version %(ver)s was requested but the minor version is not '
              'supported by this service. The supported version range is: '
              '[%(min)s, %(max)s].') %
            {'ver': version, 'min': MIN_VERSION, 'max': MAX_VERSION},
            requested=version)
    return version


@functools.lru_cache(maxsize=None)
def _parsed(text):
    return Version.parse(text)


def _as_version(value):
    if isinstance(value, Version):
        return value
    return _parsed(value)


def request_version(request_or_environ=None):
    """The negotiated Version of a request (webob request or environ)."""
    if request_or_environ is None:
        request_or_environ = pecan.request
    environ = getattr(request_or_environ, 'environ', request_or_environ)
    return environ.get(ENVIRON_KEY, MIN_VERSION)


def allows(request_or_version, minimum=None):
    """True when the request (or a Version) is at least ``minimum``.

    ``allows('1.5')`` asks about the current pecan request;
    ``allows(request, '1.5')`` about a given request or environ.
    """
    if minimum is None:
        minimum, request_or_version = request_or_version, None
    if isinstance(request_or_version, Version):
        version = request_or_version
    else:
        version = request_version(request_or_version)
    return version >= _as_version(minimum)


def hide_newer_fields(doc, versioned_fields, request_or_version=None):
    """Drop from ``doc`` (a view, modified and returned) the fields of
    ``versioned_fields`` ({field: minimum version}) that the request (the
    current pecan request by default) is too old to see.
    """
    version = (request_or_version if isinstance(request_or_version, Version)
               else request_version(request_or_version))
    for field, minimum in versioned_fields.items():
        if field in doc and version < _as_version(minimum):
            del doc[field]
    return doc


def _not_acceptable_body(message):
    # The wording and HTML wrapping are what the reference service answers
    # (its error text is webob's 406 page, carried as a string).
    page = ('<html>\n <head>\n  <title>406 Not Acceptable</title>\n'
            ' </head>\n <body>\n  <h1>406 Not Acceptable</h1>\n'
            '  The resource could not be generated that was acceptable to '
            'your browser\n(content of type */*. <br /><br />\n'
            '%s\n </body>\n</html>' % message)
    return json.dumps({'error_message': page}).encode('utf-8')


def is_versioned_path(path):
    return path == '/v1' or path.startswith('/v1/')


class MicroversionMiddleware:
    """Negotiates the version of /v1 requests and stamps the headers."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if not is_versioned_path(environ.get('PATH_INFO', '') or '/'):
            return self.app(environ, start_response)

        common = [('Vary', HEADER),
                  (MIN_HEADER, MIN_VERSION_STRING),
                  (MAX_HEADER, MAX_VERSION_STRING)]
        try:
            version = negotiate(environ)
        except VersionNotAcceptable as exc:
            body = _not_acceptable_body(exc.message)
            start_response('406 Not Acceptable',
                           common + [('Content-Type', 'application/json'),
                                     ('Content-Length', str(len(body)))])
            return [body]

        environ[ENVIRON_KEY] = version
        stamp = common + [(HEADER, '%s %s' % (SERVICE_TYPE, version))]

        def _start_response(status, headers, exc_info=None):
            names = {name.lower() for name, _v in stamp}
            headers = [(k, v) for k, v in headers
                       if k.lower() not in names] + stamp
            return start_response(status, headers, exc_info)

        return self.app(environ, _start_response)
