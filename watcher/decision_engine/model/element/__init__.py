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

"""Elements of the cluster data models (plain slotted classes)."""
from watcher.decision_engine.model.element.baremetal_resource import \
    IronicNode
from watcher.decision_engine.model.element.base import Element
from watcher.decision_engine.model.element.base import utc_timestamp
from watcher.decision_engine.model.element.instance import Instance
from watcher.decision_engine.model.element.instance import InstanceState
from watcher.decision_engine.model.element.node import ComputeNode
from watcher.decision_engine.model.element.node import ServiceState
from watcher.decision_engine.model.element.node import \
    WATCHER_DISABLED_REASON_PREFIX
from watcher.decision_engine.model.element.storage_resource import Pool
from watcher.decision_engine.model.element.storage_resource import \
    StorageNode
from watcher.decision_engine.model.element.storage_resource import Volume

__all__ = ['ComputeNode', 'Element', 'Instance', 'InstanceState',
           'IronicNode', 'Pool', 'ServiceState', 'StorageNode', 'Volume',
           'WATCHER_DISABLED_REASON_PREFIX', 'utc_timestamp']
