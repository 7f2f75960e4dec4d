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

"""The baremetal model collector: Ironic nodes, read in bulk
(``GET /nodes/detail``, paginated, 1000 per page)."""
from oslo_log import log

from watcher.common import clients
from watcher.decision_engine.model.collector import api
from watcher.decision_engine.model.collector import base
from watcher.decision_engine.model import element
from watcher.decision_engine.model import model_root

LOG = log.getLogger(__name__)

BAREMETAL_MICROVERSION = '1.46'


def node_from_ironic(node):
    return element.IronicNode(
        uuid=node['uuid'], power_state=node.get('power_state'),
        maintenance=bool(node.get('maintenance', False)),
        maintenance_reason=node.get('maintenance_reason'),
        extra=dict(node.get('extra') or {}))


class BaremetalClusterDataModelCollector(
        base.BaseClusterDataModelCollector):
    """Builds and keeps the baremetal model."""

    MODEL_TYPE = 'baremetal'
    NAME = 'baremetal'

    def new_model(self):
        return model_root.BaremetalModelRoot()

    def get_latest_cluster_data_model(self):
        # Read fresh for every audit: no notification keeps this model
        # live, so the power changes of the last plan would stay unseen
        # for a whole period (saving_energy would power off a node that is
        # already off, or miss one to power on); the build is one bulk
        # list call.
        self.synchronize()
        return super().get_latest_cluster_data_model()

    def execute(self):
        proxy = clients.baremetal(self.connection)
        mv = api.max_microversion(proxy, BAREMETAL_MICROVERSION)
        model = self.new_model()
        for raw in api.paginate_next(proxy, '/nodes/detail', 'nodes',
                                     microversion=mv):
            model.add_node(node_from_ironic(raw))
        return model
