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

"""The action dicts strategies add to their solution (upstream shapes)."""
from watcher.decision_engine.strategy.common import filters

MIGRATE = 'migrate'
CHANGE_SERVICE_STATE = 'change_nova_service_state'
STOP = 'stop'
RESIZE = 'resize'
NOP = 'nop'
SLEEP = 'sleep'

WATCHER_DISABLED = 'watcher_disabled'
WATCHER_MAINTAINING = 'watcher_maintaining'


def add_migration(solution, instance, source_node, destination_node=None,
                  migration_type=None):
    params = {'migration_type': migration_type or
              filters.migration_type(instance),
              'source_node': source_node.hostname}
    if destination_node is not None:
        params['destination_node'] = destination_node.hostname
    return solution.add_action(MIGRATE, resource_id=instance.uuid,
                               input_parameters=params,
                               resource_name=instance.name)


def add_change_service_state(solution, node, state, reason=None):
    params = {'state': state}
    if state == 'disabled':
        params['disabled_reason'] = reason or WATCHER_DISABLED
    return solution.add_action(CHANGE_SERVICE_STATE, resource_id=node.uuid,
                               input_parameters=params,
                               resource_name=node.hostname)


def add_stop(solution, instance):
    return solution.add_action(STOP, resource_id=instance.uuid,
                               input_parameters={},
                               resource_name=instance.name)


def emit_migrations(solution, state, apply_to_model=True,
                    name_destinations=True):
    """Add one migrate action per net move simulated in ``state`` (a
    ClusterState) and, by default, apply the moves to its model.
    ``name_destinations=False`` leaves the destination to the Nova
    scheduler (no ``destination_node``; the model still records the
    simulated move). Returns the number of migrations.
    """
    moves = state.migrations()
    model = state.model
    for i, src, dst in moves:
        instance = state.instances[i]
        source = state.nodes[src]
        destination = state.nodes[dst]
        add_migration(solution, instance, source,
                      destination if name_destinations else None)
        if apply_to_model:
            model.migrate_instance(instance.uuid, source.uuid,
                                   destination.uuid)
    return len(moves)


CHANGE_NODE_POWER_STATE = 'change_node_power_state'
VOLUME_MIGRATE = 'volume_migrate'


def add_change_power_state(solution, ironic_node, state, hostname=None):
    """Power an Ironic node ``'on'`` or ``'off'``; ``hostname``: the
    compute host it carries (the applier then checks it is empty before
    powering off).
    """
    return solution.add_action(CHANGE_NODE_POWER_STATE,
                               resource_id=ironic_node.uuid,
                               input_parameters={'state': state},
                               resource_name=hostname)


def add_volume_migration(solution, volume, migration_type,
                         destination_node=None, destination_type=None):
    """Move ``volume`` to the pool ``destination_node`` (``migrate``) or
    change its type to ``destination_type`` (``retype``).
    """
    params = {'migration_type': migration_type}
    if destination_node is not None:
        params['destination_node'] = destination_node
    if destination_type is not None:
        params['destination_type'] = destination_type
    return solution.add_action(VOLUME_MIGRATE, resource_id=volume.uuid,
                               input_parameters=params,
                               resource_name=volume.name)
