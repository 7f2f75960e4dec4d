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

"""A numpy view of the storage model's pools for the storage strategies.

``PoolState(model, exclude=())`` - the pools (by name order; ``exclude``
lists pools that never receive, by full name ``host@backend#pool`` or by
the pool part after ``#``, as Cinder's ``pool_name``) with
``total`` and ``used`` capacity (GiB, ``used = total - free``), whether
each pool may receive volumes (its backend enabled and up, not excluded,
with capacity) and the volume types its backend serves;
``fits(volume, j, limit_pct)`` - pool ``j`` can take ``volume`` (type,
free space, and below ``limit_pct`` % used after it when given),
``candidates(volume, limit_pct)`` the same for every pool as a mask,
restricted to the availability zone of the volume's backend (a volume
keeps its zone, so the servers it is attached to can still reach it);
``move(volume, j)`` - simulate the move; ``moves`` the net result.
"""
import numpy as np

from watcher.common import exception

MOVABLE_STATUSES = ('available', 'in-use')


def is_movable(volume):
    """Cinder can migrate it now (available or attached, not busy)."""
    return (volume.status or '') in MOVABLE_STATUSES


def is_attached(volume):
    return (volume.status or '') == 'in-use' or bool(volume.attachments)


class PoolState:
    def __init__(self, model, exclude=()):
        self.model = model
        excluded = set(exclude or ())
        self.pools = [p for _name, p in sorted(model.get_all_pools().items())]
        self.names = [p.name for p in self.pools]
        self.index = {n: j for j, n in enumerate(self.names)}
        self.total = np.array([float(p.total_capacity_gb or 0)
                               for p in self.pools])
        self.used = self.total - np.array([float(p.free_capacity_gb or 0)
                                           for p in self.pools])
        self.receiving = np.zeros(len(self.pools), dtype=bool)
        self.types = []
        self.zones = []
        for j, pool in enumerate(self.pools):
            try:
                backend = model.get_node_by_pool_name(pool.name)
            except exception.StorageNodeNotFound:
                backend = None
            self.types.append(set(backend.volume_type or ())
                              if backend is not None else set())
            self.zones.append(backend.zone if backend is not None
                              else None)
            self.receiving[j] = (
                backend is not None and not excluded & {
                    pool.name, pool.name.rsplit('#', 1)[-1]} and
                self.total[j] > 0 and backend.status == 'enabled' and
                backend.state == 'up')
        self.origin = {}
        self.location = {}

    def percent(self):
        return np.divide(self.used * 100.0, self.total,
                         out=np.zeros_like(self.used), where=self.total > 0)

    def pool_of(self, volume):
        name = self.location.get(volume.uuid)
        if name is None:
            name = self.model.get_pool_by_volume(volume).name
        return self.index.get(name, -1)

    def serves(self, j, volume):
        """The backend of pool ``j`` serves the volume's type (a backend
        without a declared type list serves any).
        """
        types = self.types[j]
        return not types or not volume.volume_type or \
            volume.volume_type in types

    def _type_mask(self, vtype):
        masks = self.__dict__.setdefault('_type_masks', {})
        if vtype not in masks:
            masks[vtype] = np.array([not types or vtype in types
                                     for types in self.types], dtype=bool)
        return masks[vtype]

    def candidates(self, volume, limit_pct=None):
        """Bool mask of the pools that can take ``volume`` (as ``fits``,
        for every pool at once).
        """
        after = self.used + float(volume.size or 0)
        ok = self.receiving & (after <= self.total + 1e-9)
        if volume.volume_type:
            ok &= self._type_mask(volume.volume_type)
        if limit_pct is not None:
            ok &= after * 100.0 < limit_pct * self.total - 1e-9
        src = self.pool_of(volume)
        if src >= 0:
            ok[src] = False
            if self.zones[src]:
                ok &= self._zone_mask(self.zones[src])
        return ok

    def _zone_mask(self, zone):
        masks = self.__dict__.setdefault('_zone_masks', {})
        if zone not in masks:
            masks[zone] = np.array([z == zone for z in self.zones],
                                   dtype=bool)
        return masks[zone]

    def fits(self, volume, j, limit_pct=None):
        size = float(volume.size or 0)
        if not self.receiving[j] or j == self.pool_of(volume):
            return False
        if not self.serves(j, volume):
            return False
        after = self.used[j] + size
        if after > self.total[j] + 1e-9:
            return False
        return limit_pct is None or \
            after * 100.0 < limit_pct * self.total[j] - 1e-9

    def move(self, volume, j):
        src = self.pool_of(volume)
        size = float(volume.size or 0)
        if src >= 0:
            self.used[src] -= size
        self.used[j] += size
        self.origin.setdefault(volume.uuid, src)
        self.location[volume.uuid] = self.names[j]

    def apply(self):
        """Move the volumes in the model; [(volume, source name, dest
        name)] in the order they were planned.
        """
        done = []
        for uuid, name in self.location.items():
            volume = self.model.get_volume_by_uuid(uuid)
            src = self.origin[uuid]
            if src >= 0 and self.names[src] == name:
                continue
            self.model.map_volume(volume, name)
            volume.host = name
            done.append((volume, self.names[src] if src >= 0 else None,
                         name))
        return done
