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
