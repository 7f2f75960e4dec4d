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

"""Instance (server) element of the compute model.

``Instance(uuid, name, state, vcpus, memory, disk, disk_capacity, metadata,
project_id, locked, watcher_exclude, pinned_az, flavor_extra_specs,
flavor_name, task_state, created_at)``

``state`` is the lower-case nova vm_state (``InstanceState``); ``memory``
is in MiB and ``disk`` in GiB (flavor root + ephemeral).  ``watcher_exclude``
marks an instance the audit scope excluded: it still counts for its host's
load but a strategy must never move it.  ``created_at`` is the server's
creation time in POSIX seconds (None when unknown).
"""
from watcher.decision_engine.model.element import base


class InstanceState:
    ACTIVE = 'active'
    BUILDING = 'building'
    PAUSED = 'paused'
    SUSPENDED = 'suspended'
    STOPPED = 'stopped'
    RESCUED = 'rescued'
    RESIZED = 'resized'
    SOFT_DELETED = 'soft-delete'
    DELETED = 'deleted'
    ERROR = 'error'
    SHELVED = 'shelved'
    SHELVED_OFFLOADED = 'shelved_offloaded'


class Instance(base.Element):
    __slots__ = ('uuid', 'name', 'state', 'vcpus', 'memory', 'disk',
                 'disk_capacity', 'metadata', 'project_id', 'locked',
                 'watcher_exclude', 'pinned_az', 'flavor_extra_specs',
                 'flavor_name', 'task_state', 'created_at')
    _fields = (
        ('uuid', None), ('name', None), ('state', InstanceState.ACTIVE),
        ('vcpus', 0), ('memory', 0), ('disk', 0), ('disk_capacity', 0),
        ('metadata', dict), ('project_id', None), ('locked', False),
        ('watcher_exclude', False), ('pinned_az', ''),
        ('flavor_extra_specs', dict), ('flavor_name', None),
        ('task_state', None), ('created_at', None),
    )
