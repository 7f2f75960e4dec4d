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

"""Prometheus exposition (text format 0.0.4) of the workload model at
``/metrics``.

* ``/metrics?host=<fqdn or host name>``: one host's node_exporter series,
  without ``fqdn`` (Prometheus adds it from the scrape target):
  ``node_cpu_seconds_total{cpu,mode}`` (counter, seconds per CPU and mode),
  ``node_memory_MemTotal_bytes`` and ``node_memory_MemAvailable_bytes``
  (gauges, identical label sets); then the host's ipmi_exporter series:
  ``ipmi_temperature_celsius{id,name}`` for the "Inlet Temp", "Exhaust
  Temp" and "CPU1 Temp" sensors, ``ipmi_sensor_value{id,name="System
  Airflow",type}`` (CFM) and ``ipmi_dcmi_power_consumption_watts``.  A
  powered-off (down) host answers 503, like an unreachable exporter.  The
  ``exporter_cpus`` setting lists only that many CPUs per host: all CPUs
  of a simulated host read the same, so per-host figures are unchanged.
* ``/metrics?group=ceilometer``: ``ceilometer_cpu`` (counter, guest CPU time
  in ns, monotonic across moves), ``ceilometer_memory_usage`` (gauge, MB)
  and ``ceilometer_cpu_l3_cache`` (gauge, bytes of L3 cache occupied) for
  every running server, labelled ``resource=<server uuid>`` plus the
  usual sg-core/ceilometer extras.
* ``/metrics`` alone: every host's series with an ``fqdn`` label (for a
  ``honor_labels: true`` job) followed by the ceilometer group.

``doc/source/cli/watcher-simulator.rst`` shows the scrape configuration.
"""

import functools

from watcher.simulator import metrics

CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

CPU_MODES = (('idle', None), ('user', 0.70), ('system', 0.15),
             ('iowait', 0.04), ('irq', 0.01), ('softirq', 0.03),
             ('nice', 0.02), ('steal', 0.05))


def _escape(value):
    return str(value).replace('\\', '\\\\').replace('\n', '\\n').replace(
        '"', '\\"')


def _labels(pairs):
    if not pairs:
        return ''
    return '{%s}' % ','.join('%s="%s"' % (k, _escape(v)) for k, v in pairs)


def _num(value):
    return repr(float(value))


def host_cpu_seconds(cloud, host, now):
    """Per-CPU cumulative seconds for each mode (same for every CPU)."""
    cloud._checkpoint_host(host, now)
    out = {}
    for mode, share in CPU_MODES:
        if share is None:
            out[mode] = host.idle_seconds
        else:
            out[mode] = host.busy_seconds * share
    return out


def host_lines(cloud, host, now, extra=()):
    """Exposition lines of one host (without HELP/TYPE)."""
    cpu = []
    seconds = host_cpu_seconds(cloud, host, now)
    extra = list(extra)
    listed = cloud.settings.get('exporter_cpus')
    for i in range(host.vcpus if listed is None
                   else min(host.vcpus, listed)):
        for mode, _ in CPU_MODES:
            cpu.append('node_cpu_seconds_total%s %s' % (
                _labels(extra + [('cpu', str(i)), ('mode', mode)]),
                _num(seconds[mode])))
    total = metrics.host_mem_total_bytes(host)
    avail = metrics.host_mem_available_bytes(cloud, host, now, now)
    lbl = _labels(extra)
    return (cpu, ['node_memory_MemTotal_bytes%s %s' % (lbl, _num(total))],
            ['node_memory_MemAvailable_bytes%s %s' % (lbl, _num(avail))])


def host_airflow_cfm(cloud, host, t0, t1, aggregate='mean'):
    # the sensor reads CFM; watcher's host_airflow is in tenths of CFM
    return metrics.host_airflow(cloud, host, t0, t1, aggregate) / 10.0


#: (sensor labels, f(cloud, host, t0, t1, aggregate)) of the temperature
#: sensors, as ipmi_exporter names a Dell iDRAC's
IPMI_TEMPERATURES = (
    ({'id': '4', 'name': 'Inlet Temp'}, metrics.host_inlet_temp),
    ({'id': '5', 'name': 'Exhaust Temp'}, metrics.host_outlet_temp),
    ({'id': '14', 'name': 'CPU1 Temp'}, metrics.host_cpu_temp),
)
IPMI_AIRFLOW = {'id': '59', 'name': 'System Airflow',
                'type': 'Other Units Based Sensor'}


def ipmi_lines(cloud, host, now, extra=()):
    """The host's ipmi_exporter lines: temperatures, airflow, power."""
    extra = list(extra)
    temps = ['ipmi_temperature_celsius%s %s' % (
        _labels(extra + sorted(sensor.items())),
        _num(round(func(cloud, host, now, now), 2)))
        for sensor, func in IPMI_TEMPERATURES]
    air = ['ipmi_sensor_value%s %s' % (
        _labels(extra + sorted(IPMI_AIRFLOW.items())),
        _num(round(host_airflow_cfm(cloud, host, now, now), 2)))]
    power = ['ipmi_dcmi_power_consumption_watts%s %s' % (
        _labels(extra), _num(round(metrics.host_power(cloud, host, now,
                                                      now))))]
    return temps, air, power


HOST_HEADERS = (
    ('node_cpu_seconds_total', 'counter',
     'Seconds the CPUs spent in each mode.'),
    ('node_memory_MemTotal_bytes', 'gauge',
     'Memory information field MemTotal_bytes.'),
    ('node_memory_MemAvailable_bytes', 'gauge',
     'Memory information field MemAvailable_bytes.'),
    ('ipmi_temperature_celsius', 'gauge',
     'Temperature reading of sensor.'),
    ('ipmi_sensor_value', 'gauge',
     'Generic data read from an IPMI sensor of unknown type, relying on '
     'labels for context.'),
    ('ipmi_dcmi_power_consumption_watts', 'gauge',
     'Current power consumption in Watts.'),
)


def render_hosts(cloud, hosts, now, with_fqdn):
    groups = tuple([] for _ in HOST_HEADERS)
    for host in hosts:
        extra = [('fqdn', host.fqdn)] if with_fqdn else []
        lines = host_lines(cloud, host, now, extra) + ipmi_lines(
            cloud, host, now, extra)
        for bucket, chunk in zip(groups, lines):
            bucket.extend(chunk)
    out = []
    for (name, kind, text), lines in zip(HOST_HEADERS, groups):
        out.append('# HELP %s %s' % (name, text))
        out.append('# TYPE %s %s' % (name, kind))
        out.extend(lines)
    return out


_METERS = {
    'cpu': ('cpu', 'cpu', 'ns'),
    'memory': ('usage', 'memory.usage', 'MB'),
    'cpu_l3_cache': ('cpu_l3_cache', 'cpu_l3_cache', 'B'),
}


def _server_facts(cloud, server):
    """What a server's ceilometer labels depend on, as a hashable tuple."""
    settings = cloud.settings
    own = server.project_id == settings['project_id']
    return (server.id, server.project_id,
            settings['project_name'] if own else 'project',
            server.host or '', '%s:%s' % (server.name, server.instance_name),
            server.user_id, settings['user_name'] if own else 'user',
            server.server_group)


def _label_pairs(meter, facts):
    sid, project, project_name, host, resource_name, user, user_name, \
        group = facts
    kind, counter, unit = _METERS[meter]
    pairs = {
        meter: sid,
        'counter': counter,
        'project': project,
        'project_name': project_name,
        'publisher': host,
        'resource': sid,
        'resource_name': resource_name,
        'type': kind,
        'unit': unit,
        'user': user,
        'user_name': user_name,
        'vm_instance': host,
    }
    if group:
        pairs['server_group'] = group
    return sorted(pairs.items())


def server_labels(cloud, server, meter):
    """Label pairs of a ceilometer series of ``server`` (sorted)."""
    return _label_pairs(meter, _server_facts(cloud, server))


# a scrape of the ceilometer group formats the labels of every running
# server; they change only when a server moves or is renamed (27,000
# servers: 1.0 -> 0.5 s of CPU per scrape)
@functools.lru_cache(maxsize=1 << 19)
def _label_text(meter, facts):
    return _labels(_label_pairs(meter, facts))


def render_ceilometer(cloud, now):
    cpu = ['# HELP ceilometer_cpu Cumulative CPU time of the instance.',
           '# TYPE ceilometer_cpu counter']
    mem = ['# HELP ceilometer_memory_usage Memory used by the instance.',
           '# TYPE ceilometer_memory_usage gauge']
    l3 = ['# HELP ceilometer_cpu_l3_cache L3 cache used by the instance.',
          '# TYPE ceilometer_cpu_l3_cache gauge']
    for sid in cloud.server_index.ids:
        server = cloud.servers[sid]
        if not server.running:
            continue
        facts = _server_facts(cloud, server)
        cpu.append('ceilometer_cpu%s %s' % (
            _label_text('cpu', facts),
            _num(round(cloud.server_cpu_ns(server, now)))))
        mem.append('ceilometer_memory_usage%s %s' % (
            _label_text('memory', facts),
            _num(round(metrics.instance_ram_mb(server, now, now), 3))))
        l3.append('ceilometer_cpu_l3_cache%s %s' % (
            _label_text('cpu_l3_cache', facts),
            _num(round(1024 * metrics.instance_l3_cache_kib(
                cloud, server, now, now)))))
    return cpu + mem + l3


_SCRAPE_CONFIG = """\
global:
  scrape_interval: {scrape}s
  evaluation_interval: {scrape}s
scrape_configs:
  - job_name: node
    static_configs:
{targets}
    relabel_configs:
      - source_labels: [fqdn]
        target_label: __param_host
      - source_labels: [fqdn]
        target_label: instance
        replacement: '${{1}}:9100'
  - job_name: ceilometer
    honor_labels: true
    params: {{group: [ceilometer]}}
    static_configs:
      - targets: ['{address}']
"""


def scrape_config(address, hostnames, scrape):
    """A Prometheus configuration scraping the simulator at ``address``
    (host:port) as a real cloud is scraped: one node target per compute
    host (its ``fqdn`` target label) and one ceilometer target.
    """
    targets = '\n'.join(
        "      - targets: ['%s']\n        labels: {fqdn: %s}"
        % (address, name) for name in hostnames)
    return _SCRAPE_CONFIG.format(scrape=scrape, targets=targets,
                                 address=address)


def find_host(cloud, name):
    host = cloud.hosts.get(name)
    if host is None:
        for h in cloud.hosts.values():
            if h.fqdn == name or h.fqdn.split('.', 1)[0] == name:
                return h
    return host


def render(cloud, host=None, group=None):
    """Return (status, text)."""
    with cloud.lock:
        now = cloud.now()
        if host:
            h = find_host(cloud, host)
            if h is None:
                return 404, 'unknown host %s\n' % host
            if h.service.state != 'up':
                return 503, 'host %s is down\n' % host
            lines = render_hosts(cloud, [h], now, False)
        elif group:
            if group != 'ceilometer':
                return 404, 'unknown group %s\n' % group
            lines = render_ceilometer(cloud, now)
        else:
            hosts = [cloud.hosts[n] for n in cloud.host_index.ids
                     if cloud.hosts[n].service.state == 'up']
            lines = render_hosts(cloud, hosts, now, True)
            lines += render_ceilometer(cloud, now)
    return 200, '\n'.join(lines) + '\n'
