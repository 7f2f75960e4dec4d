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

"""The scenario schema: declarative checks that clean a scenario mapping
(the format is described in :mod:`watcher.simulator.scenario`) or name the
first bad field in a :class:`~watcher.simulator.errors.ScenarioError`.
"""

import datetime
import math

from watcher.simulator import errors
from watcher.simulator import workload
from watcher.simulator.cloud import faults

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
        'disk_iops': _num(0.0), 'l3_cache': _num(0.0),
        'l3_cache_change': _record({
            'at': _num(-math.inf), 'factor': _num(0.0, strict=True)},
            ('at', 'factor'))})(path, value)


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
    'inlet_temp': _num(-40.0, 80.0), 'l3_cache_kib': _int(1),
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
    'start_time': _instant, 'exporter_cpus': _int(1),
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


def check_generate(kwargs):
    """Check the arguments of :func:`watcher.simulator.scenario.generate`."""
    _record(GENERATE_FIELDS)('generate', kwargs)
