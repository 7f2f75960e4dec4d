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

"""Nova's filter scheduler, reduced to the filters Watcher's actions meet."""


class Scheduler:
    """Host selection (a mixin of
    :class:`~watcher.simulator.cloud.core.Cloud`).
    """

    def _host_ok(self, host, server, resources, ignore=None):
        svc = host.service
        if svc.status != 'enabled' or not svc.is_up:
            return False
        az = server.pinned_availability_zone
        if az and host.availability_zone != az:
            return False
        if server.server_group:
            group = self.server_groups.get(server.server_group)
            if group is not None:
                others = [m for m in group.members if m != server.id
                          and m in self.servers]
                hosts = {self.servers[m].host for m in others}
                if group.policy in ('anti-affinity', 'soft-anti-affinity'):
                    if host.name in hosts and group.policy == 'anti-affinity':
                        return False
                elif group.policy == 'affinity' and hosts and \
                        host.name not in hosts:
                    return False
        return host.fits(resources, ignore)

    def schedule(self, server, flavor, requested=None, exclude=()):
        """Pick a host for ``flavor`` like the filter scheduler would:
        enabled and up, right AZ and group policy, enough capacity; the
        host with the most free RAM wins.  Returns ``None`` if none fits.
        """
        resources = flavor.resources()
        if requested is not None:
            host = self.find_host(requested)
            if host is None or host.name in exclude:
                return None
            return host if self._host_ok(host, server, resources) else None
        best = None
        best_key = None
        for name in self.host_index.ids:
            if name in exclude:
                continue
            host = self.hosts[name]
            if not self._host_ok(host, server, resources):
                continue
            key = (host.free_ram(), -host.seq)
            if best is None or key > best_key:
                best, best_key = host, key
        return best
