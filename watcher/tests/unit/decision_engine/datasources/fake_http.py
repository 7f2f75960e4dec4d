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

"""A tiny loopback HTTP server for datasource tests (no fixed port).

``server = FakeHTTP({'/api/v1/query': handler, ...})`` where a handler
is ``handler(query_dict, headers) -> (status, json_body)`` or a plain
JSON-able body; every request is recorded in ``server.requests`` as
``(path, query_dict, headers)``.
"""
import http.server
import json
import threading
from urllib import parse

import fixtures


class FakeHTTP(fixtures.Fixture):

    def __init__(self, routes):
        super().__init__()
        self.routes = dict(routes)
        self.requests = []

    def _setUp(self):
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                url = parse.urlsplit(self.path)
                query = {k: v[0] if len(v) == 1 else v for k, v in
                         parse.parse_qs(url.query).items()}
                fake.requests.append((url.path, query, dict(self.headers)))
                route = fake.routes.get(url.path)
                if route is None:
                    status, body = 404, {'error': 'no route'}
                elif callable(route):
                    answer = route(query, dict(self.headers))
                    status, body = (answer if isinstance(answer, tuple)
                                    else (200, answer))
                else:
                    status, body = 200, route
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_POST = do_GET

        self.httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0),
                                                     Handler)
        self.port = self.httpd.server_address[1]
        self.url = 'http://127.0.0.1:%d' % self.port
        thread = threading.Thread(target=self.httpd.serve_forever,
                                  kwargs={'poll_interval': 0.05},
                                  daemon=True)
        thread.start()
        self.addCleanup(thread.join, 5)
        self.addCleanup(self.httpd.server_close)
        self.addCleanup(self.httpd.shutdown)

    def queries(self, path='/api/v1/query'):
        return [q.get('query') for p, q, _ in self.requests if p == path]
