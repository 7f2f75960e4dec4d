"""The baremetal scope: ``exclude.ironic_nodes`` removes Ironic nodes."""
from watcher.decision_engine.scope import base


def apply(model, items):
    rules = base.merge(items)
    excludes = base.merge(rules.get('exclude'))
    nodes = model.get_all_ironic_nodes()
    excluded = set(base.values(excludes.get('ironic_nodes'), 'uuid'))
    base.warn_missing('ironic nodes', excluded - set(nodes))
    for uuid in excluded & set(nodes):
        model.remove_node(uuid)
    return model
