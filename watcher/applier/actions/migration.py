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

"""``migrate``: move a server to another compute node, live or cold.

Input parameters:

``resource_id`` (required)
    UUID of the server.
``migration_type`` (required)
    ``live`` (the server keeps running; only ACTIVE servers) or ``cold``
    (Nova's migrate API, then the resize is confirmed).
``source_node`` (required)
    Compute host the server is expected on.
``destination_node`` (optional)
    Compute host to move to; without it the Nova scheduler chooses.
``resource_name`` (optional)
    Name of the server, for people.

Pre-condition: skipped when the server is gone, no longer on
``source_node`` or already on ``destination_node``; failed when the
destination compute service is missing or disabled, or when a live
migration is asked for a server that is not ACTIVE.

Execution waits for the move with ``[nova] migration_interval`` between
polls, at most ``[nova] migration_max_retries`` polls.  A live migration in
flight can be aborted; a cold one cannot.  Revert moves the server back.
"""
import threading

from oslo_log import log

from watcher.applier.actions import base
from watcher.applier.actions import nova_helper as nova
from watcher.common import exception

LOG = log.getLogger(__name__)

LIVE = 'live'
COLD = 'cold'

IN_FLIGHT = ('queued', 'preparing', 'running', 'accepted', 'pre-migrating',
             'migrating', 'post-migrating')


class MigrationFailed(exception.ActionExecutionFailure):
    msg_fmt = '%(reason)s'


class Migrate(base.BaseAction):
    name = 'migrate'
    description = 'Moving a VM instance from source_node to destination_node'

    MIGRATION_TYPE = 'migration_type'
    SOURCE_NODE = 'source_node'
    DESTINATION_NODE = 'destination_node'

    schema = {
        'type': 'object',
        'properties': {
            'resource_id': {'type': 'string', 'pattern': base.UUID_PATTERN},
            'resource_name': {'type': ['string', 'null']},
            'migration_type': {'type': 'string', 'enum': [LIVE, COLD]},
            'source_node': {'type': 'string', 'minLength': 1},
            'destination_node': {
                'anyOf': [{'type': 'string', 'minLength': 1},
                          {'type': 'null'}]},
        },
        'required': ['resource_id', 'migration_type', 'source_node'],
        'additionalProperties': True,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._lock = threading.Lock()
        self._issued = False
        self._server_status = None
        self._moved_server = None

    @property
    def migration_type(self):
        return self.input_parameters.get(self.MIGRATION_TYPE)

    @property
    def source_node(self):
        return self.input_parameters.get(self.SOURCE_NODE)

    @property
    def destination_node(self):
        return self.input_parameters.get(self.DESTINATION_NODE) or None

    # -- checks -------------------------------------------------------------
    def pre_condition(self):
        server = nova.get_server(self.conn, self.resource_id)
        if server is None:
            self.skip('Instance %s not found' % self.resource_id)
        if self.destination_node and nova.on_host(server,
                                                  self.destination_node):
            self.skip('Instance %s is already on the destination node %s'
                      % (self.resource_id, self.destination_node))
        if not nova.on_host(server, self.source_node):
            self.skip('Instance %s is not on the source node %s (it is on '
                      '%s)' % (self.resource_id, self.source_node,
                               nova.server_host(server)))
        if self.destination_node:
            service = nova.compute_service(self.conn, self.destination_node)
            if service is None:
                self.fail('Destination node %s has no nova-compute service'
                          % self.destination_node)
            if (service.status or '').lower() != 'enabled':
                self.fail('The nova-compute service of the destination '
                          'node %s is disabled' % self.destination_node)
        state = nova.status(server)
        if self.migration_type == LIVE and state != nova.ACTIVE:
            self.fail('Instance %s cannot be live migrated: its status is '
                      '%s, not ACTIVE' % (self.resource_id, state))
        self._server_status = state

    def post_condition(self):
        # execute() has just looked at the server; look again only when it
        # did not (a subclass, a test calling post_condition alone)
        server = self._moved_server
        if server is None:
            server = nova.get_server(self.conn, self.resource_id)
        self._moved_server = None
        if server is None:
            raise MigrationFailed(reason='Instance %s disappeared after its '
                                         'migration' % self.resource_id)
        self._check_moved(server, self.source_node, self.destination_node,
                          final=True)

    # -- execution ----------------------------------------------------------
    def execute(self):
        self._migrate(self.source_node, self.destination_node)
        return True

    def revert(self):
        server = nova.get_server(self.conn, self.resource_id)
        if server is None or nova.on_host(server, self.source_node):
            return
        current = nova.server_host(server)
        LOG.info('Moving instance %s back from %s to %s', self.resource_id,
                 current, self.source_node)
        self._aborted.clear()
        self._issued = False
        self._migrate(current, self.source_node)

    def abort(self):
        if self.migration_type != LIVE:
            return False
        with self._lock:
            if not self._issued:
                self._mark_aborted()
                return True
            migration = self._in_flight_migration()
            if migration is None:
                return False
            # Marked first: the thread polling the migration may see it
            # cancelled before the abort call returns.
            self._mark_aborted()
            try:
                self.conn.compute.abort_server_migration(
                    migration, self.resource_id, ignore_missing=False)
            except Exception:
                self._aborted.clear()
                raise
            LOG.info('Aborted the live migration %s of instance %s',
                     migration.id, self.resource_id)
            return True

    def _in_flight_migration(self):
        for migration in self.conn.compute.server_migrations(
                self.resource_id):
            if (migration.status or '').lower() in IN_FLIGHT:
                return migration
        return None

    def _migrate(self, source, destination):
        nova_conf = self.config.nova
        started = nova.migration_ids(self.conn, self.resource_id)
        with self._lock:
            if self.aborted:
                raise exception.ActionAborted(action=self.action_uuid)
            if self.migration_type == LIVE:
                self.conn.compute.live_migrate_server(
                    self.resource_id, host=destination,
                    block_migration='auto')
            else:
                self.conn.compute.migrate_server(self.resource_id,
                                                 host=destination)
            self._issued = True
        LOG.debug('%s migration of %s from %s to %s requested',
                  self.migration_type, self.resource_id, source,
                  destination or '(scheduler)')
        stale = {'polls': 0}

        def check():
            server = nova.get_server(self.conn, self.resource_id)
            if server is None:
                raise MigrationFailed(reason='Instance %s disappeared during '
                                             'its migration'
                                             % self.resource_id)
            state = nova.status(server)
            if state == nova.ERROR:
                raise MigrationFailed(reason=self._failure_text(
                    server, source, destination, started))
            if self.migration_type == COLD and state == nova.VERIFY_RESIZE:
                return server
            if nova.task_state(server):
                stale['polls'] = 0
                return None
            moved = not nova.on_host(server, source)
            if self.migration_type == LIVE and moved:
                return server
            # Not moving and not moved: did the migration end badly?
            migration = nova.latest_migration(self.conn, self.resource_id,
                                              exclude=started)
            mstate = (migration.status or '').lower() if migration else ''
            if mstate in nova.FAILED_MIGRATION_STATUSES:
                raise MigrationFailed(reason=self._failure_text(
                    server, source, destination, started, migration))
            if migration is None or mstate not in IN_FLIGHT:
                stale['polls'] += 1
                if stale['polls'] >= 3:
                    raise MigrationFailed(reason=self._failure_text(
                        server, source, destination, started, migration))
            return None

        try:
            server = self.wait_until(
                check, nova_conf.migration_interval,
                nova_conf.migration_max_retries,
                'The %s migration of instance %s' % (self.migration_type,
                                                     self.resource_id))
        except exception.ActionAborted:
            self._settle_after_abort()
            raise
        except MigrationFailed:
            if not self.aborted:
                raise
            # the migration ended because we aborted it
            self._settle_after_abort()
            raise exception.ActionAborted(action=self.action_uuid)
        if self.migration_type == COLD:
            self.conn.compute.confirm_server_resize(self.resource_id)
            server = self._wait_confirmed()
        self._check_moved(server, source, destination)
        self._moved_server = server
        LOG.info('Instance %s moved from %s to %s (%s migration)',
                 self.resource_id, source, nova.server_host(server),
                 self.migration_type)

    def _wait_confirmed(self):
        nova_conf = self.config.nova

        def check():
            server = nova.get_server(self.conn, self.resource_id)
            if server is None:
                raise MigrationFailed(reason='Instance %s disappeared while '
                                             'its migration was confirmed'
                                             % self.resource_id)
            state = nova.status(server)
            if state == nova.ERROR:
                raise MigrationFailed(reason='Instance %s went to ERROR when '
                                             'its cold migration was '
                                             'confirmed' % self.resource_id)
            if state != nova.VERIFY_RESIZE and not nova.task_state(server):
                return server
            return None

        return self.wait_until(check, nova_conf.migration_interval,
                               nova_conf.migration_max_retries,
                               'Confirming the cold migration of instance %s'
                               % self.resource_id)

    def _settle_after_abort(self):
        """After an abort, give Nova the time to roll the migration back."""
        nova_conf = self.config.nova
        polls = max(1, nova_conf.migration_max_retries)
        for _ in range(polls):
            try:
                server = nova.get_server(self.conn, self.resource_id)
            except Exception:  # the abort matters more than this check
                return
            if server is None or not nova.task_state(server):
                return
            threading.Event().wait(nova_conf.migration_interval)

    def _check_moved(self, server, source, destination, final=False):
        if destination and not nova.on_host(server, destination):
            raise MigrationFailed(
                reason='Instance %s is on %s after its migration, not on '
                       'the destination node %s'
                       % (self.resource_id, nova.server_host(server),
                          destination))
        if not destination and nova.on_host(server, source):
            raise MigrationFailed(
                reason='Instance %s is still on %s after its migration'
                       % (self.resource_id, source))

    def _failure_text(self, server, source, destination, started,
                      migration=None):
        text = ('The %s migration of instance %s from %s to %s failed'
                % (self.migration_type, self.resource_id, source,
                   destination or 'a node chosen by the scheduler'))
        fault = getattr(server, 'fault', None) or {}
        if isinstance(fault, dict) and fault.get('message'):
            return '%s: %s' % (text, fault['message'])
        if migration is None:
            migration = nova.latest_migration(self.conn, self.resource_id,
                                              exclude=started)
        if migration is not None and migration.status:
            return '%s (migration status: %s)' % (text, migration.status)
        return text
