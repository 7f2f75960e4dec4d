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

"""``stop``: power a server off (Nova stop).

Input parameters: ``resource_id`` (server UUID, required),
``resource_name`` (optional).  Skipped when the server is gone or already
SHUTOFF.  Polls every ``[nova] migration_interval`` seconds, at most
``[nova] migration_max_retries`` times.  Revert starts the server again.
"""
from watcher.applier.actions import nova_helper as nova
from watcher.applier.actions import server_state


class Stop(server_state.ServerStateAction):
    name = 'stop'
    description = 'Stop a VM instance'
    target_statuses = (nova.SHUTOFF,)
    done_word = 'stopped'

    def request(self):
        self.conn.compute.stop_server(self.resource_id)

    def revert(self):
        server = nova.get_server(self.conn, self.resource_id)
        if server is not None and nova.status(server) == nova.SHUTOFF:
            self.conn.compute.start_server(self.resource_id)
            self.wait_for_status((nova.ACTIVE,), 'started')
