"""WSGI filters of watcher-api."""
from watcher.api.middleware.auth import AuthMiddleware
from watcher.api.middleware.body_limit import BodySizeLimitMiddleware
from watcher.api.middleware.parsable_error import ParsableErrorMiddleware

__all__ = ('AuthMiddleware', 'BodySizeLimitMiddleware',
           'ParsableErrorMiddleware')
