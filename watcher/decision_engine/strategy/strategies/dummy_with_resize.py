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

"""Dummy strategy with resize (goal ``dummy``): exercises action chains.

``nop`` (message ``para2``), ``sleep`` (``para1`` seconds), then - when the
compute model has an ACTIVE movable server and a host that can take it - a
``migrate`` of that server and a ``resize`` of it to the smallest other
flavor of the model that still fits on the destination.
"""
from watcher.decision_engine.strategy.common import actions
from watcher.decision_engine.strategy.common import filters
from watcher.decision_engine.strategy.strategies import dummy_strategy


class DummyWithResize(dummy_strategy.DummyStrategy):
    """The dummy strategy's parameters and first actions, then a resize."""

    name = 'dummy_with_resize'
    display_name = 'Dummy strategy with resize'

    def do_execute(self, inputs, params, solution):
        self.add_example_actions(params, solution)
        model = inputs.compute_model
        if model is None:
            return
        choice = self._pick(model)
        if choice is None:
            return
        instance, source, destination = choice
        actions.add_migration(solution, instance, source, destination)
        model.migrate_instance(instance.uuid, source.uuid, destination.uuid)
        flavor = self._other_flavor(model, instance, destination)
        if flavor is not None:
            solution.add_action(actions.RESIZE, resource_id=instance.uuid,
                                input_parameters={'flavor': flavor},
                                resource_name=instance.name)

    @staticmethod
    def _pick(model):
        nodes = sorted(model.get_all_compute_nodes().values(),
                       key=lambda n: n.hostname or '')
        for source in nodes:
            for inst in model.get_node_instances(source):
                if not filters.can_move(inst) or \
                        inst.state != filters.ACTIVE:
                    continue
                blocked = set()
                for group in model.get_instance_server_groups(inst.uuid):
                    if group.policy == 'anti-affinity':
                        for member in group.members - {inst.uuid}:
                            try:
                                blocked.add(model.get_node_by_instance_uuid(
                                    member).uuid)
                            except Exception:
                                pass
                for dest in nodes:
                    if dest.uuid == source.uuid or dest.uuid in blocked or \
                            not filters.is_destination(dest):
                        continue
                    free = model.get_node_free_resources(dest)
                    if (free['vcpu'] >= inst.vcpus and
                            free['memory'] >= inst.memory and
                            free['disk'] >= inst.disk):
                        return inst, source, dest
        return None

    @staticmethod
    def _other_flavor(model, instance, node):
        free = model.get_node_free_resources(node)
        best = None
        for other in model.get_all_instances().values():
            name = other.flavor_name
            if not name or name == instance.flavor_name:
                continue
            grow = (other.vcpus - instance.vcpus,
                    other.memory - instance.memory,
                    other.disk - instance.disk)
            if (grow[0] > free['vcpu'] or grow[1] > free['memory'] or
                    grow[2] > free['disk']):
                continue
            key = (other.vcpus, other.memory, other.disk, name)
            if best is None or key < best[0]:
                best = (key, name)
        return best[1] if best else None
