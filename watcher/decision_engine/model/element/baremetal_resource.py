"""Baremetal model element.

``IronicNode(uuid, power_state, maintenance, maintenance_reason, extra)``;
``extra['compute_node_id']`` links to the nova hypervisor id.
"""
from watcher.decision_engine.model.element import base


class IronicNode(base.Element):
    __slots__ = ('uuid', 'power_state', 'maintenance', 'maintenance_reason',
                 'extra')
    _fields = (('uuid', None), ('power_state', None), ('maintenance', False),
               ('maintenance_reason', None), ('extra', dict))
