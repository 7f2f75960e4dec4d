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

"""A simulated OpenStack cloud on loopback (Keystone, Nova, Placement,
Cinder, Ironic, Prometheus), backed by one in-memory cloud state.

It stands for an outside cloud: nothing here imports the rest of
``watcher``.  Entry points:

* :class:`watcher.simulator.server.SimulatorServer` - serve a scenario on a
  host/port from a background thread (``start()``, ``stop()``, ``url``,
  ``auth_url``, ``cloud``); used by ``watcher-all``.
* :class:`watcher.simulator.fixture.SimulatedCloud` - the same as a test
  fixture / context manager with ``cloud_config()`` for openstacksdk.
* :mod:`watcher.simulator.scenario` - scenario files, validation and the
  large-cloud generator.
* :mod:`watcher.simulator.metrics_api` - the bulk JSON metrics contract of
  the ``simulator`` datasource.
* ``watcher-simulator`` (:mod:`watcher.simulator.cmd`) - the command.
"""
