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

"""[simulator] options: the simulated cloud of the embedded default."""
from oslo_config import cfg

GROUP = cfg.OptGroup('simulator', title='Simulated cloud (watcher-all)')

OPTS = [
    cfg.BoolOpt('enabled', default=True,
                help='watcher-all starts the simulated cloud in-process and '
                     'uses it as the cloud, unless [watcher_clients_auth] '
                     'points at a real one.'),
    cfg.StrOpt('scenario',
               help='Scenario file of the simulated cloud (default: the '
                    'demo scenario).'),
    cfg.HostAddressOpt('host', default='127.0.0.1',
                       help='Address the simulated cloud listens on.'),
    cfg.PortOpt('port', default=0,
                help='Port of the simulated cloud (0: any free port).'),
]


def register_opts(conf):
    conf.register_group(GROUP)
    conf.register_opts(OPTS, group=GROUP)


def list_opts():
    return [(GROUP, OPTS)]
