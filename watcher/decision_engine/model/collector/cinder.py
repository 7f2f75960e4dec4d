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

"""The storage model collector: Cinder, read in bulk.

Requests of a build: ``GET /os-services?binary=cinder-volume`` (backends),
``GET /types`` (volume types and their backend names),
``GET /scheduler-stats/get_pools?detail=True`` (pools and capacities) and
``GET /volumes/detail?all_tenants=1`` (paginated, 1000 per page).
"""
import collections

from oslo_log import log

from watcher.decision_engine.model.collector import api
from watcher.decision_engine.model.collector import base
from watcher.decision_engine.model import element
from watcher.decision_engine.model import model_root

LOG = log.getLogger(__name__)

VOLUME_MICROVERSION = '3.60'


def _num(value, default=0):
    if value in (None, '', 'unknown', 'infinite'):
        return default
    try:
        return float(value) if '.' in str(value) else int(value)
    except (TypeError, ValueError):
        return default


def pool_from_cinder(pool, total_volumes=None):
    caps = pool.get('capabilities') or {}
    total = _num(caps.get('total_capacity_gb'))
    free = _num(caps.get('free_capacity_gb'))
    provisioned = _num(caps.get('provisioned_capacity_gb'))
    allocated = _num(caps.get('allocated_capacity_gb'))
    if 'virtual_free' in caps:
        virtual_free = _num(caps.get('virtual_free'))
    else:
        ratio = _num(caps.get('max_over_subscription_ratio'), 1.0) or 1.0
        reserved = _num(caps.get('reserved_percentage'), 0)
        virtual_free = max(0, total * float(ratio) * (1 - reserved / 100.0)
                           - (provisioned or allocated))
    return element.Pool(
        name=pool['name'],
        total_volumes=(total_volumes if total_volumes is not None
                       else _num(caps.get('total_volumes'))),
        total_capacity_gb=total, free_capacity_gb=free,
        provisioned_capacity_gb=provisioned,
        allocated_capacity_gb=allocated, virtual_free=virtual_free)


def volume_from_cinder(volume):
    return element.Volume(
        uuid=volume['id'], name=volume.get('name'),
        size=volume.get('size') or 0, status=volume.get('status'),
        attachments=list(volume.get('attachments') or []),
        snapshot_id=volume.get('snapshot_id'),
        project_id=(volume.get('os-vol-tenant-attr:tenant_id') or
                    volume.get('project_id')),
        metadata=dict(volume.get('metadata') or {}),
        bootable=str(volume.get('bootable', 'false')).lower() == 'true',
        volume_type=volume.get('volume_type'),
        host=volume.get('os-vol-host-attr:host'),
        created_at=element.utc_timestamp(volume.get('created_at')))


def backend_of(host):
    """``hostname@backend#pool`` -> ``backend`` (or '')."""
    return host.partition('@')[2].partition('#')[0]


class CinderClusterDataModelCollector(base.BaseClusterDataModelCollector):
    """Builds and keeps the storage model."""

    MODEL_TYPE = 'storage'
    NAME = 'storage'

    def new_model(self):
        return model_root.StorageModelRoot()

    @property
    def volume_api(self):
        return self.connection.block_storage

    def execute(self):
        proxy = self.volume_api
        mv = api.max_microversion(proxy, VOLUME_MICROVERSION)
        model = self.new_model()

        types = api.get_json(proxy, '/types', microversion=mv).get(
            'volume_types', [])
        backend_types = collections.defaultdict(list)
        for vtype in types:
            backend = (vtype.get('extra_specs') or {}).get(
                'volume_backend_name')
            if backend:
                backend_types[backend].append(vtype.get('name'))

        services = api.get_json(proxy, '/os-services',
                                {'binary': 'cinder-volume'},
                                microversion=mv).get('services', [])
        for svc in services:
            host = svc.get('host')
            model.add_node(element.StorageNode(
                host=host, zone=svc.get('zone'),
                status=svc.get('status'), state=svc.get('state'),
                volume_type=list(backend_types.get(backend_of(host), []))))

        volumes = list(api.paginate_links(proxy, '/volumes/detail',
                                          'volumes', {'all_tenants': 1},
                                          microversion=mv))
        per_pool = collections.Counter(
            v.get('os-vol-host-attr:host') for v in volumes)

        pools = api.get_json(proxy, '/scheduler-stats/get_pools',
                             {'detail': 'True'}, microversion=mv).get(
                                 'pools', [])
        nodes = model.get_all_storage_nodes()
        for raw in pools:
            pool = pool_from_cinder(raw, per_pool.get(raw['name'], 0))
            model.add_pool(pool)
            node_host = raw['name'].partition('#')[0]
            if node_host in nodes:
                model.map_pool(pool, node_host)
                caps = raw.get('capabilities') or {}
                backend = caps.get('volume_backend_name')
                node = nodes[node_host]
                for name in backend_types.get(backend, ()):
                    if name not in node.volume_type:
                        node.volume_type.append(name)

        for raw in volumes:
            volume = volume_from_cinder(raw)
            model.add_volume(volume)
            if volume.host in model.get_all_pools():
                model.map_volume(volume, volume.host)
        return model

    def fetch_volume(self, uuid):
        proxy = self.volume_api
        mv = api.max_microversion(proxy, VOLUME_MICROVERSION)
        body = api.get_json(proxy, '/volumes/%s' % uuid, microversion=mv,
                            ok_missing=True)
        if not body or 'volume' not in body:
            return None
        return volume_from_cinder(body['volume'])
