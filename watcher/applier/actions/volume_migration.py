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

"""``volume_migrate``: move a Cinder volume to another pool, change its
volume type, or swap an attached volume for a copy of another type.

Input parameters:

``resource_id`` (required)
    Volume id.
``migration_type`` (required)
    ``migrate`` (to the pool ``destination_node``, same type),
    ``retype`` (to the volume type ``destination_type``; Cinder moves the
    data when the new type needs another backend) or ``swap`` (an
    ``in-use`` volume of an ACTIVE, PAUSED or resized server: a new volume
    of ``destination_type`` and the same size is created in the volume's
    project - by a temporary user of that project holding
    ``[watcher_applier] swap_user_role``, so the copy is the project's -
    Nova's swap-volume API copies the data and attaches the new volume in
    place of the old one, and the old volume is deleted).
``destination_node``
    Target pool, ``host@backend#pool``; required for ``migrate``.
``destination_type``
    Target volume type name or id; required for ``retype`` and ``swap``.
``resource_name`` (optional)
    Volume name, for people.

Pre-condition: skipped when the volume is gone or already in the target
pool / of the target type; failed when the pool or type does not exist.
Execution polls every ``[nova] migration_interval`` seconds, at most
``[nova] migration_max_retries`` times.  Revert moves the volume back to
its previous pool / type; a swap cannot be reverted (the source volume
is gone), its revert only logs.
"""

from oslo_log import log

from watcher.applier.actions import base
from watcher.applier.actions import project_user
from watcher.common import exception

LOG = log.getLogger(__name__)

MIGRATE = 'migrate'
RETYPE = 'retype'
SWAP = 'swap'

#: server states in which Nova swaps a volume
SWAPPABLE_SERVER_STATES = ('ACTIVE', 'PAUSED', 'VERIFY_RESIZE')

BUSY = ('migrating', 'retyping', 'starting', 'pending', 'creating',
        'maintenance')


class VolumeMigrationFailed(exception.ActionExecutionFailure):
    msg_fmt = '%(reason)s'


class VolumeMigrate(base.BaseAction):
    name = 'volume_migrate'
    description = 'Moving a volume to destination_node or destination_type'

    schema = {
        'type': 'object',
        'properties': {
            'resource_id': {'type': 'string', 'minLength': 1},
            'resource_name': {'type': ['string', 'null']},
            'migration_type': {'type': 'string',
                               'enum': [MIGRATE, RETYPE, SWAP]},
            'destination_node': {'type': ['string', 'null']},
            'destination_type': {'type': ['string', 'null']},
        },
        'required': ['resource_id', 'migration_type'],
        'additionalProperties': True,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._previous_host = None
        self._previous_type = None
        self._server_id = None

    @property
    def migration_type(self):
        return self.input_parameters.get('migration_type')

    @property
    def destination_node(self):
        return self.input_parameters.get('destination_node') or None

    @property
    def destination_type(self):
        return self.input_parameters.get('destination_type') or None

    def check_parameters(self):
        if self.migration_type == MIGRATE and not self.destination_node:
            raise exception.InvalidActionParameters(
                action=self.name,
                err='destination_node is required to migrate a volume')
        if self.migration_type in (RETYPE, SWAP) and \
                not self.destination_type:
            raise exception.InvalidActionParameters(
                action=self.name,
                err='destination_type is required to %s a volume'
                    % self.migration_type)

    # -- look-ups ----------------------------------------------------------
    def _volume(self):
        try:
            return self.conn.block_storage.get_volume(self.resource_id)
        except Exception as exc:
            if base.is_not_found(exc):
                return None
            raise

    def _pool_exists(self, pool):
        return any(p.name == pool
                   for p in self.conn.block_storage.backend_pools())

    def _find_type(self, name_or_id):
        try:
            return self.conn.block_storage.find_type(name_or_id,
                                                     ignore_missing=True)
        except Exception as exc:
            if base.is_not_found(exc):
                return None
            raise

    @staticmethod
    def _type_matches(volume, vtype):
        return volume.volume_type in (vtype.name, vtype.id) or (
            getattr(volume, 'volume_type_id', None) == vtype.id)

    # -- life cycle --------------------------------------------------------
    def pre_condition(self):
        volume = self._volume()
        if volume is None:
            self.skip('Volume %s not found' % self.resource_id)
        if self.migration_type == MIGRATE:
            if volume.host == self.destination_node:
                self.skip('Volume %s is already in pool %s'
                          % (self.resource_id, self.destination_node))
            if not self._pool_exists(self.destination_node):
                self.fail('Storage pool %s not found' % self.destination_node)
        else:
            vtype = self._find_type(self.destination_type)
            if vtype is None:
                self.fail('Volume type %s not found' % self.destination_type)
            if self._type_matches(volume, vtype):
                self.skip('Volume %s is already of type %s'
                          % (self.resource_id, self.destination_type))
        if (volume.status or '').lower() in BUSY:
            self.fail('Volume %s is busy (status %s)'
                      % (self.resource_id, volume.status))
        if self.migration_type == SWAP:
            self._server_id = self._swappable_server(volume)
        self._previous_host = volume.host
        self._previous_type = volume.volume_type

    def _swappable_server(self, volume):
        """The id of the one server ``volume`` is attached to, in a state
        Nova swaps volumes in; fails the pre-condition otherwise.
        """
        attachments = volume.attachments or []
        if (volume.status or '').lower() != 'in-use' or \
                len(attachments) != 1:
            self.fail('Volume %s is not attached to exactly one server '
                      '(status %s, %d attachments): swap needs an in-use '
                      'volume; migrate or retype a detached one'
                      % (self.resource_id, volume.status, len(attachments)))
        server_id = attachments[0].get('server_id')
        try:
            server = self.conn.compute.get_server(server_id)
        except Exception as exc:
            if base.is_not_found(exc):
                self.fail('Server %s of volume %s not found'
                          % (server_id, self.resource_id))
            raise
        if server.status not in SWAPPABLE_SERVER_STATES:
            self.fail('Server %s is %s: Nova swaps volumes of %s servers '
                      'only' % (server_id, server.status,
                                ', '.join(SWAPPABLE_SERVER_STATES)))
        return server_id

    def execute(self):
        if self.migration_type == MIGRATE:
            self._migrate_to(self.destination_node)
        elif self.migration_type == SWAP:
            self._swap_to(self.destination_type)
        else:
            self._retype_to(self.destination_type)
        return True

    def post_condition(self):
        if self.migration_type == SWAP:
            return      # checked by _swap_to: the source volume is gone
        volume = self._volume()
        if volume is None:
            raise VolumeMigrationFailed(
                reason='Volume %s disappeared' % self.resource_id)
        if (self.migration_type == MIGRATE
                and volume.host != self.destination_node):
            raise VolumeMigrationFailed(
                reason='Volume %s is in pool %s, not %s'
                       % (self.resource_id, volume.host,
                          self.destination_node))

    def revert(self):
        if self.migration_type == SWAP:
            LOG.warning('The swap of volume %s cannot be reverted: its '
                        'data now lives in a volume of type %s',
                        self.resource_id, self.destination_type)
        elif self.migration_type == MIGRATE and self._previous_host:
            self._migrate_to(self._previous_host)
        elif self.migration_type == RETYPE and self._previous_type:
            self._retype_to(self._previous_type)

    # -- operations ----------------------------------------------------------
    def _migrate_to(self, pool):
        self.conn.block_storage.migrate_volume(self.resource_id, host=pool)

        def check():
            volume = self._volume()
            if volume is None:
                raise VolumeMigrationFailed(
                    reason='Volume %s disappeared during its migration'
                           % self.resource_id)
            mstate = (volume.migration_status or '').lower()
            if mstate == 'error' or (volume.status or '').lower() == 'error':
                raise VolumeMigrationFailed(
                    reason='The migration of volume %s to %s failed'
                           % (self.resource_id, pool))
            if volume.host == pool and mstate in ('', 'success', 'none'):
                return volume
            return None

        self._wait(check, 'The migration of volume %s' % self.resource_id)
        LOG.info('Volume %s migrated to %s', self.resource_id, pool)

    def _retype_to(self, type_name):
        vtype = self._find_type(type_name)
        if vtype is None:
            raise VolumeMigrationFailed(
                reason='Volume type %s not found' % type_name)
        self.conn.block_storage.retype_volume(
            self.resource_id, vtype, migration_policy='on-demand')

        def check():
            volume = self._volume()
            if volume is None:
                raise VolumeMigrationFailed(
                    reason='Volume %s disappeared during its retype'
                           % self.resource_id)
            state = (volume.status or '').lower()
            if state == 'error' or (
                    volume.migration_status or '').lower() == 'error':
                raise VolumeMigrationFailed(
                    reason='The retype of volume %s to %s failed'
                           % (self.resource_id, type_name))
            if self._type_matches(volume, vtype) and state not in BUSY:
                return volume
            return None

        self._wait(check, 'The retype of volume %s' % self.resource_id)
        LOG.info('Volume %s retyped to %s', self.resource_id, type_name)

    def _swap_to(self, type_name):
        source = self._volume()
        vtype = self._find_type(type_name)
        if source is None or vtype is None:
            raise VolumeMigrationFailed(
                reason='Volume %s or type %s disappeared before the swap'
                       % (self.resource_id, type_name))
        role = self.config.watcher_applier.swap_user_role
        with project_user.project_user(self.conn, source.project_id,
                                       role) as owner:
            target = owner.block_storage.create_volume(
                size=source.size, volume_type=vtype.name,
                name=source.name, description='copy of volume %s made by '
                'watcher to swap it' % source.id,
                availability_zone=source.availability_zone)
        self._wait(lambda: self._reached(target.id, ('available',)),
                   'The creation of volume %s' % target.id)
        self.conn.compute.update_volume_attachment(
            self._server_id, source.id, volume_id=target.id)

        def swapped():
            new = self._reached(target.id, ('in-use',))
            old = self._reached(source.id, ('available',))
            return new and old
        self._wait(swapped, 'The swap of volume %s to %s'
                   % (source.id, target.id))
        self.conn.block_storage.delete_volume(source.id)
        LOG.info('Volume %s swapped to %s (type %s) on server %s',
                 source.id, target.id, type_name, self._server_id)

    def _reached(self, volume_id, statuses):
        try:
            volume = self.conn.block_storage.get_volume(volume_id)
        except Exception as exc:
            if base.is_not_found(exc):
                raise VolumeMigrationFailed(
                    reason='Volume %s disappeared' % volume_id)
            raise
        status = (volume.status or '').lower()
        if status.startswith('error'):
            raise VolumeMigrationFailed(
                reason='Volume %s is in status %s' % (volume_id, status))
        return volume if status in statuses else None

    def _wait(self, check, operation):
        nova_conf = self.config.nova
        self.wait_until(check, nova_conf.migration_interval,
                        nova_conf.migration_max_retries, operation)
