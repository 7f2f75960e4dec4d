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

"""Cinder notifications applied to the live storage model.

* ``capacity.*`` publishers, event ``capacity.pool``: a pool's capacities
  (``name_to_id`` names the pool; ``total``, ``free``, ``provisioned``,
  ``allocated``, ``virtual_free``); an unknown pool is added.
* ``volume.*`` publishers: ``volume.create.end``, ``volume.update.end``,
  ``volume.attach.end``, ``volume.detach.end``, ``volume.resize.end``,
  ``volume.retype``, ``volume.migrate.end`` create or update the volume
  (and move it under the pool named by ``host``); ``volume.delete.end``
  removes it.  A volume without enough in the payload is read with one
  ``GET /volumes/{id}``.
"""
from oslo_log import log

from watcher.common import exception
from watcher.decision_engine.model import element
from watcher.decision_engine.model.notification import base

LOG = log.getLogger(__name__)

VOLUME_UPDATE_EVENTS = (
    'volume.create.end', 'volume.update.end', 'volume.attach.end',
    'volume.detach.end', 'volume.resize.end', 'volume.retype',
    'volume.migrate.end')
VOLUME_DELETE_EVENTS = ('volume.delete.end',)


def _find_volume(model, uuid):
    try:
        return model.get_volume_by_uuid(uuid)
    except exception.VolumeNotFound:
        return None


def _pool_total_volumes(model, name):
    return len(model.get_pool_volumes(name))


def volume_fields(payload):
    fields = {
        'uuid': payload.get('volume_id'),
        'name': payload.get('display_name'),
        'size': payload.get('size'),
        'status': payload.get('status'),
        'attachments': payload.get('volume_attachment'),
        'snapshot_id': payload.get('snapshot_id'),
        'project_id': payload.get('tenant_id'),
        'metadata': payload.get('metadata',
                                payload.get('volume_metadata')),
        'volume_type': payload.get('volume_type'),
        'host': payload.get('host'),
        'created_at': element.utc_timestamp(payload.get('created_at')),
    }
    if isinstance(fields['metadata'], list):    # [{key:, value:}]
        fields['metadata'] = {m.get('key'): m.get('value')
                              for m in fields['metadata']}
    return {k: v for k, v in fields.items() if v is not None}


class CinderNotificationEndpoint(base.NotificationEndpoint):
    """Cinder volume and capacity notifications -> storage model."""

    publisher_id_regex = r'^(volume|capacity)[.:].*'
    collector_name = 'storage'

    @base.handles('capacity.pool')
    def capacity_pool(self, collector, publisher_id, event_type, payload):
        name = payload.get('name_to_id') or payload.get('name')
        if not name:
            return False
        fields = {
            'total_capacity_gb': payload.get('total'),
            'free_capacity_gb': payload.get('free'),
            'provisioned_capacity_gb': payload.get('provisioned'),
            'allocated_capacity_gb': payload.get('allocated'),
            'virtual_free': payload.get('virtual_free'),
        }
        fields = {k: v for k, v in fields.items() if v is not None}

        def change(model):
            try:
                pool = model.get_pool_by_pool_name(name)
            except exception.PoolNotFound:
                pool = element.Pool(name=name)
                model.add_pool(pool)
                host = name.partition('#')[0]
                if host in model.get_all_storage_nodes():
                    model.map_pool(pool, host)
            pool.update(**fields)
            pool.total_volumes = _pool_total_volumes(model, name)
        collector.apply(change)
        return True

    @base.handles(*VOLUME_UPDATE_EVENTS)
    def volume_update(self, collector, publisher_id, event_type, payload):
        fields = volume_fields(payload)
        uuid = fields.get('uuid')
        if not uuid:
            return False
        model = collector.cluster_data_model
        if _find_volume(model, uuid) is None and not all(
                k in fields for k in ('size', 'status', 'host')):
            volume = collector.fetch_volume(uuid)
            if volume is None:
                return False
            fields = dict(volume.as_dict(), **fields)
        pool_name = fields.get('host')

        def change(model):
            volume = _find_volume(model, uuid)
            old_pool = None
            if volume is None:
                volume = element.Volume(**fields)
                model.add_volume(volume)
            else:
                try:
                    old_pool = model.get_pool_by_volume(uuid).name
                except exception.PoolNotFound:
                    old_pool = None
                volume.update(**{k: v for k, v in fields.items()
                                 if k != 'uuid'})
            if pool_name and pool_name in model.get_all_pools():
                model.map_volume(volume, pool_name)
                for name in {pool_name, old_pool} - {None}:
                    if name in model.get_all_pools():
                        model.get_pool_by_pool_name(name).total_volumes = \
                            _pool_total_volumes(model, name)
        collector.apply(change)
        return True

    @base.handles(*VOLUME_DELETE_EVENTS)
    def volume_delete(self, collector, publisher_id, event_type, payload):
        uuid = payload.get('volume_id')
        if not uuid:
            return False

        def change(model):
            if _find_volume(model, uuid) is None:
                return
            try:
                pool = model.get_pool_by_volume(uuid)
            except exception.PoolNotFound:
                pool = None
            model.remove_volume(uuid)
            if pool is not None:
                pool.total_volumes = _pool_total_volumes(model, pool.name)
        collector.apply(change)
        return True
