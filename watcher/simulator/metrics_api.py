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

"""Bulk JSON metrics API of the simulator (for the ``simulator`` datasource).

One call returns one metric for ALL resources of a type, computed from the
workload model over a time window - no Prometheus needed.

``GET /simulator/v1/metrics``
    The catalogue::

        {"metrics": [{"name": "host_cpu_usage",
                      "resource_type": "compute_node",
                      "unit": "%", "description": "..."}, ...]}

``GET /simulator/v1/metrics?name=<metric>&resource_type=<type>&...``
    Query parameters:

    ``name`` (required)
        A Watcher metric key (see the table below).
    ``resource_type`` (optional)
        ``compute_node`` or ``instance``; when given it must match the
        metric's type (else 400).
    ``period`` (optional, default 300)
        Window length in seconds, integer >= 1.  The window is
        ``[end - period, end]``.
    ``aggregate`` (optional, default ``mean``)
        ``mean``, ``max``, ``min`` or ``count``.  ``mean`` is the exact
        average over the window; ``max``/``min`` are taken over 13 evenly
        spaced samples of the window; ``count`` is the number of datapoints
        the window holds at ``granularity`` (``max(1, period //
        granularity)``) for every resource that has data.
    ``granularity`` (optional, default 300)
        Only used by ``count``.
    ``resources`` (optional)
        Comma-separated host names or instance uuids to restrict the answer.
    ``time`` (optional)
        End of the window as epoch seconds (default: the simulated now).

    Answer (200)::

        {"metric": "host_cpu_usage", "resource_type": "compute_node",
         "unit": "%", "aggregate": "mean", "period": 300,
         "start": "2026-11-22T03:25:00Z", "end": "2026-11-22T03:30:00Z",
         "values": {"compute-0": 23.5, "compute-1": 41.0, ...}}

    Keys of ``values``: the host name (Nova ``hypervisor_hostname`` ==
    service host) for ``compute_node`` metrics, the server uuid for
    ``instance`` metrics.  Values are floats.

    Which resources appear: compute hosts whose service state is ``up``
    (a powered-off host has no data); for instance usage metrics only
    running servers (ACTIVE, also while migrating) - a stopped or shelved
    server has no data, like with Ceilometer.  ``instance_ram_allocated``
    and ``instance_root_disk_size`` list every server that has a host.

    Errors (400, ``{"error": "<message>"}``): missing or unknown ``name``,
    unknown ``aggregate``, bad ``period``, ``resource_type`` mismatch.

Metrics (name, resource type, unit):

=========================  ============  ======  ==========================
name                       type          unit    meaning
=========================  ============  ======  ==========================
host_cpu_usage             compute_node  %       busy share of all host CPUs
host_ram_usage             compute_node  KiB     RAM in use (total-available)
host_outlet_temp           compute_node  C       outlet air temperature
host_inlet_temp            compute_node  C       inlet air temperature
host_airflow               compute_node  0.1CFM  system airflow
host_power                 compute_node  W       power drawn
instance_cpu_usage         instance      %       busy share of its vCPUs
instance_ram_usage         instance      MB      RAM used by the guest
instance_ram_allocated     instance      MB      flavor RAM
instance_root_disk_size    instance      GB      flavor root disk
instance_l3_cache_usage    instance      KiB     L3 cache occupied
instance_disk_iops         instance      IOPS    disk operations per second
=========================  ============  ======  ==========================

The hardware figures follow the host's ``inlet_temp`` (scenario) and its
CPU load; a server's L3 occupancy is its share of the host's
``l3_cache_kib`` (see :func:`watcher.simulator.metrics.instance_l3_cache_kib`).
The Prometheus endpoint serves the same figures as IPMI and Ceilometer
series (``ceilometer_cpu_l3_cache`` in bytes, airflow in CFM).

``host_cpu_usage`` and ``instance_cpu_usage`` agree with what the
Prometheus datasource computes from the ``/metrics`` series for the same
window; ``host_ram_usage`` equals ``MemTotal - MemAvailable`` in KiB.
"""

from watcher.simulator import clock
from watcher.simulator import errors
from watcher.simulator import metrics


def catalogue():
    return [{'name': name, 'resource_type': spec[0], 'unit': spec[1],
             'description': spec[2]}
            for name, spec in sorted(metrics.CATALOGUE.items())]


def query(cloud, name, resource_type=None, period=300, aggregate='mean',
          granularity=300, resources=None, end=None):
    """Evaluate one metric for every resource; see the module docstring."""
    spec = metrics.CATALOGUE.get(name)
    if spec is None:
        raise errors.BadRequest('unknown metric %r (known: %s)' % (
            name, ', '.join(sorted(metrics.CATALOGUE))))
    rtype, unit, _, func, dynamic = spec
    if resource_type and resource_type != rtype:
        raise errors.BadRequest('metric %s is about %s, not %s'
                                % (name, rtype, resource_type))
    if aggregate not in metrics.AGGREGATES:
        raise errors.BadRequest('unknown aggregate %r (one of %s)' % (
            aggregate, ', '.join(metrics.AGGREGATES)))
    try:
        period = int(period)
        granularity = int(granularity)
    except (TypeError, ValueError):
        raise errors.BadRequest('period and granularity must be integers')
    if period < 1 or granularity < 1:
        raise errors.BadRequest('period and granularity must be >= 1')
    wanted = set(resources) if resources else None
    values = {}
    with cloud.lock:
        t1 = cloud.now() if end is None else float(end)
        t0 = t1 - period
        agg = 'mean' if aggregate == 'count' else aggregate
        count = float(max(1, period // granularity))
        if rtype == 'compute_node':
            for hname in cloud.host_index.ids:
                if wanted is not None and hname not in wanted:
                    continue
                host = cloud.hosts[hname]
                if host.service.state != 'up':
                    continue
                values[hname] = count if aggregate == 'count' else float(
                    func(cloud, host, t0, t1, agg))
        else:
            ids = cloud.server_index.ids if wanted is None else [
                i for i in wanted if i in cloud.servers]
            for sid in ids:
                server = cloud.servers[sid]
                if server.host is None or (dynamic and not server.running):
                    continue
                values[sid] = count if aggregate == 'count' else float(
                    func(cloud, server, t0, t1, agg))
    return {'metric': name, 'resource_type': rtype, 'unit': unit,
            'aggregate': aggregate, 'period': period,
            'start': clock.isoformat(t0), 'end': clock.isoformat(t1),
            'values': values}
