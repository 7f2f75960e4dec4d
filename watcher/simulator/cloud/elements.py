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

"""The compute inventory's elements: flavors, services, hosts, servers,
migrations, aggregates and server groups, and how a server's states read as
a Nova status.

A :class:`Host` is a Nova compute service, its hypervisor and its Placement
resource provider at once.
"""

import dataclasses
import hashlib
import math

from watcher.simulator import workload

RESOURCE_CLASSES = ('VCPU', 'MEMORY_MB', 'DISK_GB')

TASK_TO_STATUS = {
    'migrating': 'MIGRATING',
    'resize_prep': 'RESIZE', 'resize_migrating': 'RESIZE',
    'resize_migrated': 'RESIZE', 'resize_finish': 'RESIZE',
    'resize_reverting': 'REVERT_RESIZE',
    'rebooting': 'REBOOT',
}
VM_TO_STATUS = {
    'active': 'ACTIVE', 'building': 'BUILD', 'stopped': 'SHUTOFF',
    'resized': 'VERIFY_RESIZE', 'paused': 'PAUSED', 'suspended': 'SUSPENDED',
    'shelved': 'SHELVED', 'shelved_offloaded': 'SHELVED_OFFLOADED',
    'error': 'ERROR', 'deleted': 'DELETED', 'rescued': 'RESCUE',
    'soft-delete': 'SOFT_DELETED',
}


@dataclasses.dataclass(eq=False)
class Flavor:
    id: str
    name: str
    vcpus: int
    ram: int
    disk: int
    ephemeral: int = 0
    swap: int = 0
    extra_specs: dict = dataclasses.field(default_factory=dict)
    is_public: bool = True
    description: str = None
    rxtx_factor: float = 1.0
    #: the integer database id Nova shows as ``*_instance_type_id``
    internal_id: int = 0

    def resources(self):
        return {'VCPU': self.vcpus, 'MEMORY_MB': self.ram,
                'DISK_GB': self.disk + self.ephemeral
                + int(math.ceil(self.swap / 1024.0))}


@dataclasses.dataclass(eq=False)
class Service:
    id: str
    binary: str
    host: str
    zone: str
    seq: int
    status: str = 'enabled'
    disabled_reason: str = None
    forced_down: bool = False
    state: str = 'up'
    updated_at: float = 0.0
    report_count: int = 0
    topic: str = 'compute'

    @property
    def is_up(self):
        return self.state == 'up' and not self.forced_down


@dataclasses.dataclass(eq=False)
class Host:
    """A compute node: Nova service + hypervisor + Placement provider."""
    name: str
    uuid: str
    seq: int
    service: Service
    vcpus: int
    memory_mb: int
    disk_gb: int
    cpu_allocation_ratio: float = 4.0
    ram_allocation_ratio: float = 1.0
    disk_allocation_ratio: float = 1.0
    reserved_vcpus: int = 0
    reserved_memory_mb: int = 512
    reserved_disk_gb: int = 0
    availability_zone: str = 'nova'
    fqdn: str = None
    host_ip: str = '127.0.0.1'
    hypervisor_type: str = 'QEMU'
    hypervisor_version: int = 8002000
    traits: list = dataclasses.field(default_factory=list)
    generation: int = 1
    inlet_temp: float = 21.0
    l3_cache_kib: int = 32768
    booted_at: float = 0.0
    servers: dict = dataclasses.field(default_factory=dict)
    usage: dict = dataclasses.field(
        default_factory=lambda: {rc: 0 for rc in RESOURCE_CLASSES})
    # Cumulative per-CPU idle seconds, advanced lazily.
    cpu_checkpoint: float = 0.0
    idle_seconds: float = 0.0
    busy_seconds: float = 0.0

    def inventory(self):
        return {
            'VCPU': {'total': self.vcpus, 'reserved': self.reserved_vcpus,
                     'min_unit': 1, 'max_unit': self.vcpus, 'step_size': 1,
                     'allocation_ratio': self.cpu_allocation_ratio},
            'MEMORY_MB': {'total': self.memory_mb,
                          'reserved': self.reserved_memory_mb,
                          'min_unit': 1, 'max_unit': self.memory_mb,
                          'step_size': 1,
                          'allocation_ratio': self.ram_allocation_ratio},
            'DISK_GB': {'total': self.disk_gb,
                        'reserved': self.reserved_disk_gb,
                        'min_unit': 1, 'max_unit': self.disk_gb,
                        'step_size': 1,
                        'allocation_ratio': self.disk_allocation_ratio},
        }

    def capacity(self):
        inv = self.inventory()
        return {rc: int((v['total'] - v['reserved']) * v['allocation_ratio'])
                for rc, v in inv.items()}

    def fits(self, resources, extra=None):
        """True when ``resources`` fit next to the current usage
        (``extra`` is an allocation already counted that may be ignored).
        """
        inv = self.inventory()
        for rc, amount in resources.items():
            if not amount:
                continue
            spec = inv[rc]
            if amount > spec['max_unit']:
                return False
            cap = (spec['total'] - spec['reserved']) * spec['allocation_ratio']
            used = self.usage[rc] - (extra or {}).get(rc, 0)
            if used + amount > cap:
                return False
        return True

    def free_ram(self):
        return self.capacity()['MEMORY_MB'] - self.usage['MEMORY_MB']


@dataclasses.dataclass(eq=False)
class Server:
    id: str
    name: str
    seq: int
    flavor: Flavor
    host: str
    availability_zone: str
    project_id: str
    user_id: str
    profile: workload.Profile
    created_at: float
    instance_name: str
    reservation_id: str
    image_id: str = 'a2a5cbd7-0c1a-4b4f-9c2e-000000000001'
    vm_state: str = 'active'
    task_state: str = None
    power_state: int = 1
    locked: bool = False
    locked_reason: str = None
    metadata: dict = dataclasses.field(default_factory=dict)
    tags: list = dataclasses.field(default_factory=list)
    pinned_availability_zone: str = None
    description: str = None
    key_name: str = None
    server_group: str = None
    updated_at: float = 0.0
    launched_at: float = 0.0
    fault: dict = None
    old_flavor: Flavor = None
    previous_vm_state: str = None
    migration_id: int = None
    # ceilometer_cpu bookkeeping: ns accumulated until cpu_since.
    cpu_ns: float = 0.0
    cpu_since: float = None

    @property
    def node(self):
        return self.host

    @property
    def status(self):
        if self.task_state in TASK_TO_STATUS and self.vm_state in (
                'active', 'stopped', 'resized'):
            return TASK_TO_STATUS[self.task_state]
        return VM_TO_STATUS.get(self.vm_state, self.vm_state.upper())

    @property
    def running(self):
        return self.power_state == 1 and self.host is not None

    def host_id(self):
        if not self.host:
            return ''
        return hashlib.sha224(
            (self.project_id + self.host).encode()).hexdigest()


@dataclasses.dataclass(eq=False)
class Migration:
    id: int
    uuid: str
    instance_uuid: str
    migration_type: str
    source_compute: str
    dest_compute: str
    status: str
    created_at: float
    updated_at: float
    old_flavor: Flavor
    new_flavor: Flavor
    project_id: str
    user_id: str
    #: Nova sets it for cold migrations and resizes, not live migrations
    dest_host: str = '127.0.0.1'
    memory_total: int = 0

    @property
    def source_node(self):
        return self.source_compute

    @property
    def dest_node(self):
        return self.dest_compute


@dataclasses.dataclass(eq=False)
class Aggregate:
    id: int
    uuid: str
    name: str
    availability_zone: str
    hosts: list
    metadata: dict
    created_at: float


@dataclasses.dataclass(eq=False)
class ServerGroup:
    id: str
    name: str
    policy: str
    members: list
    project_id: str
    user_id: str
    rules: dict = dataclasses.field(default_factory=dict)
