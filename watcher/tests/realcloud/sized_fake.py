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

"""A fake virt driver sized like a real compute host.

Installed by the harness as ``nova/virt/watcher_sized_fake.py`` in the cloud
venv, because nova imports ``compute_driver`` as ``nova.virt.<value>``.
The stock fake driver reports 1000 vCPU and 800 GB of RAM, which no
consolidation can ever fill; the node UUID stays stable across restarts
(FakeDriverWithoutFakeNodes). Sizes come from the environment so that a test
can shape the cloud.
"""
import os

from nova.virt import fake


class SizedFakeDriver(fake.FakeDriverWithoutFakeNodes):
    vcpus = int(os.environ.get('WATCHER_RC_VCPUS', 16))
    memory_mb = int(os.environ.get('WATCHER_RC_MEMORY_MB', 32768))
    local_gb = int(os.environ.get('WATCHER_RC_LOCAL_GB', 500))
