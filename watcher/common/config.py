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

"""Process-wide configuration set-up shared by every entry point."""
from oslo_config import cfg
from oslo_log import log
from oslo_middleware import cors

from watcher import conf as watcher_conf  # registers every option
from watcher import version

LOG = log.getLogger(__name__)


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
    warn_ignored_options(cfg.CONF)


def warn_ignored_options(conf):
    """Log a warning for each option kept only for upstream compatibility
    that the configuration sets; returns their ``group.name``s.
    """
    found = []
    for group, name in ignored_options():
        try:
            where = conf.get_location(name, group)
        except (cfg.NoSuchOptError, cfg.NoSuchGroupError):
            continue  # a ConfigOpts without that module's options
        if where is not None and where.location in (
                cfg.Locations.user, cfg.Locations.command_line,
                cfg.Locations.environment):
            found.append('%s.%s' % (group or 'DEFAULT', name))
    for option in found:
        LOG.warning('Option %s is set but ignored: watcher accepts it only '
                    'so that configuration files written for upstream '
                    'watcher load (see its help)', option)
    return found


def ignored_options():
    """``(group, name)`` of every option kept only for upstream
    configuration files (``None``: ``[DEFAULT]``).
    """
    return [item for module in watcher_conf.MODULES
            for item in getattr(module, 'IGNORED', [])]
