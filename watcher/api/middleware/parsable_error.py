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

"""Gives every error response the body python-watcherclient parses.

Any response with a status of 400 or more leaves as
``{"error_message": "<JSON text of {faultcode, faultstring, debuginfo}>"}``
(the value is a string that itself holds JSON). Faults rendered by the
controllers are wrapped as they are; anything else (a routing 404 or 405
from pecan, a plain-text error) is first turned into such a fault.
"""
import html
import json
import re

_TAG = re.compile(r'<[^>]+>')


def _fault_from_text(status_code, text):
    text = html.unescape(_TAG.sub(' ', text))
    lines = [' '.join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    # webob pages repeat the title ("404 Not Found") before the detail.
    if len(lines) > 1 and lines[0] == lines[1]:
        lines = lines[1:]
    if len(lines) > 1 and lines[0][:3].isdigit():
        lines = lines[1:]
    message = ' '.join(lines) or 'HTTP error %d' % status_code
    return {'faultcode': 'Client' if status_code < 500 else 'Server',
            'faultstring': message, 'debuginfo': None}


def error_body(status_code, raw):
    """The upstream error body for a raw error response body (bytes)."""
    text = raw.decode('utf-8', 'replace')
    try:
        decoded = json.loads(text) if text.strip() else None
    except ValueError:
        decoded = None
    if isinstance(decoded, dict) and 'error_message' in decoded:
        return raw
    if isinstance(decoded, dict) and 'faultstring' in decoded:
        fault_text = text
    else:
        fault_text = json.dumps(_fault_from_text(status_code, text))
    return json.dumps({'error_message': fault_text}).encode('utf-8')


def client_error(start_response, status, message):
    """Answer a WSGI request with ``status`` (e.g. '400 Bad Request') and
    a client fault saying ``message``, in the upstream error body.
    """
    fault = {'faultcode': 'Client', 'faultstring': message,
             'debuginfo': None}
    body = json.dumps({'error_message': json.dumps(fault)}).encode('utf-8')
    start_response(status, [('Content-Type', 'application/json'),
                            ('Content-Length', str(len(body)))])
    return [body]


class ParsableErrorMiddleware:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        captured = {}

        def _start_response(status, headers, exc_info=None):
            try:
                code = int(status.split(None, 1)[0])
            except (ValueError, IndexError):
                code = 500
            captured['code'] = code
            if code < 400:
                return start_response(status, headers, exc_info)
            captured['status'] = status
            captured['headers'] = headers
            captured['exc_info'] = exc_info
            return lambda data: None  # the body is rebuilt below

        app_iter = self.app(environ, _start_response)
        if captured.get('code', 200) < 400:
            return app_iter
        try:
            raw = b''.join(app_iter)
        finally:
            close = getattr(app_iter, 'close', None)
            if close is not None:
                close()
        body = error_body(captured['code'], raw)
        headers = [(k, v) for k, v in captured['headers']
                   if k.lower() not in ('content-type', 'content-length')]
        headers += [('Content-Type', 'application/json'),
                    ('Content-Length', str(len(body)))]
        start_response(captured['status'], headers, captured['exc_info'])
        return [body]
