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

"""Shared set-up of the collector/datasource functional tests: a simulated
cloud reached through openstacksdk, with the requests it serves counted
on the server side.
"""
import threading
import time

import openstack

from watcher.simulator import fixture as sim_fixture


class RequestCount:
    """Wraps the simulator's WSGI app to count (and list) requests."""

    def __init__(self, server):
        self._lock = threading.Lock()
        self.paths = []
        httpd = server._httpd
        app = httpd.get_app()

        def counting(environ, start_response):
            with self._lock:
                self.paths.append('%s %s' % (environ['REQUEST_METHOD'],
                                             environ.get('PATH_INFO')))
            return app(environ, start_response)
        httpd.set_app(counting)

    @property
    def count(self):
        with self._lock:
            return len(self.paths)

    def reset(self):
        with self._lock:
            self.paths = []


def start_cloud(test, scenario='demo', transport=None):
    """A started SimulatedCloud (stopped at clean-up), an openstacksdk
    connection to it and a server-side request counter.
    """
    cloud = sim_fixture.SimulatedCloud(scenario=scenario,
                                       transport=transport)
    test.useFixture(cloud)
    conn = openstack.connect(**cloud.cloud_config())
    test.addCleanup(conn.close)
    return cloud, conn, RequestCount(cloud.server)


def wait_for(predicate, timeout=20.0, interval=0.02):
    """Poll ``predicate`` until true (a wait, not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def collector(test, cls, conn, **kwargs):
    """A collector on ``conn`` whose background work stops before the
    cloud does.
    """
    made = cls(connection=conn, **kwargs)
    test.addCleanup(made.stop, 30)
    return made
