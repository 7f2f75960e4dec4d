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

"""Deterministic workload model of the simulated cloud.

Every server owns a :class:`Profile`.  A profile is a sum of sine waves around
a mean level, chosen so that the utilisation never leaves ``[0, 1]``:

``u(t) = base + sum(a_i * sin(w_i * t + p_i))``
with ``sum(a_i) <= min(base, 1 - base)``

Because the shape is analytic, the integral of the utilisation over any window
is exact and cheap (closed form), which gives

* monotonic cumulative counters (``ceilometer_cpu`` in ns,
  ``node_cpu_seconds_total``),
* exact window means for the bulk metrics API and the PromQL evaluator,

without storing any history.  Phases and periods are drawn from a seeded
random generator, so a scenario with the same seed always produces the same
numbers for the same simulated time.

Profile kinds:

``steady``   the mean level with a ripple of a few percent.
``diurnal``  a 24 h wave (peak in the local afternoon) plus a small ripple.
``bursty``   several short waves (5 to 60 min) with large amplitudes.
``idle``     almost nothing (a hundredth of a core).

A profile may also say how much last-level (L3) cache the server wants
(``l3_cache``, KiB; default: in proportion to its vCPUs and CPU level) and
when that appetite changed (``l3_cache_change``: from ``at`` seconds after
the cloud's start - negative is before it - the appetite is ``factor``
times as large).  A step, not a wave: a cache-hungry job that starts is
what the noisy-neighbour strategy looks for, and a step keeps the window
means of :mod:`watcher.simulator.metrics` exact.
"""

import math
import random

PROFILE_KINDS = ('steady', 'diurnal', 'bursty', 'idle')

DAY = 86400.0
TWO_PI = 2.0 * math.pi


class Wave:
    """A bounded periodic signal ``base + sum(a*sin(w*t+p))``."""

    __slots__ = ('base', 'terms')

    def __init__(self, base, terms):
        self.base = base
        self.terms = tuple(terms)  # (amplitude, angular speed, phase)

    def value(self, t):
        v = self.base
        for a, w, p in self.terms:
            v += a * math.sin(w * t + p)
        return v

    def integral(self, t):
        """A primitive of :meth:`value` (any constant; use differences)."""
        v = self.base * t
        for a, w, p in self.terms:
            v -= a / w * math.cos(w * t + p)
        return v

    def mean(self, t0, t1):
        if t1 <= t0:
            return self.value(t1)
        return (self.integral(t1) - self.integral(t0)) / (t1 - t0)

    def extreme(self, t0, t1, pick, samples=24):
        if t1 <= t0:
            return self.value(t1)
        step = (t1 - t0) / samples
        return pick(self.value(t0 + i * step) for i in range(samples + 1))

    def aggregate(self, t0, t1, aggregate):
        if aggregate == 'max':
            return self.extreme(t0, t1, max)
        if aggregate == 'min':
            return self.extreme(t0, t1, min)
        return self.mean(t0, t1)


def _bounded(base, shares, periods, rng):
    base = min(max(base, 0.0), 1.0)
    room = min(base, 1.0 - base)
    terms = []
    for share, period in zip(shares, periods):
        terms.append((room * share, TWO_PI / period,
                      rng.uniform(0.0, TWO_PI)))
    return Wave(base, terms)


def make_wave(kind, level, rng):
    """Build the wave of one resource dimension for a profile kind."""
    if kind == 'idle':
        return Wave(min(level, 0.01), ())
    if kind == 'steady':
        return _bounded(level, (0.05, 0.03),
                        (rng.uniform(500, 900), rng.uniform(1500, 2500)), rng)
    if kind == 'diurnal':
        wave = _bounded(level, (0.7, 0.05),
                        (DAY, rng.uniform(600, 1200)), rng)
        return wave
    if kind == 'bursty':
        return _bounded(level, (0.45, 0.3, 0.2),
                        (rng.uniform(280, 420), rng.uniform(900, 1500),
                         rng.uniform(2800, 3800)), rng)
    raise ValueError('unknown workload profile %r' % kind)


class Profile:
    """Workload of one server: CPU (fraction of its vCPUs), RAM (fraction
    of the flavor RAM), disk IO (operations per second).
    """

    __slots__ = ('kind', 'cpu', 'ram', 'disk_iops', 'cpu_wave', 'ram_wave',
                 'io_wave', 'l3_cache', 'l3_change')

    def __init__(self, kind='steady', cpu=0.2, ram=0.5, disk_iops=20.0,
                 seed=0, l3_cache=None, l3_change=None):
        if kind not in PROFILE_KINDS:
            raise ValueError('unknown workload profile %r' % kind)
        self.kind = kind
        self.cpu = float(cpu)
        self.ram = float(ram)
        self.disk_iops = float(disk_iops)
        self.l3_cache = None if l3_cache is None else float(l3_cache)
        #: ``(at, factor)``: ``at`` seconds after the cloud's start
        self.l3_change = None if not l3_change else (
            float(l3_change[0]), float(l3_change[1]))
        rng = random.Random(seed)
        self.cpu_wave = make_wave(kind, self.cpu, rng)
        # Memory moves slowly whatever the CPU does.
        ram_kind = 'steady' if kind != 'idle' else 'idle'
        self.ram_wave = make_wave(ram_kind, self.ram, rng)
        self.io_wave = make_wave(kind if kind != 'idle' else 'idle',
                                 0.5, rng)

    def iops(self, t):
        return self.disk_iops * 2.0 * self.io_wave.value(t)

    def l3_appetite(self, vcpus):
        """KiB of L3 cache wanted before any change: as configured, else
        a quarter MiB per vCPU, more the busier the server.
        """
        if self.l3_cache is not None:
            return self.l3_cache
        return 256.0 * vcpus * (0.5 + 4.0 * self.cpu)

    def as_dict(self):
        out = {'profile': self.kind, 'cpu': self.cpu, 'ram': self.ram,
               'disk_iops': self.disk_iops}
        if self.l3_cache is not None:
            out['l3_cache'] = self.l3_cache
        if self.l3_change is not None:
            out['l3_cache_change'] = {'at': self.l3_change[0],
                                      'factor': self.l3_change[1]}
        return out


# Physical host figures derived from the CPU load (for the hardware
# metrics that only the simulator datasource provides).
HOST_IDLE_POWER_W = 110.0
HOST_MAX_EXTRA_POWER_W = 260.0


def host_power(cpu_fraction):
    return HOST_IDLE_POWER_W + HOST_MAX_EXTRA_POWER_W * cpu_fraction


def host_inlet_temp(base_inlet, cpu_fraction):
    return base_inlet + 1.5 * cpu_fraction


def host_outlet_temp(base_inlet, cpu_fraction):
    return base_inlet + 6.0 + 18.0 * cpu_fraction


def host_cpu_temp(base_inlet, cpu_fraction):
    # The package sensor: always hotter than the exhaust air, so a query
    # that does not pick the outlet sensor by name reads too hot.
    return base_inlet + 25.0 + 45.0 * cpu_fraction


def host_airflow(cpu_fraction):
    # Tenths of CFM, as IPMI sensors usually report fan airflow.
    return 200.0 + 550.0 * cpu_fraction
