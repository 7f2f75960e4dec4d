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

"""``[ironic] system_scope``: watcher's Ironic calls on a system-scoped
token of the service credentials, the other services on the project-scoped
one (Ironic's default policies show a project-scoped token only the nodes
its project owns).  Against the simulated cloud, whose Keystone issues
both kinds; ``realcloud/test_storage_audits.py`` runs it on Ironic 39.
"""
from keystoneauth1 import loading as ka_loading

from watcher.common import clients
from watcher.conf import CONF
from watcher.decision_engine.model.collector import ironic
from watcher.simulator import fixture as sim_fixture
from watcher.tests import base

GROUP = 'watcher_clients_auth'


class TestIronicSystemScope(base.TestCase):

    def setUp(self):
        super().setUp()
        self.cloud = self.useFixture(sim_fixture.SimulatedCloud('demo'))
        CONF.register_opts(ka_loading.get_auth_plugin_conf_options(
            'password'), group=GROUP)
        self.flags(group=GROUP, auth_type='password',
                   auth_url=self.cloud.auth_url, username='admin',
                   password='admin', project_name='admin',
                   user_domain_name='Default',
                   project_domain_name='Default')
        clients.reset_connection()
        self.addCleanup(clients.reset_connection)

    @staticmethod
    def _access(proxy):
        return proxy.session.auth.get_access(proxy.session)

    def test_unset_ironic_shares_the_project_scoped_connection(self):
        conn = clients.get_connection()
        proxy = clients.baremetal(conn)
        self.assertEqual(6, len(list(proxy.nodes())))
        access = self._access(proxy)
        self.assertTrue(access.project_scoped)
        self.assertFalse(access.system_scoped)

    def test_system_scope_for_ironic_only(self):
        self.flags(system_scope='all', group='ironic')
        conn = clients.get_connection()
        proxy = clients.baremetal(conn)
        self.assertIs(proxy, clients.baremetal(conn))
        self.assertEqual(6, len(list(proxy.nodes())))
        access = self._access(proxy)
        self.assertTrue(access.system_scoped)
        self.assertIsNone(access.project_id)
        # Nova and the others keep the project-scoped token
        conn.compute.get('/os-hypervisors')
        self.assertTrue(self._access(conn.compute).project_scoped)
        # the baremetal model is read through it
        collector = ironic.BaremetalClusterDataModelCollector(
            connection=conn)
        model = collector.get_latest_cluster_data_model()
        self.assertEqual(6, len(model.get_all_ironic_nodes()))
