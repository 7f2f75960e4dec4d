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

"""Small Nova look-ups shared by the server actions (through openstacksdk)."""
from watcher.applier.actions import base

COMPUTE_BINARY = 'nova-compute'

# Server statuses as Nova reports them
ACTIVE = 'ACTIVE'
SHUTOFF = 'SHUTOFF'
ERROR = 'ERROR'
VERIFY_RESIZE = 'VERIFY_RESIZE'
SHELVED = 'SHELVED'
SHELVED_OFFLOADED = 'SHELVED_OFFLOADED'
DELETED = 'DELETED'

FAILED_MIGRATION_STATUSES = ('error', 'failed', 'cancelled', 'aborted')


def get_server(conn, server_id):
    """The server, or None when Nova does not know it (any more)."""
    try:
        server = conn.compute.get_server(server_id)
    except Exception as exc:
        if base.is_not_found(exc):
            return None
        raise
    if server is None or (server.status or '').upper() == DELETED:
        return None
    return server


def server_host(server):
    return server.compute_host


def on_host(server, host):
    """Whether ``server`` runs on ``host`` (service host or node name)."""
    if server is None or not host:
        return False
    return host in (server.compute_host, server.hypervisor_hostname)


def status(server):
    return (server.status or '').upper()


def task_state(server):
    return server.task_state


def compute_service(conn, host):
    """The nova-compute service of ``host``, or None."""
    for service in conn.compute.services(binary=COMPUTE_BINARY, host=host):
        if service.host == host and service.binary == COMPUTE_BINARY:
            return service
    return None


def migration_ids(conn, server_id):
    return {m.id for m in conn.compute.migrations(instance_uuid=server_id)}


def latest_migration(conn, server_id, exclude=()):
    """The most recent migration record of a server, or None.

    Records whose id is in ``exclude`` (taken before a request) are ignored.
    """
    best = None
    for migration in conn.compute.migrations(instance_uuid=server_id):
        if migration.id in exclude:
            continue
        key = (migration.created_at or '', _sortable(migration.id))
        if best is None or key > best[0]:
            best = (key, migration)
    return best[1] if best else None


def _sortable(value):
    try:
        return (0, int(value), '')
    except (TypeError, ValueError):
        return (1, 0, str(value))


def find_flavor(conn, name_or_id):
    try:
        return conn.compute.find_flavor(name_or_id, ignore_missing=True)
    except Exception as exc:
        if base.is_not_found(exc):
            return None
        raise


def flavor_names(server):
    """The names a server's flavor may be known by (2.47+ embeds it)."""
    flavor = server.flavor
    names = set()
    if flavor is None:
        return names
    for attr in ('original_name', 'name', 'id'):
        value = getattr(flavor, attr, None)
        if value:
            names.add(value)
    return names
