"""WSGI filters of watcher-api."""
from watcher.api.middleware.auth import AuthMiddleware
from watcher.api.middleware.body_limit import BodySizeLimitMiddleware
from watcher.api.middleware.parsable_error import ParsableErrorMiddleware
from watcher.api.middleware.request_body import RequestBodyMiddleware
from watcher.api.middleware.server_header import ServerHeaderMiddleware

__all__ = ('AuthMiddleware', 'BodySizeLimitMiddleware',
           'ParsableErrorMiddleware', 'RequestBodyMiddleware',
           'ServerHeaderMiddleware')
