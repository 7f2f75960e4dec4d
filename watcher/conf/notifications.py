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

"""Options of watcher's own versioned notifications.

Where and how notifications travel (driver, topics, transport) is configured
in oslo.messaging's ``[oslo_messaging_notifications]`` group; this module only
adds the lowest priority watcher emits.
"""
from oslo_config import cfg

LEVELS = ('DEBUG', 'INFO', 'WARN', 'ERROR')

OPTS = [
    cfg.StrOpt('notification_level',
               default='INFO',
               choices=LEVELS + ('None',),
               help="Lowest priority of the versioned notifications watcher "
                    "emits (DEBUG, INFO, WARN or ERROR). 'None' turns "
                    "watcher's notifications off."),
]


def register_opts(conf):
    conf.register_opts(OPTS)


def list_opts():
    return [('DEFAULT', OPTS)]
