"""[api] options: where and how the REST API listens."""
from oslo_config import cfg

GROUP = cfg.OptGroup('api', title='Options for the watcher-api service')

OPTS = [
    cfg.PortOpt('port', default=9322, help='Port the API listens on.'),
    cfg.HostAddressOpt('host', default='127.0.0.1',
                       help='Address the API listens on.'),
    cfg.IntOpt('max_limit', default=1000, min=1,
               help='Largest page a collection request may return.'),
    cfg.IntOpt('workers', min=1,
               help='Number of API worker processes (default: CPU count).'),
    cfg.BoolOpt('enable_ssl_api', default=False,
                help='Serve the API over TLS.'),
    cfg.BoolOpt('enable_webhooks_auth', default=True,
                help='Require Keystone authentication on the webhook API. '
                     'When false, unauthenticated calls to '
                     '/v1/webhooks/{audit} are accepted.'),
    cfg.IntOpt('max_request_body_size', default=1048576, min=1024,
               help='Largest accepted request body, in bytes.'),
]


def register_opts(conf):
    conf.register_group(GROUP)
    conf.register_opts(OPTS, group=GROUP)


def list_opts():
    return [(GROUP, OPTS)]
