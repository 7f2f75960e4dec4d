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

"""``watcher-applier``: the applier daemon.

RPC server on ``[watcher_applier] conductor_topic``, heartbeat in the
``services`` table, restart settlement at start (see
:mod:`watcher.applier.manager`).
"""
import sys

from watcher.applier import manager
from watcher import cmd


def main(argv=None):
    return cmd.serve_daemon(manager.ApplierManager, argv or sys.argv)


if __name__ == '__main__':
    sys.exit(main())
