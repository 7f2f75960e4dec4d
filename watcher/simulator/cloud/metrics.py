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

"""CPU accounting: the cumulative CPU time of hosts and servers, advanced
lazily from the workload waves (the gauges themselves are in
:mod:`watcher.simulator.metrics`).
"""

from watcher.simulator import metrics as gauges


class CpuAccounting:
    """CPU time counters (a mixin of
    :class:`~watcher.simulator.cloud.core.Cloud`).
    """

    def _checkpoint_host(self, host, now=None):
        """Bring the host's cumulative CPU seconds up to ``now``."""
        now = self.now() if now is None else now
        dt = now - host.cpu_checkpoint
        if dt <= 0:
            return
        busy_cores = gauges.host_busy_cores_integral(
            self, host, host.cpu_checkpoint, now)
        busy = min(dt, max(0.0, busy_cores / max(host.vcpus, 1)))
        host.busy_seconds += busy
        host.idle_seconds += dt - busy
        host.cpu_checkpoint = now

    def _server_cpu_stop(self, server):
        if server.cpu_since is not None:
            now = self.now()
            wave = server.profile.cpu_wave
            server.cpu_ns += max(0.0, wave.integral(now) - wave.integral(
                server.cpu_since)) * server.flavor.vcpus * 1e9
            server.cpu_since = None

    def _server_cpu_start(self, server):
        if server.cpu_since is None:
            server.cpu_since = self.now()

    def server_cpu_ns(self, server, now=None):
        now = self.now() if now is None else now
        total = server.cpu_ns
        if server.cpu_since is not None and now > server.cpu_since:
            wave = server.profile.cpu_wave
            total += max(0.0, wave.integral(now) - wave.integral(
                server.cpu_since)) * server.flavor.vcpus * 1e9
        return total
