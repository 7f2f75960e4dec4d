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

"""Per-strategy option groups ([watcher_strategies.<name>])."""
from oslo_config import cfg

from watcher.conf import datasources

_METRIC_STRATEGIES = ('basic', 'node_resource_consolidation',
                      'noisy_neighbor', 'outlet_temperature',
                      'storage_capacity_balance', 'uniform_airflow',
                      'vm_workload_consolidation', 'workload_balance',
                      'workload_stabilization')


def _datasources_opt():
    return cfg.ListOpt(
        'datasources',
        item_type=cfg.types.String(choices=datasources.DATASOURCE_NAMES),
        help='Datasources for this strategy, overriding '
             '[watcher_datasources] datasources.')


def _opts(name):
    opts = [_datasources_opt()]
    if name == 'basic':
        opts.append(cfg.BoolOpt(
            'check_optimize_metadata', default=False,
            help="Only move servers whose metadata 'optimize' is true "
                 "(or absent)."))
    if name == 'storage_capacity_balance':
        opts.append(cfg.ListOpt('ex_pools', default=['local_vstorage'],
                                help='Pools never used as destinations.'))
    return opts


def group_name(strategy):
    return 'watcher_strategies.%s' % strategy


def register_opts(conf):
    for group, opts in list_opts():
        conf.register_opts(opts, group=group)


def list_opts():
    return [(group_name(n), _opts(n)) for n in _METRIC_STRATEGIES]
