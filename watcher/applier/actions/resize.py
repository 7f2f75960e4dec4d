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

"""``resize``: give a server another flavor (resize, then confirm).

Input parameters: ``resource_id`` (server UUID, required), ``flavor``
(flavor id or name, required), ``resource_name`` (optional).

Pre-condition: skipped when the server is gone or already has the flavor;
failed when the flavor does not exist.  Execution waits (``[nova]
migration_interval`` × ``migration_max_retries``) for VERIFY_RESIZE,
confirms, and waits for the server to settle.  Revert resizes back to the
flavor the server had before.
"""
from oslo_log import log

from watcher.applier.actions import base
from watcher.applier.actions import nova_helper as nova
from watcher.common import exception

LOG = log.getLogger(__name__)


class ResizeFailed(exception.ActionExecutionFailure):
    msg_fmt = '%(reason)s'


class Resize(base.BaseAction):
    name = 'resize'
    description = 'Resize a server with specified flavor.'

    schema = {
        'type': 'object',
        'properties': {
            'resource_id': {'type': 'string', 'pattern': base.UUID_PATTERN},
            'resource_name': {'type': ['string', 'null']},
            'flavor': {'type': 'string', 'minLength': 1},
        },
        'required': ['resource_id', 'flavor'],
        'additionalProperties': True,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._flavor = None
        self._original_flavor = None

    @property
    def flavor(self):
        return self.input_parameters.get('flavor')

    def pre_condition(self):
        server = nova.get_server(self.conn, self.resource_id)
        if server is None:
            self.skip('Instance %s not found' % self.resource_id)
        flavor = nova.find_flavor(self.conn, self.flavor)
        if flavor is None:
            self.fail('Flavor %s not found' % self.flavor)
        current = nova.flavor_names(server)
        if current & {flavor.id, flavor.name}:
            self.skip('Instance %s already has the flavor %s'
                      % (self.resource_id, self.flavor))
        self._flavor = flavor
        original = getattr(server.flavor, 'original_name', None) or getattr(
            server.flavor, 'id', None)
        self._original_flavor = original

    def execute(self):
        flavor = self._flavor or nova.find_flavor(self.conn, self.flavor)
        if flavor is None:
            raise ResizeFailed(reason='Flavor %s not found' % self.flavor)
        self._resize_to(flavor)
        return True

    def post_condition(self):
        server = nova.get_server(self.conn, self.resource_id)
        if server is None:
            raise ResizeFailed(reason='Instance %s disappeared after its '
                                      'resize' % self.resource_id)
        flavor = self._flavor
        if flavor is not None and server.flavor is not None and not (
                nova.flavor_names(server) & {flavor.id, flavor.name}):
            raise ResizeFailed(reason='Instance %s does not have the flavor '
                                      '%s after its resize'
                                      % (self.resource_id, self.flavor))

    def revert(self):
        if not self._original_flavor:
            return
        flavor = nova.find_flavor(self.conn, self._original_flavor)
        if flavor is None:
            LOG.warning('Cannot revert the resize of %s: flavor %s is gone',
                        self.resource_id, self._original_flavor)
            return
        self._resize_to(flavor)

    def _resize_to(self, flavor):
        nova_conf = self.config.nova
        self.conn.compute.resize_server(self.resource_id, flavor.id)

        def resized():
            server = nova.get_server(self.conn, self.resource_id)
            if server is None:
                raise ResizeFailed(reason='Instance %s disappeared during '
                                          'its resize' % self.resource_id)
            state = nova.status(server)
            if state == nova.ERROR:
                fault = getattr(server, 'fault', None) or {}
                raise ResizeFailed(
                    reason='The resize of instance %s to %s failed%s'
                    % (self.resource_id, flavor.name or flavor.id,
                       (': %s' % fault['message'])
                       if isinstance(fault, dict) and fault.get('message')
                       else ''))
            if state == nova.VERIFY_RESIZE:
                return server
            return None

        self.wait_until(resized, nova_conf.migration_interval,
                        nova_conf.migration_max_retries,
                        'The resize of instance %s' % self.resource_id)
        self.conn.compute.confirm_server_resize(self.resource_id)

        def confirmed():
            server = nova.get_server(self.conn, self.resource_id)
            if server is None:
                raise ResizeFailed(reason='Instance %s disappeared during '
                                          'its resize' % self.resource_id)
            state = nova.status(server)
            if state == nova.ERROR:
                raise ResizeFailed(reason='Instance %s went to ERROR when '
                                          'its resize was confirmed'
                                          % self.resource_id)
            if state != nova.VERIFY_RESIZE and not nova.task_state(server):
                return server
            return None

        self.wait_until(confirmed, nova_conf.migration_interval,
                        nova_conf.migration_max_retries,
                        'Confirming the resize of instance %s'
                        % self.resource_id)
