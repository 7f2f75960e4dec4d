"""The shared driver of the server consolidation strategies.

``consolidate(inputs, solution, ...)`` builds a ClusterState over the hosts
in play (enabled and up), optionally adds metric-based dimensions, runs
``packing.consolidate`` and emits the migrations, the service state changes
and the server_consolidation efficacy indicators.
"""
import numpy as np

from watcher.decision_engine.strategy.common import actions
from watcher.decision_engine.strategy.common import cluster
from watcher.decision_engine.strategy.common import filters
from watcher.decision_engine.strategy.common import packing


def build_state(model):
    return cluster.ClusterState(
        model, node_filter=lambda n: filters.in_watcher_scope(n) and
        n.state == 'up')


def movable_mask(state, check_optimize_metadata=False):
    return np.array([filters.can_move(i, check_optimize_metadata)
                     for i in state.instances], dtype=bool)


def destination_mask(state):
    return np.array([filters.is_destination(n) for n in state.nodes],
                    dtype=bool)


def offload_overloaded(state, dim, dest, movable, order_key):
    """Move servers off nodes whose ``dim`` is over capacity, smallest
    ``order_key`` first, each to its best fitting node.  Returns moves.
    """
    d = state.dim(dim)
    moved = 0
    ref = np.maximum(np.median(state.capacity[dest], axis=0)
                     if dest.any() else 1.0, 1e-9)
    for h in np.argsort(state.free[:, d]):
        if state.free[h, d] >= -cluster.EPS:
            break
        items = [i for i in state.node_instance_indices(h) if movable[i]]
        for i in sorted(items, key=lambda i: order_key[i]):
            if state.free[h, d] >= -cluster.EPS:
                break
            ok = state.feasible(i, dest)
            if not ok.any():
                continue
            idx = np.flatnonzero(ok)
            rest = ((state.free[idx] - state.demand[i]) / ref).sum(axis=1)
            state.move(i, int(idx[np.argmin(rest)]))
            moved += 1
    return moved


def consolidate(inputs, solution, state, movable, release_key=None,
                max_attempts=0, mode='disable', pinned=None):
    """Pack, emit migrations and node actions, set efficacy.

    ``mode``: 'disable' - disable every in-play host left empty (reason
    ``watcher_disabled``); 'auto' - disable the emptied hosts before the
    migrations and re-enable them afterwards (node_resource_consolidation
    auto); 'none' - migrations only.
    Returns the PackingResult.
    """
    dest = destination_mask(state)
    result = packing.consolidate(state, dest, movable, pinned=pinned,
                                 release_key=release_key,
                                 max_attempts=max_attempts)
    if mode == 'auto':
        for h in result.released:
            actions.add_change_service_state(solution, state.nodes[h],
                                             'disabled',
                                             actions.WATCHER_DISABLED)
    migrations = actions.emit_migrations(solution, state)
    released = 0
    if mode == 'auto':
        for h in result.released:
            actions.add_change_service_state(solution, state.nodes[h],
                                             'enabled')
        released = len(result.released)
    elif mode == 'disable':
        counts = state.instance_counts()
        for h in np.flatnonzero(dest & (counts == 0)):
            actions.add_change_service_state(solution, state.nodes[h],
                                             'disabled',
                                             actions.WATCHER_DISABLED)
            released += 1
    else:
        released = len(result.released)
    solution.set_efficacy_indicators(
        compute_nodes_count=int(dest.sum()),
        released_compute_nodes_count=int(released),
        instance_migrations_count=int(migrations))
    return result
