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

"""The storage scope.

``availability_zones`` and ``volume_types`` each restrict the storage
nodes (backends) kept - both must hold when both are given, ``*`` keeps
all; a removed node takes its pools and their volumes along.
``exclude.storage_pools`` removes pools (and their volumes),
``exclude.volumes`` and ``exclude.projects`` remove volumes.  Unknown names
are logged as warnings.
"""
from watcher.decision_engine.scope import base


def _remove_pool(model, pool):
    for volume in model.get_pool_volumes(pool):
        model.remove_volume(volume)
    model.remove_pool(pool)


def apply(model, items):
    rules = base.merge(items)
    excludes = base.merge(rules.get('exclude'))
    nodes = model.get_all_storage_nodes()
    keep = set(nodes)
    zones = rules.get('availability_zones')
    if zones and not base.has_wildcard(zones, 'name'):
        names = set(base.values(zones, 'name'))
        base.warn_missing('storage availability zones',
                          names - {n.zone for n in nodes.values()})
        keep = {h for h in keep if nodes[h].zone in names}
    types = rules.get('volume_types')
    if types and not base.has_wildcard(types, 'name'):
        names = set(base.values(types, 'name'))
        known = set()
        for node in nodes.values():
            known.update(node.volume_type or ())
        base.warn_missing('volume types', names - known)
        keep = {h for h in keep
                if set(nodes[h].volume_type or ()) & names}
    for host in set(nodes) - keep:
        for pool in model.get_node_pools(host):
            _remove_pool(model, pool)
        model.remove_node(host)

    pools = model.get_all_pools()
    excluded_pools = set(base.values(excludes.get('storage_pools'), 'name'))
    base.warn_missing('storage pools', excluded_pools - set(pools))
    for name in excluded_pools & set(pools):
        _remove_pool(model, name)

    volumes = model.get_all_volumes()
    excluded = set(base.values(excludes.get('volumes'), 'uuid'))
    base.warn_missing('volumes', excluded - set(volumes))
    projects = set(base.values(excludes.get('projects'), 'uuid'))
    for uuid, volume in volumes.items():
        if uuid in excluded or (projects and volume.project_id in projects):
            model.remove_volume(uuid)
    return model
