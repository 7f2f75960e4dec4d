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

"""How an action ended in the cloud when its applier did not see it end.

``find_out(context, action)`` answers with a :class:`Verdict` for an action
left ONGOING or CANCELLING by an applier that stopped:

* ``DONE`` - the change is there (a migrated server is on its
  destination, a nova-compute service is in the asked state);
* ``NOT_DONE`` - the cloud is as before the action;
* ``WENT_WRONG`` - neither (the server is in ERROR, gone, on a third host);
* ``UNKNOWN`` - the action type cannot be asked about, the cloud did not
  answer, or the change was still in progress after
  ``[watcher_applier] recovery_outcome_wait`` seconds.

Recovery (:mod:`watcher.applier.action_plan.recovery`) records them as
SUCCEEDED, CANCELLED, FAILED and CANCELLED.
"""
import collections
import time

from oslo_log import log

from watcher.applier.actions import change_nova_service_state as svc_state
from watcher.applier.actions import nova_helper as nova
from watcher.applier import loading
from watcher.conf import CONF

LOG = log.getLogger(__name__)

DONE = 'done'
NOT_DONE = 'not-done'
WENT_WRONG = 'went-wrong'
UNKNOWN = 'unknown'

Verdict = collections.namedtuple('Verdict', 'outcome message')


def _migrate(plugin, config):
    server_id = plugin.resource_id
    deadline = time.monotonic() + config.watcher_applier.recovery_outcome_wait
    while True:
        server = nova.get_server(plugin.conn, server_id)
        if server is None:
            return Verdict(WENT_WRONG, 'the server %s no longer exists'
                           % server_id)
        state = nova.status(server)
        if state == nova.ERROR:
            return Verdict(WENT_WRONG, 'the server %s is in ERROR on %s'
                           % (server_id, nova.server_host(server)))
        if state == nova.VERIFY_RESIZE:
            # moved, but the move is neither confirmed nor reverted yet
            return Verdict(UNKNOWN, 'the migration of server %s awaits its '
                           'confirmation in Nova' % server_id)
        if not nova.task_state(server):
            break
        if time.monotonic() >= deadline:
            return Verdict(UNKNOWN, 'the server %s was still %s after %ss'
                           % (server_id, nova.task_state(server),
                              config.watcher_applier.recovery_outcome_wait))
        time.sleep(config.nova.migration_interval)
    source, destination = plugin.source_node, plugin.destination_node
    host = nova.server_host(server)
    if destination and nova.on_host(server, destination):
        return Verdict(DONE, 'the server %s is on the destination %s'
                       % (server_id, destination))
    if nova.on_host(server, source):
        return Verdict(NOT_DONE, 'the server %s is still on the source %s'
                       % (server_id, source))
    if not destination:
        return Verdict(DONE, 'the server %s left %s for %s'
                       % (server_id, source, host))
    return Verdict(WENT_WRONG, 'the server %s is on %s, neither the source '
                   '%s nor the destination %s'
                   % (server_id, host, source, destination))


def _service_state(plugin, config):
    service = nova.compute_service(plugin.conn, plugin.host)
    if service is None:
        return Verdict(UNKNOWN, 'the nova-compute service of %s was not '
                       'found' % plugin.host)
    current = (service.status or '').lower()
    if current == plugin.state:
        return Verdict(DONE, 'the nova-compute service of %s is %s'
                       % (plugin.host, current))
    return Verdict(NOT_DONE, 'the nova-compute service of %s is still %s'
                   % (plugin.host, current))


#: action type -> how to ask the cloud about it
CHECKERS = {
    'migrate': _migrate,
    svc_state.ChangeNovaServiceState.name: _service_state,
}


def find_out(context, action, config=None, action_loader=None):
    """The :class:`Verdict` on the interrupted ``action`` (objects.Action)."""
    config = config if config is not None else CONF
    checker = CHECKERS.get(action.action_type)
    if checker is None:
        return Verdict(UNKNOWN, 'the outcome of a %s action cannot be '
                       'asked of the cloud' % action.action_type)
    try:
        plugin = (action_loader or loading.load_action)(
            action.action_type, input_parameters=action.input_parameters,
            context=context, action_uuid=action.uuid, config=config)
        return checker(plugin, config)
    except Exception as exc:
        LOG.warning('Could not ask the cloud how action %s ended: %s',
                    action.uuid, exc)
        return Verdict(UNKNOWN, 'the cloud could not be asked: %s' % exc)


def reenable_host(context, action, config=None, action_loader=None):
    """Enable again the nova-compute service ``action`` disabled.

    Only when it is still disabled with the action's ``disabled_reason``
    (someone else's reason wins). Returns the host, or None.
    """
    config = config if config is not None else CONF
    plugin = (action_loader or loading.load_action)(
        action.action_type, input_parameters=action.input_parameters,
        context=context, action_uuid=action.uuid, config=config)
    if plugin.state != svc_state.DISABLED:
        return None
    service = nova.compute_service(plugin.conn, plugin.host)
    if service is None or (service.status or '').lower() != svc_state.DISABLED:
        return None
    if (service.disabled_reason or '') != plugin.disabled_reason:
        LOG.info('Leaving nova-compute of %s disabled: disabled for "%s", '
                 'not by action %s', plugin.host, service.disabled_reason,
                 action.uuid)
        return None
    plugin.conn.compute.enable_service(service, host=service.host,
                                       binary=service.binary)
    LOG.warning('Enabled again the nova-compute service of %s, disabled by '
                'action %s of an interrupted action plan', plugin.host,
                action.uuid)
    return plugin.host
