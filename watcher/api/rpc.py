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

The API talks to the decision engine and the applier only through their
RPC client modules (``watcher.decision_engine.rpcapi``,
``watcher.applier.rpcapi``; import-linter holds the API to those). The
clients are built on first use, after the configuration is parsed (the
topics are options). Casts that fail are logged and do not fail the
request: the state change is already stored and the service picks the
audit or action plan up when it (re)starts.
"""
import logging
import threading

from watcher.applier import rpcapi as applier_rpcapi
from watcher.decision_engine import rpcapi as de_rpcapi

LOG = logging.getLogger(__name__)

_LOCK = threading.Lock()
_CLIENTS = {}


def _client(klass):
    if klass not in _CLIENTS:
        with _LOCK:
            if klass not in _CLIENTS:
                _CLIENTS[klass] = klass()
    return _CLIENTS[klass]


def decision_engine():
    return _client(de_rpcapi.DecisionEngineAPI)


def applier():
    return _client(applier_rpcapi.ApplierAPI)


def reset():
    """Forget the clients (tests, configuration reload)."""
    with _LOCK:
        _CLIENTS.clear()


def trigger_audit(context, audit_uuid):
    """Ask the decision engine to run an audit (cast)."""
    try:
        decision_engine().trigger_audit(context, audit_uuid)
    except Exception:
        LOG.exception('Could not trigger audit %s', audit_uuid)


def launch_action_plan(context, action_plan_uuid):
    """Ask the applier to execute an action plan (cast)."""
    try:
        applier().launch_action_plan(context, action_plan_uuid)
    except Exception:
        LOG.exception('Could not launch action plan %s', action_plan_uuid)


def get_data_model(context, data_model_type, audit_uuid=None):
    """The decision engine's cluster data model (call)."""
    return decision_engine().get_data_model_info(
        context, data_model_type, audit_uuid)


def get_strategy_state(context, strategy):
    """Requirement check of a strategy by the decision engine (call).

    Answers a list of {type, state, mandatory, comment}.
    """
    return decision_engine().get_strategy_info(context, strategy.name)
