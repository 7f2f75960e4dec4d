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
