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

"""Cluster data model collector options."""
from oslo_config import cfg

GROUP = cfg.OptGroup('collector', title='Cluster data model collectors')

OPTS = [
    cfg.ListOpt('collector_plugins', default=['compute', 'storage'],
                help='Collectors whose models the decision engine keeps.'),
    cfg.IntOpt('api_query_max_retries', default=10, min=1,
               help='Tries of a failing cloud API call.'),
    cfg.IntOpt('api_query_interval', default=1, min=0,
               help='Seconds between two tries of a cloud API call.'),
    cfg.IntOpt('compute_resources_collector_timeout', default=600, min=1,
               help='Ignored (the cloud calls are bounded by '
                    'api_query_max_retries and the clients\' timeouts): '
                    'accepted so that a configuration file written for '
                    'upstream watcher loads; a warning is logged when it '
                    'is set.'),
]

COMPUTE_MODEL_GROUP = cfg.OptGroup('compute_model',
                                   title='Compute model contents')

COMPUTE_MODEL_OPTS = [
    cfg.BoolOpt('enable_extended_attributes', default=False,
                help='Collect servers pinned availability zone (Nova 2.96) '
                     'and flavor extra specs (Nova 2.47).'),
]

PERIOD_OPTS = [
    cfg.IntOpt('period', default=3600, min=60,
               help='Seconds between two full resynchronisations.'),
]

COLLECTOR_NAMES = ('compute', 'storage', 'baremetal')


def _period_group(name):
    return cfg.OptGroup('watcher_cluster_data_model_collectors.%s' % name)


# Options that do nothing here; config.warn_ignored_options() names them
# when a configuration file sets them.
IGNORED = [(GROUP.name, 'compute_resources_collector_timeout')]


def register_opts(conf):
    for group, opts in list_opts():
        conf.register_group(group)
        conf.register_opts(opts, group=group)


def list_opts():
    return ([(GROUP, OPTS), (COMPUTE_MODEL_GROUP, COMPUTE_MODEL_OPTS)] +
            [(_period_group(n), PERIOD_OPTS) for n in COLLECTOR_NAMES])
