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

"""Scenario files: what the simulated cloud looks like when it starts.

A scenario is a YAML mapping (or the same thing as a Python dict).  Every
field is optional except the names; unknown fields are errors, and every
error names the faulty field, e.g. ``hosts[2].vcpus: expected an integer
>= 1, got 'many'``.

.. code-block:: yaml

    name: demo
    description: free text
    seed: 42                      # drives uuids, workload phases, ...
    settings:                     # see cloud.core.DEFAULT_SETTINGS
      migration_duration: 0.2     # simulated seconds
      resize_duration: 0.2
      action_duration: 0.05       # stop/start/shelve/delete
      volume_migration_duration: 0.2
      power_duration: 0.05        # ironic power on/off
      time_speed: 1.0             # simulated seconds per real second
      start_time: "2026-01-05T03:00:00Z"  # the clock's first instant
                                  # (default: the wall-clock time)
      allow_resize_to_same_host: false
      exporter_cpus: 4            # CPUs listed per host at /metrics
                                  # (default: all; all read the same)
    defaults:
      host: {vcpus: 32, memory_mb: 131072, ...}      # merged into each host
      server: {workload: {profile: steady, cpu: 0.2}} # merged into each server
    flavors:                      # default: m1.tiny .. m1.xlarge
      - {name: m1.small, vcpus: 1, ram: 2048, disk: 20, id: "2",
         ephemeral: 0, swap: 0, extra_specs: {"hw:cpu_policy": shared}}
    hosts:
      - name: compute-0           # service host == hypervisor_hostname
        vcpus: 16                 # physical CPUs (VCPU total)
        memory_mb: 65536
        disk_gb: 500
        cpu_allocation_ratio: 4.0
        ram_allocation_ratio: 1.0
        disk_allocation_ratio: 1.0
        reserved_vcpus: 0
        reserved_memory_mb: 512
        reserved_disk_gb: 0
        availability_zone: nova
        status: enabled           # or disabled
        disabled_reason: null
        forced_down: false
        state: up                 # or down
        fqdn: compute-0.example.com   # Prometheus fqdn label (default: name)
        traits: [HW_CPU_X86_AVX2]
        inlet_temp: 22.0          # Celsius at the air inlet (default: a
                                  # seeded draw in 18-24); outlet, airflow
                                  # and power follow from it and the load
        l3_cache_kib: 32768       # L3 cache the servers share
        servers:                  # servers placed on this host
          - name: vm-0
            flavor: m1.small      # flavor name or id
            status: ACTIVE        # ACTIVE, SHUTOFF, SHELVED_OFFLOADED, ERROR
            workload: {profile: diurnal, cpu: 0.3, ram: 0.6, disk_iops: 40}
            # or just: workload: bursty
            # L3 appetite (KiB) and a step in it (a noisy neighbour):
            # workload: {cpu: 0.5, l3_cache: 4096,
            #            l3_cache_change: {at: -100, factor: 6}}
            metadata: {owner: demo}
            locked: false
            pinned_availability_zone: null
            server_group: web     # name of a server group below
            fail: [live_migration]  # these operations always fail
    servers:                      # same fields + host (omit = scheduled)
      - {name: vm-x, flavor: m1.tiny, host: compute-1}
    aggregates:
      - {name: fast, availability_zone: az1, hosts: [compute-0],
         metadata: {ssd: "true"}}
    server_groups:
      - {name: web, policy: anti-affinity}   # affinity, soft-*
    storage:
      volume_types: [{name: lvm, backend: lvm}]
      pools:
        - {name: "storage-0@lvm#pool0", total_capacity_gb: 1000,
           reserved_percentage: 0, max_over_subscription_ratio: 20.0}
      volumes:
        - {name: vol-0, size: 10, pool: "storage-0@lvm#pool0", type: lvm,
           attached_to: vm-0, bootable: false, metadata: {}}
    baremetal:
      nodes:
        - {name: ironic-0, power_state: power on, compute_host: compute-0,
           maintenance: false}
    faults:                       # injected failures at start
      - {target: vm-0, operation: live_migration, count: 1}
    generate: {hosts: 100, vms_per_host: 10, seed: 1}   # see generate()

Bundled scenarios live in ``watcher/simulator/scenarios/``: ``demo`` (the
default) and ``maintenance``; :func:`generate` builds large clouds.
"""

import os
import random
import zlib

import yaml

from watcher.simulator import errors
from watcher.simulator import scenario_schema
from watcher.simulator.cloud import core
from watcher.simulator import workload

SCENARIO_DIR = os.path.join(os.path.dirname(__file__), 'scenarios')

DEFAULT_FLAVORS = [
    {'name': 'm1.tiny', 'id': '1', 'vcpus': 1, 'ram': 512, 'disk': 1},
    {'name': 'm1.small', 'id': '2', 'vcpus': 1, 'ram': 2048, 'disk': 20},
    {'name': 'm1.medium', 'id': '3', 'vcpus': 2, 'ram': 4096, 'disk': 40},
    {'name': 'm1.large', 'id': '4', 'vcpus': 4, 'ram': 8192, 'disk': 80},
    {'name': 'm1.xlarge', 'id': '5', 'vcpus': 8, 'ram': 16384, 'disk': 160},
]


# ---------------------------------------------------------------- loading

def bundled():
    """Names of the scenarios shipped with the simulator."""
    return sorted(f[:-5] for f in os.listdir(SCENARIO_DIR)
                  if f.endswith('.yaml'))


def load(source=None):
    """Return a validated scenario from a path, a bundled name, YAML text
    or a dict (``None`` = the demo).
    """
    if source is None:
        source = 'demo'
    if isinstance(source, dict):
        return scenario_schema.validate(source,
                                        source.get('name', 'scenario'))
    source = str(source)
    path = source
    if not os.path.exists(path) and os.path.exists(
            os.path.join(SCENARIO_DIR, source + '.yaml')):
        path = os.path.join(SCENARIO_DIR, source + '.yaml')
    if os.path.exists(path):
        with open(path) as f:
            text = f.read()
        name = os.path.basename(path)
    elif '\n' in source or ':' in source:
        text, name = source, 'scenario'
    else:
        raise errors.ScenarioError(
            'scenario %r: no such file or bundled scenario (bundled: %s)'
            % (source, ', '.join(bundled())))
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise errors.ScenarioError('%s: invalid YAML: %s' % (name, exc))
    return scenario_schema.validate(data, name)


def _profile(spec, seed):
    spec = spec or {}
    change = spec.get('l3_cache_change')
    return workload.Profile(spec.get('profile', 'steady'),
                            spec.get('cpu', 0.2), spec.get('ram', 0.5),
                            spec.get('disk_iops', 20.0), seed=seed,
                            l3_cache=spec.get('l3_cache'),
                            l3_change=change and (change['at'],
                                                  change['factor']))


def build(scenario=None, notifier=None, clock=None):
    """Build a :class:`~watcher.simulator.cloud.core.Cloud` from a scenario
    (anything :func:`load` accepts, or an already validated dict).
    """
    if scenario is None or not isinstance(scenario, dict) or \
            '_source' not in scenario:
        scenario = load(scenario)
    if scenario.get('generate'):
        generated = generate(**scenario['generate'])
        merged = dict(generated)
        for key, value in scenario.items():
            if key in ('generate', '_source'):
                continue
            if isinstance(value, list):
                merged[key] = merged.get(key, []) + value
            elif isinstance(value, dict) and isinstance(merged.get(key),
                                                        dict):
                merged[key] = dict(merged[key], **value)
            else:
                merged[key] = value
        scenario = scenario_schema.validate(merged, scenario['_source'])
    src = scenario['_source']
    seed = scenario.get('seed', 0)
    cloud = core.Cloud(seed=seed, settings=scenario.get('settings'),
                       notifier=notifier, clock=clock)
    cloud.name = scenario.get('name', src)
    cloud.description = scenario.get('description')
    defaults = scenario.get('defaults', {})
    host_defaults = defaults.get('host', {})
    server_defaults = defaults.get('server', {})

    def fail(path, exc):
        raise errors.ScenarioError('%s: %s' % (path, getattr(
            exc, 'message', exc)))

    for i, spec in enumerate(scenario.get('flavors') or DEFAULT_FLAVORS):
        cloud.add_flavor(**spec)
    for i, spec in enumerate(scenario.get('server_groups', [])):
        cloud.add_server_group(spec['name'], spec.get('policy',
                                                      'anti-affinity'),
                               id=spec.get('id'))

    pending_servers = []
    for i, spec in enumerate(scenario.get('hosts', [])):
        path = '%s: hosts[%d]' % (src, i)
        kwargs = dict(host_defaults)
        kwargs.update({k: v for k, v in spec.items() if k != 'servers'})
        try:
            cloud.add_host(**kwargs)
        except errors.SimulatorError as exc:
            fail(path, exc)
        for j, server in enumerate(spec.get('servers', [])):
            pending_servers.append(('%s.servers[%d]' % (path, j),
                                    dict(server, host=spec['name'])))
    for i, spec in enumerate(scenario.get('aggregates', [])):
        try:
            cloud.add_aggregate(spec['name'], spec.get('hosts', []),
                                spec.get('availability_zone'),
                                spec.get('metadata'))
        except errors.SimulatorError as exc:
            fail('%s: aggregates[%d]' % (src, i), exc)
    for i, spec in enumerate(scenario.get('servers', [])):
        pending_servers.append(('%s: servers[%d]' % (src, i), spec))

    faults = []
    for path, spec in pending_servers:
        merged = dict(server_defaults)
        merged.update(spec)
        if 'workload' in server_defaults and 'workload' in spec:
            merged['workload'] = dict(server_defaults['workload'],
                                      **spec['workload'])
        seq_seed = zlib.crc32(('%s:%s' % (seed, merged['name'])).encode())
        try:
            server = cloud.add_server(
                merged['name'], merged['flavor'], host=merged.get('host'),
                profile=_profile(merged.get('workload'), seq_seed),
                project_id=merged.get('project_id'),
                vm_state=scenario_schema.SERVER_STATUS[
                    merged.get('status', 'ACTIVE')],
                metadata=merged.get('metadata'),
                locked=merged.get('locked', False),
                pinned_availability_zone=merged.get(
                    'pinned_availability_zone'),
                server_group=merged.get('server_group'),
                id=merged.get('id'), tags=merged.get('tags'),
                availability_zone=merged.get('availability_zone'))
        except errors.SimulatorError as exc:
            fail(path, exc)
        for op in merged.get('fail', []):
            faults.append((server.id, op))

    storage = scenario.get('storage', {})
    for i, spec in enumerate(storage.get('volume_types', [])):
        cloud.add_volume_type(spec['name'], spec['backend'],
                              id=spec.get('id'),
                              description=spec.get('description'),
                              extra_specs=spec.get('extra_specs'))
    for i, spec in enumerate(storage.get('pools', [])):
        try:
            cloud.add_pool(**spec)
        except errors.SimulatorError as exc:
            fail('%s: storage.pools[%d]' % (src, i), exc)
    for i, spec in enumerate(storage.get('volumes', [])):
        try:
            cloud.add_volume(spec['name'], spec['size'], spec.get('pool'),
                             spec.get('type'), spec.get('attached_to'),
                             spec.get('bootable', False),
                             spec.get('metadata'), spec.get('id'),
                             spec.get('status'))
        except errors.SimulatorError as exc:
            fail('%s: storage.volumes[%d]' % (src, i), exc)
    for i, spec in enumerate(scenario.get('baremetal', {}).get('nodes', [])):
        try:
            cloud.add_node(**spec)
        except errors.SimulatorError as exc:
            fail('%s: baremetal.nodes[%d]' % (src, i), exc)
    for target, op in faults:
        cloud.add_fault(target, op, count=None)
    for spec in scenario.get('faults', []):
        cloud.add_fault(spec.get('target', '*'), spec.get('operation', 'any'),
                        spec.get('count', 1),
                        spec.get('message', 'Simulated failure'))
    return cloud


# -------------------------------------------------------------- generator

DEFAULT_MIX = {'m1.small': 4, 'm1.medium': 3, 'm1.large': 2, 'm1.xlarge': 1}


def generate(hosts=100, vms_per_host=10, flavors=None, hot_share=0.1,
             empty_share=0.1, seed=0, azs=1, host_vcpus=48,
             host_memory_mb=262144, host_disk_gb=4000,
             cpu_allocation_ratio=4.0, volumes_per_host=0.0, ironic=False):
    """Return a scenario dict for a large cloud.

    ``hosts`` compute hosts ``compute-00000``...; about ``vms_per_host``
    servers on each (fewer where capacity runs out), drawn from the flavor
    ``flavors`` mix (name -> weight, default 4 small: 3 medium: 2 large: 1
    xlarge); a ``hot_share`` of the hosts run hot bursty loads, an
    ``empty_share`` hold only one idle server (consolidation material);
    ``azs`` availability zones (az0..), ``volumes_per_host`` Cinder volumes
    per host, ``ironic`` one Ironic node per host.  Deterministic for a
    seed.
    """
    rng = random.Random(seed)
    mix = dict(flavors or DEFAULT_MIX)
    by_name = {f['name']: f for f in DEFAULT_FLAVORS}
    for name in mix:
        if name not in by_name:
            raise errors.ScenarioError(
                'generate.flavors.%s: unknown flavor (known: %s)'
                % (name, ', '.join(sorted(by_name))))
    names = list(mix)
    weights = [float(mix[n]) for n in names]
    width = max(5, len(str(hosts - 1)))
    host_list = []
    n_hot = int(round(hosts * hot_share))
    n_empty = int(round(hosts * empty_share))
    order = list(range(hosts))
    rng.shuffle(order)
    hot = set(order[:n_hot])
    empty = set(order[n_hot:n_hot + n_empty])
    vm = 0
    for h in range(hosts):
        name = 'compute-%0*d' % (width, h)
        cap_cpu = host_vcpus * cpu_allocation_ratio
        cap_ram = host_memory_mb - 512
        cap_disk = host_disk_gb
        servers = []
        count = 1 if h in empty else vms_per_host
        for _ in range(count):
            fname = rng.choices(names, weights)[0]
            flavor = by_name[fname]
            if flavor['vcpus'] > cap_cpu or flavor['ram'] > cap_ram or \
                    flavor['disk'] > cap_disk:
                continue
            cap_cpu -= flavor['vcpus']
            cap_ram -= flavor['ram']
            cap_disk -= flavor['disk']
            if h in hot:
                wl = {'profile': 'bursty',
                      'cpu': round(rng.uniform(0.7, 0.95), 3),
                      'ram': round(rng.uniform(0.6, 0.9), 3)}
            elif h in empty:
                wl = {'profile': 'idle', 'cpu': 0.01, 'ram': 0.2}
            else:
                wl = {'profile': rng.choice(('steady', 'diurnal', 'bursty',
                                             'steady')),
                      'cpu': round(rng.uniform(0.05, 0.5), 3),
                      'ram': round(rng.uniform(0.3, 0.8), 3)}
            servers.append({'name': 'vm-%06d' % vm, 'flavor': fname,
                            'workload': wl})
            vm += 1
        host_list.append({
            'name': name, 'vcpus': host_vcpus, 'memory_mb': host_memory_mb,
            'disk_gb': host_disk_gb,
            'cpu_allocation_ratio': cpu_allocation_ratio,
            'availability_zone': 'az%d' % (h % azs) if azs > 1 else 'nova',
            'servers': servers})
    scenario = {
        'name': 'generated-%dx%d' % (hosts, vms_per_host), 'seed': seed,
        'description': 'generated: %d hosts, %d servers, %d hot, %d '
                       'nearly empty' % (hosts, vm, n_hot, n_empty),
        'flavors': [dict(f) for f in DEFAULT_FLAVORS],
        'hosts': host_list,
    }
    if volumes_per_host:
        n_pools = max(1, hosts // 50)
        scenario['storage'] = {
            'volume_types': [{'name': 'lvm', 'backend': 'lvm'}],
            'pools': [{'name': 'storage-%d@lvm#pool0' % p,
                       'total_capacity_gb': 100000}
                      for p in range(n_pools)],
            'volumes': [{'name': 'vol-%06d' % v,
                         'size': rng.choice((10, 20, 50, 100)),
                         'pool': 'storage-%d@lvm#pool0' % (v % n_pools)}
                        for v in range(int(hosts * volumes_per_host))],
        }
    if ironic:
        scenario['baremetal'] = {'nodes': [
            {'name': 'ironic-%0*d' % (width, h),
             'compute_host': 'compute-%0*d' % (width, h)}
            for h in range(hosts)]}
    return scenario


def parse_generate_spec(text):
    """``hosts=100,vms_per_host=10,hot_share=0.1,seed=3,
    flavors=m1.small:3/m1.large:1`` -> kwargs for :func:`generate`.
    """
    kwargs = {}
    for part in filter(None, (p.strip() for p in text.split(','))):
        if '=' not in part:
            raise errors.ScenarioError('generate: %r is not key=value'
                                       % part)
        key, value = (s.strip() for s in part.split('=', 1))
        if key not in scenario_schema.GENERATE_FIELDS:
            raise errors.ScenarioError(
                'generate.%s: unknown field (known: %s)'
                % (key,
                   ', '.join(sorted(scenario_schema.GENERATE_FIELDS))))
        if key == 'flavors':
            mix = {}
            for item in value.split('/'):
                name, _, weight = item.partition(':')
                mix[name] = float(weight or 1)
            kwargs[key] = mix
        elif key == 'ironic':
            kwargs[key] = value.lower() in ('1', 'true', 'yes')
        else:
            try:
                kwargs[key] = int(value)
            except ValueError:
                try:
                    kwargs[key] = float(value)
                except ValueError:
                    raise errors.ScenarioError(
                        'generate.%s: expected a number, got %r'
                        % (key, value))
    scenario_schema.check_generate(kwargs)
    return kwargs
