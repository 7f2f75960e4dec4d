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

"""A simulated cloud for tests: ``SimulatedCloud``.

::

    from watcher.simulator.fixture import SimulatedCloud

    with SimulatedCloud(scenario='demo') as cloud:      # or useFixture()
        conn = openstack.connect(**cloud.cloud_config())
        ...
        cloud.state.servers_on('compute-0')             # direct access
        cloud.wait_idle()                               # let moves finish

It serves every API on a free loopback port from a background thread.
Pass ``transport`` (an ``oslo_messaging.Transport``, e.g. a ``fake://``
notification transport shared with the listeners of the test) or
``transport_url`` to get notifications.
"""

import fixtures

from watcher.simulator import server as server_mod


class SimulatedCloud(fixtures.Fixture):
    def __init__(self, scenario=None, transport=None, transport_url=None,
                 host='127.0.0.1', port=0):
        super().__init__()
        self._server = server_mod.SimulatorServer(
            scenario=scenario, host=host, port=port, transport=transport,
            transport_url=transport_url)
        self._started = False

    # fixtures API -----------------------------------------------------
    def _setUp(self):
        self._server.start()
        self._started = True
        self.addCleanup(self._stop_server)

    def _stop_server(self):
        if self._started:
            self._started = False
            self._server.stop()

    def start(self):
        if not self._started:
            self.setUp()
        return self

    def stop(self):
        if self._started:
            self.cleanUp()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False

    # what tests use ------------------------------------------------------
    @property
    def state(self):
        """The :class:`watcher.simulator.cloud.core.Cloud` behind the APIs."""
        return self._server.cloud

    @property
    def server(self):
        return self._server

    @property
    def url(self):
        return self._server.url

    @property
    def auth_url(self):
        return self._server.auth_url

    @property
    def prometheus_url(self):
        return self._server.url + '/prometheus'

    @property
    def metrics_url(self):
        return self._server.url + '/metrics'

    @property
    def control_url(self):
        return self._server.url + '/simulator/v1'

    def cloud_config(self):
        """Keyword arguments for ``openstack.connect(**...)`` (flat form,
        also valid as a clouds.yaml entry).
        """
        settings = self.state.settings
        return {
            'auth_type': 'password',
            'auth_url': self.auth_url,
            'username': settings['user_name'],
            'password': 'secret',
            'project_name': settings['project_name'],
            'user_domain_name': 'Default',
            'project_domain_name': 'Default',
            'region_name': settings['region'],
            'identity_api_version': '3',
        }

    def clouds_yaml_entry(self):
        """The same as a nested clouds.yaml entry (``auth:`` section)."""
        flat = self.cloud_config()
        auth = {k: flat[k] for k in ('auth_url', 'username', 'password',
                                     'project_name', 'user_domain_name',
                                     'project_domain_name')}
        return {'auth': auth, 'auth_type': 'password',
                'region_name': flat['region_name'],
                'identity_api_version': '3'}

    def wait_idle(self, timeout=10.0):
        """Wait until every migration/action in flight has finished and
        its notifications were handed to the transport.
        """
        idle = self.state.wait_idle(timeout)
        self.state.notifier.flush(timeout)
        return idle
