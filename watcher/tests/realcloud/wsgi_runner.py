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

"""Serve an OpenStack WSGI application on loopback (runs in the cloud venv).

Usage: python wsgi_runner.py MODULE:ATTRIBUTE HOST PORT [PREFIX]

With PREFIX (e.g. /identity) the application is mounted under that path,
as a web server's alias would do it.

Keystone's and Nova's WSGI modules parse sys.argv with oslo.config when they
are imported, so this runner's own arguments are removed first. Responses
are HTTP/1.0 without keep-alive: keystoneauth clients otherwise see
connection resets from the single-threaded request handlers.
"""
import importlib
import socketserver
import sys
from wsgiref import simple_server


class _QuietHandler(simple_server.WSGIRequestHandler):
    def log_message(self, fmt, *args):
        sys.stderr.write('%s %s\n' % (self.address_string(), fmt % args))


class _ThreadingServer(socketserver.ThreadingMixIn,
                       simple_server.WSGIServer):
    daemon_threads = True
    allow_reuse_address = False


def _mounted(application, prefix):
    def app(environ, start_response):
        path = environ.get('PATH_INFO', '')
        if path == prefix or path.startswith(prefix + '/'):
            environ['SCRIPT_NAME'] = prefix
            environ['PATH_INFO'] = path[len(prefix):]
        return application(environ, start_response)
    return app


def main():
    target, host, port = sys.argv[1:4]
    prefix = sys.argv[4] if len(sys.argv) > 4 else ''
    sys.argv = sys.argv[:1]
    module_name, attribute = target.split(':')
    application = getattr(importlib.import_module(module_name), attribute)
    if prefix:
        application = _mounted(application, prefix)
    server = simple_server.make_server(host, int(port), application,
                                       server_class=_ThreadingServer,
                                       handler_class=_QuietHandler)
    sys.stderr.write('serving %s on %s:%s\n' % (target, host, port))
    sys.stderr.flush()
    server.serve_forever()


if __name__ == '__main__':
    main()
