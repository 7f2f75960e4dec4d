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

"""``change_node_power_state``: power a bare-metal compute node on or off
through Ironic.

Input parameters: ``resource_id`` (Ironic node id or name, required),
``state`` (``on`` or ``off``, required), ``resource_name`` (optional: the
compute host the node carries).

Pre-condition: skipped when the node is already in the power state;
failed when Ironic does not know the node, and when powering off while the
node's compute host (``resource_name``) still runs servers.  Execution
asks Ironic and polls the node's power state every ``[nova]
migration_interval`` seconds, at most ``[nova] migration_max_retries``
times.  Revert sets the previous power state.
"""
from oslo_log import log

from watcher.applier.actions import base
from watcher.applier.actions import nova_helper as nova
from watcher.common import clients
from watcher.common import exception

LOG = log.getLogger(__name__)

ON = 'on'
OFF = 'off'
IRONIC_STATES = {ON: 'power on', OFF: 'power off'}


class PowerStateNotReached(exception.ActionExecutionFailure):
    msg_fmt = '%(reason)s'


class ChangeNodePowerState(base.BaseAction):
    name = 'change_node_power_state'
    description = 'Compute node power on/off through Ironic or MaaS.'

    schema = {
        'type': 'object',
        'properties': {
            'resource_id': {'type': 'string', 'minLength': 1},
            'resource_name': {'type': ['string', 'null']},
            'state': {'type': 'string', 'enum': [ON, OFF]},
        },
        'required': ['resource_id', 'state'],
        'additionalProperties': True,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._previous = None

    @property
    def _ironic(self):
        return clients.baremetal(self.conn)

    @property
    def state(self):
        return self.input_parameters.get('state')

    def _node(self):
        try:
            return self._ironic.get_node(self.resource_id)
        except Exception as exc:
            if base.is_not_found(exc):
                return None
            raise

    def pre_condition(self):
        node = self._node()
        if node is None:
            # a plan naming a node Ironic does not know is wrong, not
            # merely out of date: the host it stands for keeps its power
            self.fail('Ironic has no node %s: it cannot be powered %s'
                      % (self.resource_id, self.state))
        if node.power_state == IRONIC_STATES[self.state]:
            self.skip('Ironic node %s is already %s'
                      % (self.resource_id, node.power_state))
        if self.state == OFF and self.resource_name:
            busy = [s for s in self.conn.compute.servers(
                details=True, all_projects=True,
                compute_host=self.resource_name)
                if nova.on_host(s, self.resource_name)]
            if busy:
                self.fail('Compute node %s still hosts %d instance(s); it '
                          'cannot be powered off' % (self.resource_name,
                                                     len(busy)))
        self._previous = {v: k for k, v in IRONIC_STATES.items()}.get(
            node.power_state)

    def execute(self):
        self._set_power(self.state)
        return True

    def post_condition(self):
        node = self._node()
        if node is None or node.power_state != IRONIC_STATES[self.state]:
            raise PowerStateNotReached(
                reason='Ironic node %s is not %s' % (
                    self.resource_id, IRONIC_STATES[self.state]))

    def revert(self):
        target = self._previous or (ON if self.state == OFF else OFF)
        if target != self.state:
            self._set_power(target)

    def _set_power(self, state):
        wanted = IRONIC_STATES[state]
        before = self._node()
        old_error = before.last_error if before is not None else None
        self._ironic.set_node_power_state(self.resource_id, wanted)
        nova_conf = self.config.nova

        def check():
            node = self._node()
            if node is None:
                raise PowerStateNotReached(
                    reason='Ironic node %s disappeared' % self.resource_id)
            if node.power_state == wanted and not node.target_power_state:
                return node
            if (node.last_error and node.last_error != old_error
                    and not node.target_power_state):
                raise PowerStateNotReached(
                    reason='Ironic could not set node %s to %s: %s'
                           % (self.resource_id, wanted, node.last_error))
            return None

        self.wait_until(check, nova_conf.migration_interval,
                        nova_conf.migration_max_retries,
                        'Powering node %s %s' % (self.resource_id, state))
        LOG.info('Ironic node %s is now %s', self.resource_id, wanted)
