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

"""The one in-memory cloud behind every simulated service.

:class:`Cloud` is a small core -- the clock and timeline, ids, the lock, the
notifier and the compute inventory (flavors, hosts, servers, migrations,
aggregates, server groups) -- and one mixin per service, each in its own
module of this package:

============================  ==============================================
:mod:`.compute`               server moves (live/cold migration, resize),
                              compute services
:mod:`.lifecycle`             create, delete and the simple server actions
                              (stop, start, shelve...) as a table
:mod:`.scheduler`             picking a host
:mod:`.placement`             allocations and usages
:mod:`.block_storage`         Cinder types, pools, volumes; migrate, retype
:mod:`.baremetal`             Ironic nodes and their power
:mod:`.metrics`               CPU time accounting
:mod:`.faults`                injected failures
============================  ==============================================

The mixins share the core's state; every read and write takes
``cloud.lock``.  HTTP handlers (the ``watcher/simulator/*.py`` modules of the
same names) render their pages while holding it, so every answer is one
consistent snapshot.

Long operations (migrations, power changes...) are started by the public
methods and finished later on the :class:`~watcher.simulator.clock.Timeline`
thread after their simulated duration; every step emits the versioned
notifications the real services emit.
"""

import itertools
import random
import threading
import uuid as uuidlib

from watcher.simulator import clock as clock_mod
from watcher.simulator import errors
from watcher.simulator import notifications
from watcher.simulator import workload
from watcher.simulator.cloud import baremetal
from watcher.simulator.cloud import block_storage
from watcher.simulator.cloud import compute
from watcher.simulator.cloud import elements
from watcher.simulator.cloud import faults
from watcher.simulator.cloud import index
from watcher.simulator.cloud import lifecycle
from watcher.simulator.cloud import metrics
from watcher.simulator.cloud import placement
from watcher.simulator.cloud import scheduler

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
    # How many CPUs a host's node_exporter lists (None: all of them). Every
    # CPU of a simulated host reads the same, so fewer keep every per-host
    # figure (avg by fqdn) and let a Prometheus on one machine scrape
    # thousands of 128-CPU hosts.
    'exporter_cpus': None,
    'project_id': '6b4a0ad9a7c34c5ab1c3f0b6a1e5c2d1',
    'user_id': '9f1d2a3b4c5d4e6f8a7b6c5d4e3f2a1b',
    'project_name': 'admin',
    'user_name': 'admin',
    'region': 'RegionOne',
    'nova_exchange': 'nova',
    'cinder_exchange': 'openstack',
}


def new_uuid(rng):
    return str(uuidlib.UUID(int=rng.getrandbits(128), version=4))


class Cloud(compute.Compute, lifecycle.Lifecycle, scheduler.Scheduler,
            placement.Placement, block_storage.BlockStorage,
            baremetal.Baremetal, metrics.CpuAccounting, faults.Faults):
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
        self._instance_ids = itertools.count(1)
        self.flavors = {}
        self.flavors_by_name = {}
        self.hosts = {}
        self.hosts_by_uuid = {}
        self.host_index = index.OrderedIndex()
        self.services = {}
        self.service_index = index.OrderedIndex()
        self.servers = {}
        self.server_index = index.OrderedIndex()
        self.servers_by_name = {}
        self.migrations = {}
        self.migration_index = index.OrderedIndex()
        self.aggregates = {}
        self.server_groups = {}
        placement.Placement.__init__(self)
        block_storage.BlockStorage.__init__(self)
        baremetal.Baremetal.__init__(self)
        faults.Faults.__init__(self)
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
        svc = elements.Service(
            id=self.new_id(), binary=binary, host=host, zone=zone,
            seq=self.next_seq(), updated_at=self.now(), topic=topic)
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
            flavor = elements.Flavor(
                id=id or self.new_id(), name=name, vcpus=vcpus, ram=ram,
                disk=disk, ephemeral=ephemeral, swap=swap,
                extra_specs=dict(extra_specs or {}), is_public=is_public,
                description=description, internal_id=len(self.flavors) + 1)
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
                 hypervisor_type='QEMU', inlet_temp=None,
                 l3_cache_kib=32768):
        with self.lock:
            if name in self.hosts:
                raise errors.Conflict('host %s already exists' % name)
            svc = self._add_service('nova-compute', name, availability_zone)
            svc.status = status
            svc.disabled_reason = disabled_reason
            svc.forced_down = forced_down
            svc.state = state
            seq = svc.seq
            host = elements.Host(
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
                # drawn even when given: the draws after it (and so every
                # other id and figure of the cloud) stay the same
                inlet_temp=self._inlet(inlet_temp),
                l3_cache_kib=l3_cache_kib,
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

    def _inlet(self, given):
        drawn = 18.0 + self.rng.random() * 6.0
        return drawn if given is None else float(given)

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
            server = elements.Server(
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
            agg = elements.Aggregate(
                id=next(self._agg_ids), uuid=self.new_id(), name=name,
                availability_zone=availability_zone, hosts=list(hosts),
                metadata=dict(metadata or {}), created_at=self.started_at)
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
            group = elements.ServerGroup(
                id=id or self.new_id(), name=name, policy=policy, members=[],
                project_id=self.settings['project_id'],
                user_id=self.settings['user_id'])
            self.server_groups[group.id] = group
            return group

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

    @staticmethod
    def _by_id_or_name(table, ident, what):
        found = table.get(ident)
        if found is None:
            found = next((item for item in table.values()
                          if item.name == ident), None)
        if found is None:
            raise errors.NotFound('%s %s could not be found.' % (what, ident))
        return found

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
