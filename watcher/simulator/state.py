"""The one in-memory cloud behind every simulated service.

:class:`Cloud` holds compute hosts (a Nova compute service, its hypervisor and
its Placement resource provider are one :class:`Host`), servers, flavors,
migrations, aggregates, server groups, Cinder pools/types/volumes and Ironic
nodes.  All reads and writes take ``cloud.lock``; HTTP handlers render their
pages while holding it, so every answer is one consistent snapshot.

Long operations (migrations, power changes...) are started by the public
methods below and finished later on the
:class:`~watcher.simulator.clock.Timeline` thread after their simulated
duration; every step emits the versioned notifications the real services
emit.

Ordered collections keep an insertion-ordered id list next to a parallel list
of sequence numbers, so a paging marker is found with :mod:`bisect` and a page
costs O(page size), whatever the size of the cloud.
"""

import bisect
import copy
import dataclasses
import hashlib
import itertools
import math
import random
import threading
import uuid as uuidlib

from watcher.simulator import clock as clock_mod
from watcher.simulator import errors
from watcher.simulator import notifications
from watcher.simulator import workload

RESOURCE_CLASSES = ('VCPU', 'MEMORY_MB', 'DISK_GB')

DEFAULT_SETTINGS = {
    # Simulated seconds.
    'migration_duration': 0.2,
    'resize_duration': 0.2,
    'action_duration': 0.05,
    'volume_migration_duration': 0.2,
    'power_duration': 0.05,
    'build_duration': 0.05,
    # Simulated seconds per real second.
    'time_speed': 1.0,
    # Epoch seconds of the clock's first instant; None: the wall clock.
    # Pinned, the workload waves (the diurnal one above all) are the same
    # on every run, whatever the hour.
    'start_time': None,
    'allow_resize_to_same_host': False,
    'project_id': '6b4a0ad9a7c34c5ab1c3f0b6a1e5c2d1',
    'user_id': '9f1d2a3b4c5d4e6f8a7b6c5d4e3f2a1b',
    'project_name': 'admin',
    'user_name': 'admin',
    'region': 'RegionOne',
    'nova_exchange': 'nova',
    'cinder_exchange': 'openstack',
}

POWER_STATES = {0: 'pending', 1: 'running', 3: 'paused', 4: 'shutdown',
                6: 'crashed', 7: 'suspended'}

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


def new_uuid(rng):
    return str(uuidlib.UUID(int=rng.getrandbits(128), version=4))


# ---------------------------------------------------------------- elements

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


@dataclasses.dataclass(eq=False)
class VolumeType:
    id: str
    name: str
    backend: str
    description: str = None
    is_public: bool = True
    extra_specs: dict = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(eq=False)
class Pool:
    name: str  # host@backend#pool
    backend: str
    total_capacity_gb: float
    reserved_percentage: int = 0
    max_over_subscription_ratio: float = 20.0
    thin_provisioning: bool = True
    storage_protocol: str = 'iSCSI'
    vendor_name: str = 'Open Source'
    allocated_capacity_gb: float = 0.0
    total_volumes: int = 0

    @property
    def host(self):
        return self.name.split('#', 1)[0]

    @property
    def pool_name(self):
        return self.name.split('#', 1)[-1]

    @property
    def free_capacity_gb(self):
        reserved = self.total_capacity_gb * self.reserved_percentage / 100.0
        return round(self.total_capacity_gb - self.allocated_capacity_gb
                     - reserved, 2)

    @property
    def virtual_free(self):
        if not self.thin_provisioning:
            return self.free_capacity_gb
        return round(self.total_capacity_gb * self.max_over_subscription_ratio
                     - self.allocated_capacity_gb, 2)


@dataclasses.dataclass(eq=False)
class Volume:
    id: str
    name: str
    seq: int
    size: int
    pool: str
    volume_type: VolumeType
    project_id: str
    user_id: str
    created_at: float
    status: str = 'available'
    availability_zone: str = 'nova'
    bootable: bool = False
    metadata: dict = dataclasses.field(default_factory=dict)
    attachments: list = dataclasses.field(default_factory=list)
    migration_status: str = None
    description: str = None
    updated_at: float = 0.0
    previous_status: str = None


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
    created_at: float = 0.0
    updated_at: float = 0.0


@dataclasses.dataclass(eq=False)
class Fault:
    id: int
    target: str  # server/volume/node id or name, host name, or '*'
    operation: str  # live_migration, cold_migration, resize, stop, ... any
    remaining: int = 1  # None = forever
    message: str = 'Simulated failure'

    def matches(self, keys, operation):
        if self.operation not in ('any', operation):
            return False
        return self.target == '*' or self.target in keys

    def as_dict(self):
        return dataclasses.asdict(self)


FAULT_OPERATIONS = ('any', 'live_migration', 'cold_migration', 'resize',
                    'revert_resize', 'stop', 'start', 'shelve', 'unshelve',
                    'delete', 'create', 'volume_migrate', 'volume_retype',
                    'power')


class OrderedIndex:
    """Ids in insertion order with bisectable sequence numbers."""

    def __init__(self):
        self.ids = []
        self.seqs = []

    def append(self, seq, ident):
        if self.seqs and seq <= self.seqs[-1]:
            pos = bisect.bisect_left(self.seqs, seq)
            self.seqs.insert(pos, seq)
            self.ids.insert(pos, ident)
        else:
            self.seqs.append(seq)
            self.ids.append(ident)

    def remove(self, seq):
        pos = bisect.bisect_left(self.seqs, seq)
        if pos < len(self.seqs) and self.seqs[pos] == seq:
            del self.seqs[pos]
            del self.ids[pos]

    def after(self, seq):
        """Position of the first id after ``seq`` (``None`` = start)."""
        if seq is None:
            return 0
        return bisect.bisect_right(self.seqs, seq)

    def __len__(self):
        return len(self.ids)


def paginate(index, lookup, marker_seq, limit, predicate=None,
             newest_first=False):
    """Return (items, more) from ``index`` after ``marker_seq``.

    ``newest_first`` walks the index backwards (Nova lists servers by
    creation time, newest first, and pages on in that order).
    """
    ids = index.ids
    n = len(ids)
    if newest_first:
        if marker_seq is None:
            positions = range(n - 1, -1, -1)
        else:
            positions = range(bisect.bisect_left(index.seqs, marker_seq) - 1,
                              -1, -1)
    else:
        positions = range(index.after(marker_seq), n)

    def matches(i):
        item = lookup(ids[i])
        if item is not None and (predicate is None or predicate(item)):
            return item
        return None

    out = []
    walk = iter(positions)
    if limit > 0:
        for i in walk:
            item = matches(i)
            if item is not None:
                out.append(item)
                if len(out) == limit:
                    break
        else:
            return out, False
    # the limit was reached: is there anything left that matches?
    return out, any(matches(i) is not None for i in walk)


# --------------------------------------------------------------------- cloud

class Cloud:
    """The state of the whole simulated cloud."""

    def __init__(self, seed=0, settings=None, notifier=None, clock=None):
        self.lock = threading.RLock()
        self.seed = seed
        self.rng = random.Random(seed)
        self.settings = dict(DEFAULT_SETTINGS)
        self.settings.update(settings or {})
        self.clock = clock or clock_mod.Clock(
            speed=self.settings['time_speed'],
            start=self.settings['start_time'])
        self.timeline = clock_mod.Timeline(self.clock)
        self.notifier = notifier or notifications.Notifications()
        self.notifier.bind(self)
        self.started_at = self.clock.now()
        self.name = 'simulated'
        self._seq = itertools.count(1)
        self._mig_ids = itertools.count(1)
        self._agg_ids = itertools.count(1)
        self._fault_ids = itertools.count(1)
        self._instance_ids = itertools.count(1)
        self.flavors = {}
        self.flavors_by_name = {}
        self.hosts = {}
        self.hosts_by_uuid = {}
        self.host_index = OrderedIndex()
        self.services = {}
        self.service_index = OrderedIndex()
        self.servers = {}
        self.server_index = OrderedIndex()
        self.servers_by_name = {}
        self.migrations = {}
        self.migration_index = OrderedIndex()
        self.aggregates = {}
        self.server_groups = {}
        self.volume_types = {}
        self.pools = {}
        self.volumes = {}
        self.volume_index = OrderedIndex()
        self.nodes = {}
        self.node_index = OrderedIndex()
        self.server_volumes = {}  # server id -> [volume id]
        self.allocations = {}  # consumer -> {rp uuid: {rc: amount}}
        self.consumer_generations = {}
        self.faults = {}
        self.controller = 'controller'
        for binary, topic in (('nova-scheduler', 'scheduler'),
                              ('nova-conductor', 'conductor')):
            self._add_service(binary, self.controller, 'internal', topic)

    # ------------------------------------------------------------ helpers
    def now(self):
        return self.clock.now()

    def next_seq(self):
        return next(self._seq)

    def new_id(self):
        return new_uuid(self.rng)

    @staticmethod
    def new_request_id():
        return str(uuidlib.uuid4())

    def _add_service(self, binary, host, zone, topic='compute'):
        svc = Service(id=self.new_id(), binary=binary, host=host, zone=zone,
                      seq=self.next_seq(), updated_at=self.now(),
                      topic=topic)
        self.services[svc.id] = svc
        self.service_index.append(svc.seq, svc.id)
        return svc

    def setting(self, name):
        return self.settings[name]

    # ------------------------------------------------------------ building
    def add_flavor(self, name, vcpus, ram, disk, ephemeral=0, swap=0,
                   extra_specs=None, id=None, is_public=True,
                   description=None):
        with self.lock:
            flavor = Flavor(id=id or self.new_id(), name=name, vcpus=vcpus,
                            ram=ram, disk=disk, ephemeral=ephemeral,
                            swap=swap, extra_specs=dict(extra_specs or {}),
                            is_public=is_public, description=description,
                            internal_id=len(self.flavors) + 1)
            self.flavors[flavor.id] = flavor
            self.flavors_by_name[name] = flavor
            return flavor

    def add_host(self, name, vcpus=32, memory_mb=131072, disk_gb=1000,
                 cpu_allocation_ratio=4.0, ram_allocation_ratio=1.0,
                 disk_allocation_ratio=1.0, reserved_vcpus=0,
                 reserved_memory_mb=512, reserved_disk_gb=0,
                 availability_zone='nova', status='enabled',
                 disabled_reason=None, forced_down=False, state='up',
                 fqdn=None, host_ip=None, traits=None, uuid=None,
                 hypervisor_type='QEMU'):
        with self.lock:
            if name in self.hosts:
                raise errors.Conflict('host %s already exists' % name)
            svc = self._add_service('nova-compute', name, availability_zone)
            svc.status = status
            svc.disabled_reason = disabled_reason
            svc.forced_down = forced_down
            svc.state = state
            seq = svc.seq
            host = Host(
                name=name, uuid=uuid or self.new_id(), seq=seq, service=svc,
                vcpus=vcpus, memory_mb=memory_mb, disk_gb=disk_gb,
                cpu_allocation_ratio=cpu_allocation_ratio,
                ram_allocation_ratio=ram_allocation_ratio,
                disk_allocation_ratio=disk_allocation_ratio,
                reserved_vcpus=reserved_vcpus,
                reserved_memory_mb=reserved_memory_mb,
                reserved_disk_gb=reserved_disk_gb,
                availability_zone=availability_zone,
                fqdn=fqdn or name,
                host_ip=host_ip or '192.168.%d.%d' % (
                    (seq // 250) % 250, seq % 250 + 1),
                hypervisor_type=hypervisor_type,
                traits=list(traits or [
                    'COMPUTE_NET_ATTACH_INTERFACE', 'COMPUTE_VOLUME_EXTEND',
                    'COMPUTE_IMAGE_TYPE_QCOW2', 'COMPUTE_IMAGE_TYPE_RAW',
                    'HW_CPU_X86_AVX2']),
                inlet_temp=18.0 + self.rng.random() * 6.0,
                booted_at=self.started_at - 86400 * (30 + self.rng.random()
                                                     * 60),
            )
            host.cpu_checkpoint = self.started_at
            uptime = self.started_at - host.booted_at
            host.idle_seconds = uptime * 0.7
            host.busy_seconds = uptime * 0.3
            self.hosts[name] = host
            self.hosts_by_uuid[host.uuid] = host
            self.host_index.append(seq, name)
            return host

    def add_server(self, name, flavor, host=None, profile=None,
                   project_id=None, user_id=None, vm_state='active',
                   metadata=None, locked=False, pinned_availability_zone=None,
                   server_group=None, id=None, created_at=None, tags=None,
                   availability_zone=None, check_capacity=False,
                   emit=False):
        """Add a server as it is now (no transition, no notification unless
        ``emit``).  ``host`` None schedules it.
        """
        with self.lock:
            if isinstance(flavor, str):
                flavor = self.get_flavor(flavor)
            sid = id or self.new_id()
            seq = self.next_seq()
            if profile is None:
                profile = workload.Profile('steady', 0.2, 0.5, seed=seq)
            inst_no = next(self._instance_ids)
            now = self.now()
            created = created_at if created_at is not None else (
                self.started_at - 3600 * 24 * self.rng.random() * 10)
            server = Server(
                id=sid, name=name, seq=seq, flavor=flavor, host=None,
                availability_zone=availability_zone or 'nova',
                project_id=project_id or self.settings['project_id'],
                user_id=user_id or self.settings['user_id'],
                profile=profile, created_at=created,
                instance_name='instance-%08x' % inst_no,
                reservation_id='r-%08x' % self.rng.getrandbits(32),
                vm_state=vm_state, metadata=dict(metadata or {}),
                locked=locked, pinned_availability_zone=(
                    pinned_availability_zone),
                server_group=server_group, tags=list(tags or []),
                updated_at=now, launched_at=created + 5)
            if vm_state in ('stopped', 'shelved_offloaded', 'error',
                            'shelved'):
                server.power_state = 4 if vm_state != 'error' else 0
            if vm_state == 'shelved_offloaded':
                server.availability_zone = None    # on no host: no zone
            if server_group is not None:
                group = self._find_group(server_group)
                server.server_group = group.id
                group.members.append(sid)
            if vm_state != 'shelved_offloaded':
                if host is None:
                    target = self.schedule(server, flavor)
                    if target is None:
                        raise errors.BadRequest(
                            'No valid host was found for server %s' % name)
                    host = target.name
                h = self.get_host(host)
                if check_capacity and not h.fits(flavor.resources()):
                    raise errors.BadRequest(
                        'host %s has no room for server %s' % (host, name))
                server.host = h.name
                if availability_zone is None:
                    server.availability_zone = h.availability_zone
                h.servers[sid] = None
                self._set_allocation(sid, {h.uuid: flavor.resources()},
                                     server.project_id, server.user_id)
            if server.running:
                server.cpu_since = now
                server.cpu_ns = (now - created) * flavor.vcpus * 1e9 * \
                    profile.cpu
            self.servers[sid] = server
            self.servers_by_name.setdefault(name, sid)
            self.server_index.append(seq, sid)
            if emit:
                self.notifier.instance(server, 'instance.create.end')
            return server

    def add_aggregate(self, name, hosts=(), availability_zone=None,
                      metadata=None):
        with self.lock:
            agg = Aggregate(id=next(self._agg_ids), uuid=self.new_id(),
                            name=name, availability_zone=availability_zone,
                            hosts=list(hosts), metadata=dict(metadata or {}),
                            created_at=self.started_at)
            if availability_zone:
                agg.metadata.setdefault('availability_zone',
                                        availability_zone)
                for h in agg.hosts:
                    host = self.get_host(h)
                    host.availability_zone = availability_zone
                    host.service.zone = availability_zone
                    for sid in host.servers:
                        self.servers[sid].availability_zone = (
                            availability_zone)
            self.aggregates[agg.id] = agg
            return agg

    def add_server_group(self, name, policy='anti-affinity', id=None):
        with self.lock:
            group = ServerGroup(id=id or self.new_id(), name=name,
                                policy=policy, members=[],
                                project_id=self.settings['project_id'],
                                user_id=self.settings['user_id'])
            self.server_groups[group.id] = group
            return group

    def add_volume_type(self, name, backend, id=None, description=None,
                        extra_specs=None):
        with self.lock:
            specs = {'volume_backend_name': backend}
            specs.update(extra_specs or {})
            vt = VolumeType(id=id or self.new_id(), name=name,
                            backend=backend, description=description,
                            extra_specs=specs)
            self.volume_types[vt.id] = vt
            return vt

    def add_pool(self, name, total_capacity_gb, backend=None, **kwargs):
        with self.lock:
            if '@' not in name or '#' not in name:
                raise errors.BadRequest(
                    'pool name must look like host@backend#pool: %s' % name)
            backend = backend or name.split('@', 1)[1].split('#', 1)[0]
            pool = Pool(name=name, backend=backend,
                        total_capacity_gb=total_capacity_gb, **kwargs)
            self.pools[name] = pool
            return pool

    def add_volume(self, name, size, pool=None, volume_type=None,
                   attached_to=None, bootable=False, metadata=None, id=None,
                   status=None):
        with self.lock:
            vt = self.get_volume_type(volume_type) if volume_type else None
            if pool is None:
                candidates = [p for p in self.pools.values()
                              if vt is None or p.backend == vt.backend]
                if not candidates:
                    raise errors.BadRequest('no pool for volume %s' % name)
                pool = max(candidates, key=lambda p: p.free_capacity_gb).name
            p = self.get_pool(pool)
            if vt is None:
                vt = next((t for t in self.volume_types.values()
                           if t.backend == p.backend), None)
                if vt is None:
                    vt = self.add_volume_type(p.backend, p.backend)
            seq = self.next_seq()
            vol = Volume(id=id or self.new_id(), name=name, seq=seq,
                         size=int(size), pool=p.name, volume_type=vt,
                         project_id=self.settings['project_id'],
                         user_id=self.settings['user_id'],
                         created_at=self.started_at - 3600,
                         bootable=bootable, metadata=dict(metadata or {}),
                         updated_at=self.now())
            if attached_to:
                server = self.get_server(attached_to)
                vol.attachments.append({
                    'server_id': server.id, 'attachment_id': self.new_id(),
                    'attached_at': clock_mod.isoformat(self.started_at,
                                                       True),
                    'host_name': server.host, 'volume_id': vol.id,
                    'device': '/dev/vd%s' % chr(ord('b') + len([
                        v for v in self.volumes.values()
                        if any(a['server_id'] == server.id
                               for a in v.attachments)]) % 24),
                    'id': vol.id})
                vol.status = 'in-use'
                self.server_volumes.setdefault(server.id, []).append(vol.id)
            if status:
                vol.status = status
            p.allocated_capacity_gb += vol.size
            p.total_volumes += 1
            self.volumes[vol.id] = vol
            self.volume_index.append(seq, vol.id)
            return vol

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

    # ------------------------------------------------------------- lookups
    def get_host(self, name_or_uuid):
        host = self.hosts.get(name_or_uuid) or self.hosts_by_uuid.get(
            name_or_uuid)
        if host is None:
            raise errors.NotFound(
                'Compute host %s could not be found.' % name_or_uuid)
        return host

    def find_host(self, name_or_uuid):
        return self.hosts.get(name_or_uuid) or self.hosts_by_uuid.get(
            name_or_uuid)

    def get_server(self, ident):
        server = self.servers.get(ident)
        if server is None:
            sid = self.servers_by_name.get(ident)
            server = self.servers.get(sid) if sid else None
        if server is None:
            raise errors.NotFound('Instance %s could not be found.' % ident)
        return server

    def get_server_strict(self, ident):
        """Server by id only (what the Nova API accepts)."""
        server = self.servers.get(ident)
        if server is None:
            raise errors.NotFound('Instance %s could not be found.' % ident)
        return server

    def get_flavor(self, ident):
        flavor = self.flavors.get(str(ident)) or self.flavors_by_name.get(
            str(ident))
        if flavor is None:
            raise errors.NotFound('Flavor %s could not be found.' % ident)
        return flavor

    def get_service(self, ident):
        svc = self.services.get(ident)
        if svc is None:
            raise errors.NotFound('Service %s could not be found.' % ident)
        return svc

    def find_service(self, host, binary):
        for svc in self.services.values():
            if svc.host == host and svc.binary == binary:
                return svc
        raise errors.NotFound('Service %s on host %s could not be found.'
                              % (binary, host))

    def get_volume(self, ident):
        vol = self.volumes.get(ident)
        if vol is None:
            raise errors.NotFound('Volume %s could not be found.' % ident)
        return vol

    @staticmethod
    def _by_id_or_name(table, ident, what):
        found = table.get(ident)
        if found is None:
            found = next((item for item in table.values()
                          if item.name == ident), None)
        if found is None:
            raise errors.NotFound('%s %s could not be found.' % (what, ident))
        return found

    def get_volume_type(self, ident):
        return self._by_id_or_name(self.volume_types, ident, 'Volume type')

    def get_pool(self, name):
        pool = self.pools.get(name)
        if pool is None:
            raise errors.NotFound('Pool %s could not be found.' % name)
        return pool

    def get_node(self, ident):
        return self._by_id_or_name(self.nodes, ident, 'Node')

    def get_migration(self, mid):
        try:
            mig = self.migrations.get(int(mid))
        except (TypeError, ValueError):
            mig = None
        if mig is None:
            for m in self.migrations.values():
                if m.uuid == mid:
                    return m
            raise errors.NotFound('Migration %s could not be found.' % mid)
        return mig

    def _find_group(self, ident):
        return self._by_id_or_name(self.server_groups, ident, 'Server group')

    def servers_on(self, host):
        """Servers whose ``host`` is ``host``, in listing order."""
        with self.lock:
            h = self.get_host(host)
            return sorted((self.servers[s] for s in h.servers),
                          key=lambda s: s.seq)

    def usage(self, host):
        with self.lock:
            return dict(self.get_host(host).usage)

    def server_host(self, server_id):
        with self.lock:
            return self.get_server(server_id).host

    # ---------------------------------------------------------- placement
    def _set_allocation(self, consumer, allocs, project_id=None,
                        user_id=None):
        """Replace a consumer's allocations, keeping usages exact."""
        old = self.allocations.pop(consumer, None)
        if old:
            for rp, res in old.items():
                host = self.hosts_by_uuid.get(rp)
                if host is None:
                    continue
                for rc, amount in res.items():
                    host.usage[rc] -= amount
                host.generation += 1
        if allocs:
            self.allocations[consumer] = {
                rp: dict(res) for rp, res in allocs.items()}
            for rp, res in allocs.items():
                host = self.hosts_by_uuid[rp]
                for rc, amount in res.items():
                    host.usage[rc] = host.usage.get(rc, 0) + amount
                host.generation += 1
            info = self.consumer_generations.get(consumer)
            gen = (info[0] + 1) if info else 1
            self.consumer_generations[consumer] = (
                gen, project_id or self.settings['project_id'],
                user_id or self.settings['user_id'])
        else:
            self.consumer_generations.pop(consumer, None)

    def allocations_of(self, consumer):
        with self.lock:
            return {rp: dict(r) for rp, r in
                    self.allocations.get(consumer, {}).items()}

    # ----------------------------------------------------------- scheduler
    def _host_ok(self, host, server, resources, ignore=None):
        svc = host.service
        if svc.status != 'enabled' or not svc.is_up:
            return False
        az = server.pinned_availability_zone
        if az and host.availability_zone != az:
            return False
        if server.server_group:
            group = self.server_groups.get(server.server_group)
            if group is not None:
                others = [m for m in group.members if m != server.id
                          and m in self.servers]
                hosts = {self.servers[m].host for m in others}
                if group.policy in ('anti-affinity', 'soft-anti-affinity'):
                    if host.name in hosts and group.policy == 'anti-affinity':
                        return False
                elif group.policy == 'affinity' and hosts and \
                        host.name not in hosts:
                    return False
        return host.fits(resources, ignore)

    def schedule(self, server, flavor, requested=None, exclude=()):
        """Pick a host for ``flavor`` like the filter scheduler would:
        enabled and up, right AZ and group policy, enough capacity; the
        host with the most free RAM wins.  Returns ``None`` if none fits.
        """
        resources = flavor.resources()
        if requested is not None:
            host = self.find_host(requested)
            if host is None or host.name in exclude:
                return None
            return host if self._host_ok(host, server, resources) else None
        best = None
        best_key = None
        for name in self.host_index.ids:
            if name in exclude:
                continue
            host = self.hosts[name]
            if not self._host_ok(host, server, resources):
                continue
            key = (host.free_ram(), -host.seq)
            if best is None or key > best_key:
                best, best_key = host, key
        return best

    # ---------------------------------------------------------------- faults
    def add_fault(self, target='*', operation='any', count=1,
                  message='Simulated failure'):
        if operation not in FAULT_OPERATIONS:
            raise errors.BadRequest(
                'unknown fault operation %r (one of %s)'
                % (operation, ', '.join(FAULT_OPERATIONS)))
        if count is not None and int(count) < 1:
            raise errors.BadRequest('count must be >= 1 or null')
        with self.lock:
            fault = Fault(id=next(self._fault_ids), target=str(target),
                          operation=operation,
                          remaining=None if count is None else int(count),
                          message=message)
            self.faults[fault.id] = fault
            return fault

    def clear_faults(self):
        with self.lock:
            self.faults.clear()

    def _take_fault(self, keys, operation):
        keys = {k for k in keys if k}
        for fault in list(self.faults.values()):
            if fault.matches(keys, operation):
                if fault.remaining is not None:
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        del self.faults[fault.id]
                return fault
        return None

    # ------------------------------------------------------ cpu accounting
    def _checkpoint_host(self, host, now=None):
        """Bring the host's cumulative CPU seconds up to ``now``."""
        from watcher.simulator import metrics
        now = self.now() if now is None else now
        dt = now - host.cpu_checkpoint
        if dt <= 0:
            return
        busy_cores = metrics.host_busy_cores_integral(
            self, host, host.cpu_checkpoint, now)
        busy = min(dt, max(0.0, busy_cores / max(host.vcpus, 1)))
        host.busy_seconds += busy
        host.idle_seconds += dt - busy
        host.cpu_checkpoint = now

    def _server_cpu_stop(self, server):
        if server.cpu_since is not None:
            now = self.now()
            wave = server.profile.cpu_wave
            server.cpu_ns += max(0.0, wave.integral(now) - wave.integral(
                server.cpu_since)) * server.flavor.vcpus * 1e9
            server.cpu_since = None

    def _server_cpu_start(self, server):
        if server.cpu_since is None:
            server.cpu_since = self.now()

    def server_cpu_ns(self, server, now=None):
        now = self.now() if now is None else now
        total = server.cpu_ns
        if server.cpu_since is not None and now > server.cpu_since:
            wave = server.profile.cpu_wave
            total += max(0.0, wave.integral(now) - wave.integral(
                server.cpu_since)) * server.flavor.vcpus * 1e9
        return total

    def _move_server(self, server, dest):
        """Place ``server`` on host ``dest`` (None = nowhere)."""
        now = self.now()
        if server.host:
            src = self.hosts.get(server.host)
            if src is not None:
                self._checkpoint_host(src, now)
                src.servers.pop(server.id, None)
        if dest is not None:
            d = self.hosts[dest]
            self._checkpoint_host(d, now)
            d.servers[server.id] = None
            server.host = dest
            if not server.pinned_availability_zone or \
                    server.availability_zone is None:
                server.availability_zone = d.availability_zone
        else:
            server.host = None

    # ------------------------------------------------------ transitions
    def _touch(self, server):
        server.updated_at = self.now()

    def _set_task(self, server, task_state, vm_state=None, emit=True):
        old_vm, old_task = server.vm_state, server.task_state
        server.task_state = task_state
        if vm_state is not None:
            server.vm_state = vm_state
        self._touch(server)
        if emit:
            self.notifier.instance_update(server, old_vm, old_task)

    def _new_migration(self, server, kind, dest, new_flavor=None):
        mid = next(self._mig_ids)
        now = self.now()
        mig = Migration(id=mid, uuid=self.new_id(), instance_uuid=server.id,
                        migration_type=kind, source_compute=server.host,
                        dest_compute=dest, status='accepted',
                        created_at=now, updated_at=now,
                        old_flavor=server.flavor,
                        new_flavor=new_flavor or server.flavor,
                        project_id=server.project_id,
                        user_id=server.user_id,
                        memory_total=server.flavor.ram * 1024 * 1024)
        self.migrations[mid] = mig
        self.migration_index.append(mid, mid)
        server.migration_id = mid
        return mig

    def _mig_status(self, mig, status):
        mig.status = status
        mig.updated_at = self.now()

    def _check_state(self, server, action, vm_states, task_ok=False):
        if server.vm_state not in vm_states:
            raise errors.Conflict(
                "Cannot '%s' instance %s while it is in vm_state %s"
                % (action, server.id, server.vm_state))
        if server.task_state is not None and not task_ok:
            raise errors.Conflict(
                "Cannot '%s' instance %s while it is in task_state %s"
                % (action, server.id, server.task_state))

    def _fault_keys(self, server, *hosts):
        return [server.id, server.name] + list(hosts)

    # live migration ------------------------------------------------------
    def live_migrate(self, server_id, host=None, block_migration='auto'):
        """Start a live migration; returns the Migration.  Scheduling
        failures are reported like Nova: migration status ``error``, the
        server stays ACTIVE on its source.
        """
        with self.lock:
            server = self.get_server(server_id)
            self._check_state(server, 'os-migrateLive', ('active', 'paused'))
            if host is not None:
                if self.find_host(host) is None:
                    raise errors.BadRequest(
                        'Compute host %s could not be found.' % host)
                if self.find_host(host).name == server.host:
                    raise errors.BadRequest(
                        'Unable to migrate instance (%s) to current host '
                        '(%s).' % (server.id, server.host))
            dest = self.schedule(server, server.flavor, requested=host,
                                 exclude=(server.host,))
            mig = self._new_migration(server, 'live-migration',
                                      dest.name if dest else host)
            mig.dest_host = None
            self._set_task(server, 'migrating')
            if dest is None:
                self._mig_status(mig, 'error')
                self._set_task(server, None)
                return mig
            # Nova moves the source allocation to the migration consumer
            # and claims the destination for the instance.
            src = self.hosts[server.host]
            res = server.flavor.resources()
            self._set_allocation(mig.uuid, {src.uuid: res},
                                 server.project_id, server.user_id)
            self._set_allocation(server.id, {dest.uuid: res},
                                 server.project_id, server.user_id)
            self._mig_status(mig, 'preparing')
            self.notifier.instance(server, 'instance.live_migration_pre.start',
                                   publisher_host=dest.name)
            self.notifier.instance(server, 'instance.live_migration_pre.end',
                                   publisher_host=dest.name)
            self._mig_status(mig, 'running')
            fault = self._take_fault(
                self._fault_keys(server, src.name, dest.name),
                'live_migration')
            self.timeline.call_later(self.settings['migration_duration'],
                                     self._finish_live_migration, server.id,
                                     mig.id, fault)
            return mig

    def _finish_live_migration(self, server_id, mig_id, fault):
        with self.lock:
            mig = self.migrations[mig_id]
            server = self.servers.get(server_id)
            if mig.status != 'running' or server is None:
                return
            src = self.hosts[mig.source_compute]
            dest = self.hosts[mig.dest_compute]
            if fault is not None:
                self.notifier.instance(
                    server, 'instance.live_migration_rollback.start')
                self._set_allocation(server.id,
                                     {src.uuid: server.flavor.resources()},
                                     server.project_id, server.user_id)
                self._set_allocation(mig.uuid, None)
                self._mig_status(mig, 'error')
                server.migration_id = None
                self._set_task(server, None, emit=False)
                self.notifier.instance(
                    server, 'instance.live_migration_rollback.end')
                self.notifier.instance_update(server, 'active', 'migrating')
                return
            # Nova: the source's post step calls the destination's, which
            # takes the server over and ends before the source's does.
            self.notifier.instance(server,
                                   'instance.live_migration_post.start')
            self.notifier.instance(server,
                                   'instance.live_migration_post_dest.start',
                                   publisher_host=dest.name)
            # the source's view, sent last, still names the source
            source_view = copy.copy(server)
            self._move_server(server, dest.name)
            self._set_allocation(mig.uuid, None)
            self._mig_status(mig, 'completed')
            server.migration_id = None
            self._set_task(server, None, emit=False)
            self.notifier.instance_update(server, 'active', 'migrating')
            self.notifier.instance(server,
                                   'instance.live_migration_post_dest.end')
            self.notifier.instance(source_view,
                                   'instance.live_migration_post.end',
                                   publisher_host=src.name)

    def abort_live_migration(self, server_id, mig_id):
        with self.lock:
            server = self.get_server(server_id)
            mig = self.get_migration(mig_id)
            if mig.instance_uuid != server.id or \
                    mig.migration_type != 'live-migration':
                raise errors.NotFound(
                    'Migration %s of instance %s could not be found.'
                    % (mig_id, server_id))
            if mig.status not in ('queued', 'preparing', 'running'):
                raise errors.BadRequest(
                    'Migration %s state of instance %s is %s. Cannot abort '
                    'live migration in this state.'
                    % (mig.id, server.id, mig.status))
            self.notifier.instance(server,
                                   'instance.live_migration_abort.start')
            src = self.hosts[mig.source_compute]
            self._set_allocation(server.id,
                                 {src.uuid: server.flavor.resources()},
                                 server.project_id, server.user_id)
            self._set_allocation(mig.uuid, None)
            self._mig_status(mig, 'cancelled')
            server.migration_id = None
            self._set_task(server, None)
            self.notifier.instance(server,
                                   'instance.live_migration_abort.end')
            return mig

    # cold migration / resize ---------------------------------------------
    def cold_migrate(self, server_id, host=None):
        return self._resize(server_id, None, host, 'migration')

    def resize(self, server_id, flavor):
        return self._resize(server_id, flavor, None, 'resize')

    def _resize(self, server_id, flavor, host, kind):
        action = 'resize' if kind == 'resize' else 'migrate'
        with self.lock:
            server = self.get_server(server_id)
            self._check_state(server, action, ('active', 'stopped'))
            new_flavor = server.flavor
            if flavor is not None:
                new_flavor = self.get_flavor(flavor)
                if new_flavor.id == server.flavor.id:
                    raise errors.BadRequest(
                        'When resizing, instances must change flavor!')
            if host is not None:
                if self.find_host(host) is None:
                    raise errors.BadRequest(
                        'Compute host %s could not be found.' % host)
                if self.find_host(host).name == server.host:
                    raise errors.BadRequest(
                        'The target host can\'t be the same one.')
            exclude = (server.host,)
            if kind == 'resize' and self.settings['allow_resize_to_same_host']:
                exclude = ()
            src = self.hosts[server.host]
            # The source allocation is not counted twice when resizing on
            # the same host.
            dest = self.schedule(server, new_flavor, requested=host,
                                 exclude=exclude)
            if dest is None:
                raise errors.BadRequest(
                    'No valid host was found. There are not enough hosts '
                    'available.')
            mig = self._new_migration(server, kind, dest.name, new_flavor)
            mig.status = 'pre-migrating'
            server.previous_vm_state = server.vm_state
            self._set_task(server, 'resize_prep')
            self._set_allocation(mig.uuid,
                                 {src.uuid: server.flavor.resources()},
                                 server.project_id, server.user_id)
            self._set_allocation(server.id,
                                 {dest.uuid: new_flavor.resources()},
                                 server.project_id, server.user_id)
            self.notifier.instance_exists(server)
            self.notifier.instance(server, 'instance.resize_prep.start',
                                   publisher_host=dest.name,
                                   new_flavor=new_flavor)
            self.notifier.instance(server, 'instance.resize_prep.end',
                                   publisher_host=dest.name,
                                   new_flavor=new_flavor)
            self._mig_status(mig, 'migrating')
            self._set_task(server, 'resize_migrating')
            fault = self._take_fault(
                self._fault_keys(server, src.name, dest.name),
                'resize' if kind == 'resize' else 'cold_migration')
            duration = self.settings['resize_duration']
            self.timeline.call_later(duration, self._finish_resize,
                                     server.id, mig.id, fault)
            return mig

    def _finish_resize(self, server_id, mig_id, fault):
        with self.lock:
            mig = self.migrations[mig_id]
            server = self.servers.get(server_id)
            if server is None or mig.status != 'migrating':
                return
            src = self.hosts[mig.source_compute]
            if fault is not None:
                self._set_allocation(server.id,
                                     {src.uuid: mig.old_flavor.resources()},
                                     server.project_id, server.user_id)
                self._set_allocation(mig.uuid, None)
                self._mig_status(mig, 'error')
                server.migration_id = None
                server.fault = {
                    'code': 500, 'created': self.clock.iso(),
                    'message': fault.message,
                    'details': 'Simulated failure injected by the '
                               'simulator (fault %d)' % fault.id}
                old_task = server.task_state
                server.task_state = None
                server.vm_state = 'error'
                self._touch(server)
                self.notifier.instance(server, 'instance.resize.error',
                                       priority='ERROR')
                self.notifier.instance_update(
                    server, server.previous_vm_state, old_task)
                return
            self.notifier.instance(server, 'instance.resize.start')
            self._set_task(server, 'resize_migrated', emit=False)
            self.notifier.instance(server, 'instance.resize.end')
            self._move_server(server, mig.dest_compute)
            server.old_flavor = mig.old_flavor
            server.flavor = mig.new_flavor
            self._mig_status(mig, 'post-migrating')
            self._set_task(server, 'resize_finish', emit=False)
            self.notifier.instance(server, 'instance.resize_finish.start',
                                   new_flavor=mig.new_flavor)
            self._mig_status(mig, 'finished')
            self._set_task(server, None, vm_state='resized', emit=False)
            self.notifier.instance(server, 'instance.resize_finish.end',
                                   new_flavor=mig.new_flavor)
            self.notifier.instance_update(
                server, server.previous_vm_state, 'resize_migrating')

    def _resize_migration(self, server):
        mig = self.migrations.get(server.migration_id) \
            if server.migration_id else None
        if mig is None or mig.status != 'finished':
            raise errors.BadRequest('Instance has not been resized.')
        return mig

    def confirm_resize(self, server_id):
        with self.lock:
            server = self.get_server(server_id)
            self._check_state(server, 'confirmResize', ('resized',))
            mig = self._resize_migration(server)
            publisher = mig.source_compute
            self.notifier.instance(server, 'instance.resize_confirm.start',
                                   publisher_host=publisher)
            self._set_allocation(mig.uuid, None)
            self._mig_status(mig, 'confirmed')
            server.old_flavor = None
            server.migration_id = None
            self._set_task(server, None,
                           vm_state=server.previous_vm_state or 'active',
                           emit=False)
            self.notifier.instance(server, 'instance.resize_confirm.end',
                                   publisher_host=publisher)
            self.notifier.instance_update(server, 'resized', None)
            return mig

    def revert_resize(self, server_id):
        with self.lock:
            server = self.get_server(server_id)
            self._check_state(server, 'revertResize', ('resized',))
            mig = self._resize_migration(server)
            self._mig_status(mig, 'reverting')
            self._set_task(server, 'resize_reverting')
            self.timeline.call_later(self.settings['resize_duration'],
                                     self._finish_revert, server.id, mig.id)
            return mig

    def _finish_revert(self, server_id, mig_id):
        with self.lock:
            mig = self.migrations[mig_id]
            server = self.servers.get(server_id)
            if server is None or mig.status != 'reverting':
                return
            src = self.hosts[mig.source_compute]
            self.notifier.instance(server, 'instance.resize_revert.start',
                                   publisher_host=mig.dest_compute)
            self._move_server(server, src.name)
            server.flavor = mig.old_flavor
            server.old_flavor = None
            self._set_allocation(server.id,
                                 {src.uuid: mig.old_flavor.resources()},
                                 server.project_id, server.user_id)
            self._set_allocation(mig.uuid, None)
            self._mig_status(mig, 'reverted')
            server.migration_id = None
            self._set_task(server, None,
                           vm_state=server.previous_vm_state or 'active',
                           emit=False)
            self.notifier.instance(server, 'instance.resize_revert.end',
                                   publisher_host=src.name)
            self.notifier.instance_update(server, 'resized',
                                          'resize_reverting')

    # power / shelve / delete -------------------------------------------
    def _simple_action(self, server_id, action, vm_states, task, duration,
                       finish, operation):
        with self.lock:
            server = self.get_server(server_id)
            self._check_state(server, action, vm_states)
            self._set_task(server, task)
            fault = self._take_fault(
                self._fault_keys(server, server.host), operation)
            self.timeline.call_later(self.settings[duration], finish,
                                     server.id, fault)
            return server

    def _fail_simple(self, server, fault, event):
        old_task = server.task_state
        server.task_state = None
        server.fault = {'code': 500, 'created': self.clock.iso(),
                        'message': fault.message,
                        'details': 'fault %d' % fault.id}
        self._touch(server)
        self.notifier.instance(server, event + '.error', priority='ERROR')
        self.notifier.instance_update(server, server.vm_state, old_task)

    def stop(self, server_id):
        return self._simple_action(server_id, 'stop', ('active', 'error'),
                                   'powering-off', 'action_duration',
                                   self._finish_stop, 'stop')

    def _finish_stop(self, server_id, fault):
        with self.lock:
            server = self.servers.get(server_id)
            if server is None or server.task_state != 'powering-off':
                return
            if fault is not None:
                return self._fail_simple(server, fault, 'instance.power_off')
            self.notifier.instance(server, 'instance.power_off.start')
            self._checkpoint_host(self.hosts[server.host])
            self._server_cpu_stop(server)
            server.power_state = 4
            self._set_task(server, None, vm_state='stopped', emit=False)
            self.notifier.instance(server, 'instance.power_off.end')
            self.notifier.instance_update(server, 'active', 'powering-off')

    def start(self, server_id):
        return self._simple_action(server_id, 'start', ('stopped',),
                                   'powering-on', 'action_duration',
                                   self._finish_start, 'start')

    def _finish_start(self, server_id, fault):
        with self.lock:
            server = self.servers.get(server_id)
            if server is None or server.task_state != 'powering-on':
                return
            if fault is not None:
                return self._fail_simple(server, fault, 'instance.power_on')
            self.notifier.instance(server, 'instance.power_on.start')
            self._checkpoint_host(self.hosts[server.host])
            server.power_state = 1
            self._server_cpu_start(server)
            self._set_task(server, None, vm_state='active', emit=False)
            self.notifier.instance(server, 'instance.power_on.end')
            self.notifier.instance_update(server, 'stopped', 'powering-on')

    def shelve(self, server_id):
        return self._simple_action(server_id, 'shelve',
                                   ('active', 'stopped', 'paused'),
                                   'shelving', 'action_duration',
                                   self._finish_shelve, 'shelve')

    def _finish_shelve(self, server_id, fault):
        with self.lock:
            server = self.servers.get(server_id)
            if server is None or server.task_state != 'shelving':
                return
            if fault is not None:
                return self._fail_simple(server, fault, 'instance.shelve')
            old_vm = server.vm_state
            self.notifier.instance_exists(server)
            self.notifier.instance(server, 'instance.shelve.start')
            if server.host:
                self._checkpoint_host(self.hosts[server.host])
            self._server_cpu_stop(server)
            server.power_state = 4
            self._set_task(server, None, vm_state='shelved', emit=False)
            self.notifier.instance(server, 'instance.shelve.end')
            # shelved_offload_time = 0: offloaded at once.
            self.notifier.instance(server, 'instance.shelve_offload.start')
            old_host = server.host
            self._move_server(server, None)
            # Nova: off any host, the server is in no availability zone
            server.availability_zone = None
            self._set_allocation(server.id, None)
            server.vm_state = 'shelved_offloaded'
            self.notifier.instance(server, 'instance.shelve_offload.end',
                                   publisher_host=old_host)
            self.notifier.instance_update(server, old_vm, 'shelving')

    def unshelve(self, server_id, availability_zone=None):
        with self.lock:
            server = self.get_server(server_id)
            self._check_state(server, 'unshelve', ('shelved_offloaded',
                                                   'shelved'))
            if availability_zone:
                server.pinned_availability_zone = availability_zone
            dest = self.schedule(server, server.flavor)
            if dest is None:
                raise errors.BadRequest('No valid host was found.')
            # the conductor gives the server its new host's zone at once
            server.availability_zone = dest.availability_zone
            self._set_task(server, 'unshelving')
            self._set_allocation(server.id,
                                 {dest.uuid: server.flavor.resources()},
                                 server.project_id, server.user_id)
            fault = self._take_fault(self._fault_keys(server, dest.name),
                                     'unshelve')
            self.timeline.call_later(self.settings['action_duration'],
                                     self._finish_unshelve, server.id,
                                     dest.name, fault)
            return server

    def _finish_unshelve(self, server_id, dest, fault):
        with self.lock:
            server = self.servers.get(server_id)
            if server is None or server.task_state != 'unshelving':
                return
            if fault is not None:
                self._set_allocation(server.id, None)
                return self._fail_simple(server, fault, 'instance.unshelve')
            self.notifier.instance(server, 'instance.unshelve.start')
            self._move_server(server, dest)
            server.power_state = 1
            self._server_cpu_start(server)
            self._set_task(server, None, vm_state='active', emit=False)
            self.notifier.instance(server, 'instance.unshelve.end')
            self.notifier.instance_update(server, 'shelved_offloaded',
                                          'unshelving')

    def lock_server(self, server_id, reason=None):
        with self.lock:
            server = self.get_server(server_id)
            server.locked = True
            server.locked_reason = reason
            self._touch(server)
            self.notifier.instance(server, 'instance.lock')
            return server

    def unlock_server(self, server_id):
        with self.lock:
            server = self.get_server(server_id)
            server.locked = False
            server.locked_reason = None
            self._touch(server)
            self.notifier.instance(server, 'instance.unlock')
            return server

    def set_metadata(self, server_id, metadata, replace=False):
        with self.lock:
            server = self.get_server(server_id)
            if replace:
                server.metadata = {}
            server.metadata.update({str(k): str(v)
                                    for k, v in metadata.items()})
            self._touch(server)
            self.notifier.instance_update(server, server.vm_state,
                                          server.task_state)
            return server

    def delete_server(self, server_id):
        with self.lock:
            server = self.get_server(server_id)
            if server.task_state == 'deleting':
                return server
            old_task = server.task_state
            server.task_state = 'deleting'
            self._touch(server)
            self.notifier.instance_update(server, server.vm_state, old_task)
            fault = self._take_fault(self._fault_keys(server, server.host),
                                     'delete')
            self.timeline.call_later(self.settings['action_duration'],
                                     self._finish_delete, server.id, fault)
            return server

    def _finish_delete(self, server_id, fault):
        with self.lock:
            server = self.servers.get(server_id)
            if server is None:
                return
            if fault is not None:
                server.vm_state = 'error'
                return self._fail_simple(server, fault, 'instance.delete')
            self.notifier.instance(server, 'instance.delete.start')
            if server.host:
                self.notifier.instance(server, 'instance.shutdown.start')
                self.notifier.instance(server, 'instance.shutdown.end')
            old_host = server.host
            self.remove_server(server)
            # The deleted instance still names its last host, as in Nova.
            server.host = old_host
            server.vm_state = 'deleted'
            server.power_state = 0
            server.task_state = None
            self._touch(server)
            self.notifier.instance(server, 'instance.delete.end',
                                   terminated=True)

    def remove_server(self, server):
        """Drop a server and everything it holds (no notification)."""
        if server.host and server.host in self.hosts:
            self._checkpoint_host(self.hosts[server.host])
        self._server_cpu_stop(server)
        self._move_server(server, None)
        self._set_allocation(server.id, None)
        for mig in self.migrations.values():
            if mig.instance_uuid == server.id and mig.uuid in \
                    self.allocations:
                self._set_allocation(mig.uuid, None)
        if server.server_group in self.server_groups:
            members = self.server_groups[server.server_group].members
            if server.id in members:
                members.remove(server.id)
        for vid in self.server_volumes.pop(server.id, ()):
            vol = self.volumes.get(vid)
            if vol is not None:
                vol.attachments = [a for a in vol.attachments
                                   if a['server_id'] != server.id]
                if not vol.attachments:
                    vol.status = 'available'
        self.servers.pop(server.id, None)
        if self.servers_by_name.get(server.name) == server.id:
            del self.servers_by_name[server.name]
        self.server_index.remove(server.seq)

    def create_server(self, name, flavor, availability_zone=None, host=None,
                      metadata=None, server_group=None, image_id=None,
                      key_name=None, description=None, profile=None):
        """Boot a server (POST /servers): BUILD, then ACTIVE."""
        with self.lock:
            flavor = self.get_flavor(flavor)
            seq = self.next_seq()
            inst_no = next(self._instance_ids)
            now = self.now()
            server = Server(
                id=self.new_id(), name=name, seq=seq, flavor=flavor,
                host=None, availability_zone=availability_zone or 'nova',
                project_id=self.settings['project_id'],
                user_id=self.settings['user_id'],
                profile=profile or workload.Profile('steady', 0.1, 0.4,
                                                    seed=seq),
                created_at=now, instance_name='instance-%08x' % inst_no,
                reservation_id='r-%08x' % self.rng.getrandbits(32),
                vm_state='building', task_state='scheduling',
                power_state=0, metadata=dict(metadata or {}),
                pinned_availability_zone=availability_zone,
                updated_at=now, key_name=key_name, description=description)
            if image_id:
                server.image_id = image_id
            if server_group:
                group = self._find_group(server_group)
                server.server_group = group.id
                group.members.append(server.id)
            self.servers[server.id] = server
            self.servers_by_name.setdefault(name, server.id)
            self.server_index.append(seq, server.id)
            self.notifier.instance(server, 'instance.create.start',
                                   publisher_host=self.controller)
            dest = self.schedule(server, flavor, requested=host)
            if dest is None:
                server.vm_state = 'error'
                server.task_state = None
                server.fault = {'code': 500, 'created': self.clock.iso(),
                                'message': 'No valid host was found. ',
                                'details': ''}
                self.notifier.instance(server, 'instance.create.error',
                                       priority='ERROR',
                                       publisher_host=self.controller)
                return server
            self._set_allocation(server.id, {dest.uuid: flavor.resources()},
                                 server.project_id, server.user_id)
            server.task_state = 'spawning'
            fault = self._take_fault([name, dest.name], 'create')
            self.timeline.call_later(self.settings['build_duration'],
                                     self._finish_create, server.id,
                                     dest.name, fault)
            return server

    def _finish_create(self, server_id, dest, fault):
        with self.lock:
            server = self.servers.get(server_id)
            if server is None or server.vm_state != 'building':
                return
            if fault is not None:
                self._set_allocation(server.id, None)
                server.vm_state = 'error'
                return self._fail_simple(server, fault, 'instance.create')
            self._move_server(server, dest)
            server.power_state = 1
            server.launched_at = self.now()
            self._server_cpu_start(server)
            self._set_task(server, None, vm_state='active', emit=False)
            self.notifier.instance(server, 'instance.create.end')
            self.notifier.instance_update(server, 'building', 'spawning')

    # services ---------------------------------------------------------------
    def update_service(self, service_id, status=None, disabled_reason=None,
                       forced_down=None):
        with self.lock:
            svc = self.get_service(service_id)
            if status is not None:
                if status not in ('enabled', 'disabled'):
                    raise errors.BadRequest(
                        "Invalid input for field/attribute status. Value: "
                        "%s. '%s' is not one of ['enabled', 'disabled']"
                        % (status, status))
                svc.status = status
                svc.disabled_reason = (disabled_reason
                                       if status == 'disabled' else None)
            elif disabled_reason is not None:
                raise errors.BadRequest(
                    'Specifying a disabled_reason is only allowed when the '
                    'status is disabled.')
            if forced_down is not None:
                svc.forced_down = bool(forced_down)
            svc.updated_at = self.now()
            svc.report_count += 1
            self.notifier.service_update(svc)
            return svc

    def set_service_by_host(self, host, binary='nova-compute', **kwargs):
        with self.lock:
            svc = self.find_service(host, binary)
            return self.update_service(svc.id, **kwargs)

    # block storage ---------------------------------------------------------
    def migrate_volume(self, volume_id, host, force_host_copy=False,
                       lock_volume=False):
        with self.lock:
            vol = self.get_volume(volume_id)
            if vol.status not in ('available', 'in-use'):
                raise errors.BadRequest(
                    'Volume %s status must be available or in-use, but '
                    'current status is: %s.' % (vol.id, vol.status))
            if vol.migration_status in ('migrating', 'starting'):
                raise errors.BadRequest(
                    'Volume %s is already being migrated.' % vol.id)
            pool = self.pools.get(host)
            if pool is None:
                matches = [p for p in self.pools.values() if p.host == host]
                if not matches:
                    raise errors.BadRequest(
                        'No available service named %s' % host)
                pool = matches[0]
            if pool.name == vol.pool:
                raise errors.BadRequest(
                    'Destination host must be different than the current '
                    'host.')
            vol.migration_status = 'migrating'
            vol.updated_at = self.now()
            fault = self._take_fault([vol.id, vol.name, vol.pool, pool.name],
                                     'volume_migrate')
            self.timeline.call_later(
                self.settings['volume_migration_duration'],
                self._finish_volume_move, vol.id, pool.name, None, fault,
                'migrate')
            return vol

    def retype_volume(self, volume_id, new_type, migration_policy='never'):
        with self.lock:
            vol = self.get_volume(volume_id)
            vt = self.get_volume_type(new_type)
            if vol.status not in ('available', 'in-use'):
                raise errors.BadRequest(
                    'Volume %s status must be available or in-use.' % vol.id)
            if vt.id == vol.volume_type.id:
                raise errors.BadRequest(
                    'New volume type must be different than the original.')
            target_pool = vol.pool
            if vt.backend != self.pools[vol.pool].backend:
                if migration_policy != 'on-demand':
                    raise errors.BadRequest(
                        'Retype needs a volume migration but the '
                        'migration_policy is %s.' % migration_policy)
                candidates = [p for p in self.pools.values()
                              if p.backend == vt.backend]
                if not candidates:
                    raise errors.BadRequest(
                        'No valid host was found for volume type %s'
                        % vt.name)
                target_pool = max(candidates,
                                  key=lambda p: p.free_capacity_gb).name
                vol.migration_status = 'migrating'
            vol.previous_status = vol.status
            vol.status = 'retyping'
            vol.updated_at = self.now()
            fault = self._take_fault([vol.id, vol.name, vol.pool],
                                     'volume_retype')
            self.timeline.call_later(
                self.settings['volume_migration_duration'],
                self._finish_volume_move, vol.id, target_pool, vt.id, fault,
                'retype')
            return vol

    def _finish_volume_move(self, volume_id, pool_name, type_id, fault,
                            kind):
        with self.lock:
            vol = self.volumes.get(volume_id)
            if vol is None:
                return
            restore = vol.previous_status
            if kind == 'retype':
                vol.status = restore or ('in-use' if vol.attachments
                                         else 'available')
            src = self.pools[vol.pool]
            dest = self.pools[pool_name]
            if fault is not None or (
                    dest is not src and dest.free_capacity_gb < vol.size):
                vol.migration_status = 'error' if (
                    kind == 'migrate' or dest is not src) else None
                vol.updated_at = self.now()
                self.notifier.volume(vol, 'volume.%s.error' % (
                    'retype' if kind == 'retype' else 'migrate'),
                    priority='ERROR')
                return
            if dest is not src:
                src.allocated_capacity_gb -= vol.size
                src.total_volumes -= 1
                dest.allocated_capacity_gb += vol.size
                dest.total_volumes += 1
                vol.pool = dest.name
                vol.migration_status = 'success'
            if type_id is not None:
                vol.volume_type = self.volume_types[type_id]
            vol.updated_at = self.now()
            if kind == 'retype':
                self.notifier.volume(vol, 'volume.retype')
            else:
                self.notifier.volume(vol, 'volume.update.end')
            for pool in {src.name: src, dest.name: dest}.values():
                self.notifier.capacity(pool)

    # baremetal ---------------------------------------------------------------
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
            host = self.hosts.get(node.compute_host or '')
            if host is not None:
                new_state = 'up' if target == 'power on' else 'down'
                if host.service.state != new_state:
                    self._checkpoint_host(host)
                    host.service.state = new_state
                    host.service.updated_at = self.now()
                    self.notifier.service_update(host.service)

    # ------------------------------------------------------------- waiting
    def wait_idle(self, timeout=10.0):
        """Wait until every started operation has finished."""
        return self.timeline.wait_idle(timeout)

    def stop_background(self):
        self.timeline.stop()
        self.notifier.close()

    # --------------------------------------------------------------- dump
    def snapshot(self):
        """A JSON-friendly dump of the placement of the whole cloud."""
        with self.lock:
            hosts = []
            for name in self.host_index.ids:
                h = self.hosts[name]
                hosts.append({
                    'name': h.name, 'uuid': h.uuid, 'fqdn': h.fqdn,
                    'availability_zone': h.availability_zone,
                    'status': h.service.status,
                    'disabled_reason': h.service.disabled_reason,
                    'state': h.service.state,
                    'forced_down': h.service.forced_down,
                    'capacity': h.capacity(), 'usage': dict(h.usage),
                    'servers': [s.id for s in sorted(
                        (self.servers[i] for i in h.servers),
                        key=lambda s: s.seq)],
                })
            servers = []
            for sid in self.server_index.ids:
                s = self.servers[sid]
                servers.append({
                    'id': s.id, 'name': s.name, 'host': s.host,
                    'status': s.status, 'task_state': s.task_state,
                    'flavor': s.flavor.name, 'vcpus': s.flavor.vcpus,
                    'ram': s.flavor.ram, 'disk': s.flavor.disk,
                    'locked': s.locked, 'metadata': dict(s.metadata),
                    'workload': s.profile.as_dict(),
                    'availability_zone': s.availability_zone,
                })
            return {
                'name': self.name, 'seed': self.seed,
                'time': self.now(), 'hosts': hosts, 'servers': servers,
                'migrations': [
                    {'id': m.id, 'uuid': m.uuid, 'server': m.instance_uuid,
                     'type': m.migration_type, 'source': m.source_compute,
                     'dest': m.dest_compute, 'status': m.status}
                    for m in self.migrations.values()],
                'volumes': [
                    {'id': v.id, 'name': v.name, 'size': v.size,
                     'pool': v.pool, 'type': v.volume_type.name,
                     'status': v.status,
                     'migration_status': v.migration_status}
                    for v in self.volumes.values()],
                'pools': [
                    {'name': p.name, 'total_capacity_gb': p.total_capacity_gb,
                     'free_capacity_gb': p.free_capacity_gb,
                     'allocated_capacity_gb': p.allocated_capacity_gb}
                    for p in self.pools.values()],
                'nodes': [
                    {'uuid': n.uuid, 'name': n.name,
                     'power_state': n.power_state,
                     'compute_host': n.compute_host}
                    for n in self.nodes.values()],
                'faults': [f.as_dict() for f in self.faults.values()],
            }
