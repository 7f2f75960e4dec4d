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

"""Nova's server moves (live migration, cold migration, resize) and its
compute services; the other server actions are in :mod:`.lifecycle`.
"""

import copy

from watcher.simulator import errors
from watcher.simulator.cloud import elements


class Compute:
    """Server moves and compute services (a mixin of
    :class:`~watcher.simulator.cloud.core.Cloud`).
    """

    def _move_server(self, server, dest):
        """Place ``server`` on host ``dest`` (None = nowhere)."""
        now = self.now()
        if server.host:
            src = self.hosts.get(server.host)
            if src is not None:
                self._checkpoint_host(src, now)
                src.servers.pop(server.id, None)
        if dest is not None:
            d = self.hosts[dest]
            self._checkpoint_host(d, now)
            d.servers[server.id] = None
            server.host = dest
            if not server.pinned_availability_zone or \
                    server.availability_zone is None:
                server.availability_zone = d.availability_zone
        else:
            server.host = None

    # ------------------------------------------------------ transitions
    def _touch(self, server):
        server.updated_at = self.now()

    def _set_task(self, server, task_state, vm_state=None, emit=True):
        old_vm, old_task = server.vm_state, server.task_state
        server.task_state = task_state
        if vm_state is not None:
            server.vm_state = vm_state
        self._touch(server)
        if emit:
            self.notifier.instance_update(server, old_vm, old_task)

    def _new_migration(self, server, kind, dest, new_flavor=None):
        mid = next(self._mig_ids)
        now = self.now()
        mig = elements.Migration(
            id=mid, uuid=self.new_id(), instance_uuid=server.id,
            migration_type=kind, source_compute=server.host,
            dest_compute=dest, status='accepted', created_at=now,
            updated_at=now, old_flavor=server.flavor,
            new_flavor=new_flavor or server.flavor,
            project_id=server.project_id, user_id=server.user_id,
            memory_total=server.flavor.ram * 1024 * 1024)
        self.migrations[mid] = mig
        self.migration_index.append(mid, mid)
        server.migration_id = mid
        return mig

    def _mig_status(self, mig, status):
        mig.status = status
        mig.updated_at = self.now()

    def _close_migration(self, server, mig, status, source_flavor=None):
        """End ``mig`` in ``status``: its own allocation goes and, given
        ``source_flavor``, the server's allocation is back on the source.
        """
        if source_flavor is not None:
            src = self.hosts[mig.source_compute]
            self._set_allocation(server.id,
                                 {src.uuid: source_flavor.resources()},
                                 server.project_id, server.user_id)
        self._set_allocation(mig.uuid, None)
        self._mig_status(mig, status)
        server.migration_id = None

    def _leave_resize(self, server):
        """A confirmed or reverted resize: back to the state before it."""
        server.old_flavor = None
        self._set_task(server, None,
                       vm_state=server.previous_vm_state or 'active',
                       emit=False)

    def _check_state(self, server, action, vm_states, task_ok=False):
        if server.vm_state not in vm_states:
            raise errors.Conflict(
                "Cannot '%s' instance %s while it is in vm_state %s"
                % (action, server.id, server.vm_state))
        if server.task_state is not None and not task_ok:
            raise errors.Conflict(
                "Cannot '%s' instance %s while it is in task_state %s"
                % (action, server.id, server.task_state))

    # live migration ------------------------------------------------------
    def live_migrate(self, server_id, host=None, block_migration='auto'):
        """Start a live migration; returns the Migration.  Scheduling
        failures are reported like Nova: migration status ``error``, the
        server stays ACTIVE on its source.
        """
        with self.lock:
            server = self.get_server(server_id)
            self._check_state(server, 'os-migrateLive', ('active', 'paused'))
            if host is not None:
                if self.find_host(host) is None:
                    raise errors.BadRequest(
                        'Compute host %s could not be found.' % host)
                if self.find_host(host).name == server.host:
                    raise errors.BadRequest(
                        'Unable to migrate instance (%s) to current host '
                        '(%s).' % (server.id, server.host))
            dest = self.schedule(server, server.flavor, requested=host,
                                 exclude=(server.host,))
            mig = self._new_migration(server, 'live-migration',
                                      dest.name if dest else host)
            mig.dest_host = None
            self._set_task(server, 'migrating')
            if dest is None:
                self._mig_status(mig, 'error')
                self._set_task(server, None)
                return mig
            # Nova moves the source allocation to the migration consumer
            # and claims the destination for the instance.
            src = self.hosts[server.host]
            res = server.flavor.resources()
            self._set_allocation(mig.uuid, {src.uuid: res},
                                 server.project_id, server.user_id)
            self._set_allocation(server.id, {dest.uuid: res},
                                 server.project_id, server.user_id)
            self._mig_status(mig, 'preparing')
            self.notifier.instance(server, 'instance.live_migration_pre.start',
                                   publisher_host=dest.name)
            self.notifier.instance(server, 'instance.live_migration_pre.end',
                                   publisher_host=dest.name)
            self._mig_status(mig, 'running')
            fault = self._take_fault(
                self._fault_keys(server, src.name, dest.name),
                'live_migration')
            self.timeline.call_later(self.settings['migration_duration'],
                                     self._finish_live_migration, server.id,
                                     mig.id, fault)
            return mig

    def _finish_live_migration(self, server_id, mig_id, fault):
        with self.lock:
            mig = self.migrations[mig_id]
            server = self.servers.get(server_id)
            if mig.status != 'running' or server is None:
                return
            src = self.hosts[mig.source_compute]
            dest = self.hosts[mig.dest_compute]
            if fault is not None:
                self.notifier.instance(
                    server, 'instance.live_migration_rollback.start')
                self._close_migration(server, mig, 'error', server.flavor)
                self._set_task(server, None, emit=False)
                self.notifier.instance(
                    server, 'instance.live_migration_rollback.end')
                self.notifier.instance_update(server, 'active', 'migrating')
                return
            # Nova: the source's post step calls the destination's, which
            # takes the server over and ends before the source's does.
            self.notifier.instance(server,
                                   'instance.live_migration_post.start')
            self.notifier.instance(server,
                                   'instance.live_migration_post_dest.start',
                                   publisher_host=dest.name)
            # the source's view, sent last, still names the source
            source_view = copy.copy(server)
            self._move_server(server, dest.name)
            self._close_migration(server, mig, 'completed')
            self._set_task(server, None, emit=False)
            self.notifier.instance_update(server, 'active', 'migrating')
            self.notifier.instance(server,
                                   'instance.live_migration_post_dest.end')
            self.notifier.instance(source_view,
                                   'instance.live_migration_post.end',
                                   publisher_host=src.name)

    def abort_live_migration(self, server_id, mig_id):
        with self.lock:
            server = self.get_server(server_id)
            mig = self.get_migration(mig_id)
            if mig.instance_uuid != server.id or \
                    mig.migration_type != 'live-migration':
                raise errors.NotFound(
                    'Migration %s of instance %s could not be found.'
                    % (mig_id, server_id))
            if mig.status not in ('queued', 'preparing', 'running'):
                raise errors.BadRequest(
                    'Migration %s state of instance %s is %s. Cannot abort '
                    'live migration in this state.'
                    % (mig.id, server.id, mig.status))
            self.notifier.instance(server,
                                   'instance.live_migration_abort.start')
            self._close_migration(server, mig, 'cancelled', server.flavor)
            self._set_task(server, None)
            self.notifier.instance(server,
                                   'instance.live_migration_abort.end')
            return mig

    # cold migration / resize ---------------------------------------------
    def cold_migrate(self, server_id, host=None):
        return self._resize(server_id, None, host, 'migration')

    def resize(self, server_id, flavor):
        return self._resize(server_id, flavor, None, 'resize')

    def _resize(self, server_id, flavor, host, kind):
        action = 'resize' if kind == 'resize' else 'migrate'
        with self.lock:
            server = self.get_server(server_id)
            self._check_state(server, action, ('active', 'stopped'))
            new_flavor = server.flavor
            if flavor is not None:
                new_flavor = self.get_flavor(flavor)
                if new_flavor.id == server.flavor.id:
                    raise errors.BadRequest(
                        'When resizing, instances must change flavor!')
            if host is not None:
                if self.find_host(host) is None:
                    raise errors.BadRequest(
                        'Compute host %s could not be found.' % host)
                if self.find_host(host).name == server.host:
                    raise errors.BadRequest(
                        'The target host can\'t be the same one.')
            exclude = (server.host,)
            if kind == 'resize' and self.settings['allow_resize_to_same_host']:
                exclude = ()
            src = self.hosts[server.host]
            # The source allocation is not counted twice when resizing on
            # the same host.
            dest = self.schedule(server, new_flavor, requested=host,
                                 exclude=exclude)
            if dest is None:
                raise errors.BadRequest(
                    'No valid host was found. There are not enough hosts '
                    'available.')
            mig = self._new_migration(server, kind, dest.name, new_flavor)
            mig.status = 'pre-migrating'
            server.previous_vm_state = server.vm_state
            self._set_task(server, 'resize_prep')
            self._set_allocation(mig.uuid,
                                 {src.uuid: server.flavor.resources()},
                                 server.project_id, server.user_id)
            self._set_allocation(server.id,
                                 {dest.uuid: new_flavor.resources()},
                                 server.project_id, server.user_id)
            self.notifier.instance_exists(server)
            self.notifier.instance(server, 'instance.resize_prep.start',
                                   publisher_host=dest.name,
                                   new_flavor=new_flavor)
            self.notifier.instance(server, 'instance.resize_prep.end',
                                   publisher_host=dest.name,
                                   new_flavor=new_flavor)
            self._mig_status(mig, 'migrating')
            self._set_task(server, 'resize_migrating')
            fault = self._take_fault(
                self._fault_keys(server, src.name, dest.name),
                'resize' if kind == 'resize' else 'cold_migration')
            duration = self.settings['resize_duration']
            self.timeline.call_later(duration, self._finish_resize,
                                     server.id, mig.id, fault)
            return mig

    def _finish_resize(self, server_id, mig_id, fault):
        with self.lock:
            mig = self.migrations[mig_id]
            server = self.servers.get(server_id)
            if server is None or mig.status != 'migrating':
                return
            if fault is not None:
                self._close_migration(server, mig, 'error', mig.old_flavor)
                server.fault = {
                    'code': 500, 'created': self.clock.iso(),
                    'message': fault.message,
                    'details': 'Simulated failure injected by the '
                               'simulator (fault %d)' % fault.id}
                old_task = server.task_state
                server.task_state = None
                server.vm_state = 'error'
                self._touch(server)
                self.notifier.instance(server, 'instance.resize.error',
                                       priority='ERROR')
                self.notifier.instance_update(
                    server, server.previous_vm_state, old_task)
                return
            self.notifier.instance(server, 'instance.resize.start')
            self._set_task(server, 'resize_migrated', emit=False)
            self.notifier.instance(server, 'instance.resize.end')
            self._move_server(server, mig.dest_compute)
            server.old_flavor = mig.old_flavor
            server.flavor = mig.new_flavor
            self._mig_status(mig, 'post-migrating')
            self._set_task(server, 'resize_finish', emit=False)
            self.notifier.instance(server, 'instance.resize_finish.start',
                                   new_flavor=mig.new_flavor)
            self._mig_status(mig, 'finished')
            self._set_task(server, None, vm_state='resized', emit=False)
            self.notifier.instance(server, 'instance.resize_finish.end',
                                   new_flavor=mig.new_flavor)
            self.notifier.instance_update(
                server, server.previous_vm_state, 'resize_migrating')

    def _resized(self, server_id, action):
        """The resized server ``action`` (confirm or revert) is for, and
        its migration.
        """
        server = self.get_server(server_id)
        self._check_state(server, action, ('resized',))
        mig = self.migrations.get(server.migration_id) \
            if server.migration_id else None
        if mig is None or mig.status != 'finished':
            raise errors.BadRequest('Instance has not been resized.')
        return server, mig

    def confirm_resize(self, server_id):
        with self.lock:
            server, mig = self._resized(server_id, 'confirmResize')
            publisher = mig.source_compute
            self.notifier.instance(server, 'instance.resize_confirm.start',
                                   publisher_host=publisher)
            self._close_migration(server, mig, 'confirmed')
            self._leave_resize(server)
            self.notifier.instance(server, 'instance.resize_confirm.end',
                                   publisher_host=publisher)
            self.notifier.instance_update(server, 'resized', None)
            return mig

    def revert_resize(self, server_id):
        with self.lock:
            server, mig = self._resized(server_id, 'revertResize')
            self._mig_status(mig, 'reverting')
            self._set_task(server, 'resize_reverting')
            self.timeline.call_later(self.settings['resize_duration'],
                                     self._finish_revert, server.id, mig.id)
            return mig

    def _finish_revert(self, server_id, mig_id):
        with self.lock:
            mig = self.migrations[mig_id]
            server = self.servers.get(server_id)
            if server is None or mig.status != 'reverting':
                return
            src = self.hosts[mig.source_compute]
            self.notifier.instance(server, 'instance.resize_revert.start',
                                   publisher_host=mig.dest_compute)
            self._move_server(server, src.name)
            server.flavor = mig.old_flavor
            self._close_migration(server, mig, 'reverted', mig.old_flavor)
            self._leave_resize(server)
            self.notifier.instance(server, 'instance.resize_revert.end',
                                   publisher_host=src.name)
            self.notifier.instance_update(server, 'resized',
                                          'resize_reverting')

    def update_service(self, service_id, status=None, disabled_reason=None,
                       forced_down=None):
        with self.lock:
            svc = self.get_service(service_id)
            if status is not None:
                if status not in ('enabled', 'disabled'):
                    raise errors.BadRequest(
                        "Invalid input for field/attribute status. Value: "
                        "%s. '%s' is not one of ['enabled', 'disabled']"
                        % (status, status))
                svc.status = status
                svc.disabled_reason = (disabled_reason
                                       if status == 'disabled' else None)
            elif disabled_reason is not None:
                raise errors.BadRequest(
                    'Specifying a disabled_reason is only allowed when the '
                    'status is disabled.')
            if forced_down is not None:
                svc.forced_down = bool(forced_down)
            svc.updated_at = self.now()
            svc.report_count += 1
            self.notifier.service_update(svc)
            return svc

    def set_service_by_host(self, host, binary='nova-compute', **kwargs):
        with self.lock:
            svc = self.find_service(host, binary)
            return self.update_service(svc.id, **kwargs)
