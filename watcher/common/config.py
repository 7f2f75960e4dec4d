"""Process-wide configuration set-up shared by every entry point."""
from oslo_config import cfg
from oslo_log import log
from oslo_middleware import cors

from watcher import conf as _conf  # noqa: F401  (registers every option)
from watcher import version


def set_lib_defaults():
    """Defaults of library options that differ for watcher."""
    cors.set_defaults(
        allow_headers=['X-Auth-Token', 'X-OpenStack-Request-ID',
                       'X-Identity-Status', 'X-Roles', 'X-Service-Catalog',
                       'X-User-Id', 'X-Tenant-Id',
                       'OpenStack-API-Version'],
        expose_headers=['X-Auth-Token', 'X-OpenStack-Request-ID',
                        'X-Subject-Token', 'X-Service-Token',
                        'OpenStack-API-Version',
                        'OpenStack-API-Minimum-Version',
                        'OpenStack-API-Maximum-Version'],
        allow_methods=['GET', 'PUT', 'POST', 'DELETE', 'PATCH'])


def parse_args(argv, default_config_files=None):
    """Register logging options, parse argv and config files, set up logs."""
    log.register_options(cfg.CONF)
    set_lib_defaults()
    cfg.CONF(argv[1:], project='watcher',
             version=version.version_string(),
             default_config_files=default_config_files)
    log.setup(cfg.CONF, 'watcher')
