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

"""The compute scope: which nodes an audit may use, which servers it may
move.

* Inclusion: ``availability_zones``, ``host_aggregates`` (by id or name)
  and ``compute_nodes`` each name nodes; when any is given, the audit keeps
  the *union* of the nodes they name (``*`` names every node of that kind:
  any AZ / any aggregate).
* Exclusion: ``exclude.compute_nodes`` and ``exclude.host_aggregates``
  remove nodes; a removed node takes its servers with it.
* A node disabled by someone else than watcher (a disabled reason not
  starting with ``watcher_``) is out of every audit; one disabled by
  watcher stays (watcher may re-enable it).
* ``exclude.instances``, ``exclude.instance_metadata`` (any listed
  key/value pair matches, compared as strings) and ``exclude.projects``
  keep the servers in the model - their load still counts - but mark them
  ``watcher_exclude = True`` so no strategy moves them.

Names the model does not hold are logged as warnings, never errors.
"""
from watcher.common.scope_schema import WILDCARD
from watcher.decision_engine.model import element
from watcher.decision_engine.scope import base


def _aggregate_matches(node, ids, names):
    for agg in node.aggregates or ():
        if isinstance(agg, dict):
            agg_id, agg_name = agg.get('id'), agg.get('name')
        else:
            agg_id = agg_name = agg
        if str(agg_id) in ids or agg_name in names:
            return True
    return False


def _nodes_in_aggregates(nodes, entries, what):
    if base.has_wildcard(entries, 'id', 'name'):
        return {u for u, n in nodes.items() if n.aggregates}
    ids = {str(i) for i in base.values(entries, 'id')}
    names = set(base.values(entries, 'name'))
    selected = {u for u, n in nodes.items()
                if _aggregate_matches(n, ids, names)}
    seen_ids, seen_names = set(), set()
    for node in nodes.values():
        for agg in node.aggregates or ():
            if isinstance(agg, dict):
                seen_ids.add(str(agg.get('id')))
                seen_names.add(agg.get('name'))
    base.warn_missing('%s host aggregates' % what,
                      (ids - seen_ids) | (names - seen_names))
    return selected


def _nodes_in_zones(nodes, entries):
    if base.has_wildcard(entries, 'name'):
        return set(nodes)
    names = set(base.values(entries, 'name'))
    selected = {u for u, n in nodes.items()
                if n.availability_zone in names}
    base.warn_missing('availability zones',
                      names - {n.availability_zone for n in nodes.values()})
    return selected


def _nodes_named(nodes, entries, what):
    names = set(base.values(entries, 'name'))
    if WILDCARD in names:
        return set(nodes)
    by_name = {n.hostname: u for u, n in nodes.items()}
    base.warn_missing(what, names - set(by_name))
    return {by_name[n] for n in names if n in by_name}


def _metadata_matches(instance, pairs):
    metadata = instance.metadata or {}
    for pair in pairs:
        for key, value in pair.items():
            if key in metadata and str(metadata[key]).lower() == \
                    str(value).lower():
                return True
    return False


def out_of_scope_disabled(node):
    return (node.status == element.ServiceState.DISABLED and
            not node.disabled_by_watcher)


def apply(model, items):
    """Scope the compute ``model`` in place with the compute scope
    ``items`` (a list of compute scope elements) and return it.
    """
    rules = base.merge(items)
    excludes = base.merge(rules.get('exclude'))
    nodes = model.get_all_compute_nodes()

    keep = None
    if 'availability_zones' in rules:
        keep = (keep or set()) | _nodes_in_zones(
            nodes, rules['availability_zones'])
    if 'host_aggregates' in rules:
        keep = (keep or set()) | _nodes_in_aggregates(
            nodes, rules['host_aggregates'], 'included')
    if 'compute_nodes' in rules:
        keep = (keep or set()) | _nodes_named(
            nodes, rules['compute_nodes'], 'compute nodes')
    if keep is None:
        keep = set(nodes)
    if 'compute_nodes' in excludes:
        keep -= _nodes_named(nodes, excludes['compute_nodes'],
                             'excluded compute nodes')
    if 'host_aggregates' in excludes:
        keep -= _nodes_in_aggregates(nodes, excludes['host_aggregates'],
                                     'excluded')
    keep = {u for u in keep if not out_of_scope_disabled(nodes[u])}

    for uuid in set(nodes) - keep:
        for instance in model.get_node_instances(uuid):
            model.remove_instance(instance)
        model.remove_node(uuid)

    excluded_uuids = set(base.values(excludes.get('instances'), 'uuid'))
    projects = set(base.values(excludes.get('projects'), 'uuid'))
    metadata = excludes.get('instance_metadata') or []
    if excluded_uuids or projects or metadata:
        instances = model.get_all_instances()
        for uuid in excluded_uuids:
            if uuid in instances:
                instances[uuid].watcher_exclude = True
        missing = excluded_uuids - set(instances)
        if missing:
            base.LOG.debug('Excluded instances not in the scoped model: %s',
                           ', '.join(sorted(missing)))
        if projects or metadata:
            for instance in instances.values():
                if instance.project_id in projects or (
                        metadata and _metadata_matches(instance, metadata)):
                    instance.watcher_exclude = True
    return model
