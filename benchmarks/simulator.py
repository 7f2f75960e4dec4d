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

"""Benchmark of the simulated cloud: build time and paged list latency.

    python benchmarks/simulator.py [--hosts 2000] [--vms-per-host 17]
                                   [--pages 20] [--limit 1000]

Prints a small table; nothing is asserted.
"""

import argparse
import statistics
import sys
import time
import warnings

import requests

from watcher.simulator import scenario
from watcher.simulator import server as server_mod

warnings.filterwarnings('ignore')


def timed_pages(session, url, params, pages, key):
    """Follow next links for ``pages`` pages; return per-page seconds."""
    out = []
    next_url, next_params = url, params
    for _ in range(pages):
        t = time.perf_counter()
        body = session.get(next_url, params=next_params).json()
        out.append(time.perf_counter() - t)
        links = body.get(key + '_links') or []
        nxt = [ln['href'] for ln in links if ln.get('rel') == 'next']
        if not nxt:
            next_url, next_params = url, params
        else:
            next_url, next_params = nxt[0], None
    return out


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument('--hosts', type=int, default=2000)
    parser.add_argument('--vms-per-host', type=int, default=17)
    parser.add_argument('--pages', type=int, default=20)
    parser.add_argument('--limit', type=int, default=1000)
    args = parser.parse_args(argv)

    rows = []
    t = time.perf_counter()
    data = scenario.generate(hosts=args.hosts, vms_per_host=args.vms_per_host,
                             seed=1)
    rows.append(('generate scenario', time.perf_counter() - t, ''))
    t = time.perf_counter()
    cloud = scenario.build(data)
    rows.append(('build cloud', time.perf_counter() - t,
                 '%d hosts, %d servers' % (len(cloud.hosts),
                                           len(cloud.servers))))
    srv = server_mod.SimulatorServer(cloud=cloud).start()
    base = srv.url + '/compute/v2.1'
    headers = {'OpenStack-API-Version': 'compute 2.96'}
    session = requests.Session()
    session.headers.update(headers)
    try:
        for label, path, key, params in (
                ('servers/detail page', '/servers/detail', 'servers',
                 {'all_tenants': '1', 'limit': str(args.limit)}),
                ('servers/detail page (limit 100)', '/servers/detail',
                 'servers', {'all_tenants': '1', 'limit': '100'}),
                ('servers/detail?host= page', '/servers/detail', 'servers',
                 {'all_tenants': '1', 'host': 'compute-01000'}),
                ('os-hypervisors/detail page', '/os-hypervisors/detail',
                 'hypervisors', {'limit': str(args.limit)})):
            hdrs = dict(headers)
            if 'hypervisors' in path:
                hdrs['OpenStack-API-Version'] = 'compute 2.88'
            session.headers.update(hdrs)
            times = timed_pages(session, base + path, params, args.pages,
                                key)
            rows.append(('p50 ' + label, statistics.median(times),
                         'max %.3fs over %d pages' % (max(times),
                                                      len(times))))
        session.headers.update(headers)
        t = time.perf_counter()
        session.get(srv.url + '/simulator/v1/metrics',
                    params={'name': 'instance_cpu_usage', 'period': 3600})
        rows.append(('bulk instance_cpu_usage (all)',
                     time.perf_counter() - t, ''))
        t = time.perf_counter()
        session.get(srv.url + '/prometheus/api/v1/query', params={
            'query': "100 - (avg by (fqdn)(rate(node_cpu_seconds_total"
                     "{mode='idle',fqdn='compute-01000'}[300s])) * 100)"})
        rows.append(('PromQL host_cpu_usage (1 host)',
                     time.perf_counter() - t, ''))
    finally:
        srv.stop()

    width = max(len(r[0]) for r in rows)
    print('%-*s  %9s  %s' % (width, 'measure', 'seconds', 'notes'))
    for name, seconds, note in rows:
        print('%-*s  %9.3f  %s' % (width, name, seconds, note))
    return 0


if __name__ == '__main__':
    sys.exit(main())
