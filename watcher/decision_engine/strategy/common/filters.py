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

"""Who may move, who may receive, and how a server moves."""
from watcher.decision_engine.model.element import instance as inst_mod
from watcher.decision_engine.model.element import node as node_mod

ACTIVE = inst_mod.InstanceState.ACTIVE
STOPPED = inst_mod.InstanceState.STOPPED

#: Server states nova can migrate: live for ACTIVE, cold for STOPPED.
MIGRATABLE_STATES = (ACTIVE, STOPPED)

_TRUE = ('true', '1', 'yes', 'y', 'on', 't')
_FALSE = ('false', '0', 'no', 'n', 'off', 'f')


def migration_type(instance):
    """'live' for an ACTIVE server, 'cold' otherwise (as upstream)."""
    return 'live' if instance.state == ACTIVE else 'cold'


def parse_bool(value):
    """True/False for a boolean-ish value, None when unparsable."""
    if isinstance(value, bool):
        return value
    if value is None:
        return None
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def optimize_allowed(instance):
    """The ``optimize`` metadata rule: missing => True, parses as true =>
    True, false or unparsable => False.
    """
    metadata = instance.metadata or {}
    if 'optimize' not in metadata:
        return True
    return parse_bool(metadata['optimize']) is True


def is_excluded(instance):
    return bool(instance.watcher_exclude)


def is_migratable(instance):
    """Nova can migrate it now (state, no task in progress)."""
    return instance.state in MIGRATABLE_STATES and not instance.task_state


def can_move(instance, check_optimize_metadata=False):
    """A strategy may plan a migration of this server."""
    if is_excluded(instance) or not is_migratable(instance):
        return False
    if check_optimize_metadata and not optimize_allowed(instance):
        return False
    return True


def is_destination(node):
    """Enabled and up: nova may place servers on it."""
    return (node.status == node_mod.ServiceState.ENABLED and
            node.state == node_mod.ServiceState.ONLINE)


def in_watcher_scope(node):
    """Enabled, or disabled by watcher itself (``watcher_*`` reason)."""
    return node.status == node_mod.ServiceState.ENABLED or \
        node.disabled_by_watcher
