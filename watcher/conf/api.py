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

"""[api] options: where and how the REST API listens."""
from oslo_config import cfg

GROUP = cfg.OptGroup('api', title='Options for the watcher-api service')

OPTS = [
    cfg.PortOpt('port', default=9322, help='Port the API listens on.'),
    cfg.HostAddressOpt('host', default='127.0.0.1',
                       help='Address the API listens on.'),
    cfg.IntOpt('max_limit', default=1000, min=1, mutable=True,
               help='Largest page a collection request may return. A '
                    'SIGHUP to watcher-api (or watcher-all) applies a new '
                    'value.'),
    cfg.IntOpt('workers', min=1,
               help='Number of API worker processes (default: CPU count).'),
    cfg.IntOpt('worker_threads', default=1, min=1,
               help='Requests one API worker process serves at a time. '
                    'With 1 (the default) a worker serves requests one '
                    'after the other while the others wait in the '
                    'listening queue: Python threads of one process share '
                    'one CPU, so more threads make CPU-bound requests '
                    'slower. Raise it (or workers) when requests wait long '
                    'on other services, such as data model or strategy '
                    'state requests on a busy decision engine.'),
    cfg.IntOpt('client_socket_timeout', default=5, min=1,
               help='Seconds watcher-api waits for each read of a '
                    'request it has started to receive (line, headers, '
                    'body) and each write of the response before dropping '
                    'the connection, and how long a kept-alive connection '
                    'may stay idle. A worker serves one request at a time, '
                    'so this bounds how long a client that stalls mid-'
                    'request keeps the others waiting (an idle connection '
                    'holds no worker). Under uwsgi, its socket-timeout '
                    'setting does the same.'),
    cfg.BoolOpt('enable_ssl_api', default=False,
                help='Ignored: watcher-api serves plain HTTP; terminate TLS '
                     'in uwsgi (https-socket) or in a proxy in front of '
                     'the API. Accepted so that a configuration file '
                     'written for upstream watcher loads; a warning is '
                     'logged when it is set.'),
    cfg.BoolOpt('enable_webhooks_auth', default=True,
                help='Require Keystone authentication on the webhook API. '
                     'When false, unauthenticated calls to '
                     '/v1/webhooks/{audit} are accepted.'),
    cfg.IntOpt('max_request_body_size', default=1048576, min=1024,
               help='Largest accepted request body, in bytes.'),
]


# Options that do nothing here; config.warn_ignored_options() names them
# when a configuration file sets them.
IGNORED = [(GROUP.name, 'enable_ssl_api')]


def register_opts(conf):
    conf.register_group(GROUP)
    conf.register_opts(OPTS, group=GROUP)


def list_opts():
    return [(GROUP, OPTS)]
