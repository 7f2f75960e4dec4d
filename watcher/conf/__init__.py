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

"""watcher's configuration: every option group registered on one CONF."""
from oslo_config import cfg

from watcher.conf import api
from watcher.conf import applier
from watcher.conf import clients
from watcher.conf import collector
from watcher.conf import database
from watcher.conf import datasources
from watcher.conf import decision_engine
from watcher.conf import default
from watcher.conf import notifications
from watcher.conf import planner
from watcher.conf import simulator
from watcher.conf import strategies

CONF = cfg.CONF

MODULES = (default, api, database, decision_engine, applier, planner,
           collector, datasources, clients, strategies, simulator,
           notifications)

for _module in MODULES:
    _module.register_opts(CONF)
