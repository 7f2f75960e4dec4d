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

"""``delete``: delete a server.

Input parameters: ``resource_id`` (server UUID, required),
``resource_name`` (optional).  Skipped when the server is already gone.
Polls every ``[nova] delete_interval`` seconds, at most
``[nova] delete_max_retries`` times, until Nova no longer knows the server.
A deletion cannot be reverted.
"""
from oslo_log import log

from watcher.applier.actions import server_state

LOG = log.getLogger(__name__)


class Delete(server_state.ServerStateAction):
    name = 'delete'
    description = 'Delete a VM instance'
    done_word = 'deleted'
    poll_options = ('delete_interval', 'delete_max_retries')

    def request(self):
        self.conn.compute.delete_server(self.resource_id, ignore_missing=True)

    def reached(self, server):
        return server is None

    def revert(self):
        LOG.warning('Instance %s was deleted; a deletion cannot be reverted',
                    self.resource_id)
