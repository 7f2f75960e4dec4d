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

"""Placement: the allocations of every consumer and the usages they add up
to on each resource provider (a compute :class:`~.elements.Host`).
"""


class Placement:
    """Allocations (a mixin of
    :class:`~watcher.simulator.cloud.core.Cloud`).
    """

    def __init__(self):
        self.allocations = {}  # consumer -> {rp uuid: {rc: amount}}
        self.consumer_generations = {}

    def _set_allocation(self, consumer, allocs, project_id=None,
                        user_id=None):
        """Replace a consumer's allocations, keeping usages exact."""
        old = self.allocations.pop(consumer, None)
        if old:
            for rp, res in old.items():
                host = self.hosts_by_uuid.get(rp)
                if host is None:
                    continue
                for rc, amount in res.items():
                    host.usage[rc] -= amount
                host.generation += 1
        if allocs:
            self.allocations[consumer] = {
                rp: dict(res) for rp, res in allocs.items()}
            for rp, res in allocs.items():
                host = self.hosts_by_uuid[rp]
                for rc, amount in res.items():
                    host.usage[rc] = host.usage.get(rc, 0) + amount
                host.generation += 1
            info = self.consumer_generations.get(consumer)
            gen = (info[0] + 1) if info else 1
            self.consumer_generations[consumer] = (
                gen, project_id or self.settings['project_id'],
                user_id or self.settings['user_id'])
        else:
            self.consumer_generations.pop(consumer, None)

    def allocations_of(self, consumer):
        with self.lock:
            return {rp: dict(r) for rp, r in
                    self.allocations.get(consumer, {}).items()}
