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

"""Ironic: nodes and their power state."""

import dataclasses

from watcher.simulator import errors
from watcher.simulator.cloud import index


@dataclasses.dataclass(eq=False)
class IronicNode:
    uuid: str
    name: str
    seq: int
    power_state: str = 'power on'
    target_power_state: str = None
    provision_state: str = 'active'
    maintenance: bool = False
    maintenance_reason: str = None
    driver: str = 'fake-hardware'
    properties: dict = dataclasses.field(default_factory=dict)
    extra: dict = dataclasses.field(default_factory=dict)
    instance_uuid: str = None
    compute_host: str = None
    resource_class: str = 'baremetal'
    last_error: str = None
    #: when Ironic last switched it (None: never, since enrolment)
    last_power_state_change: float = None
    created_at: float = 0.0
    updated_at: float = 0.0


class Baremetal:
    """Ironic's state and operations (a mixin of
    :class:`~watcher.simulator.cloud.core.Cloud`).
    """

    def __init__(self):
        self.nodes = {}
        self.node_index = index.OrderedIndex()

    def add_node(self, name, power_state='power on', compute_host=None,
                 maintenance=False, maintenance_reason=None,
                 provision_state='active', properties=None, extra=None,
                 id=None, driver='fake-hardware'):
        with self.lock:
            seq = self.next_seq()
            node = IronicNode(uuid=id or self.new_id(), name=name, seq=seq,
                              power_state=power_state,
                              provision_state=provision_state,
                              maintenance=maintenance,
                              maintenance_reason=maintenance_reason,
                              properties=dict(properties or {}),
                              extra=dict(extra or {}),
                              compute_host=compute_host,
                              driver=driver,
                              created_at=self.started_at - 86400 * 90,
                              updated_at=self.now())
            if compute_host:
                host = self.get_host(compute_host)
                node.extra.setdefault('compute_node_id', host.uuid)
                node.properties.setdefault('cpus', host.vcpus)
                node.properties.setdefault('memory_mb', host.memory_mb)
                node.properties.setdefault('local_gb', host.disk_gb)
                node.properties.setdefault('cpu_arch', 'x86_64')
                if power_state == 'power off':
                    host.service.state = 'down'
            self.nodes[node.uuid] = node
            self.node_index.append(seq, node.uuid)
            return node

    def get_node(self, ident):
        return self._by_id_or_name(self.nodes, ident, 'Node')

    def set_node_power(self, node_id, target):
        mapping = {'power on': 'power on', 'power off': 'power off',
                   'rebooting': 'power on', 'soft power off': 'power off',
                   'soft rebooting': 'power on'}
        if target not in mapping:
            raise errors.BadRequest(
                'Invalid state %s for power target.' % target)
        with self.lock:
            node = self.get_node(node_id)
            if node.target_power_state is not None:
                raise errors.Conflict(
                    'Node %s is locked by host simulator, please retry '
                    'after the current operation is completed.' % node.uuid)
            node.target_power_state = mapping[target]
            node.updated_at = self.now()
            fault = self._take_fault([node.uuid, node.name,
                                      node.compute_host], 'power')
            self.timeline.call_later(self.settings['power_duration'],
                                     self._finish_power, node.uuid, fault)
            return node

    def _finish_power(self, node_id, fault):
        with self.lock:
            node = self.nodes.get(node_id)
            if node is None or node.target_power_state is None:
                return
            target = node.target_power_state
            node.target_power_state = None
            node.updated_at = self.now()
            if fault is not None:
                node.last_error = ('Failed to change power state to %s: %s'
                                   % (target, fault.message))
                return
            node.last_error = None
            node.power_state = target
            node.last_power_state_change = self.now()
            host = self.hosts.get(node.compute_host or '')
            if host is not None:
                new_state = 'up' if target == 'power on' else 'down'
                if host.service.state != new_state:
                    self._checkpoint_host(host)
                    host.service.state = new_state
                    host.service.updated_at = self.now()
                    self.notifier.service_update(host.service)
