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

"""Cluster data model roots: compute, storage and baremetal.

Contract (others code against it - keep names stable):

``ModelRoot`` - the compute model.  Plain indexed dicts, no graph library:

* nodes by uuid and by hostname, instances by uuid, node uuid -> ordered
  set of instance uuids, instance uuid -> node uuid; every lookup is O(1)
  and ``get_node_instances`` is O(instances on that node).
* ``add_node(node)``, ``remove_node(node)`` (its instances stay in the model,
  unmapped), ``add_instance(instance)``, ``remove_instance(instance)``
  (also unmaps it and drops it from server groups),
  ``map_instance(instance, node)``, ``unmap_instance(instance, node=None)``,
  ``migrate_instance(instance, source_node, destination_node)`` -> bool.
  Arguments naming an element accept the element or its uuid (nodes: also
  the hostname).
* ``get_node_by_uuid``, ``get_node_by_name(hostname)``,
  ``get_instance_by_uuid``, ``get_node_by_instance_uuid`` raise
  ``exception.ComputeNodeNotFound`` / ``exception.InstanceNotFound``.
* ``get_node_instances(node)`` -> list of Instance,
  ``get_all_compute_nodes()`` -> dict uuid -> ComputeNode,
  ``get_all_instances()`` -> dict uuid -> Instance.
* ``get_node_used_resources(node)`` / ``get_node_free_resources(node)`` ->
  ``{'vcpu', 'memory', 'disk'}``; free = capacity (with ratios and
  reserved) - used.
* Server groups: ``add_server_group(uuid, name, policy, members)``,
  ``remove_server_group(uuid)``, ``get_server_group(uuid)``,
  ``get_all_server_groups()``, ``get_instance_server_groups(instance_uuid)``
  -> list of ``ServerGroup`` (policy 'anti-affinity', 'affinity',
  'soft-anti-affinity', 'soft-affinity').
* ``copy()`` - an independent copy (elements copied, indexes rebuilt).
* ``to_data_model_rows(extended=False)`` - the ``GET /v1/data_model``
  ``context`` list: one flat dict per instance joined with its node, plus
  one node-only row per node without instances.
* ``len(model)`` = nodes + instances; ``stats`` dict.

``StorageModelRoot`` (storage nodes by host, pools by name, volumes by uuid,
node -> pools, pool -> volumes) and ``BaremetalModelRoot`` (Ironic nodes by
uuid) follow the same style.

The roots are not thread-safe: the collector that owns a live model swaps
whole models or serialises its updates; audits work on a ``copy()``.
"""
from watcher.common import exception
from watcher.decision_engine.model import element


class ServerGroup:
    """A nova server group: ``uuid, name, policy, members`` (set of
    instance uuids).
    """
    __slots__ = ('uuid', 'name', 'policy', 'members')

    ANTI_AFFINITY = 'anti-affinity'
    AFFINITY = 'affinity'
    SOFT_ANTI_AFFINITY = 'soft-anti-affinity'
    SOFT_AFFINITY = 'soft-affinity'

    def __init__(self, uuid, name=None, policy=ANTI_AFFINITY, members=()):
        self.uuid = uuid
        self.name = name
        self.policy = policy
        self.members = set(members or ())

    def copy(self):
        return ServerGroup(self.uuid, self.name, self.policy, self.members)

    def as_dict(self):
        return {'uuid': self.uuid, 'name': self.name, 'policy': self.policy,
                'members': sorted(self.members)}

    def __repr__(self):
        return '<ServerGroup %s %s>' % (self.uuid, self.policy)


def _uuid_of(obj):
    return obj if isinstance(obj, str) else obj.uuid


class ModelRoot:
    """The compute cluster data model (see the module docstring)."""

    model_type = 'compute'

    def __init__(self, stale=False):
        self.stale = stale
        self._nodes = {}
        self._nodes_by_name = {}
        self._instances = {}
        self._node_instances = {}    # node uuid -> {instance uuid: None}
        self._instance_node = {}     # instance uuid -> node uuid
        self._server_groups = {}
        self._instance_groups = {}   # instance uuid -> {group uuid: None}

    # -- nodes -----------------------------------------------------------
    def add_node(self, node):
        old = self._nodes.get(node.uuid)
        if old is not None and old.hostname != node.hostname:
            self._nodes_by_name.pop(old.hostname, None)
        self._nodes[node.uuid] = node
        if node.hostname is not None:
            self._nodes_by_name[node.hostname] = node.uuid
        self._node_instances.setdefault(node.uuid, {})

    def remove_node(self, node):
        uuid = self._node_uuid(node)
        node = self._nodes.pop(uuid)
        if self._nodes_by_name.get(node.hostname) == uuid:
            del self._nodes_by_name[node.hostname]
        for inst_uuid in self._node_instances.pop(uuid, {}):
            self._instance_node.pop(inst_uuid, None)

    def _node_uuid(self, node):
        if not isinstance(node, str):
            node = node.uuid
        if node in self._nodes:
            return node
        uuid = self._nodes_by_name.get(node)
        if uuid is None:
            raise exception.ComputeNodeNotFound(name=node)
        return uuid

    def get_node_by_uuid(self, uuid):
        try:
            return self._nodes[uuid]
        except KeyError:
            raise exception.ComputeNodeNotFound(name=uuid)

    def get_node_by_name(self, hostname):
        try:
            return self._nodes[self._nodes_by_name[hostname]]
        except KeyError:
            raise exception.ComputeNodeNotFound(name=hostname)

    def get_node_by_uuid_or_name(self, ident):
        return self._nodes[self._node_uuid(ident)]

    def get_node_by_id(self, node_id):
        """Look a node up by hypervisor id (a scan: rarely used)."""
        for node in self._nodes.values():
            if node.id == node_id or str(node.id) == str(node_id):
                return node
        raise exception.ComputeNodeNotFound(name=node_id)

    def has_node(self, uuid):
        return uuid in self._nodes

    def get_all_compute_nodes(self):
        return dict(self._nodes)

    # -- instances -------------------------------------------------------
    def add_instance(self, instance):
        self._instances[instance.uuid] = instance

    def remove_instance(self, instance):
        uuid = _uuid_of(instance)
        if uuid not in self._instances:
            raise exception.InstanceNotFound(name=uuid)
        node_uuid = self._instance_node.pop(uuid, None)
        if node_uuid is not None:
            self._node_instances.get(node_uuid, {}).pop(uuid, None)
        for group_uuid in self._instance_groups.pop(uuid, {}):
            group = self._server_groups.get(group_uuid)
            if group is not None:
                group.members.discard(uuid)
        del self._instances[uuid]

    def has_instance(self, uuid):
        return uuid in self._instances

    def get_instance_by_uuid(self, uuid):
        try:
            return self._instances[uuid]
        except KeyError:
            raise exception.InstanceNotFound(name=uuid)

    def get_all_instances(self):
        return dict(self._instances)

    def map_instance(self, instance, node):
        """Place ``instance`` on ``node`` (adding the instance if new)."""
        if not isinstance(instance, str):
            self._instances.setdefault(instance.uuid, instance)
        inst_uuid = _uuid_of(instance)
        if inst_uuid not in self._instances:
            raise exception.InstanceNotFound(name=inst_uuid)
        node_uuid = self._node_uuid(node)
        old = self._instance_node.get(inst_uuid)
        if old is not None and old != node_uuid:
            self._node_instances[old].pop(inst_uuid, None)
        self._instance_node[inst_uuid] = node_uuid
        self._node_instances[node_uuid][inst_uuid] = None

    def unmap_instance(self, instance, node=None):
        inst_uuid = _uuid_of(instance)
        current = self._instance_node.get(inst_uuid)
        if current is None:
            return
        if node is not None and self._node_uuid(node) != current:
            return
        del self._instance_node[inst_uuid]
        self._node_instances[current].pop(inst_uuid, None)

    def migrate_instance(self, instance, source_node, destination_node):
        """Move ``instance`` between nodes; False if source == destination.

        Raises InstanceNotFound if the instance is not on ``source_node``.
        """
        src = self._node_uuid(source_node)
        dst = self._node_uuid(destination_node)
        if src == dst:
            return False
        inst_uuid = _uuid_of(instance)
        if self._instance_node.get(inst_uuid) != src:
            raise exception.InstanceNotFound(name=inst_uuid)
        self.map_instance(inst_uuid, dst)
        return True

    def get_node_by_instance_uuid(self, instance_uuid):
        try:
            return self._nodes[self._instance_node[instance_uuid]]
        except KeyError:
            raise exception.ComputeNodeNotFound(name=instance_uuid)

    def get_node_instances(self, node):
        instances = self._instances
        return [instances[u]
                for u in self._node_instances.get(self._node_uuid(node), ())]

    def get_node_instance_uuids(self, node):
        return list(self._node_instances.get(self._node_uuid(node), ()))

    def get_unmapped_instances(self):
        return [i for u, i in self._instances.items()
                if u not in self._instance_node]

    # -- resources -------------------------------------------------------
    def get_node_used_resources(self, node):
        vcpu = memory = disk = 0
        for inst in self.get_node_instances(node):
            vcpu += inst.vcpus or 0
            memory += inst.memory or 0
            disk += inst.disk or 0
        return {'vcpu': vcpu, 'memory': memory, 'disk': disk}

    def get_node_free_resources(self, node):
        if isinstance(node, str):
            node = self.get_node_by_uuid_or_name(node)
        used = self.get_node_used_resources(node)
        return {'vcpu': node.vcpu_capacity - used['vcpu'],
                'memory': node.memory_mb_capacity - used['memory'],
                'disk': node.disk_gb_capacity - used['disk']}

    # -- server groups ---------------------------------------------------
    def add_server_group(self, uuid, name=None, policy='anti-affinity',
                         members=()):
        if uuid in self._server_groups:
            self.remove_server_group(uuid)
        group = ServerGroup(uuid, name, policy, members)
        self._server_groups[uuid] = group
        for member in group.members:
            self._instance_groups.setdefault(member, {})[uuid] = None
        return group

    def remove_server_group(self, uuid):
        group = self._server_groups.pop(uuid, None)
        if group is None:
            return
        for member in group.members:
            groups = self._instance_groups.get(member)
            if groups is not None:
                groups.pop(uuid, None)
                if not groups:
                    del self._instance_groups[member]

    def get_server_group(self, uuid):
        return self._server_groups.get(uuid)

    def get_all_server_groups(self):
        return dict(self._server_groups)

    def get_instance_server_groups(self, instance_uuid):
        return [self._server_groups[g]
                for g in self._instance_groups.get(instance_uuid, ())]

    # -- whole model -----------------------------------------------------
    def copy(self):
        new = ModelRoot(stale=self.stale)
        new._nodes = {u: n.copy() for u, n in self._nodes.items()}
        new._nodes_by_name = dict(self._nodes_by_name)
        new._instances = {u: i.copy() for u, i in self._instances.items()}
        new._node_instances = {u: dict(s)
                               for u, s in self._node_instances.items()}
        new._instance_node = dict(self._instance_node)
        new._server_groups = {u: g.copy()
                              for u, g in self._server_groups.items()}
        new._instance_groups = {u: dict(s)
                                for u, s in self._instance_groups.items()}
        return new

    __copy__ = copy

    def __deepcopy__(self, memo):
        return self.copy()

    def __len__(self):
        return len(self._nodes) + len(self._instances)

    @property
    def stats(self):
        return {'nodes': len(self._nodes),
                'instances': len(self._instances),
                'mapped_instances': len(self._instance_node),
                'server_groups': len(self._server_groups)}

    @staticmethod
    def _node_row(node):
        return {
            'node_uuid': node.uuid, 'node_hostname': node.hostname,
            'node_status': node.status,
            'node_disabled_reason': node.disabled_reason,
            'node_state': node.state, 'node_vcpus': node.vcpus,
            'node_vcpu_reserved': node.vcpu_reserved,
            'node_vcpu_ratio': node.vcpu_ratio, 'node_memory': node.memory,
            'node_memory_mb_reserved': node.memory_mb_reserved,
            'node_memory_ratio': node.memory_ratio, 'node_disk': node.disk,
            'node_disk_gb_reserved': node.disk_gb_reserved,
            'node_disk_ratio': node.disk_ratio,
        }

    @staticmethod
    def _instance_row(inst, extended):
        row = {
            'server_uuid': inst.uuid, 'server_name': inst.name,
            'server_vcpus': inst.vcpus, 'server_memory': inst.memory,
            'server_disk': inst.disk, 'server_state': inst.state,
            'server_watcher_exclude': inst.watcher_exclude,
            'server_metadata': inst.metadata,
            'server_project_id': inst.project_id,
            'server_locked': inst.locked,
        }
        if extended:
            row['server_pinned_az'] = inst.pinned_az or ''
            row['server_flavor_extra_specs'] = inst.flavor_extra_specs or {}
        return row

    def to_data_model_rows(self, extended=False):
        """Flat rows of ``GET /v1/data_model`` (see module docstring)."""
        rows = []
        for node_uuid, node in self._nodes.items():
            node_row = self._node_row(node)
            inst_uuids = self._node_instances.get(node_uuid)
            if not inst_uuids:
                rows.append(node_row)
                continue
            for inst_uuid in inst_uuids:
                row = self._instance_row(self._instances[inst_uuid],
                                         extended)
                row.update(node_row)
                rows.append(row)
        return rows

    def to_string(self):
        lines = []
        for node in self._nodes.values():
            lines.append('%s (%s) %s/%s' % (node.hostname, node.uuid,
                                            node.state, node.status))
            for inst in self.get_node_instances(node):
                lines.append('  %s %s %s' % (inst.uuid, inst.name,
                                             inst.state))
        return '\n'.join(lines)

    def __repr__(self):
        return '<ModelRoot nodes=%d instances=%d>' % (
            len(self._nodes), len(self._instances))


class StorageModelRoot:
    """The storage (cinder) cluster data model."""

    model_type = 'storage'

    def __init__(self, stale=False):
        self.stale = stale
        self._nodes = {}          # host -> StorageNode
        self._pools = {}          # name -> Pool
        self._volumes = {}        # uuid -> Volume
        self._node_pools = {}     # host -> {pool name: None}
        self._pool_node = {}      # pool name -> host
        self._pool_volumes = {}   # pool name -> {volume uuid: None}
        self._volume_pool = {}    # volume uuid -> pool name

    # -- nodes -----------------------------------------------------------
    def add_node(self, node):
        self._nodes[node.host] = node
        self._node_pools.setdefault(node.host, {})

    def remove_node(self, node):
        host = node if isinstance(node, str) else node.host
        if host not in self._nodes:
            raise exception.StorageNodeNotFound(name=host)
        del self._nodes[host]
        for pool in self._node_pools.pop(host, {}):
            self._pool_node.pop(pool, None)

    def get_node_by_name(self, host):
        try:
            return self._nodes[host]
        except KeyError:
            raise exception.StorageNodeNotFound(name=host)

    def get_all_storage_nodes(self):
        return dict(self._nodes)

    # -- pools -----------------------------------------------------------
    def add_pool(self, pool):
        self._pools[pool.name] = pool
        self._pool_volumes.setdefault(pool.name, {})

    def remove_pool(self, pool):
        name = pool if isinstance(pool, str) else pool.name
        if name not in self._pools:
            raise exception.PoolNotFound(name=name)
        del self._pools[name]
        host = self._pool_node.pop(name, None)
        if host is not None:
            self._node_pools.get(host, {}).pop(name, None)
        for vol in self._pool_volumes.pop(name, {}):
            self._volume_pool.pop(vol, None)

    def map_pool(self, pool, node):
        name = pool if isinstance(pool, str) else pool.name
        host = node if isinstance(node, str) else node.host
        if name not in self._pools:
            raise exception.PoolNotFound(name=name)
        if host not in self._nodes:
            raise exception.StorageNodeNotFound(name=host)
        old = self._pool_node.get(name)
        if old is not None:
            self._node_pools[old].pop(name, None)
        self._pool_node[name] = host
        self._node_pools[host][name] = None

    def unmap_pool(self, pool, node=None):
        name = pool if isinstance(pool, str) else pool.name
        host = self._pool_node.pop(name, None)
        if host is not None:
            self._node_pools[host].pop(name, None)

    def get_pool_by_pool_name(self, name):
        try:
            return self._pools[name]
        except KeyError:
            raise exception.PoolNotFound(name=name)

    def get_all_pools(self):
        return dict(self._pools)

    def get_node_pools(self, node):
        host = node if isinstance(node, str) else node.host
        return [self._pools[p] for p in self._node_pools.get(host, ())]

    def get_node_by_pool_name(self, pool_name):
        try:
            return self._nodes[self._pool_node[pool_name]]
        except KeyError:
            raise exception.StorageNodeNotFound(name=pool_name)

    # -- volumes ---------------------------------------------------------
    def add_volume(self, volume):
        self._volumes[volume.uuid] = volume

    def remove_volume(self, volume):
        uuid = _uuid_of(volume)
        if uuid not in self._volumes:
            raise exception.VolumeNotFound(name=uuid)
        del self._volumes[uuid]
        pool = self._volume_pool.pop(uuid, None)
        if pool is not None:
            self._pool_volumes.get(pool, {}).pop(uuid, None)

    def map_volume(self, volume, pool):
        if not isinstance(volume, str):
            self._volumes.setdefault(volume.uuid, volume)
        uuid = _uuid_of(volume)
        name = pool if isinstance(pool, str) else pool.name
        if name not in self._pools:
            raise exception.PoolNotFound(name=name)
        old = self._volume_pool.get(uuid)
        if old is not None:
            self._pool_volumes[old].pop(uuid, None)
        self._volume_pool[uuid] = name
        self._pool_volumes[name][uuid] = None

    def unmap_volume(self, volume, pool=None):
        uuid = _uuid_of(volume)
        name = self._volume_pool.pop(uuid, None)
        if name is not None:
            self._pool_volumes[name].pop(uuid, None)

    def get_volume_by_uuid(self, uuid):
        try:
            return self._volumes[uuid]
        except KeyError:
            raise exception.VolumeNotFound(name=uuid)

    def get_all_volumes(self):
        return dict(self._volumes)

    def get_pool_volumes(self, pool):
        name = pool if isinstance(pool, str) else pool.name
        return [self._volumes[v] for v in self._pool_volumes.get(name, ())]

    def get_pool_by_volume(self, volume):
        uuid = _uuid_of(volume)
        try:
            return self._pools[self._volume_pool[uuid]]
        except KeyError:
            raise exception.PoolNotFound(name=uuid)

    def copy(self):
        new = StorageModelRoot(stale=self.stale)
        new._nodes = {k: v.copy() for k, v in self._nodes.items()}
        new._pools = {k: v.copy() for k, v in self._pools.items()}
        new._volumes = {k: v.copy() for k, v in self._volumes.items()}
        new._node_pools = {k: dict(v) for k, v in self._node_pools.items()}
        new._pool_node = dict(self._pool_node)
        new._pool_volumes = {k: dict(v)
                             for k, v in self._pool_volumes.items()}
        new._volume_pool = dict(self._volume_pool)
        return new

    __copy__ = copy

    def __deepcopy__(self, memo):
        return self.copy()

    def __len__(self):
        return len(self._nodes) + len(self._pools) + len(self._volumes)

    @property
    def stats(self):
        return {'nodes': len(self._nodes), 'pools': len(self._pools),
                'volumes': len(self._volumes)}

    def __repr__(self):
        return '<StorageModelRoot nodes=%d pools=%d volumes=%d>' % (
            len(self._nodes), len(self._pools), len(self._volumes))


class BaremetalModelRoot:
    """The baremetal (ironic) cluster data model."""

    model_type = 'baremetal'

    def __init__(self, stale=False):
        self.stale = stale
        self._nodes = {}

    def add_node(self, node):
        self._nodes[node.uuid] = node

    def remove_node(self, node):
        uuid = _uuid_of(node)
        if uuid not in self._nodes:
            raise exception.IronicNodeNotFound(uuid=uuid)
        del self._nodes[uuid]

    def get_node_by_uuid(self, uuid):
        try:
            return self._nodes[uuid]
        except KeyError:
            raise exception.IronicNodeNotFound(uuid=uuid)

    def get_all_ironic_nodes(self):
        return dict(self._nodes)

    def copy(self):
        new = BaremetalModelRoot(stale=self.stale)
        new._nodes = {k: v.copy() for k, v in self._nodes.items()}
        return new

    __copy__ = copy

    def __deepcopy__(self, memo):
        return self.copy()

    def __len__(self):
        return len(self._nodes)

    @property
    def stats(self):
        return {'nodes': len(self._nodes)}

    def __repr__(self):
        return '<BaremetalModelRoot nodes=%d>' % len(self._nodes)


# Re-exported for convenience: ``model_root.element.ComputeNode``.
__all__ = ['ModelRoot', 'StorageModelRoot', 'BaremetalModelRoot',
           'ServerGroup', 'element']
