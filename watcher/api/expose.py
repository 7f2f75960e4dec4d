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

"""How controller methods are exposed: WSME-typed input, JSON output.

``@expose(arg types..., body=BodyType, status_code=...)`` validates the
path, query and body arguments with WSME types, calls the method and
renders what it returns (a dict or a list, or ``None`` for an empty body)
as JSON. Every exception a method raises becomes a fault document
``{"faultcode", "faultstring", "debuginfo"}`` with the exception's HTTP
code; the parsable-error middleware wraps that into the upstream error
body. This is the one place where faults are shaped.
"""
import functools
import inspect
import json
import logging
from http import HTTPStatus

from oslo_db import exception as db_exc
import oslo_messaging
import pecan
from pecan import util as pecan_util
import webob.exc
import wsme
import wsme.api
import wsme.exc
import wsme.rest.args
import wsme.types

from watcher.common import exception

LOG = logging.getLogger(__name__)


def fault_of(error):
    """(status code, fault dict) for any exception."""
    if isinstance(error, exception.WatcherException):
        code, message = error.code, str(error)
    elif isinstance(error, wsme.exc.ClientSideError):
        code, message = error.code, error.faultstring
    elif isinstance(error, webob.exc.HTTPException):
        code = error.code
        message = error.detail or error.explanation or error.title
    else:
        code, message = _library_fault(error)
    if not isinstance(code, int) or not 400 <= code < 600:
        code = 500
    if code >= 500:
        LOG.error('Server-side error %s: %s', code, message,
                  exc_info=(type(error), error, error.__traceback__))
    faultcode = 'Client' if code < 500 else 'Server'
    return code, {'faultcode': faultcode, 'faultstring': message,
                  'debuginfo': None}


def _library_fault(error):
    if isinstance(error, db_exc.DBDuplicateEntry):
        return 409, 'A resource with the same unique key already exists'
    if isinstance(error, db_exc.DBReferenceError):
        return 409, 'The resource is referenced by another resource'
    if isinstance(error, oslo_messaging.MessagingTimeout):
        return 503, 'The decision engine did not answer in time'
    if isinstance(error, oslo_messaging.MessagingException):
        return 503, 'The messaging service is not available'
    return 500, 'Internal Server Error'


def fault_body(code, fault):
    return json.dumps(fault).encode('utf-8')


def _render(result, status_code):
    response = pecan.response
    response.status = status_code
    if result is None or status_code == HTTPStatus.NO_CONTENT:
        response.body = b''
        # No body, hence no Content-Type (what the reference answers).
        response.content_type = None
        if 'Content-Type' in response.headers:
            del response.headers['Content-Type']
        return response
    response.body = json.dumps(result).encode('utf-8')
    response.content_type = 'application/json'
    response.charset = None
    return response


def render_fault(error):
    code, fault = fault_of(error)
    response = pecan.response
    response.status = code
    response.body = fault_body(code, fault)
    response.content_type = 'application/json'
    response.charset = None
    for name, value in getattr(error, 'headers', {}).items():
        response.headers[name] = value
    return response


def _body_shape_problem(body_type, raw):
    """What the JSON body should have been, when its shape is wrong.

    WSME meets a list where it wants an object (or the reverse) with a
    Python error about ``keys``; the user is told what to send instead.
    """
    if body_type is None or not raw:
        return None
    try:
        document = json.loads(raw)
    except ValueError:
        return None  # WSME names the syntax error
    if document is None:
        return None
    if isinstance(body_type, wsme.types.ArrayType):
        if not isinstance(document, list):
            return 'a JSON array'
        if wsme.types.iscomplex(body_type.item_type) and not all(
                isinstance(item, dict) or item is None for item in document):
            return 'a JSON array of objects'
    elif wsme.types.iscomplex(body_type) and not isinstance(document, dict):
        return 'a JSON object'
    return None


def _parse_args(funcdef, args, kwargs, request):
    expected = _body_shape_problem(funcdef.body_type, request.body)
    if expected:
        raise wsme.exc.ClientSideError(
            'Invalid request: the body must be %s.' % expected)
    try:
        args, kwargs = wsme.rest.args.get_args(
            funcdef, args, kwargs, request.params, None, request.body,
            request.content_type)
        body_type = funcdef.body_type
        if body_type is not None and not wsme.types.isusertype(body_type):
            # An object or a list is expected: JSON null is no body.
            name = funcdef.arguments[-1].name
            if kwargs.get(name) is None:
                raise wsme.exc.MissingArgument(name)
            if isinstance(kwargs[name], list) and None in kwargs[name]:
                raise wsme.exc.ClientSideError(
                    'Invalid input for field/attribute %s: null items are '
                    'not allowed' % name)
        return args, kwargs
    except (wsme.exc.ClientSideError, exception.WatcherException):
        raise
    except UnicodeDecodeError:
        raise wsme.exc.ClientSideError('Request body is not UTF-8 text')
    except Exception as e:
        # WSME lets some conversions fail with plain Python errors (a
        # list where an object is expected, ...): that is bad input.
        LOG.debug('Request arguments not converted: %r', e)
        raise wsme.exc.ClientSideError(
            'Invalid request: the body or the parameters do not have the '
            'expected form.')


def expose(*arg_types, body=None, status_code=HTTPStatus.OK):
    """Expose a controller method (see the module docstring)."""

    def decorate(f):
        wsme.signature(None, *arg_types, body=body,
                       status_code=int(status_code),
                       rest_content_types=('json',))(f)
        funcdef = wsme.api.FunctionDefinition.get(f)
        funcdef.resolve_types(wsme.types.registry)

        @functools.wraps(f)
        def callfunction(self, *args, **kwargs):
            request = pecan.request
            try:
                args, kwargs = _parse_args(funcdef, args, kwargs, request)
                result = f(self, *args, **kwargs)
            except Exception as error:
                return render_fault(error)
            return _render(result, int(status_code))

        pecan.expose(content_type='application/json', generic=False)(
            callfunction)
        pecan_util._cfg(callfunction)['argspec'] = inspect.getfullargspec(f)
        callfunction._wsme_definition = funcdef
        return callfunction

    return decorate
