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

"""Options of the cloud services watcher talks to through openstacksdk.

[watcher_clients_auth] holds the service credentials; [nova], [placement],
[cinder], [ironic] and [keystone] are keystoneauth adapter groups whose
unset values fall back to [watcher_clients_auth]. The *_client groups are
kept for configuration files written for older releases.
"""
from keystoneauth1 import loading as ka_loading
from oslo_config import cfg

CLIENTS_AUTH_GROUP = 'watcher_clients_auth'

NOVA_OPTS = [
    cfg.IntOpt('migration_max_retries', default=180, min=1,
               help='Polls of a migration before it is declared failed.'),
    cfg.FloatOpt('migration_interval', default=5.0, min=0.0,
                 help='Seconds between two polls of a migration.'),
    cfg.IntOpt('delete_max_retries', default=15, min=1,
               help='Polls of a server deletion.'),
    cfg.FloatOpt('delete_interval', default=1.0, min=0.0,
                 help='Seconds between two polls of a deletion.'),
    cfg.IntOpt('shelve_max_retries', default=15, min=1,
               help='Polls of a shelve.'),
    cfg.FloatOpt('shelve_interval', default=1.0, min=0.0,
                 help='Seconds between two polls of a shelve.'),
    cfg.IntOpt('http_retries', default=3, min=0,
               help='Ignored (use connect_retries and status_code_retries '
                    'of this group): accepted so that a configuration file '
                    'written for upstream watcher loads; a warning is '
                    'logged when it is set.'),
    cfg.FloatOpt('http_retry_interval', default=2.0, min=0.0,
                 help='Ignored (use connect_retry_delay and '
                      'status_code_retry_delay of this group): accepted so '
                      'that a configuration file written for upstream '
                      'watcher loads; a warning is logged when it is '
                      'set.'),
    cfg.StrOpt('api_version', default='2.56',
               help='Lowest compute microversion watcher asks for.'),
]

# Options that do nothing here; config.warn_ignored_options() names them
# when a configuration file sets them.
IGNORED = [('nova', 'http_retries'), ('nova', 'http_retry_interval')]

IRONIC_OPTS = [
    cfg.StrOpt('system_scope',
               help='Keystone system scope (``all``) of the token watcher '
                    'sends to Ironic, obtained with the '
                    '[watcher_clients_auth] user and password instead of '
                    'their project. Ironic\'s default policies give a '
                    'project-scoped token only the nodes its project owns '
                    'or leases (the baremetal model stays empty and '
                    'saving_energy plans nothing); a system-scoped token of '
                    'a user with the member role on the system sees and '
                    'powers every node. Unset: the project-scoped token '
                    'used for the other services.'),
]

ADAPTER_GROUPS = {
    'nova': ('compute', NOVA_OPTS),
    'placement': ('placement', []),
    'cinder': ('block-storage', []),
    'ironic': ('baremetal', IRONIC_OPTS),
    'keystone': ('identity', []),
}


def _legacy(name, api_version, endpoint_type='publicURL'):
    return (cfg.OptGroup(name), [
        cfg.StrOpt('api_version', default=api_version,
                   help='API version (legacy option).'),
        cfg.StrOpt('endpoint_type', default=endpoint_type,
                   help='Catalog interface (legacy option).'),
        cfg.StrOpt('region_name', help='Region (legacy option).'),
    ])


LEGACY_GROUPS = [
    _legacy('nova_client', '2.56'),
    _legacy('cinder_client', '3'),
    _legacy('ironic_client', '1'),
    (cfg.OptGroup('placement_client'), [
        cfg.StrOpt('api_version', default='1.29',
                   help='Placement microversion (legacy option).'),
        cfg.StrOpt('interface', default='public',
                   help='Catalog interface (legacy option).'),
        cfg.StrOpt('region_name', help='Region (legacy option).'),
    ]),
    (cfg.OptGroup('keystone_client'), [
        cfg.StrOpt('interface', default='public',
                   help='Catalog interface (legacy option).'),
        cfg.StrOpt('region_name', help='Region (legacy option).'),
    ]),
]


def register_opts(conf):
    ka_loading.register_session_conf_options(conf, CLIENTS_AUTH_GROUP)
    ka_loading.register_auth_conf_options(conf, CLIENTS_AUTH_GROUP)
    for group, (service_type, extra) in ADAPTER_GROUPS.items():
        conf.register_opts(extra, group=group)
        ka_loading.register_adapter_conf_options(conf, group)
        ka_loading.register_session_conf_options(conf, group)
        ka_loading.register_auth_conf_options(conf, group)
    for group, opts in LEGACY_GROUPS:
        conf.register_group(group)
        conf.register_opts(opts, group=group)


def _ks_opts(group):
    opts = (ka_loading.get_session_conf_options() +
            ka_loading.get_auth_common_conf_options())
    if group != CLIENTS_AUTH_GROUP:
        opts = ka_loading.get_adapter_conf_options() + opts
    return opts


def list_opts():
    result = [(CLIENTS_AUTH_GROUP, _ks_opts(CLIENTS_AUTH_GROUP))]
    for group, (_type, extra) in ADAPTER_GROUPS.items():
        result.append((group, extra + _ks_opts(group)))
    return result + LEGACY_GROUPS
