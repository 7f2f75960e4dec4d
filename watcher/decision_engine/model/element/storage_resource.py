"""Storage model elements: backend hosts, pools and volumes.

* ``StorageNode(host, zone, status, state, volume_type)`` - a cinder-volume
  backend (``host`` like ``hostname@backend``).
* ``Pool(name, total_volumes, total_capacity_gb, free_capacity_gb,
  provisioned_capacity_gb, allocated_capacity_gb, virtual_free)`` - ``name``
  like ``hostname@backend#pool``.
* ``Volume(uuid, name, size, status, attachments, snapshot_id, project_id,
  metadata, bootable, volume_type, host)`` - ``host`` is the pool name.
"""
from watcher.decision_engine.model.element import base


class StorageNode(base.Element):
    __slots__ = ('host', 'zone', 'status', 'state', 'volume_type')
    _fields = (('host', None), ('zone', None), ('status', 'enabled'),
               ('state', 'up'), ('volume_type', list))

    @property
    def uuid(self):
        return self.host


class Pool(base.Element):
    __slots__ = ('name', 'total_volumes', 'total_capacity_gb',
                 'free_capacity_gb', 'provisioned_capacity_gb',
                 'allocated_capacity_gb', 'virtual_free')
    _fields = (('name', None), ('total_volumes', 0),
               ('total_capacity_gb', 0), ('free_capacity_gb', 0),
               ('provisioned_capacity_gb', 0), ('allocated_capacity_gb', 0),
               ('virtual_free', 0))

    @property
    def uuid(self):
        return self.name


class Volume(base.Element):
    __slots__ = ('uuid', 'name', 'size', 'status', 'attachments',
                 'snapshot_id', 'project_id', 'metadata', 'bootable',
                 'volume_type', 'host')
    _fields = (('uuid', None), ('name', None), ('size', 0),
               ('status', 'available'), ('attachments', list),
               ('snapshot_id', None), ('project_id', None),
               ('metadata', dict), ('bootable', False),
               ('volume_type', None), ('host', None))
