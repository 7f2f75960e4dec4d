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

"""Cinder: volume types, pools and volumes; volume migration and retype."""

import dataclasses

from watcher.simulator import clock as clock_mod
from watcher.simulator import errors
from watcher.simulator.cloud import index


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


class BlockStorage:
    """Cinder's state and operations (a mixin of
    :class:`~watcher.simulator.cloud.core.Cloud`).
    """

    def __init__(self):
        self.volume_types = {}
        self.pools = {}
        self.volumes = {}
        self.volume_index = index.OrderedIndex()
        self.server_volumes = {}  # server id -> [volume id]

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

    def get_volume(self, ident):
        vol = self.volumes.get(ident)
        if vol is None:
            raise errors.NotFound('Volume %s could not be found.' % ident)
        return vol

    def get_volume_type(self, ident):
        return self._by_id_or_name(self.volume_types, ident, 'Volume type')

    def get_pool(self, name):
        pool = self.pools.get(name)
        if pool is None:
            raise errors.NotFound('Pool %s could not be found.' % name)
        return pool

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
