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

"""Every call watcher-api makes to the other services, in one place.

The decision engine and applier RPC clients are imported lazily, so the
API serves before (and without) those services: when a client module is
not there, audits and action plans only get their new state recorded
and the services pick them up when they start. Casts that fail are logged
and do not fail the request (the state change is already stored).
"""
import logging
import threading

from watcher.common import exception

LOG = logging.getLogger(__name__)

_LOCK = threading.Lock()
_CLIENTS = {}


def _client(module, class_name):
    key = (module, class_name)
    if key not in _CLIENTS:
        with _LOCK:
            if key not in _CLIENTS:
                try:
                    mod = __import__(module, fromlist=[class_name])
                    _CLIENTS[key] = getattr(mod, class_name)()
                except ImportError as e:
                    LOG.info('%s is not available (%s)', module, e)
                    _CLIENTS[key] = None
    return _CLIENTS[key]


def decision_engine():
    return _client('watcher.decision_engine.rpcapi', 'DecisionEngineAPI')


def applier():
    return _client('watcher.applier.rpcapi', 'ApplierAPI')


def reset():
    """Forget the clients (tests, configuration reload)."""
    with _LOCK:
        _CLIENTS.clear()


def trigger_audit(context, audit_uuid):
    """Ask the decision engine to run an audit (cast)."""
    client = decision_engine()
    if client is None:
        LOG.info('Audit %s recorded; no decision engine client yet',
                 audit_uuid)
        return
    try:
        client.trigger_audit(context, audit_uuid)
    except Exception:
        LOG.exception('Could not trigger audit %s', audit_uuid)


def launch_action_plan(context, action_plan_uuid):
    """Ask the applier to execute an action plan (cast)."""
    client = applier()
    if client is None:
        LOG.info('Action plan %s recorded; no applier client yet',
                 action_plan_uuid)
        return
    try:
        client.launch_action_plan(context, action_plan_uuid)
    except Exception:
        LOG.exception('Could not launch action plan %s', action_plan_uuid)


def _unavailable(what):
    return exception.ServiceUnavailable(service='watcher-decision-engine',
                                        reason=what)


def get_data_model(context, data_model_type, audit_uuid=None):
    """The decision engine's cluster data model (call)."""
    client = decision_engine()
    if client is None:
        raise _unavailable('no decision engine client')
    return client.get_data_model_info(context, data_model_type, audit_uuid)


def get_strategy_state(context, strategy):
    """Requirement check of a strategy by the decision engine (call).

    Answers a list of {type, state, mandatory, comment}.
    """
    client = decision_engine()
    if client is None or not hasattr(client, 'get_strategy_info'):
        raise _unavailable('the strategy state is computed by the decision '
                           'engine, which cannot be reached')
    return client.get_strategy_info(context, strategy.name)
