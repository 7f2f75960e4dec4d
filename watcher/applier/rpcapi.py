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

"""Client side of the applier's RPC API (topic
``[watcher_applier] conductor_topic``, ``watcher.applier.control``).

API version history:

* 1.0 - ``launch_action_plan`` (cast).
"""
from oslo_config import cfg
import oslo_messaging as messaging

from watcher.common import rpc

CONF = cfg.CONF

RPC_API_VERSION = '1.0'


class ApplierAPI:
    """What other services ask of the applier."""

    RPC_API_VERSION = RPC_API_VERSION

    def __init__(self, topic=None):
        self.topic = topic or CONF.watcher_applier.conductor_topic
        self._client = None

    @property
    def client(self):
        if self._client is None:
            target = messaging.Target(topic=self.topic,
                                      version=RPC_API_VERSION)
            self._client = rpc.get_client(target,
                                          version_cap=RPC_API_VERSION)
        return self._client

    def launch_action_plan(self, context, action_plan_uuid):
        """Ask one applier to execute a PENDING action plan."""
        self.client.prepare(version='1.0').cast(
            context, 'launch_action_plan',
            action_plan_uuid=action_plan_uuid)
