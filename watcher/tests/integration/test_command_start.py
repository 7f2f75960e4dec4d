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

"""Every console script starts without a deprecation warning about
eventlet (oslo.service depends on it and futurist imports it when
installed; watcher never runs on it).
"""
import os
import subprocess

import testtools

from watcher.tests.integration import daemons

SCRIPTS = ['watcher-api', 'watcher-decision-engine', 'watcher-applier',
           'watcher-all', 'watcher-db-manage', 'watcher-sync',
           'watcher-status']


class TestNoEventletWarning(testtools.TestCase):

    def test_help_of_every_script(self):
        env = {k: v for k, v in os.environ.items()
               if k != 'PYTHONWARNINGS'}
        for name in SCRIPTS:
            path = daemons.script(name)
            if not os.path.exists(path):
                self.skipTest('%s not installed' % name)
            result = subprocess.run([path, '--help'], capture_output=True,
                                    text=True, timeout=60, env=env)
            self.assertEqual(0, result.returncode,
                             '%s: %s' % (name, result.stderr[-2000:]))
            self.assertNotIn('Eventlet', result.stderr,
                             '%s --help printed: %s' % (name, result.stderr))
