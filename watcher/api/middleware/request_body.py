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

"""Checks that a request body can be decoded before the controllers see it.

The API only understands JSON. A body that cannot be read as such (cut
short by the client, an unknown charset, a multipart form, JSON nested
deeper than any request of the API, a bare JSON string or number), or a
NUL character in the path or the query (PostgreSQL fails on it), is
answered here with a 4xx and the standard error body, so that no library
further down meets it and fails with a 500.
"""
import codecs
import io
import json
import urllib.parse

from watcher.api.middleware import parsable_error

# No request of the API nests deeper than a few levels; strategy
# parameters are the deepest. The limit keeps the JSON decoder (and WSME's
# converters, which recurse) far from the interpreter's recursion limit.
MAX_JSON_DEPTH = 32
_WITH_BODY = ('POST', 'PUT', 'PATCH')


def _media_type(environ):
    """(media type, parameters) of the request's Content-Type."""
    parts = environ.get('CONTENT_TYPE', '').split(';')
    media = parts[0].strip().lower()
    params = {}
    for part in parts[1:]:
        key, _, value = part.partition('=')
        params[key.strip().lower()] = value.strip().strip('"')
    return media, params


def _has_nul(environ):
    query = urllib.parse.unquote(environ.get('QUERY_STRING', ''))
    return '\x00' in environ.get('PATH_INFO', '') or '\x00' in query


def _read_body(environ, length):
    """The body, or None when the client sent fewer than ``length`` bytes."""
    stream = environ['wsgi.input']
    chunks = []
    remaining = length
    while remaining > 0:
        chunk = stream.read(remaining)
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b''.join(chunks)


def _depth(document):
    """How deeply arrays and objects nest in a decoded JSON document."""
    deepest = 0
    pending = [(document, 1)]
    while pending:
        value, level = pending.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            deepest = max(deepest, level)
            pending.extend((item, level + 1) for item in value)
    return deepest


def _json_problem(text):
    """What is wrong with ``text`` as a request body, or None.

    Syntax errors are left to the controllers, which already name them.
    """
    try:
        document = json.loads(text)
    except RecursionError:
        return ('The request body nests JSON arrays or objects more than '
                '%d levels deep.' % MAX_JSON_DEPTH)
    except ValueError:
        return None
    if not isinstance(document, (dict, list)):
        return ('The request body must be a JSON object (or, for PATCH, '
                'a JSON array of patch operations), not %s.'
                % json.dumps(document)[:40])
    if _depth(document) > MAX_JSON_DEPTH:
        return ('The request body nests JSON arrays or objects more than '
                '%d levels deep.' % MAX_JSON_DEPTH)
    return None


class RequestBodyMiddleware:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if _has_nul(environ):
            # PostgreSQL cannot compare or store it: refused everywhere
            return parsable_error.client_error(
                start_response, '400 Bad Request',
                'The request path or query contains a NUL character.')
        # webob parses a form body on any method (DELETE, GET too)
        media, params = _media_type(environ)
        if media.startswith('multipart/'):
            return parsable_error.client_error(
                start_response, '415 Unsupported Media Type',
                'The request body must be application/json, not %s.'
                % media)
        charset = params.get('charset') or 'utf-8'
        try:
            codecs.lookup(charset)
        except LookupError:
            return parsable_error.client_error(
                start_response, '415 Unsupported Media Type',
                "The charset '%s' of the request body is unknown; send "
                "UTF-8." % charset[:40])
        if environ.get('REQUEST_METHOD') not in _WITH_BODY:
            return self.app(environ, start_response)
        length = int(environ.get('CONTENT_LENGTH') or 0)
        if length <= 0:
            return self.app(environ, start_response)
        body = _read_body(environ, length)
        if body is None:
            return parsable_error.client_error(
                start_response, '400 Bad Request',
                'The request body is shorter than its Content-Length '
                '(%d bytes).' % length)
        environ['wsgi.input'] = io.BytesIO(body)
        # WSME reads the body as JSON whatever the declared type
        try:
            text = body.decode(charset)
        except UnicodeDecodeError:
            return parsable_error.client_error(
                start_response, '400 Bad Request',
                'The request body is not valid %s text.' % charset)
        problem = _json_problem(text)
        if problem:
            return parsable_error.client_error(
                start_response, '400 Bad Request', problem)
        return self.app(environ, start_response)
