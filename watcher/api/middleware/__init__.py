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

"""WSGI filters of watcher-api."""
from watcher.api.middleware.auth import AuthMiddleware
from watcher.api.middleware.body_limit import BodySizeLimitMiddleware
from watcher.api.middleware.parsable_error import ParsableErrorMiddleware
from watcher.api.middleware.request_body import RequestBodyMiddleware
from watcher.api.middleware.server_header import ServerHeaderMiddleware

__all__ = ('AuthMiddleware', 'BodySizeLimitMiddleware',
           'ParsableErrorMiddleware', 'RequestBodyMiddleware',
           'ServerHeaderMiddleware')
