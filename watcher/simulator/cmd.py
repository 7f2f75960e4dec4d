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

"""``watcher-simulator``: serve a simulated OpenStack cloud on loopback.

::

    watcher-simulator --host 127.0.0.1 --port 5000 [--scenario FILE|NAME]
                      [--generate hosts=2000,vms_per_host=15,hot_share=0.1]
                      [--transport-url fake://|rabbit://...]
                      [--list-scenarios] [--check]

No scenario means the bundled demo.  ``--check`` only validates the
scenario and prints a summary.
"""

import argparse
import logging
import signal
import sys
import time

from watcher.simulator import errors
from watcher.simulator import notifications
from watcher.simulator import scenario as scenario_mod
from watcher.simulator import server as server_mod


def build_parser():
    parser = argparse.ArgumentParser(
        prog='watcher-simulator',
        description='Serve a simulated OpenStack cloud (Keystone, Nova, '
                    'Placement, Cinder, Ironic, Prometheus) over HTTP.')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=5000,
                        help='0 picks a free port')
    parser.add_argument('--scenario', default=None,
                        help='YAML file or bundled scenario name '
                             '(default: demo)')
    parser.add_argument('--generate', default=None,
                        help='generate a large cloud: key=value list, e.g. '
                             'hosts=2000,vms_per_host=15,hot_share=0.1,'
                             'seed=1,flavors=m1.small:3/m1.large:1')
    parser.add_argument('--transport-url', default=None,
                        help='oslo.messaging URL for notifications')
    parser.add_argument('--list-scenarios', action='store_true')
    parser.add_argument('--check', action='store_true',
                        help='validate the scenario, print a summary, exit')
    parser.add_argument('--debug', action='store_true')
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.INFO,
                        format='%(asctime)s %(levelname)s %(message)s')
    if args.list_scenarios:
        for name in scenario_mod.bundled():
            print(name)
        return 0
    try:
        if args.generate:
            data = scenario_mod.generate(
                **scenario_mod.parse_generate_spec(args.generate))
        else:
            data = args.scenario
        started = time.monotonic()
        cloud = scenario_mod.build(
            data, notifier=notifications.Notifications(
                transport_url=args.transport_url))
        took = time.monotonic() - started
    except errors.ScenarioError as exc:
        print('watcher-simulator: invalid scenario: %s' % exc,
              file=sys.stderr)
        return 2
    summary = ('scenario %s: %d hosts, %d servers, %d volumes, %d ironic '
               'nodes (built in %.2fs)' % (
                   cloud.name, len(cloud.hosts), len(cloud.servers),
                   len(cloud.volumes), len(cloud.nodes), took))
    if args.check:
        print(summary)
        cloud.stop_background()
        return 0
    server = server_mod.SimulatorServer(cloud=cloud, host=args.host,
                                        port=args.port)
    server.start()
    print(summary)
    print('auth_url: %s' % server.auth_url)
    print('username: admin  password: <anything>  project: %s  '
          'domains: Default  region: %s'
          % (cloud.settings['project_name'], cloud.settings['region']))
    print('metrics:  %s/metrics  prometheus API: %s/prometheus  control: '
          '%s/simulator/v1' % (server.url, server.url, server.url))
    sys.stdout.flush()

    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    try:
        while not stop:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    server.stop()
    return 0


if __name__ == '__main__':  # pragma: no cover
    sys.exit(main())
