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

"""Saving energy (goal ``saving_energy``).

Keeps a small pool of idle compute hosts powered on for new servers and
powers the other idle ones off through Ironic (``change_node_power_state``),
or powers hosts back on when the pool is short.

A compute host takes part when an Ironic node of the baremetal model
carries it: the node's ``extra['compute_node_id']`` names the compute
node's hypervisor id (or uuid).  Ironic's default policies (Ironic 39
tested) show a project-scoped token only the nodes its project owns or
leases: set ``[ironic] system_scope = all`` so that watcher reads and
powers the nodes on a system-scoped token of its service user (which
needs a role on the system, e.g. ``openstack role add --user watcher
--system all member``).  Ironic nodes in maintenance, hosts
disabled by someone other than watcher and hosts whose nova-compute is
down while powered on are left alone.

The pool size is ``max(min_free_hosts_num, ceil(free_used_percent x hosts
with servers / 100))`` - the hosts with servers counted over every compute
host of the scope.  With more idle powered-on hosts than that, the
surplus is powered off: first the hosts watcher had already disabled,
then the smallest (vCPU, RAM), then by name, so the largest idle hosts
stay ready.  With fewer, powered-off idle hosts are powered on, the
largest first.

Where it does better than upstream:

* deterministic: the same cloud gives the same plan (upstream picks the
  hosts at random);
* the pool size is rounded up, so the pool never falls short of the
  percentage;
* a host about to be powered off is first disabled in Nova (reason
  ``watcher_disabled``) so nothing is scheduled on it meanwhile, and a
  host powered back on is re-enabled when watcher had disabled it;
* a host still running servers is never powered off;
* the power states are Ironic's at the audit's start: the baremetal model
  is read anew for every audit, so a second audit sees what the last
  plan powered off.
"""
import math

from watcher.common import exception
from watcher.decision_engine.strategy import base
from watcher.decision_engine.strategy.common import actions
from watcher.decision_engine.strategy.common import filters

POWER_ON = 'power on'
POWER_OFF = 'power off'


class SavingEnergy(base.BaseStrategy):
    name = 'saving_energy'
    display_name = 'Saving Energy Strategy'
    goal_name = 'saving_energy'
    required_models = ('compute', 'baremetal')

    @classmethod
    def get_schema(cls):
        return {
            'properties': {
                'free_used_percent': {
                    'description': 'a rational number, which describes the '
                                   'quotient of min_free_hosts_num/'
                                   'nodes_with_VMs_num where '
                                   'nodes_with_VMs_num is the number of '
                                   'nodes with VMs',
                    'type': 'number', 'default': 10.0,
                },
                'min_free_hosts_num': {
                    'description': 'minimum number of hosts without VMs '
                                   'but still powered on',
                    'type': 'number', 'default': 1,
                },
            },
        }

    def check_parameters(self, params):
        percent = params['free_used_percent']
        if not 0 <= percent <= 100:
            raise exception.InvalidAuditParameters(
                err='free_used_percent must be a percentage (0 to 100), '
                    'not %s' % percent)
        count = params['min_free_hosts_num']
        if count < 0 or count != int(count):
            raise exception.InvalidAuditParameters(
                err='min_free_hosts_num must be a whole number of hosts, '
                    'not %s' % count)

    def do_execute(self, inputs, params, solution):
        compute = inputs.compute_model
        nodes = compute.get_all_compute_nodes()
        busy = {u for u, n in nodes.items()
                if compute.get_node_instance_uuids(n)}
        pool_size = max(int(params['min_free_hosts_num']), math.ceil(
            float(params['free_used_percent']) * len(busy) / 100.0 - 1e-9))
        idle_on, idle_off = [], []
        for ironic, host in twins(inputs.baremetal_model, nodes):
            if host.uuid in busy or ironic.maintenance or not (
                    filters.in_watcher_scope(host)):
                continue
            if ironic.power_state == POWER_ON and host.is_up:
                idle_on.append((ironic, host))
            elif ironic.power_state == POWER_OFF:
                idle_off.append((ironic, host))
        if len(idle_on) > pool_size:
            idle_on.sort(key=lambda pair: (not pair[1].disabled_by_watcher,
                                           size(pair[1]),
                                           pair[1].hostname or ''))
            for ironic, host in idle_on[:len(idle_on) - pool_size]:
                if host.is_enabled:
                    actions.add_change_service_state(
                        solution, host, 'disabled', actions.WATCHER_DISABLED)
                actions.add_change_power_state(solution, ironic, 'off',
                                               host.hostname)
        elif len(idle_on) < pool_size:
            idle_off.sort(key=lambda pair: (tuple(-v for v in size(pair[1])),
                                            pair[1].hostname or ''))
            for ironic, host in idle_off[:pool_size - len(idle_on)]:
                actions.add_change_power_state(solution, ironic, 'on',
                                               host.hostname)
                if host.disabled_by_watcher:
                    actions.add_change_service_state(solution, host,
                                                     'enabled')


def twins(baremetal_model, compute_nodes):
    """``(IronicNode, ComputeNode)`` pairs, in Ironic uuid order."""
    by_key = {}
    for node in compute_nodes.values():
        by_key[str(node.uuid)] = node
        if node.id is not None:
            by_key.setdefault(str(node.id), node)
    pairs = []
    for uuid, ironic in sorted(baremetal_model.get_all_ironic_nodes()
                               .items()):
        link = (ironic.extra or {}).get('compute_node_id')
        host = by_key.get(str(link)) if link is not None else None
        if host is not None:
            pairs.append((ironic, host))
    return pairs


def size(node):
    return (float(node.vcpu_capacity), float(node.memory_mb_capacity))
