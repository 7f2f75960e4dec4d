"""Consolidation: free as many hosts as possible with few migrations.

``consolidate(state, in_play, movable, ...)`` works on a ClusterState and
simulates the moves in it (read the result with ``state.migrations()``).

1. The target is the bin-packing lower bound: the fewest hosts whose
   capacities, largest first, cover the total demand of every dimension
   (``lower_bound``).
2. Hosts are released in ``release_key`` order (default
   ``release_key_by_count``: fewest servers first - releasing a host costs
   one migration per server - then the least filled); hosts holding a
   server that cannot move are kept.
   Releasing a host moves its servers, largest first, each to the *best
   fitting* kept host (least normalised room left) - the fullest hosts are
   kept, so servers already well placed never move.
3. When a host cannot be emptied that way and the count is still above
   the bound, an ejection step makes room: a server that fits nowhere may
   displace smaller servers of a kept host if those fit elsewhere.
4. A host whose servers cannot all be placed is rolled back and kept.

Everything respects the capacity of every dimension (allocation ratios,
reserved) and the servers' (anti-)affinity groups.
"""
import dataclasses

import numpy as np

from watcher.decision_engine.strategy.common.cluster import EPS


@dataclasses.dataclass
class PackingResult:
    lower_bound: int
    hosts_before: int
    released: list          # node indices emptied by the plan
    attempts: int = 0


def lower_bound(capacity, used_total):
    """Fewest hosts (largest capacities first) covering ``used_total``
    in every dimension.  ``capacity``: (hosts x dims).
    """
    if capacity.shape[0] == 0:
        return 0
    best = 0
    for d in range(capacity.shape[1]):
        need = used_total[d]
        if need <= EPS:
            continue
        cum = np.cumsum(np.sort(capacity[:, d])[::-1])
        k = int(np.searchsorted(cum, need - EPS) + 1)
        best = max(best, min(k, capacity.shape[0]))
    return best


def release_key_by_count(state, secondary=None):
    """Per node: server count + a tie-breaker in [0, 0.9] (default the
    allocation fill ratio; any array, lower released first).
    """
    counts = state.instance_counts().astype(float)
    if secondary is None:
        secondary = state.fill_ratio(state.BASE_DIMS)
    secondary = np.nan_to_num(np.asarray(secondary, dtype=float))
    span = secondary.max() - secondary.min() if len(secondary) else 0.0
    if span > 0:
        secondary = (secondary - secondary.min()) / span
    else:
        secondary = np.zeros_like(secondary)
    return counts + 0.9 * secondary


def state_lower_bound(state, in_play, dims=None):
    cols = list(range(state.capacity.shape[1])) if dims is None else [
        state.dim(d) for d in dims]
    on = np.isin(state.inst_node, np.flatnonzero(in_play))
    total = state.demand[on][:, cols].sum(axis=0) + \
        state.base_used[in_play][:, cols].sum(axis=0)
    return lower_bound(state.capacity[in_play][:, cols], total)


class _Packer:
    def __init__(self, state, in_play, movable, max_attempts=0):
        self.state = state
        self.in_play = in_play
        self.movable = movable
        self.max_attempts = max_attempts
        self.attempts = 0
        cap = state.capacity[in_play]
        ref = np.median(cap, axis=0) if len(cap) else np.ones(
            state.capacity.shape[1])
        self.ref = np.where(ref > 0, ref, 1.0)
        self.size = np.max(state.demand / self.ref, axis=1) \
            if len(state.demand) else np.zeros(0)

    def exhausted(self):
        return self.max_attempts and self.attempts >= self.max_attempts

    def best_fit(self, i, dest):
        self.attempts += 1
        st = self.state
        ok = st.feasible(i, dest)
        if not ok.any():
            return -1
        idx = np.flatnonzero(ok)
        rest = (st.free[idx] - st.demand[i]) / self.ref
        return int(idx[np.argmin(rest.sum(axis=1))])

    def place_all(self, items, dest):
        """Move each item to its best fit; on failure undo and False."""
        st = self.state
        done = []
        for i in items:
            j = self.best_fit(i, dest)
            if j < 0:
                for k, src in reversed(done):
                    st.move(k, src)
                return False
            done.append((i, int(st.inst_node[i])))
            st.move(i, j)
        return True

    def items_of(self, h):
        items = self.state.node_instance_indices(h)
        return list(items[np.argsort(-self.size[items], kind='stable')])

    def try_release(self, h, kept, eject=False):
        st = self.state
        dest = kept.copy()
        dest[h] = False
        items = self.items_of(h)
        if not items:
            return True
        if np.any(st.free[dest].sum(axis=0) + EPS <
                  st.demand[items].sum(axis=0)):
            return False
        snap = st.snapshot()
        for i in items:
            if self.exhausted():
                st.restore(snap)
                return False
            j = self.best_fit(i, dest)
            if j >= 0:
                st.move(i, j)
                continue
            if eject and self.eject_for(i, dest):
                continue
            st.restore(snap)
            return False
        return True

    def eject_for(self, i, dest, candidates=8):
        """Make room for server i on a kept host by moving smaller
        movable servers of that host elsewhere.
        """
        st = self.state
        need = st.demand[i]
        allowed = st.allowed_nodes(i)
        mask = dest.copy()
        if allowed is not None:
            mask &= allowed
        idx = np.flatnonzero(mask)
        if not len(idx):
            return False
        room = (np.minimum(st.free[idx], 0) + st.free[idx]) / self.ref
        order = idx[np.argsort(-room.sum(axis=1))][:candidates]
        for k in order:
            victims = [v for v in self.items_of(k)[::-1]
                       if self.movable[v] and self.size[v] < self.size[i]]
            chosen = []
            free = st.free[k].copy()
            for v in victims:
                if np.all(free >= need - EPS):
                    break
                chosen.append(v)
                free = free + st.demand[v]
            if not np.all(free >= need - EPS):
                continue
            snap = st.snapshot()
            others = dest.copy()
            others[k] = False
            if self.place_all(chosen, others) and st.fits_on(i, k):
                allowed_k = st.allowed_nodes(i)
                if allowed_k is None or allowed_k[k]:
                    st.move(i, k)
                    return True
            st.restore(snap)
        return False


def consolidate(state, in_play, movable, pinned=None, release_key=None,
                max_attempts=0, lb_dims=None, eject=True):
    """Simulate a consolidation in ``state``; see the module docstring.

    ``in_play``: bool mask of nodes that may be emptied and receive;
    ``movable``: bool mask of servers that may move; ``pinned``: nodes to
    keep; ``release_key``: per-node float, lower released first;
    ``max_attempts``: cap on placement attempts (0 = none).
    """
    n = len(state.nodes)
    in_play = np.asarray(in_play, dtype=bool)
    counts = state.instance_counts() if n else np.zeros(0, dtype=int)
    used_nodes = in_play & (counts > 0)
    lb = state_lower_bound(state, in_play, lb_dims)
    result = PackingResult(lower_bound=lb,
                           hosts_before=int(used_nodes.sum()), released=[])
    if result.hosts_before <= lb or n == 0:
        return result
    stuck = np.bincount(state.inst_node, weights=(~movable).astype(float),
                        minlength=n) > 0
    keep_forced = stuck.copy()
    if pinned is not None:
        keep_forced |= np.asarray(pinned, dtype=bool)
    if release_key is None:
        release_key = release_key_by_count(state)
    candidates = np.flatnonzero(used_nodes & ~keep_forced)
    order = candidates[np.lexsort((counts[candidates],
                                   release_key[candidates]))]
    packer = _Packer(state, in_play, movable, max_attempts)
    kept = used_nodes.copy()
    failed = []
    for h in order:
        if kept.sum() <= lb or packer.exhausted():
            break
        if packer.try_release(int(h), kept):
            kept[h] = False
            result.released.append(int(h))
        else:
            failed.append(int(h))
    if eject:
        for h in failed:
            if kept.sum() <= lb or packer.exhausted():
                break
            if packer.try_release(h, kept, eject=True):
                kept[h] = False
                result.released.append(h)
    result.attempts = packer.attempts
    return result
