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
        servers:                  # servers placed on this host
          - name: vm-0
            flavor: m1.small      # flavor name or id
            status: ACTIVE        # ACTIVE, SHUTOFF, SHELVED_OFFLOADED, ERROR
            workload: {profile: diurnal, cpu: 0.3, ram: 0.6, disk_iops: 40}
            # or just: workload: bursty
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

import datetime
import os
import random
import zlib

import yaml

from watcher.simulator import errors
from watcher.simulator.cloud import core
from watcher.simulator.cloud import faults
from watcher.simulator import workload

SCENARIO_DIR = os.path.join(os.path.dirname(__file__), 'scenarios')

DEFAULT_FLAVORS = [
    {'name': 'm1.tiny', 'id': '1', 'vcpus': 1, 'ram': 512, 'disk': 1},
    {'name': 'm1.small', 'id': '2', 'vcpus': 1, 'ram': 2048, 'disk': 20},
    {'name': 'm1.medium', 'id': '3', 'vcpus': 2, 'ram': 4096, 'disk': 40},
    {'name': 'm1.large', 'id': '4', 'vcpus': 4, 'ram': 8192, 'disk': 80},
    {'name': 'm1.xlarge', 'id': '5', 'vcpus': 8, 'ram': 16384, 'disk': 160},
]

SERVER_STATUS = {'ACTIVE': 'active', 'SHUTOFF': 'stopped',
                 'SHELVED_OFFLOADED': 'shelved_offloaded', 'ERROR': 'error'}


# ------------------------------------------------------------- validation

class _Check:
    """Tiny declarative checks; each returns the cleaned value."""

    @staticmethod
    def fail(path, what, value):
        raise errors.ScenarioError('%s: expected %s, got %r'
                                   % (path, what, value))


def _int(minimum=0):
    def check(path, value):
        if isinstance(value, bool) or not isinstance(value, int) or \
                value < minimum:
            _Check.fail(path, 'an integer >= %d' % minimum, value)
        return value
    return check


def _num(minimum=0.0, maximum=None, strict=False):
    def check(path, value):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            _Check.fail(path, 'a number', value)
        if value < minimum or (strict and value == minimum) or (
                maximum is not None and value > maximum):
            rng = '%s %s' % ('>' if strict else '>=', minimum)
            if maximum is not None:
                rng += ' and <= %s' % maximum
            _Check.fail(path, 'a number %s' % rng, value)
        return float(value)
    return check


def _str(nullable=False):
    def check(path, value):
        if value is None and nullable:
            return None
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            _Check.fail(path, 'a string', value)
        return str(value)
    return check


def _instant(path, value):
    """An instant as epoch seconds: a number, or an ISO 8601 time (YAML
    may already have parsed an unquoted one into a datetime).
    """
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(
                value.replace('Z', '+00:00'))
        except ValueError:
            _Check.fail(path, 'an ISO 8601 time or epoch seconds', value)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return value.timestamp()
    if isinstance(value, bool) or not isinstance(value, (int, float)) or \
            value < 0:
        _Check.fail(path, 'an ISO 8601 time or epoch seconds', value)
    return float(value)


def _bool(path, value):
    if not isinstance(value, bool):
        _Check.fail(path, 'true or false', value)
    return value


def _enum(*choices):
    def check(path, value):
        if value not in choices:
            _Check.fail(path, 'one of %s' % ', '.join(map(str, choices)),
                        value)
        return value
    return check


def _list(item):
    def check(path, value):
        if value is None:
            return []
        if not isinstance(value, list):
            _Check.fail(path, 'a list', value)
        return [item('%s[%d]' % (path, i), v) for i, v in enumerate(value)]
    return check


def _dict(path, value):
    if value is None:
        return {}
    if not isinstance(value, dict):
        _Check.fail(path, 'a mapping', value)
    return {str(k): v if isinstance(v, (dict, list)) else (
        str(v) if not isinstance(v, str) and v is not None else v)
        for k, v in value.items()}


def _record(fields, required=()):
    def check(path, value):
        if not isinstance(value, dict):
            _Check.fail(path, 'a mapping', value)
        out = {}
        for key, val in value.items():
            if key not in fields:
                raise errors.ScenarioError(
                    '%s.%s: unknown field (known: %s)'
                    % (path, key, ', '.join(sorted(fields))))
            out[key] = fields[key]('%s.%s' % (path, key), val)
        for key in required:
            if out.get(key) is None:
                raise errors.ScenarioError('%s.%s: required field missing'
                                           % (path, key))
        return out
    return check


def _workload(path, value):
    if isinstance(value, str):
        value = {'profile': value}
    return _record({
        'profile': _enum(*workload.PROFILE_KINDS),
        'cpu': _num(0.0, 1.0), 'ram': _num(0.0, 1.0),
        'disk_iops': _num(0.0)})(path, value)


OPERATIONS = _enum(*faults.FAULT_OPERATIONS)

SERVER_FIELDS = {
    'name': _str(), 'flavor': _str(), 'id': _str(), 'host': _str(True),
    'status': _enum(*SERVER_STATUS), 'workload': _workload,
    'metadata': _dict, 'locked': _bool,
    'pinned_availability_zone': _str(True), 'server_group': _str(True),
    'fail': _list(OPERATIONS), 'project_id': _str(), 'tags': _list(_str()),
    'availability_zone': _str(True),
}

HOST_FIELDS = {
    'name': _str(), 'uuid': _str(), 'vcpus': _int(1), 'memory_mb': _int(1),
    'disk_gb': _int(1), 'cpu_allocation_ratio': _num(0, strict=True),
    'ram_allocation_ratio': _num(0, strict=True),
    'disk_allocation_ratio': _num(0, strict=True),
    'reserved_vcpus': _int(0), 'reserved_memory_mb': _int(0),
    'reserved_disk_gb': _int(0), 'availability_zone': _str(),
    'status': _enum('enabled', 'disabled'), 'disabled_reason': _str(True),
    'forced_down': _bool, 'state': _enum('up', 'down'), 'fqdn': _str(),
    'host_ip': _str(), 'traits': _list(_str()),
    'hypervisor_type': _str(),
    'servers': _list(_record(
        {k: v for k, v in SERVER_FIELDS.items() if k != 'host'},
        ('name', 'flavor'))),
}

SETTINGS_FIELDS = {
    'migration_duration': _num(0.0), 'resize_duration': _num(0.0),
    'action_duration': _num(0.0), 'volume_migration_duration': _num(0.0),
    'power_duration': _num(0.0), 'build_duration': _num(0.0),
    'time_speed': _num(0.0, strict=True),
    'allow_resize_to_same_host': _bool, 'project_id': _str(),
    'user_id': _str(), 'project_name': _str(), 'user_name': _str(),
    'region': _str(), 'nova_exchange': _str(), 'cinder_exchange': _str(),
    'start_time': _instant,
}

GENERATE_FIELDS = {
    'hosts': _int(1), 'vms_per_host': _int(0), 'flavors': _dict,
    'hot_share': _num(0.0, 1.0), 'empty_share': _num(0.0, 1.0),
    'seed': _int(0), 'azs': _int(1), 'host_vcpus': _int(1),
    'host_memory_mb': _int(1), 'host_disk_gb': _int(1),
    'cpu_allocation_ratio': _num(0, strict=True),
    'volumes_per_host': _num(0.0), 'ironic': _bool,
}

SCENARIO_FIELDS = {
    'name': _str(), 'description': _str(True), 'seed': _int(0),
    'settings': _record(SETTINGS_FIELDS),
    'defaults': _record({
        'host': _record({k: v for k, v in HOST_FIELDS.items()
                         if k not in ('name', 'servers', 'uuid')}),
        'server': _record({k: v for k, v in SERVER_FIELDS.items()
                           if k not in ('name', 'id', 'host')})}),
    'flavors': _list(_record({
        'name': _str(), 'id': _str(), 'vcpus': _int(1), 'ram': _int(1),
        'disk': _int(0), 'ephemeral': _int(0), 'swap': _int(0),
        'extra_specs': _dict, 'is_public': _bool,
        'description': _str(True)}, ('name', 'vcpus', 'ram', 'disk'))),
    'hosts': _list(_record(HOST_FIELDS, ('name',))),
    'servers': _list(_record(SERVER_FIELDS, ('name', 'flavor'))),
    'aggregates': _list(_record({
        'name': _str(), 'availability_zone': _str(True),
        'hosts': _list(_str()), 'metadata': _dict}, ('name',))),
    'server_groups': _list(_record({
        'name': _str(), 'id': _str(),
        'policy': _enum('affinity', 'anti-affinity', 'soft-affinity',
                        'soft-anti-affinity')}, ('name',))),
    'storage': _record({
        'volume_types': _list(_record({
            'name': _str(), 'id': _str(), 'backend': _str(),
            'description': _str(True), 'extra_specs': _dict},
            ('name', 'backend'))),
        'pools': _list(_record({
            'name': _str(), 'total_capacity_gb': _num(0.0),
            'reserved_percentage': _int(0),
            'max_over_subscription_ratio': _num(0, strict=True),
            'thin_provisioning': _bool, 'storage_protocol': _str(),
            'vendor_name': _str()}, ('name', 'total_capacity_gb'))),
        'volumes': _list(_record({
            'name': _str(), 'id': _str(), 'size': _int(1),
            'pool': _str(True), 'type': _str(True),
            'attached_to': _str(True), 'bootable': _bool,
            'metadata': _dict, 'status': _str()}, ('name', 'size'))),
    }),
    'baremetal': _record({'nodes': _list(_record({
        'name': _str(), 'id': _str(),
        'power_state': _enum('power on', 'power off'),
        'compute_host': _str(True), 'maintenance': _bool,
        'maintenance_reason': _str(True), 'provision_state': _str(),
        'driver': _str(), 'properties': _dict, 'extra': _dict},
        ('name',)))}),
    'faults': _list(_record({
        'target': _str(), 'operation': OPERATIONS,
        'count': lambda p, v: None if v is None else _int(1)(p, v),
        'message': _str()})),
    'generate': _record(GENERATE_FIELDS),
}


def validate(data, source='scenario'):
    """Check a scenario mapping; return a cleaned copy or raise
    :class:`~watcher.simulator.errors.ScenarioError`.
    """
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise errors.ScenarioError('%s: expected a mapping at the top level'
                                   % source)
    clean = _record(SCENARIO_FIELDS)(source, data)
    clean['_source'] = source
    return clean


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
        return validate(source, source.get('name', 'scenario'))
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
    return validate(data, name)


def _profile(spec, seed):
    spec = spec or {}
    return workload.Profile(spec.get('profile', 'steady'),
                            spec.get('cpu', 0.2), spec.get('ram', 0.5),
                            spec.get('disk_iops', 20.0), seed=seed)


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
        scenario = validate(merged, scenario['_source'])
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
                vm_state=SERVER_STATUS[merged.get('status', 'ACTIVE')],
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
        if key not in GENERATE_FIELDS:
            raise errors.ScenarioError(
                'generate.%s: unknown field (known: %s)'
                % (key, ', '.join(sorted(GENERATE_FIELDS))))
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
    _record(GENERATE_FIELDS)('generate', kwargs)
    return kwargs
