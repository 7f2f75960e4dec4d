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

"""Consolidation: free as many hosts as possible with few migrations.

``consolidate(state, in_play, movable, ...)`` works on a ClusterState and
simulates the moves in it (read the result with ``state.migrations()``).

Headroom rule: a destination must stay within its *limit* in every
dimension after a move - the capacity for allocations, ``target x
capacity`` for the measured dimensions a strategy gave a target
utilisation (``ClusterState.add_dimension(..., target=)``).  A host above
its limit when ``offload`` or ``consolidate`` starts is closed
(``ClusterState.close``): it may shed servers or be emptied but never
receives one, even after shedding load.

1. The target is the bin-packing lower bound under those limits: the fewest
   hosts whose limits (a closed host: its current load, which it may keep),
   largest first, cover the total demand of every dimension
   (``state_lower_bound``).
2. Hosts are released in ``release_key`` order (default
   ``release_key_by_count``: fewest servers first - releasing a host costs
   one migration per server - then the least filled); hosts holding a
   server that cannot move are kept.
   Releasing a host moves its servers, largest first, each to the *best
   fitting* kept host on allocations (least normalised allocation room
   left; the most measured headroom breaks ties) among the hosts the
   headroom rule admits - the fullest hosts are kept, so servers already
   well placed never move.
3. When a host cannot be emptied that way and the count is still above
   the bound, an ejection step makes room: a server that fits nowhere may
   displace smaller servers of a kept host if those fit elsewhere.
4. A host whose servers cannot all be placed is rolled back and kept.

Everything respects the capacity of every dimension (allocation ratios,
reserved), the measured-load targets and the servers' (anti-)affinity
groups.
"""
import dataclasses

import numpy as np

from watcher.decision_engine.strategy.common.cluster import EPS


#: allocation fits closer than this (normalised room) count as equal and
#: are ordered by measured load
TIE = 1e-3


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
    """``lower_bound`` of the in-play hosts under the headroom rule: a host
    holds at most its limit, a closed one (or one above its limit) its
    current load (it may keep its servers but receives none).
    """
    cols = list(range(state.capacity.shape[1])) if dims is None else [
        state.dim(d) for d in dims]
    on = np.isin(state.inst_node, np.flatnonzero(in_play))
    total = state.demand[on][:, cols].sum(axis=0) + \
        state.base_used[in_play][:, cols].sum(axis=0)
    used = state.used[in_play][:, cols]
    holds = np.where(state.receiving[in_play][:, None],
                     np.maximum(state.limit[in_play][:, cols], used), used)
    return lower_bound(holds, total)


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
        base = len(state.BASE_DIMS)
        self.alloc = slice(0, base)
        # extra (measured) dims: a tie-break among equal allocation fits
        self.measured = slice(base, state.capacity.shape[1])
        self.has_measured = state.capacity.shape[1] > base
        self.index = _FitIndex(state, 1.0 / self.ref[self.alloc], self.alloc)
        self._room = None
        self._room_finite = True

    def exhausted(self):
        return self.max_attempts and self.attempts >= self.max_attempts

    def best_fit(self, i, dest):
        """The node of ``dest`` that fits server i best, or -1.

        Only the nodes whose score can be the lowest are scored (the
        ``_FitIndex`` candidates); the choice is the one a score of every
        feasible node would make.
        """
        self.attempts += 1
        st = self.state
        allowed = st.allowed_nodes(i)
        idx = self.index.candidates(i, dest, allowed)
        if idx is None:
            if st.preferred_limit is None:
                return -1
            ok = st.feasible(i, dest)
            if not ok.any():
                return -1
            # nothing within the soft targets: the most headroom
            idx = np.flatnonzero(ok)
            return int(idx[np.argmin(self.measured_load(i, idx))])
        score, raw_min = self._scores(i, idx)
        best = score.min()
        if best > raw_min + TIE:
            # a tie-break above TIE (a measured load past the capacity,
            # soft targets): a node of a plain score between the two may
            # win; take them all
            idx = self.index.candidates(
                i, dest, allowed,
                bound=best + self.index.key_offset(i))
            score, raw_min = self._scores(i, idx)
        return int(idx[np.argmin(score)])

    def measured_load(self, i, idx):
        """Per node of idx: the highest measured utilisation (used /
        capacity over the extra dims) after receiving server i.
        """
        if not self.has_measured:
            return np.zeros(len(idx))
        st = self.state
        m = self.measured
        cap = st.capacity[idx, m]
        after = st.used[idx, m] + st.demand[i, m]
        load = np.divide(after, cap, out=np.zeros_like(after),
                         where=cap > 0)
        return load.max(axis=1)

    def fit_score(self, i, idx):
        """Lower is a better fit for server i on nodes idx: allocation room
        left (normalised); among near-equal fits, the lower measured load.
        """
        return self._scores(i, idx)[0]

    def _scores(self, i, idx):
        """(``fit_score``, the lowest allocation room left)."""
        st = self.state
        a = self.alloc
        score = ((st.free[idx, a] - st.demand[i, a]) / self.ref[a]).sum(
            axis=1)
        raw_min = score.min()
        if self.has_measured and len(idx) > 1:
            near = score <= raw_min + TIE
            if near.sum() > 1:
                score[near] += TIE * self.measured_load(i, idx[near])
        return score, raw_min

    def room_may_hold(self, h, kept, need):
        """Whether the room left on the receiving kept hosts other than h
        (each counted up to its limit) covers ``need`` in every dimension.

        The sum is kept up to date from the hosts each move touched and
        the hosts leaving ``kept``, instead of summed over every host for
        every host released; when it is too close to call, it is summed.
        """
        st = self.state
        if self._room is None or not self._room_finite:
            self._room_finite = bool(np.all(np.isfinite(st.limit)))
            if not self._room_finite:
                return self._room_sum_holds(h, kept, need)
            self._room = np.maximum(st.room, 0)
            self._room_in = kept & st.receiving
            self._room_total = self._room[self._room_in].sum(axis=0)
            self._room_seen = len(st.touched)
        touched = st.touched[self._room_seen:]
        self._room_seen = len(st.touched)
        if touched:
            nodes = np.unique(np.array(touched, dtype=np.int64))
            new = np.maximum(st.room[nodes], 0)
            counted = self._room_in[nodes]
            self._room_total += (new[counted] -
                                 self._room[nodes][counted]).sum(axis=0)
            self._room[nodes] = new
        now = kept & st.receiving
        changed = np.flatnonzero(now != self._room_in)
        if len(changed):
            sign = np.where(now[changed], 1.0, -1.0)
            self._room_total += (self._room[changed] *
                                 sign[:, None]).sum(axis=0)
            self._room_in = now
        total = self._room_total
        if self._room_in[h]:
            total = total - self._room[h]
        margin = total + EPS - need
        tol = 1e-9 * (np.abs(total) + np.abs(need)) + 1e-6
        if np.all(margin > tol):
            return True
        if np.any(margin < -tol):
            return False
        return self._room_sum_holds(h, kept, need)

    def _room_sum_holds(self, h, kept, need):
        st = self.state
        dest = kept & st.receiving
        dest[h] = False
        return not np.any(np.maximum(st.room[dest], 0).sum(axis=0) + EPS <
                          need)

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
        items = self.items_of(h)
        if not items:
            return True
        if not self.room_may_hold(h, kept, st.demand[items].sum(axis=0)):
            return False
        dest = kept & st.receiving
        dest[h] = False
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
        mask = dest & ~st.over_target()
        if allowed is not None:
            mask &= allowed
        idx = np.flatnonzero(mask)
        if not len(idx):
            return False
        room = st.room[idx] / self.ref
        order = idx[np.argsort(-room.sum(axis=1), kind='stable')][
            :candidates]
        for k in order:
            victims = [v for v in self.items_of(k)[::-1]
                       if self.movable[v] and self.size[v] < self.size[i]]
            chosen = []
            room_k = st.room[k].copy()
            for v in victims:
                if np.all(room_k >= need - EPS):
                    break
                chosen.append(v)
                room_k = room_k + st.demand[v]
            if not np.all(room_k >= need - EPS):
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


class _FitIndex:
    """The candidate destinations of a best-fit search, few of them.

    A server's best fit is the feasible node with the least normalised
    allocation room left (``_Packer.fit_score``): its *key* ``free . w``
    (w = 1 / reference capacity) minus a constant of the server.  Scoring
    every node for every server costs nodes x servers; here the nodes are
    kept sorted by key and scanned from the lowest key (in chunks that
    double) until the first feasible one, and then as far as its key plus
    the tie margin: only those are scored.  Keys change on the nodes a move
    touches (``ClusterState.touched``): those are looked at apart, with
    their current key, until they are many and everything is sorted
    again.  A node that cannot take even the smallest server is left out of
    the sort until a move touches it (it only fills up otherwise).
    """

    FIRST_CHUNK = 128
    MAX_CHUNK = 4096
    #: float slack between a key and the score computed from it
    SLACK = 1e-9

    def __init__(self, state, weights, alloc):
        self.state = state
        self.weights = np.asarray(weights, dtype=float)
        self.alloc = alloc
        n_dims = state.capacity.shape[1]
        self.smallest = state.demand.min(axis=0) if len(state.demand) \
            else np.zeros(n_dims)
        self.resort_after = max(64, int(4 * np.sqrt(len(state.nodes))))
        self.sort()

    def keys_of(self, nodes):
        return self.state.free[nodes, self.alloc] @ self.weights

    def key_offset(self, i):
        """Key minus fit score, for server i."""
        return float(self.state.demand[i, self.alloc] @ self.weights)

    def sort(self):
        st = self.state
        self._seen = len(st.touched)
        self.dirty = np.zeros(len(st.nodes), dtype=bool)
        self.dirty_nodes = np.zeros(len(st.nodes), dtype=np.int64)
        self.n_dirty = 0
        can_take = st.receiving & np.all(
            st.room >= self.smallest - EPS, axis=1)
        nodes = np.flatnonzero(can_take)
        keys = self.keys_of(nodes)
        order = np.argsort(keys, kind='stable')
        self.nodes = nodes[order]
        self.keys = keys[order]
        # a node keeps this room until a move touches it (then it is
        # dirty and looked at apart): read in order, without gathering
        self.rooms = st.room[self.nodes]

    def _catch_up(self):
        touched = self.state.touched
        if len(touched) > self._seen:
            for j in touched[self._seen:]:
                if not self.dirty[j]:
                    self.dirty[j] = True
                    self.dirty_nodes[self.n_dirty] = j
                    self.n_dirty += 1
            self._seen = len(touched)
        if self.n_dirty > self.resort_after:
            self.sort()

    def candidates(self, i, dest, allowed, bound=None):
        """Node indices (ascending) that can take server i and among which
        its best fit is, or None when no node can: every feasible node
        (soft targets included) whose key is within the tie margin of the
        lowest, or at most ``bound`` when given.
        """
        self._catch_up()
        st = self.state
        need = st.demand[i] - EPS
        current = st.inst_node[i]
        preferred = st.preferred_limit

        usable = dest & st.receiving
        if allowed is not None:
            usable &= allowed
        usable[current] = False

        def within_preferred(nodes):
            return np.all(st.used[nodes] + st.demand[i] <=
                          preferred[nodes] + EPS, axis=1)

        margin = TIE + self.SLACK
        dirty = self.dirty_nodes[:self.n_dirty]
        ok = np.all(st.room[dirty] >= need, axis=1) & usable[dirty]
        if preferred is not None:
            ok &= within_preferred(dirty)
        dirty = dirty[ok]
        dirty_keys = self.keys_of(dirty)
        fixed = bound is not None
        if fixed:
            bound = bound + self.SLACK
        elif len(dirty):
            bound = dirty_keys.min() + margin
        else:
            bound = np.inf
        usable &= ~self.dirty
        hits = []
        pos, size, n = 0, self.FIRST_CHUNK, len(self.nodes)
        while pos < n and self.keys[pos] <= bound:
            end = pos + size
            nodes = self.nodes[pos:end]
            keys = self.keys[pos:end]
            mask = np.all(self.rooms[pos:end] >= need, axis=1)
            mask &= usable[nodes]
            if preferred is not None:
                mask &= within_preferred(nodes)
            if mask.any():
                if not fixed:
                    bound = min(bound, keys[mask][0] + margin)
                hits.append(nodes[mask & (keys <= bound)])
            pos = end
            size = min(2 * size, self.MAX_CHUNK)
        hits.append(dirty[dirty_keys <= bound])
        found = np.concatenate(hits)
        if not len(found):
            return None
        return np.sort(found)


def offload(state, dim, dest, movable, max_attempts=0):
    """Bring hosts above their limit in ``dim`` back under it, the most
    loaded host first, with few migrations: each step moves the least
    loaded server whose load alone removes the excess, else the most loaded
    one, to its best fitting destination (``dest`` mask, headroom rule
    included).  A host is left as it is once nothing of it can move.
    Returns the number of moves simulated.
    """
    d = state.dim(dim)
    dest = np.asarray(dest, dtype=bool)
    state.close(state.over_target())
    packer = _Packer(state, dest, movable, max_attempts)
    load = state.demand[:, d]
    moved = 0
    for h in np.argsort(state.room[:, d], kind='stable'):
        if state.room[h, d] >= -EPS:
            break
        items = [int(i) for i in state.node_instance_indices(h)
                 if movable[i]]
        while items and state.room[h, d] < -EPS and not packer.exhausted():
            excess = -state.room[h, d]
            enough = sorted((i for i in items if load[i] >= excess - EPS),
                            key=lambda i: (load[i], i))
            short = sorted((i for i in items if load[i] < excess - EPS),
                           key=lambda i: (-load[i], i))
            placed = False
            for i in enough + short:
                items.remove(i)     # moved, or fits nowhere now nor later
                j = packer.best_fit(i, dest)
                if j >= 0:
                    state.move(i, j)
                    moved += 1
                    placed = True
                    break
            if not placed:
                break
    return moved


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
    state.close(state.over_target())
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
    n_kept = int(kept.sum())
    failed = []
    for h in order:
        if n_kept <= lb or packer.exhausted():
            break
        if packer.try_release(int(h), kept):
            kept[h] = False
            n_kept -= 1
            result.released.append(int(h))
        else:
            failed.append(int(h))
    if eject:
        for h in failed:
            if n_kept <= lb or packer.exhausted():
                break
            if packer.try_release(h, kept, eject=True):
                kept[h] = False
                n_kept -= 1
                result.released.append(h)
    result.attempts = packer.attempts
    return result
