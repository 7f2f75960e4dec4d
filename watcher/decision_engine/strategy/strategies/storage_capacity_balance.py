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

"""Storage capacity balance (goal ``workload_balancing``).

A Cinder pool whose used capacity (``total - free``) is at or above
``volume_threshold`` % of its total is overloaded.  Overloaded pools are
relieved fullest first: while a pool stays at or above the threshold, one
of its volumes moves (``volume_migrate``, type ``migrate``) to the least
used pool that stays below the threshold after receiving it.  The volume
chosen is the smallest whose size alone brings the pool under the
threshold, else the largest one (fewest moves, least data copied).

Volumes move only when ``available`` or ``in-use`` (Cinder migrates an
attached volume itself); a destination must be served by a backend that
is enabled and up, serve the volume's type, be in the availability zone
of the volume's current backend and have the free space.
Pools listed in ``[watcher_strategies.storage_capacity_balance]
ex_pools`` (full pool names or Cinder pool names, the part after
``#``; default ``local_vstorage``; the option group is registered
with the others in ``watcher.conf.strategies``) are never used as
destinations.

Where it does better than upstream: destinations are re-evaluated after
every planned move (no pool is overfilled by several moves at once), a
volume stays in its availability zone, a
volume never changes type behind its owner's back (upstream retypes when
no pool of the same type fits), and the choice is deterministic.
"""
import numpy as np

from watcher.decision_engine.strategy import base
from watcher.decision_engine.strategy.common import actions
from watcher.decision_engine.strategy.common import hotspot
from watcher.decision_engine.strategy.common import storage


class StorageCapacityBalance(base.BaseStrategy):
    name = 'storage_capacity_balance'
    display_name = 'Storage Capacity Balance Strategy'
    goal_name = 'workload_balancing'
    required_models = ('storage',)

    @classmethod
    def get_schema(cls):
        return {
            'properties': {
                'volume_threshold': {
                    'description': 'volume threshold for capacity balance',
                    'type': 'number', 'default': 80.0,
                },
            },
        }

    def check_parameters(self, params):
        value = params['volume_threshold']
        if not 0 < value <= 100:
            raise hotspot.out_of_range('volume_threshold',
                                       'a percentage above 0 and at most '
                                       '100', value)

    def do_execute(self, inputs, params, solution):
        model = inputs.storage_model
        threshold = float(params['volume_threshold'])
        state = storage.PoolState(model,
                                  self.config_value('ex_pools', ()) or ())
        pct = state.percent()
        over = np.flatnonzero((pct >= threshold) & (state.total > 0))
        for src in over[np.argsort(-pct[over], kind='stable')]:
            self._relieve(state, int(src), threshold)
        for volume, _src, dest in state.apply():
            actions.add_volume_migration(solution, volume, 'migrate',
                                         destination_node=dest)

    @staticmethod
    def _relieve(state, src, threshold):
        name = state.names[src]
        # smallest first, ties by uuid: the order both searches walk
        volumes = sorted((v for v in state.model.get_pool_volumes(name)
                          if storage.is_movable(v)),
                         key=lambda v: (v.size, v.uuid))
        sizes = np.array([float(v.size or 0) for v in volumes])
        left = np.ones(len(volumes), dtype=bool)
        while left.any() and state.used[src] * 100.0 >= \
                threshold * state.total[src]:
            excess = state.used[src] - threshold * state.total[src] / 100.0
            enough = np.flatnonzero(left & (sizes > excess))
            short = np.flatnonzero(left & (sizes <= excess))[::-1]
            moved = False
            for k in np.concatenate([enough, short]).astype(int):
                left[k] = False            # moved, or fits nowhere
                volume = volumes[k]
                dests = np.flatnonzero(state.candidates(volume, threshold))
                if not len(dests):
                    continue
                pct = state.percent()[dests]
                state.move(volume, int(dests[np.argmin(pct)]))
                moved = True
                break
            if not moved:
                break
