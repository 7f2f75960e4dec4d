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

"""``change_nova_service_state``: enable or disable a nova-compute service.

Input parameters:

``resource_id`` (required)
    The compute host (or the id of its nova-compute service).
``state`` (required)
    ``enabled`` or ``disabled``.
``resource_name`` (optional)
    The compute host name; looked up first when given.
``disabled_reason`` (optional)
    Why it is disabled; must start with ``watcher_`` (e.g.
    ``watcher_maintaining``).  Default ``watcher_disabled``.

A disabled service is not chosen by the Nova scheduler for new servers.
Pre-condition: skipped when the service does not exist or already is in
the state.  Revert puts the service back in its previous state.
"""
from oslo_log import log

from watcher.applier.actions import base
from watcher.applier.actions import nova_helper as nova
from watcher.common import exception

LOG = log.getLogger(__name__)

ENABLED = 'enabled'
DISABLED = 'disabled'
DEFAULT_REASON = 'watcher_disabled'


class ServiceStateNotChanged(exception.ActionExecutionFailure):
    msg_fmt = '%(reason)s'


class ChangeNovaServiceState(base.BaseAction):
    name = 'change_nova_service_state'
    description = ('Disables or enables the nova-compute service.'
                   'A disabled nova-compute service can not be selected '
                   'by the nova for future deployment of new server.')

    schema = {
        'type': 'object',
        'properties': {
            'resource_id': {'type': 'string', 'minLength': 1},
            'resource_name': {'type': ['string', 'null']},
            'state': {'type': 'string', 'enum': [ENABLED, DISABLED]},
            'disabled_reason': {'type': 'string', 'pattern': '^watcher_'},
        },
        'required': ['resource_id', 'state'],
        'additionalProperties': True,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._previous = None

    @property
    def state(self):
        return self.input_parameters.get('state')

    @property
    def host(self):
        return self.resource_name or self.resource_id

    @property
    def disabled_reason(self):
        return self.input_parameters.get('disabled_reason') or DEFAULT_REASON

    def _service(self):
        service = nova.compute_service(self.conn, self.host)
        if service is None and self.resource_name:
            service = nova.compute_service(self.conn, self.resource_id)
        if service is None:
            for candidate in self.conn.compute.services(
                    binary=nova.COMPUTE_BINARY):
                if str(candidate.id) == str(self.resource_id):
                    return candidate
        return service

    def pre_condition(self):
        service = self._service()
        if service is None:
            self.skip('The nova-compute service of %s does not exist'
                      % self.host)
        current = (service.status or '').lower()
        if current == self.state:
            self.skip('The nova-compute service of %s is already %s'
                      % (self.host, self.state))
        self._previous = current

    def execute(self):
        self._set_state(self.state)
        return True

    def post_condition(self):
        service = self._service()
        if service is None or (service.status or '').lower() != self.state:
            raise ServiceStateNotChanged(
                reason='The nova-compute service of %s is not %s'
                       % (self.host, self.state))

    def revert(self):
        target = self._previous or (ENABLED if self.state == DISABLED
                                    else DISABLED)
        if target != self.state:
            self._set_state(target)

    def _set_state(self, state):
        service = self._service()
        if service is None:
            raise ServiceStateNotChanged(
                reason='The nova-compute service of %s does not exist'
                       % self.host)
        if state == ENABLED:
            self.conn.compute.enable_service(
                service, host=service.host, binary=service.binary)
        else:
            self.conn.compute.disable_service(
                service, host=service.host, binary=service.binary,
                disabled_reason=self.disabled_reason)
        LOG.info('nova-compute service of %s is now %s', self.host, state)
