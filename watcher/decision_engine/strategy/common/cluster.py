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

"""``ClusterState``: a numpy view of a compute model for the strategies.

Built once per run from a ``ModelRoot`` (O(nodes + instances)):

* ``nodes`` / ``node_uuids`` / ``node_index``; ``instances`` /
  ``inst_uuids`` / ``inst_index``; ``inst_node`` (int array: current node
  index of each server, simulated moves included);
* ``capacity``, ``used``, ``free`` - float arrays (nodes x dims) and
  ``demand`` (servers x dims).  Dims start with ``vcpu``, ``memory``,
  ``disk`` (capacity = (total - reserved) x allocation ratio, demand = the
  flavor); strategies may append more with ``add_dimension`` (e.g. the CPU
  cores actually used, from metrics);
* ``limit`` (nodes x dims) - how far a *destination* may be filled: the
  capacity, or ``target x capacity`` for a dimension given a target
  utilisation (``add_dimension(..., target=)`` / ``set_target``), and
  ``room = limit - used``.  A node above its limit keeps its load but
  receives nothing (``over_target``); ``close(mask)`` makes nodes refuse
  servers for good (``receiving``), e.g. the hosts found above their
  target before any move, even once they have shed load.  A *soft* target
  (``add_dimension(..., target=, soft=True)``) only sets
  ``preferred_limit``: destinations within it are preferred, none is
  refused;
* ``feasible(i, dest_mask)`` - bool mask of nodes that can take server
  ``i`` now (receiving, every dim stays within its limit,
  anti-affinity/affinity respected, in its pinned availability zone if
  any, not its current node);
* ``move(i, j)`` - simulate a migration; ``migrations()`` - the net moves
  (server index, original node index, final node index);
* ``touched`` - the node indices whose load a ``move`` or ``restore``
  changed, in order (with repeats), only ever appended to: whoever keeps
  figures per node (the packing's best-fit index) remembers how far it
  has read.
"""
import numpy as np

from watcher.decision_engine.model.model_root import ServerGroup

EPS = 1e-6


class ClusterState:
    BASE_DIMS = ('vcpu', 'memory', 'disk')

    def __init__(self, model, node_filter=None):
        self.model = model
        self.nodes = [n for n in model.get_all_compute_nodes().values()
                      if node_filter is None or node_filter(n)]
        self.node_uuids = [n.uuid for n in self.nodes]
        self.node_index = {u: i for i, u in enumerate(self.node_uuids)}
        instances = []
        inst_node = []
        for idx, node in enumerate(self.nodes):
            for inst in model.get_node_instances(node):
                instances.append(inst)
                inst_node.append(idx)
        self.instances = instances
        self.inst_uuids = [i.uuid for i in instances]
        self.inst_index = {u: i for i, u in enumerate(self.inst_uuids)}
        self.inst_node = np.array(inst_node, dtype=np.int64)
        self.orig_node = self.inst_node.copy()
        n, m = len(self.nodes), len(instances)
        self.dims = list(self.BASE_DIMS)
        self.capacity = np.zeros((n, 3))
        for i, node in enumerate(self.nodes):
            self.capacity[i] = (node.vcpu_capacity, node.memory_mb_capacity,
                                node.disk_gb_capacity)
        self.demand = np.zeros((m, 3))
        for i, inst in enumerate(instances):
            self.demand[i] = (inst.vcpus or 0, inst.memory or 0,
                              inst.disk or 0)
        self.base_used = np.zeros((n, 3))
        self.limit = self.capacity.copy()
        self.preferred_limit = None
        self.receiving = np.ones(n, dtype=bool)
        self._seq = 0
        self._move_seq = {}
        self.touched = []
        self._members = None        # node -> set of server indices
        self._moves = []            # (server, from, to), undone by restore
        self._recompute_used()
        self._groups = self._index_groups()

    # -- dimensions ------------------------------------------------------
    def add_dimension(self, name, node_capacity, inst_demand,
                      node_base=None, target=None, soft=False):
        """Append a resource: per-node capacity, per-server demand, an
        optional per-node load not explained by its servers and an optional
        target utilisation (a destination must stay at or below
        ``target x capacity`` after a move).  ``soft``: the dimension
        constrains nothing; destinations staying within the target are only
        preferred (``preferred_limit``).
        """
        n = len(self.nodes)
        self.dims.append(name)
        capacity = np.broadcast_to(np.asarray(node_capacity, dtype=float),
                                   (n,))
        self.capacity = np.column_stack([self.capacity, capacity])
        self.limit = np.column_stack([self.limit, capacity])
        self.demand = np.column_stack(
            [self.demand, np.asarray(inst_demand, dtype=float)])
        base = np.zeros(n) if node_base is None else np.asarray(
            node_base, dtype=float)
        self.base_used = np.column_stack([self.base_used, base])
        if self.preferred_limit is not None:
            self.preferred_limit = np.column_stack(
                [self.preferred_limit, np.full(n, np.inf)])
        if soft:
            self.limit[:, -1] = np.inf
            if self.preferred_limit is None:
                self.preferred_limit = np.full(self.limit.shape, np.inf)
            self.preferred_limit[:, -1] = capacity * min(
                1.0 if target is None else float(target), 1.0)
            self._recompute_used()
        elif target is not None:
            self.set_target(name, target)
        else:
            self._recompute_used()

    def set_target(self, name, target):
        """Destinations keep ``name`` at or below ``target`` x capacity
        (``None`` or a target >= 1: the capacity itself).
        """
        d = self.dim(name)
        if target is None:
            target = 1.0
        self.limit[:, d] = self.capacity[:, d] * min(float(target), 1.0)
        self._recompute_used()

    def _recompute_used(self):
        n = len(self.nodes)
        used = self.base_used.copy()
        if len(self.instances):
            for d in range(self.demand.shape[1]):
                used[:, d] += np.bincount(self.inst_node,
                                          weights=self.demand[:, d],
                                          minlength=n)
        self.used = used
        self.free = self.capacity - self.used
        self.room = self.limit - self.used

    def dim(self, name):
        return self.dims.index(name)

    # -- placement queries -----------------------------------------------
    def node_instance_indices(self, j):
        """Server indices on node j, ascending."""
        if self._members is None:
            # built on first use, then kept by move/restore: scanning
            # every server for each host released is servers x hosts
            members = [set() for _ in self.nodes]
            for i, node in enumerate(self.inst_node.tolist()):
                members[node].add(i)
            self._members = members
        return np.array(sorted(self._members[j]), dtype=np.int64)

    def instance_counts(self):
        return np.bincount(self.inst_node, minlength=len(self.nodes))

    def fill_ratio(self, dims=None):
        """Per node: the max over dims of used / capacity."""
        cols = range(self.capacity.shape[1]) if dims is None else [
            self.dim(d) for d in dims]
        cols = list(cols)
        cap = np.where(self.capacity[:, cols] > 0,
                       self.capacity[:, cols], np.inf)
        return np.max(self.used[:, cols] / cap, axis=1) \
            if cols else np.zeros(len(self.nodes))

    def over_target(self, dims=None):
        """Bool mask of nodes above their limit in any of ``dims`` (all
        dims by default): they may shed servers but never receive any.
        """
        cols = list(range(len(self.dims))) if dims is None else [
            self.dim(d) for d in dims]
        if not cols:
            return np.zeros(len(self.nodes), dtype=bool)
        return np.any(self.room[:, cols] < -EPS, axis=1)

    def close(self, mask):
        """Nodes of ``mask`` never receive a server from now on."""
        self.receiving &= ~np.asarray(mask, dtype=bool)

    def preferred(self, i, idx):
        """Among nodes ``idx``, those that stay within their soft targets
        after receiving server i (all of them when there is none).
        """
        if self.preferred_limit is None:
            return np.ones(len(idx), dtype=bool)
        after = self.used[idx] + self.demand[i]
        return np.all(after <= self.preferred_limit[idx] + EPS, axis=1)

    def fits_on(self, i, j):
        return bool(self.receiving[j]) and bool(
            np.all(self.room[j] >= self.demand[i] - EPS))

    def feasible(self, i, dest_mask=None):
        need = self.demand[i] - EPS
        room = self.room
        ok = room[:, 0] >= need[0]
        for d in range(1, len(need)):
            ok &= room[:, d] >= need[d]
        ok &= self.receiving
        if dest_mask is not None:
            ok &= dest_mask
        ok[self.inst_node[i]] = False
        allowed = self.allowed_nodes(i)
        if allowed is not None:
            ok &= allowed
        return ok

    # -- server groups ---------------------------------------------------
    def _index_groups(self):
        groups = {}
        for group in self.model.get_all_server_groups().values():
            if group.policy not in (ServerGroup.ANTI_AFFINITY,
                                    ServerGroup.AFFINITY):
                continue
            for member in group.members:
                if member in self.inst_index:
                    groups.setdefault(self.inst_index[member], []).append(
                        group)
        return groups

    def _member_node(self, uuid):
        idx = self.inst_index.get(uuid)
        if idx is not None:
            return int(self.inst_node[idx])
        try:
            node = self.model.get_node_by_instance_uuid(uuid)
        except Exception:
            return None
        return self.node_index.get(node.uuid, -1)

    def _az_mask(self, zone):
        masks = self.__dict__.setdefault('_az_masks', {})
        if zone not in masks:
            masks[zone] = np.array([n.availability_zone == zone
                                    for n in self.nodes], dtype=bool)
        return masks[zone]

    def allowed_nodes(self, i):
        """Bool mask of nodes allowed by server i's hard (anti-)affinity
        groups and pinned availability zone, or None when unconstrained.
        """
        groups = self._groups.get(i)
        zone = self.instances[i].pinned_az if len(self.instances) else None
        if not groups and not zone:
            return None
        mask = np.ones(len(self.nodes), dtype=bool)
        if zone:
            mask &= self._az_mask(zone)
        groups = groups or ()
        me = self.inst_uuids[i]
        for group in groups:
            others = [self._member_node(u) for u in group.members if u != me]
            others = [o for o in others if o is not None]
            if group.policy == ServerGroup.ANTI_AFFINITY:
                for o in others:
                    if o >= 0:
                        mask[o] = False
            elif others:
                keep = np.zeros(len(self.nodes), dtype=bool)
                for o in others:
                    if o >= 0:
                        keep[o] = True
                mask &= keep
        return mask

    # -- simulation ------------------------------------------------------
    def move(self, i, j):
        src = self.inst_node[i]
        if src == j:
            return
        d = self.demand[i]
        self.used[src] -= d
        self.free[src] += d
        self.room[src] += d
        self.used[j] += d
        self.free[j] -= d
        self.room[j] -= d
        self.inst_node[i] = j
        if self._members is not None:
            self._members[src].discard(int(i))
            self._members[j].add(int(i))
        self._moves.append((int(i), int(src), int(j)))
        self.touched.append(int(src))
        self.touched.append(int(j))
        self._seq += 1
        self._move_seq[int(i)] = self._seq

    def snapshot(self):
        return (self.inst_node.copy(), self.used.copy(), self.free.copy(),
                self.room.copy(), len(self._moves))

    def restore(self, snap):
        inst_node, used, free, room, moves = snap
        undone = self._moves[moves:]
        del self._moves[moves:]
        if self._members is not None:
            for i, src, j in reversed(undone):
                self._members[j].discard(i)
                self._members[src].add(i)
        self.touched.extend(
            int(j) for j in np.flatnonzero(np.any(self.used != used, axis=1)))
        self.inst_node = inst_node.copy()
        self.used = used.copy()
        self.free = free.copy()
        self.room = room.copy()

    def migrations(self):
        """Net moves: list of (server index, original node, final node),
        in the order they were (last) simulated.
        """
        moved = np.flatnonzero(self.inst_node != self.orig_node)
        seq = self._move_seq
        order = sorted((int(i) for i in moved), key=lambda i: seq.get(i, 0))
        return [(i, int(self.orig_node[i]), int(self.inst_node[i]))
                for i in order]

    def check_capacity(self):
        """True when no node is over capacity on the base dims."""
        return bool(np.all(self.free[:, :3] >= -EPS))
