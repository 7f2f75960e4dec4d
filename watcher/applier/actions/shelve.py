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

"""``shelve``: shelve a server (Nova shelve).

Input parameters: ``resource_id`` (server UUID, required),
``resource_name`` (optional).  Skipped when the server is gone or already
shelved.  Polls every ``[nova] shelve_interval`` seconds, at most
``[nova] shelve_max_retries`` times.  Revert unshelves the server.
"""
from watcher.applier.actions import nova_helper as nova
from watcher.applier.actions import server_state


class Shelve(server_state.ServerStateAction):
    name = 'shelve'
    description = 'Shelve a VM instance'
    target_statuses = (nova.SHELVED, nova.SHELVED_OFFLOADED)
    done_word = 'shelved'
    poll_options = ('shelve_interval', 'shelve_max_retries')

    def request(self):
        self.conn.compute.shelve_server(self.resource_id)

    def revert(self):
        server = nova.get_server(self.conn, self.resource_id)
        if server is not None and nova.status(server) in self.target_statuses:
            self.conn.compute.unshelve_server(self.resource_id)
            self.wait_for_status((nova.ACTIVE,), 'unshelved')
