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

"""Nova's server lifecycle: create, delete, lock, metadata and the simple
actions.

A simple action (stop, start, shelve) checks the server's state, sets a task
state, and after ``action_duration`` simulated seconds either fails (an
injected fault) or ends in a new vm_state and power state; one row of
:data:`SIMPLE_ACTIONS` says which.  Unshelve, create and delete pick or free
a host, so they are written out.
"""

import dataclasses

from watcher.simulator import errors
from watcher.simulator import workload
from watcher.simulator.cloud import elements


@dataclasses.dataclass(frozen=True)
class SimpleAction:
    #: the API action, as Nova names it in a conflict message; also the
    #: fault operation
    name: str
    #: the vm_states it may start from
    from_states: tuple
    #: the task_state while it runs
    task: str
    #: the stem of its versioned notifications (``.start``/``.end``/
    #: ``.error``)
    event: str
    #: the vm_state and power state it ends in
    vm_state: str
    power_state: int
    #: the old vm_state its closing ``instance.update`` names; ``None``: the
    #: state the server was in
    update_from: str = None
    #: a notification ``instance.exists`` comes before it starts (Nova's
    #: audit record when the server leaves its host)
    exists_first: bool = False
    #: the server then leaves its host (shelve's offload)
    offloads: bool = False

    @property
    def powers_on(self):
        return self.power_state == 1


SIMPLE_ACTIONS = {a.name: a for a in (
    SimpleAction('stop', ('active', 'error'), 'powering-off',
                 'instance.power_off', 'stopped', 4, update_from='active'),
    SimpleAction('start', ('stopped',), 'powering-on', 'instance.power_on',
                 'active', 1),
    # shelved_offload_time = 0: the server is offloaded at once
    SimpleAction('shelve', ('active', 'stopped', 'paused'), 'shelving',
                 'instance.shelve', 'shelved', 4, exists_first=True,
                 offloads=True),
)}


class Lifecycle:
    """Server lifecycle (a mixin of
    :class:`~watcher.simulator.cloud.core.Cloud`).
    """

    def stop(self, server_id):
        return self._simple_action(server_id, SIMPLE_ACTIONS['stop'])

    def start(self, server_id):
        return self._simple_action(server_id, SIMPLE_ACTIONS['start'])

    def shelve(self, server_id):
        return self._simple_action(server_id, SIMPLE_ACTIONS['shelve'])

    def _simple_action(self, server_id, action):
        with self.lock:
            server = self.get_server(server_id)
            self._check_state(server, action.name, action.from_states)
            self._set_task(server, action.task)
            fault = self._take_fault(
                self._fault_keys(server, server.host), action.name)
            self.timeline.call_later(self.settings['action_duration'],
                                     self._finish_simple, server.id, fault,
                                     action)
            return server

    def _finish_simple(self, server_id, fault, action):
        with self.lock:
            server = self.servers.get(server_id)
            if server is None or server.task_state != action.task:
                return
            if fault is not None:
                return self._fail_simple(server, fault, action.event)
            old_vm = server.vm_state
            if action.exists_first:
                self.notifier.instance_exists(server)
            self.notifier.instance(server, action.event + '.start')
            if server.host:
                self._checkpoint_host(self.hosts[server.host])
            server.power_state = action.power_state
            if action.powers_on:
                self._server_cpu_start(server)
            else:
                self._server_cpu_stop(server)
            self._set_task(server, None, vm_state=action.vm_state,
                           emit=False)
            self.notifier.instance(server, action.event + '.end')
            if action.offloads:
                self._offload(server)
            self.notifier.instance_update(
                server, action.update_from or old_vm, action.task)

    def _offload(self, server):
        self.notifier.instance(server, 'instance.shelve_offload.start')
        old_host = server.host
        self._move_server(server, None)
        # Nova: off any host, the server is in no availability zone
        server.availability_zone = None
        self._set_allocation(server.id, None)
        server.vm_state = 'shelved_offloaded'
        self.notifier.instance(server, 'instance.shelve_offload.end',
                               publisher_host=old_host)

    def _fail_simple(self, server, fault, event):
        old_task = server.task_state
        server.task_state = None
        server.fault = {'code': 500, 'created': self.clock.iso(),
                        'message': fault.message,
                        'details': 'fault %d' % fault.id}
        self._touch(server)
        self.notifier.instance(server, event + '.error', priority='ERROR')
        self.notifier.instance_update(server, server.vm_state, old_task)

    def unshelve(self, server_id, availability_zone=None):
        with self.lock:
            server = self.get_server(server_id)
            self._check_state(server, 'unshelve', ('shelved_offloaded',
                                                   'shelved'))
            if availability_zone:
                server.pinned_availability_zone = availability_zone
            dest = self.schedule(server, server.flavor)
            if dest is None:
                raise errors.BadRequest('No valid host was found.')
            # the conductor gives the server its new host's zone at once
            server.availability_zone = dest.availability_zone
            self._set_task(server, 'unshelving')
            self._set_allocation(server.id,
                                 {dest.uuid: server.flavor.resources()},
                                 server.project_id, server.user_id)
            fault = self._take_fault(self._fault_keys(server, dest.name),
                                     'unshelve')
            self.timeline.call_later(self.settings['action_duration'],
                                     self._finish_unshelve, server.id,
                                     dest.name, fault)
            return server

    def _finish_unshelve(self, server_id, dest, fault):
        with self.lock:
            server = self.servers.get(server_id)
            if server is None or server.task_state != 'unshelving':
                return
            if fault is not None:
                self._set_allocation(server.id, None)
                return self._fail_simple(server, fault, 'instance.unshelve')
            self.notifier.instance(server, 'instance.unshelve.start')
            self._move_server(server, dest)
            server.power_state = 1
            self._server_cpu_start(server)
            self._set_task(server, None, vm_state='active', emit=False)
            self.notifier.instance(server, 'instance.unshelve.end')
            self.notifier.instance_update(server, 'shelved_offloaded',
                                          'unshelving')

    def lock_server(self, server_id, reason=None):
        with self.lock:
            server = self.get_server(server_id)
            server.locked = True
            server.locked_reason = reason
            self._touch(server)
            self.notifier.instance(server, 'instance.lock')
            return server

    def unlock_server(self, server_id):
        with self.lock:
            server = self.get_server(server_id)
            server.locked = False
            server.locked_reason = None
            self._touch(server)
            self.notifier.instance(server, 'instance.unlock')
            return server

    def set_metadata(self, server_id, metadata, replace=False):
        with self.lock:
            server = self.get_server(server_id)
            if replace:
                server.metadata = {}
            server.metadata.update({str(k): str(v)
                                    for k, v in metadata.items()})
            self._touch(server)
            self.notifier.instance_update(server, server.vm_state,
                                          server.task_state)
            return server

    def delete_server(self, server_id):
        with self.lock:
            server = self.get_server(server_id)
            if server.task_state == 'deleting':
                return server
            old_task = server.task_state
            server.task_state = 'deleting'
            self._touch(server)
            self.notifier.instance_update(server, server.vm_state, old_task)
            fault = self._take_fault(self._fault_keys(server, server.host),
                                     'delete')
            self.timeline.call_later(self.settings['action_duration'],
                                     self._finish_delete, server.id, fault)
            return server

    def _finish_delete(self, server_id, fault):
        with self.lock:
            server = self.servers.get(server_id)
            if server is None:
                return
            if fault is not None:
                server.vm_state = 'error'
                return self._fail_simple(server, fault, 'instance.delete')
            self.notifier.instance(server, 'instance.delete.start')
            if server.host:
                self.notifier.instance(server, 'instance.shutdown.start')
                self.notifier.instance(server, 'instance.shutdown.end')
            old_host = server.host
            self.remove_server(server)
            # The deleted instance still names its last host, as in Nova.
            server.host = old_host
            server.vm_state = 'deleted'
            server.power_state = 0
            server.task_state = None
            self._touch(server)
            self.notifier.instance(server, 'instance.delete.end',
                                   terminated=True)

    def remove_server(self, server):
        """Drop a server and everything it holds (no notification)."""
        if server.host and server.host in self.hosts:
            self._checkpoint_host(self.hosts[server.host])
        self._server_cpu_stop(server)
        self._move_server(server, None)
        self._set_allocation(server.id, None)
        for mig in self.migrations.values():
            if mig.instance_uuid == server.id and mig.uuid in \
                    self.allocations:
                self._set_allocation(mig.uuid, None)
        if server.server_group in self.server_groups:
            members = self.server_groups[server.server_group].members
            if server.id in members:
                members.remove(server.id)
        for vid in self.server_volumes.pop(server.id, ()):
            vol = self.volumes.get(vid)
            if vol is not None:
                vol.attachments = [a for a in vol.attachments
                                   if a['server_id'] != server.id]
                if not vol.attachments:
                    vol.status = 'available'
        self.servers.pop(server.id, None)
        if self.servers_by_name.get(server.name) == server.id:
            del self.servers_by_name[server.name]
        self.server_index.remove(server.seq)

    def create_server(self, name, flavor, availability_zone=None, host=None,
                      metadata=None, server_group=None, image_id=None,
                      key_name=None, description=None, profile=None):
        """Boot a server (POST /servers): BUILD, then ACTIVE."""
        with self.lock:
            flavor = self.get_flavor(flavor)
            seq = self.next_seq()
            inst_no = next(self._instance_ids)
            now = self.now()
            server = elements.Server(
                id=self.new_id(), name=name, seq=seq, flavor=flavor,
                host=None, availability_zone=availability_zone or 'nova',
                project_id=self.settings['project_id'],
                user_id=self.settings['user_id'],
                profile=profile or workload.Profile('steady', 0.1, 0.4,
                                                    seed=seq),
                created_at=now, instance_name='instance-%08x' % inst_no,
                reservation_id='r-%08x' % self.rng.getrandbits(32),
                vm_state='building', task_state='scheduling',
                power_state=0, metadata=dict(metadata or {}),
                pinned_availability_zone=availability_zone,
                updated_at=now, key_name=key_name, description=description)
            if image_id:
                server.image_id = image_id
            if server_group:
                group = self._find_group(server_group)
                server.server_group = group.id
                group.members.append(server.id)
            self.servers[server.id] = server
            self.servers_by_name.setdefault(name, server.id)
            self.server_index.append(seq, server.id)
            self.notifier.instance(server, 'instance.create.start',
                                   publisher_host=self.controller)
            dest = self.schedule(server, flavor, requested=host)
            if dest is None:
                server.vm_state = 'error'
                server.task_state = None
                server.fault = {'code': 500, 'created': self.clock.iso(),
                                'message': 'No valid host was found. ',
                                'details': ''}
                self.notifier.instance(server, 'instance.create.error',
                                       priority='ERROR',
                                       publisher_host=self.controller)
                return server
            self._set_allocation(server.id, {dest.uuid: flavor.resources()},
                                 server.project_id, server.user_id)
            server.task_state = 'spawning'
            fault = self._take_fault([name, dest.name], 'create')
            self.timeline.call_later(self.settings['build_duration'],
                                     self._finish_create, server.id,
                                     dest.name, fault)
            return server

    def _finish_create(self, server_id, dest, fault):
        with self.lock:
            server = self.servers.get(server_id)
            if server is None or server.vm_state != 'building':
                return
            if fault is not None:
                self._set_allocation(server.id, None)
                server.vm_state = 'error'
                return self._fail_simple(server, fault, 'instance.create')
            self._move_server(server, dest)
            server.power_state = 1
            server.launched_at = self.now()
            self._server_cpu_start(server)
            self._set_task(server, None, vm_state='active', emit=False)
            self.notifier.instance(server, 'instance.create.end')
            self.notifier.instance_update(server, 'building', 'spawning')
