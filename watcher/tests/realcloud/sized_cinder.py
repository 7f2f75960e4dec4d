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

"""A Cinder volume driver for the real-cloud harness that needs no disks.

Loaded inside the cloud's venv (copied there as ``watcher_sized_cinder``),
never by watcher. Cinder's own fake driver reports infinite capacity and
copies data through ``sudo dd`` on migration; this one reports a finite pool
(``sized_capacity_gb``) whose free space follows the volumes placed on it,
and migrates by bookkeeping alone so that pools really differ and volumes
really move between them.
"""
from oslo_config import cfg

from cinder import context
from cinder import objects
from cinder.tests import fake_driver

OPTS = [cfg.IntOpt('sized_capacity_gb', default=100,
                   help='Capacity this fake backend reports, in GiB.')]


class SizedFakeDriver(fake_driver.FakeLoggingVolumeDriver):

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.configuration.append_config_values(OPTS)

    def _update_volume_stats(self):
        backend = self.configuration.safe_get('volume_backend_name')
        total = self.configuration.sized_capacity_gb
        used = sum(v.size for v in objects.VolumeList.get_all_by_host(
            context.get_admin_context(), self.host))
        self._stats = {
            'volume_backend_name': backend, 'vendor_name': 'watcher-tests',
            'driver_version': '1.0', 'storage_protocol': 'fake',
            'pools': [{'pool_name': backend, 'total_capacity_gb': total,
                       'free_capacity_gb': max(total - used, 0),
                       'reserved_percentage': 0, 'QoS_support': False,
                       'thin_provisioning_support': False,
                       'thick_provisioning_support': True,
                       'multiattach': False}]}

    def migrate_volume(self, ctxt, volume, host, thin=False,
                       mirror_count=0):
        # Nothing to copy: moving the record is the whole migration.
        return True, None
