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
