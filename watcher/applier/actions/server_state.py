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

"""Common ground of the actions that change one server's power/life state
(``stop``, ``shelve``, ``delete``): find the server, skip when it is gone
or already there, ask Nova, and poll until the server reaches the state."""
from oslo_log import log

from watcher.applier.actions import base
from watcher.applier.actions import nova_helper as nova
from watcher.common import exception

LOG = log.getLogger(__name__)


class ServerStateNotReached(exception.ActionExecutionFailure):
    msg_fmt = '%(reason)s'


class ServerStateAction(base.BaseAction):
    """Move a server to one of :attr:`target_statuses` and wait for it."""

    schema = {
        'type': 'object',
        'properties': {
            'resource_id': {'type': 'string', 'pattern': base.UUID_PATTERN},
            'resource_name': {'type': ['string', 'null']},
        },
        'required': ['resource_id'],
        'additionalProperties': True,
    }

    #: statuses in which there is nothing left to do
    target_statuses = ()
    #: words for messages ("stopped", "shelved", ...)
    done_word = ''
    #: which [nova] options pace the polling: (interval, retries)
    poll_options = ('migration_interval', 'migration_max_retries')

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._previous_status = None

    def pre_condition(self):
        server = nova.get_server(self.conn, self.resource_id)
        if server is None:
            self.skip('Instance %s not found' % self.resource_id)
        state = nova.status(server)
        if state in self.target_statuses:
            self.skip('Instance %s is already %s' % (self.resource_id,
                                                     self.done_word))
        self._previous_status = state

    def execute(self):
        self.request()
        self.wait_for_target()
        return True

    def post_condition(self):
        server = nova.get_server(self.conn, self.resource_id)
        if not self.reached(server):
            raise ServerStateNotReached(
                reason='Instance %s is not %s' % (self.resource_id,
                                                  self.done_word))

    def request(self):
        raise NotImplementedError

    def reached(self, server):
        return server is not None and (
            nova.status(server) in self.target_statuses
            and not nova.task_state(server))

    def wait_for_status(self, statuses, word):
        """Wait until the server is in one of ``statuses`` (revert)."""
        self.wait_for_target(
            reached=lambda s: s is not None and nova.status(s) in statuses
            and not nova.task_state(s), word=word)

    def wait_for_target(self, reached=None, word=None):
        reached = reached or self.reached
        word = word or self.done_word
        interval_opt, retries_opt = self.poll_options
        interval = getattr(self.config.nova, interval_opt)
        retries = getattr(self.config.nova, retries_opt)

        def check():
            server = nova.get_server(self.conn, self.resource_id)
            if reached(server):
                return True
            if server is not None and nova.status(server) == nova.ERROR:
                raise ServerStateNotReached(
                    reason='Instance %s went to ERROR instead of being %s'
                           % (self.resource_id, word))
            return None

        self.wait_until(check, interval, retries,
                        'Instance %s becoming %s' % (self.resource_id, word))
        LOG.info('Instance %s is %s', self.resource_id, word)
