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

"""Client side of the decision engine's RPC API (topic
``[watcher_decision_engine] conductor_topic``, ``watcher.decision.control``).

API version history:

* 1.0 - ``trigger_audit`` (cast), ``get_strategy_info`` (call),
  ``get_data_model_info`` (call).
"""
from oslo_config import cfg
import oslo_messaging as messaging

from watcher.common import rpc

CONF = cfg.CONF

RPC_API_VERSION = '1.0'


class DecisionEngineAPI:
    """What other services ask of the decision engine."""

    RPC_API_VERSION = RPC_API_VERSION

    def __init__(self, topic=None, timeout=None):
        self.topic = topic or CONF.watcher_decision_engine.conductor_topic
        self._timeout = timeout
        self._client = None

    @property
    def client(self):
        if self._client is None:
            target = messaging.Target(topic=self.topic,
                                      version=RPC_API_VERSION)
            self._client = rpc.get_client(target,
                                          version_cap=RPC_API_VERSION,
                                          timeout=self._timeout)
        return self._client

    def trigger_audit(self, context, audit_uuid):
        """Ask one decision engine to run (or re-run) an audit."""
        self.client.prepare(version='1.0').cast(
            context, 'trigger_audit', audit_uuid=audit_uuid)

    def get_strategy_info(self, context, strategy_name):
        """Requirement check of a strategy: a list of
        ``{type, state, mandatory, comment}``.
        """
        return self.client.prepare(version='1.0').call(
            context, 'get_strategy_info', strategy_name=strategy_name)

    def get_data_model_info(self, context, data_model_type='compute',
                            audit=None):
        """The cluster data model as ``{"context": [rows]}``, scoped by
        ``audit`` (an audit uuid or object) when given.
        """
        audit_uuid = getattr(audit, 'uuid', audit)
        return self.client.prepare(version='1.0').call(
            context, 'get_data_model_info',
            data_model_type=data_model_type, audit_uuid=audit_uuid)
