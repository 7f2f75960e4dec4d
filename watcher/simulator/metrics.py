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

"""Metrics of hosts and servers derived from the workload model.

Every function takes the cloud (the caller holds ``cloud.lock``) and a time
window ``[t0, t1]`` in simulated epoch seconds.  Host figures are sums over
the servers the host holds *now*: a moved server takes its load along.
Stopped, shelved or building servers use no CPU and no RAM.
"""

from watcher.simulator import workload

# Hypervisor overhead: a little CPU and RAM used whatever the guests do.
HOST_CPU_OVERHEAD = 0.02  # fraction of the host's CPUs
HOST_RAM_OVERHEAD = 0.02  # fraction of the host's RAM

AGGREGATES = ('mean', 'max', 'min', 'count')
SAMPLES = 12


def _running(cloud, host):
    servers = cloud.servers
    for sid in host.servers:
        server = servers.get(sid)
        if server is not None and server.running:
            yield server


def host_busy_cores_integral(cloud, host, t0, t1):
    """CPU-seconds used on ``host`` during ``[t0, t1]`` (uncapped)."""
    total = HOST_CPU_OVERHEAD * host.vcpus * (t1 - t0)
    for server in _running(cloud, host):
        wave = server.profile.cpu_wave
        total += server.flavor.vcpus * (wave.integral(t1)
                                        - wave.integral(t0))
    return total


def host_busy_cores_at(cloud, host, t):
    total = HOST_CPU_OVERHEAD * host.vcpus
    for server in _running(cloud, host):
        total += server.flavor.vcpus * server.profile.cpu_wave.value(t)
    return total


def _window(t0, t1):
    if t1 <= t0:
        return [t1]
    step = (t1 - t0) / SAMPLES
    return [t0 + i * step for i in range(SAMPLES + 1)]


def host_cpu_fraction(cloud, host, t0, t1, aggregate='mean'):
    """Busy fraction (0..1) of the host's CPUs over the window."""
    ncpu = max(host.vcpus, 1)
    if aggregate in ('max', 'min'):
        values = [min(1.0, host_busy_cores_at(cloud, host, t) / ncpu)
                  for t in _window(t0, t1)]
        return max(values) if aggregate == 'max' else min(values)
    if t1 <= t0:
        return min(1.0, host_busy_cores_at(cloud, host, t1) / ncpu)
    return min(1.0, host_cpu_integral(cloud, host, t0, t1) / ncpu / (t1 - t0))


def host_cpu_integral(cloud, host, t0, t1):
    return host_busy_cores_integral(cloud, host, t0, t1)


def instance_cpu_fraction(server, t0, t1, aggregate='mean'):
    if not server.running:
        return 0.0
    return server.profile.cpu_wave.aggregate(t0, t1, aggregate)


def instance_ram_mb(server, t0, t1, aggregate='mean'):
    if not server.running:
        return 0.0
    return server.flavor.ram * server.profile.ram_wave.aggregate(
        t0, t1, aggregate)


def host_ram_used_mb(cloud, host, t0, t1, aggregate='mean'):
    """RAM in use on the host (MB): reserved + overhead + guests."""
    used = host.reserved_memory_mb + HOST_RAM_OVERHEAD * host.memory_mb
    if aggregate in ('max', 'min'):
        samples = []
        for t in _window(t0, t1):
            samples.append(sum(
                s.flavor.ram * s.profile.ram_wave.value(t)
                for s in _running(cloud, host)))
        guests = max(samples) if aggregate == 'max' else min(samples)
    else:
        guests = sum(instance_ram_mb(s, t0, t1)
                     for s in _running(cloud, host))
    return min(float(host.memory_mb), used + guests)


def host_mem_total_bytes(host):
    return host.memory_mb * 1024 * 1024


def host_mem_available_bytes(cloud, host, t0, t1, aggregate='mean'):
    return max(0.0, host_mem_total_bytes(host)
               - host_ram_used_mb(cloud, host, t0, t1, aggregate)
               * 1024 * 1024)


def host_power(cloud, host, t0, t1, aggregate='mean'):
    if host.service.state != 'up':
        return 0.0
    return workload.host_power(host_cpu_fraction(cloud, host, t0, t1,
                                                 aggregate))


# Hardware sensors: the host's own figures (its inlet air) and its load.
def host_outlet_temp(cloud, h, t0, t1, agg='mean'):
    return workload.host_outlet_temp(
        h.inlet_temp, host_cpu_fraction(cloud, h, t0, t1, agg))


def host_inlet_temp(cloud, h, t0, t1, agg='mean'):
    return workload.host_inlet_temp(
        h.inlet_temp, host_cpu_fraction(cloud, h, t0, t1, agg))


def host_airflow(cloud, h, t0, t1, agg='mean'):
    return workload.host_airflow(host_cpu_fraction(cloud, h, t0, t1, agg))


def host_cpu_temp(cloud, host, t0, t1, aggregate='mean'):
    return workload.host_cpu_temp(
        host.inlet_temp, host_cpu_fraction(cloud, host, t0, t1, aggregate))


# L3 cache: the servers of a host share its cache; each gets what it wants
# while the sum fits, else a share in proportion to what it wants.  The
# appetites are steps in time (workload.Profile.l3_change), so occupancy
# is piecewise constant and a window mean is exact.

def l3_appetite(cloud, server, t):
    profile = server.profile
    wanted = profile.l3_appetite(server.flavor.vcpus)
    change = profile.l3_change
    if change is not None and t >= cloud.started_at + change[0]:
        wanted *= change[1]
    return wanted


def _l3_at(cloud, server, neighbours, size, t):
    mine = l3_appetite(cloud, server, t)
    total = sum(l3_appetite(cloud, s, t) for s in neighbours)
    if total <= size or total <= 0:
        return mine
    return mine * size / total


def instance_l3_cache_kib(cloud, server, t0, t1, aggregate='mean'):
    """KiB of its host's L3 cache that ``server`` occupies over the
    window (0 when it does not run).
    """
    if not server.running:
        return 0.0
    host = cloud.hosts[server.host]
    neighbours = list(_running(cloud, host))
    size = float(host.l3_cache_kib)
    if t1 <= t0:
        return _l3_at(cloud, server, neighbours, size, t1)
    steps = sorted({cloud.started_at + s.profile.l3_change[0]
                    for s in neighbours if s.profile.l3_change is not None}
                   | {t0, t1})
    bounds = [t for t in steps if t0 <= t <= t1]
    pieces = [(b - a, _l3_at(cloud, server, neighbours, size, a))
              for a, b in zip(bounds, bounds[1:]) if b > a]
    if aggregate == 'max':
        return max(v for _, v in pieces)
    if aggregate == 'min':
        return min(v for _, v in pieces)
    if aggregate == 'last':
        return _l3_at(cloud, server, neighbours, size, t1)
    return sum(d * v for d, v in pieces) / (t1 - t0)


# The catalogue of the bulk metrics API: name -> (resource_type, unit,
# description, function(cloud, element, t0, t1, aggregate)).
def _host_cpu(cloud, h, t0, t1, agg):
    return 100.0 * host_cpu_fraction(cloud, h, t0, t1, agg)


def _host_ram(cloud, h, t0, t1, agg):
    return host_ram_used_mb(cloud, h, t0, t1, agg) * 1024.0


def _inst_cpu(cloud, s, t0, t1, agg):
    return 100.0 * instance_cpu_fraction(s, t0, t1, agg)


def _inst_ram(cloud, s, t0, t1, agg):
    return instance_ram_mb(s, t0, t1, agg)


def _inst_ram_alloc(cloud, s, t0, t1, agg):
    return float(s.flavor.ram)


def _inst_disk(cloud, s, t0, t1, agg):
    return float(s.flavor.disk)


def _inst_l3(cloud, s, t0, t1, agg):
    return instance_l3_cache_kib(cloud, s, t0, t1, agg)


def _inst_iops(cloud, s, t0, t1, agg):
    if not s.running:
        return 0.0
    return s.profile.disk_iops * 2.0 * s.profile.io_wave.aggregate(t0, t1,
                                                                   agg)


CATALOGUE = {
    'host_cpu_usage': ('compute_node', '%',
                       'CPU busy share of the whole host, 0-100', _host_cpu,
                       True),
    'host_ram_usage': ('compute_node', 'KiB',
                       'RAM in use on the host (total - available)',
                       _host_ram, True),
    'host_outlet_temp': ('compute_node', 'C', 'outlet temperature',
                         host_outlet_temp, True),
    'host_inlet_temp': ('compute_node', 'C', 'inlet temperature',
                        host_inlet_temp, True),
    'host_airflow': ('compute_node', '0.1CFM', 'system airflow',
                     host_airflow, True),
    'host_power': ('compute_node', 'W', 'power drawn by the host',
                   host_power, True),
    'instance_cpu_usage': ('instance', '%',
                           'CPU busy share of the instance vCPUs, 0-100',
                           _inst_cpu, True),
    'instance_ram_usage': ('instance', 'MB', 'RAM used by the guest',
                           _inst_ram, True),
    'instance_ram_allocated': ('instance', 'MB', 'flavor RAM',
                               _inst_ram_alloc, False),
    'instance_root_disk_size': ('instance', 'GB', 'flavor root disk',
                                _inst_disk, False),
    'instance_l3_cache_usage': ('instance', 'KiB', 'L3 cache occupancy',
                                _inst_l3, True),
    'instance_disk_iops': ('instance', 'IOPS', 'disk operations per second',
                           _inst_iops, True),
}
