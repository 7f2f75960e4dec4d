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

"""Nova notifications applied to the live compute model.

Versioned notifications (``nova.versioned_notifications``): every instance
event that leaves the server somewhere (created, moved, resized, powered
on or off, locked, rescued, shelved...) updates the instance and maps it to
the node named in the payload (``node``, the hypervisor hostname, or the
service ``host``); ``instance.delete.end`` and
``instance.soft_delete.end`` remove it; ``service.create``/``update`` set
a node's status, disabled reason and state; ``service.delete`` removes the
node and its instances.

An instance or a node the model does not know yet is added: an instance
from the payload itself (its flavor is in it) or, when the payload lacks
something the model needs, from one ``GET /servers/{id}``; a node from one
hypervisor lookup through the collector.

Legacy (unversioned) ``compute.instance.*`` notifications are handled the
same way for the events that move or remove a server.
"""
from oslo_log import log

from watcher.common import exception
from watcher.decision_engine.model.collector import nova as nova_collector
from watcher.decision_engine.model import element
from watcher.decision_engine.model.notification import base

LOG = log.getLogger(__name__)

INSTANCE_UPDATE_EVENTS = (
    'instance.create.end', 'instance.lock', 'instance.unlock',
    'instance.pause.end', 'instance.power_off.end', 'instance.power_on.end',
    'instance.resize_confirm.end', 'instance.resize_revert.end',
    'instance.restore.end', 'instance.resume.end', 'instance.shelve.end',
    'instance.shelve_offload.end', 'instance.shutdown.end',
    'instance.suspend.end', 'instance.unpause.end', 'instance.unrescue.end',
    'instance.unshelve.end', 'instance.rebuild.end', 'instance.rescue.end',
    'instance.evacuate', 'instance.update',
    'instance.live_migration_force_complete.end',
    'instance.live_migration_post_dest.end',
    'instance.live_migration_rollback.end',
)
INSTANCE_DELETE_EVENTS = ('instance.delete.end', 'instance.soft_delete.end')

LEGACY_UPDATE_EVENTS = (
    'compute.instance.update', 'compute.instance.create.end',
    'compute.instance.rebuild.end', 'compute.instance.resize.confirm.end',
    'compute.instance.live_migration.post.dest.end',
    'compute.instance.live_migration._post.end',
    'compute.instance.power_off.end', 'compute.instance.power_on.end',
)
LEGACY_DELETE_EVENTS = ('compute.instance.delete.end',)

_DELETED_STATES = ('deleted', 'soft-delete')


def _flavor(data):
    flavor = base.versioned_data(data.get('flavor')) or {}
    return flavor


def instance_fields(data, extended):
    """Instance fields from an ``InstancePayload``'s data."""
    flavor = _flavor(data)
    fields = {
        'uuid': data['uuid'],
        'name': data.get('display_name'),
        'state': data.get('state'),
        'metadata': dict(data.get('metadata') or {}),
        'project_id': data.get('tenant_id'),
        'locked': bool(data.get('locked', False)),
        'task_state': data.get('task_state'),
    }
    created_at = element.utc_timestamp(data.get('created_at'))
    if created_at is not None:
        fields['created_at'] = created_at
    if flavor:
        fields.update(
            vcpus=flavor.get('vcpus', 0) or 0,
            memory=flavor.get('memory_mb', 0) or 0,
            disk=(flavor.get('root_gb', 0) or 0) +
            (flavor.get('ephemeral_gb', 0) or 0),
            flavor_name=flavor.get('name'))
        fields['disk_capacity'] = fields['disk']
        if extended:
            fields['flavor_extra_specs'] = dict(flavor.get('extra_specs')
                                                or {})
    return {k: v for k, v in fields.items() if v is not None or k in (
        'task_state',)}


def legacy_instance_fields(payload):
    """Instance fields from an unversioned ``compute.instance.*`` payload."""
    fields = {
        'uuid': payload.get('instance_id'),
        'name': payload.get('display_name'),
        'state': payload.get('state'),
        'metadata': dict(payload.get('metadata') or {}),
        'project_id': payload.get('tenant_id'),
        'vcpus': payload.get('vcpus'),
        'memory': payload.get('memory_mb'),
    }
    if payload.get('root_gb') is not None:
        fields['disk'] = (payload.get('root_gb') or 0) + (
            payload.get('ephemeral_gb') or 0)
        fields['disk_capacity'] = fields['disk']
    return {k: v for k, v in fields.items() if v is not None}


class NovaNotificationEndpoint(base.NotificationEndpoint):
    """Versioned and legacy Nova notifications -> compute model."""

    publisher_id_regex = r'^(nova|compute)[-.:].*'
    collector_name = 'compute'

    # -- nodes -----------------------------------------------------------
    def _ensure_nodes(self, collector, host, node_name=None):
        """The node(s) of ``host`` (fetched and added when unknown)."""
        model = collector.cluster_data_model
        if node_name:
            try:
                return [model.get_node_by_name(node_name)]
            except exception.ComputeNodeNotFound:
                pass
        if host:
            with collector.lock:
                nodes = collector.nodes_of_service_host(model, host)
            if nodes:
                return nodes
        if not host and not node_name:
            return []
        fetched = collector.fetch_node(host or node_name)
        if not fetched:
            LOG.warning('Compute host %s is unknown to nova', host)
            return []

        def add(model):
            for node in fetched:
                if not model.has_node(node.uuid):
                    model.add_node(node)
        collector.apply(add)
        for node in fetched:
            collector.remember_service_host(host or node_name, node.uuid)
        LOG.info('Compute node(s) %s added to the model',
                 ', '.join(n.hostname or n.uuid for n in fetched))
        model = collector.cluster_data_model
        return [model.get_node_by_uuid(n.uuid) for n in fetched
                if model.has_node(n.uuid)]

    @base.handles('service.create', 'service.update')
    def service_update(self, collector, publisher_id, event_type, payload):
        data = base.versioned_data(payload)
        if data.get('binary', 'nova-compute') != 'nova-compute':
            return False
        host = data.get('host') or base.host_of_publisher(publisher_id)
        nodes = self._ensure_nodes(collector, host)
        if not nodes:
            return False
        uuids = [n.uuid for n in nodes]
        disabled = bool(data.get('disabled'))
        fields = {
            'status': (element.ServiceState.DISABLED if disabled
                       else element.ServiceState.ENABLED),
            'disabled_reason': data.get('disabled_reason') if disabled
            else None,
            'state': (element.ServiceState.OFFLINE
                      if data.get('forced_down')
                      else element.ServiceState.ONLINE),
        }
        if data.get('availability_zone'):
            fields['availability_zone'] = data['availability_zone']

        def change(model):
            for uuid in uuids:
                if model.has_node(uuid):
                    model.get_node_by_uuid(uuid).update(**fields)
        collector.apply(change)
        LOG.debug('%s: %s is now %s', event_type, host, fields)
        return True

    @base.handles('service.delete')
    def service_delete(self, collector, publisher_id, event_type, payload):
        data = base.versioned_data(payload)
        if data.get('binary', 'nova-compute') != 'nova-compute':
            return False
        host = data.get('host')
        model = collector.cluster_data_model
        with collector.lock:
            uuids = [n.uuid for n in
                     collector.nodes_of_service_host(model, host)]

        def change(model):
            for uuid in uuids:
                if not model.has_node(uuid):
                    continue
                for inst in model.get_node_instances(uuid):
                    model.remove_instance(inst)
                model.remove_node(uuid)
        collector.apply(change)
        return bool(uuids)

    # -- instances -------------------------------------------------------
    def _upsert_instance(self, collector, fields, host, node_name,
                         payload_complete=True):
        uuid = fields['uuid']
        if fields.get('state') in _DELETED_STATES:
            return self._remove_instance(collector, uuid)
        model = collector.cluster_data_model
        known = model.has_instance(uuid)
        extended = nova_collector.extended_attributes()
        if not known and (not payload_complete or extended):
            fetched = collector.fetch_instance(uuid)
            if fetched is None:
                LOG.debug('Instance %s is gone from nova', uuid)
                return False
            instance, node_name, host = fetched
            fields = dict(instance.as_dict(), **{
                k: v for k, v in fields.items()
                if k in ('state', 'task_state', 'locked', 'metadata')})
        if not host and not node_name:
            # not placed (yet): update the fields only if we know it
            if not known:
                return False
            nodes = []
        else:
            nodes = self._ensure_nodes(collector, host, node_name)
        node_uuid = nodes[0].uuid if nodes else None

        def change(model):
            if model.has_instance(uuid):
                model.get_instance_by_uuid(uuid).update(**{
                    k: v for k, v in fields.items() if k != 'uuid'})
                instance = model.get_instance_by_uuid(uuid)
            else:
                if node_uuid is None:
                    return
                instance = element.Instance(**fields)
                model.add_instance(instance)
            if node_uuid is not None and model.has_node(node_uuid):
                model.map_instance(instance, node_uuid)
        collector.apply(change)
        return True

    def _remove_instance(self, collector, uuid):
        def change(model):
            if model.has_instance(uuid):
                model.remove_instance(uuid)
        collector.apply(change)
        return True

    @base.handles(*INSTANCE_UPDATE_EVENTS)
    def instance_update(self, collector, publisher_id, event_type, payload):
        data = base.versioned_data(payload)
        if not data.get('uuid'):
            return False
        extended = nova_collector.extended_attributes()
        fields = instance_fields(data, extended)
        return self._upsert_instance(collector, fields, data.get('host'),
                                     data.get('node'),
                                     payload_complete=bool(_flavor(data)))

    @base.handles(*INSTANCE_DELETE_EVENTS)
    def instance_delete(self, collector, publisher_id, event_type, payload):
        data = base.versioned_data(payload)
        if not data.get('uuid'):
            return False
        return self._remove_instance(collector, data['uuid'])

    @base.handles(*LEGACY_UPDATE_EVENTS)
    def legacy_instance_update(self, collector, publisher_id, event_type,
                               payload):
        fields = legacy_instance_fields(payload)
        if not fields.get('uuid'):
            return False
        complete = all(k in fields for k in ('vcpus', 'memory', 'disk'))
        return self._upsert_instance(collector, fields, payload.get('host'),
                                     payload.get('node'),
                                     payload_complete=complete)

    @base.handles(*LEGACY_DELETE_EVENTS)
    def legacy_instance_delete(self, collector, publisher_id, event_type,
                               payload):
        uuid = payload.get('instance_id')
        if not uuid:
            return False
        return self._remove_instance(collector, uuid)
