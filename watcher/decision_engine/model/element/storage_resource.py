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
                 'volume_type', 'host', 'created_at')
    _fields = (('uuid', None), ('name', None), ('size', 0),
               ('status', 'available'), ('attachments', list),
               ('snapshot_id', None), ('project_id', None),
               ('metadata', dict), ('bootable', False),
               ('volume_type', None), ('host', None),
               ('created_at', None))
