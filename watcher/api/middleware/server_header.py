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

"""Names the service, not the Python WSGI server and version, in ``Server``.

Servers such as wsgiref only add their own ``Server`` header when the
application did not set one.
"""
SERVER = 'OpenStack-Watcher'


class ServerHeaderMiddleware:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        def _start_response(status, headers, exc_info=None):
            headers = [(k, v) for k, v in headers if k.lower() != 'server']
            headers.append(('Server', SERVER))
            return start_response(status, headers, exc_info)
        return self.app(environ, _start_response)
