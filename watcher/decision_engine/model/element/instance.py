"""Instance (server) element of the compute model.

``Instance(uuid, name, state, vcpus, memory, disk, disk_capacity, metadata,
project_id, locked, watcher_exclude, pinned_az, flavor_extra_specs,
flavor_name, task_state)``

``state`` is the lower-case nova vm_state (``InstanceState``); ``memory``
is in MiB and ``disk`` in GiB (flavor root + ephemeral).  ``watcher_exclude``
marks an instance the audit scope excluded: it still counts for its host's
load but a strategy must never move it.
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
                 'flavor_name', 'task_state')
    _fields = (
        ('uuid', None), ('name', None), ('state', InstanceState.ACTIVE),
        ('vcpus', 0), ('memory', 0), ('disk', 0), ('disk_capacity', 0),
        ('metadata', dict), ('project_id', None), ('locked', False),
        ('watcher_exclude', False), ('pinned_az', ''),
        ('flavor_extra_specs', dict), ('flavor_name', None),
        ('task_state', None),
    )
