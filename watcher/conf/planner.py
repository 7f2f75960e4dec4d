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

"""Planner options: the default planner and each planner's weights."""
from oslo_config import cfg

GROUP = cfg.OptGroup('watcher_planner', title='Planner selection')

OPTS = [
    cfg.StrOpt('planner', default='weight',
               help='Planner used when a strategy names none.'),
]

WEIGHT_GROUP = cfg.OptGroup('watcher_planners.weight',
                            title='Options for the weight planner')

WEIGHT_OPTS = [
    cfg.DictOpt('weights', default={
        'nop': 70, 'volume_migrate': 60, 'change_nova_service_state': 50,
        'sleep': 40, 'shelve': 37, 'stop': 35, 'delete': 33, 'migrate': 30,
        'resize': 20, 'turn_host_to_acpi_s3_state': 10,
        'change_node_power_state': 9},
        help='Weight of each action type: heavier types run first.'),
    cfg.DictOpt('parallelization', default={
        'turn_host_to_acpi_s3_state': 2, 'resize': 2, 'stop': 2,
        'delete': 2, 'shelve': 2, 'migrate': 2, 'sleep': 1,
        'change_nova_service_state': 1, 'nop': 1,
        'change_node_power_state': 2, 'volume_migrate': 2},
        help='How many actions of each type run in parallel.'),
]

STABILIZATION_GROUP = cfg.OptGroup(
    'watcher_planners.workload_stabilization',
    title='Options for the workload_stabilization planner')

STABILIZATION_OPTS = [
    cfg.DictOpt('weights', default={
        'turn_host_to_acpi_s3_state': 0, 'resize': 1, 'migrate': 2,
        'sleep': 3, 'change_nova_service_state': 4, 'nop': 5},
        help='Order of the actions that touch one resource.'),
]


def register_opts(conf):
    for group, opts in list_opts():
        conf.register_group(group)
        conf.register_opts(opts, group=group)


def list_opts():
    return [(GROUP, OPTS), (WEIGHT_GROUP, WEIGHT_OPTS),
            (STABILIZATION_GROUP, STABILIZATION_OPTS)]
