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

"""Compute node element of the compute model.

``ComputeNode(uuid, id, hostname, state, status, disabled_reason, vcpus,
memory, disk, disk_capacity, vcpu_reserved, vcpu_ratio, memory_mb_reserved,
memory_ratio, disk_gb_reserved, disk_ratio, availability_zone, aggregates,
hypervisor_type)``

* ``state`` is ``'up'`` or ``'down'`` (nova-compute service state),
  ``status`` is ``'enabled'`` or ``'disabled'``.
* ``memory`` is in MiB, ``disk`` in GiB (both totals, as Placement reports
  the inventory ``total``); ``*_reserved`` and ``*_ratio`` come from the
  Placement inventories.
* ``vcpu_capacity``, ``memory_mb_capacity`` and ``disk_gb_capacity`` are
  what can be allocated: ``(total - reserved) * ratio``.
"""
from watcher.decision_engine.model.element import base


class ServiceState:
    ONLINE = 'up'
    OFFLINE = 'down'
    ENABLED = 'enabled'
    DISABLED = 'disabled'


#: Prefix of the disabled reasons watcher itself sets; such nodes stay in
#: the audit scope (they are watcher's to re-enable).
WATCHER_DISABLED_REASON_PREFIX = 'watcher_'


class ComputeNode(base.Element):
    __slots__ = ('uuid', 'id', 'hostname', 'state', 'status',
                 'disabled_reason', 'vcpus', 'memory', 'disk',
                 'disk_capacity', 'vcpu_reserved', 'vcpu_ratio',
                 'memory_mb_reserved', 'memory_ratio', 'disk_gb_reserved',
                 'disk_ratio', 'availability_zone', 'aggregates',
                 'hypervisor_type')
    _fields = (
        ('uuid', None), ('id', None), ('hostname', None),
        ('state', ServiceState.ONLINE), ('status', ServiceState.ENABLED),
        ('disabled_reason', None), ('vcpus', 0), ('memory', 0),
        ('disk', 0), ('disk_capacity', 0), ('vcpu_reserved', 0),
        ('vcpu_ratio', 1.0), ('memory_mb_reserved', 0),
        ('memory_ratio', 1.0), ('disk_gb_reserved', 0), ('disk_ratio', 1.0),
        ('availability_zone', None), ('aggregates', list),
        ('hypervisor_type', None),
    )

    @property
    def vcpu_capacity(self):
        return (self.vcpus - (self.vcpu_reserved or 0)) * (
            self.vcpu_ratio or 1.0)

    @property
    def memory_mb_capacity(self):
        return (self.memory - (self.memory_mb_reserved or 0)) * (
            self.memory_ratio or 1.0)

    @property
    def disk_gb_capacity(self):
        return (self.disk - (self.disk_gb_reserved or 0)) * (
            self.disk_ratio or 1.0)

    @property
    def is_enabled(self):
        return self.status == ServiceState.ENABLED

    @property
    def is_up(self):
        return self.state == ServiceState.ONLINE

    @property
    def disabled_by_watcher(self):
        """Disabled with a ``watcher_*`` reason (still watcher's to use)."""
        return (self.status == ServiceState.DISABLED and
                bool(self.disabled_reason) and
                self.disabled_reason.startswith(
                    WATCHER_DISABLED_REASON_PREFIX))
