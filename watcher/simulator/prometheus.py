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

"""Prometheus-compatible HTTP query API, mounted at ``/prometheus`` (the
``metric-storage`` catalog endpoint, as Aetos serves it) - what Watcher's
``prometheus`` and ``aetos`` datasources call:

* ``GET|POST api/v1/query?query=<PromQL>[&time=<epoch>]`` (see
  :mod:`watcher.simulator.promql` for the supported subset);
* ``GET api/v1/targets[?state=active]``: one ``node`` target per compute
  host carrying the ``fqdn`` label, and one ``ceilometer`` target;
* ``GET api/v1/status/runtimeinfo``, ``api/v1/status/buildinfo``;
* ``GET api/v1/label/__name__/values``.
"""

import datetime

from watcher.simulator import clock
from watcher.simulator import promql
from watcher.simulator import promql_parser
from watcher.simulator import service
from watcher.simulator import wsgi


def _ok(data):
    return wsgi.json_response({'status': 'success', 'data': data})


def _bad(message, status=400, kind='bad_data'):
    return wsgi.json_response({'status': 'error', 'errorType': kind,
                               'error': message}, status=status)


def _parse_time(text):
    try:
        return float(text)
    except ValueError:
        pass
    try:
        return datetime.datetime.fromisoformat(
            text.replace('Z', '+00:00')).timestamp()
    except ValueError:
        raise promql_parser.PromQLError(
            'cannot parse %r to a valid timestamp' % text)


class PrometheusService(service.Service):
    prefix = '/prometheus'

    def routes(self):
        r = self.router
        r.add('GET', '', self.root)
        r.add('GET', '/api/v1/query', self.query)
        r.add('POST', '/api/v1/query', self.query)
        r.add('GET', '/api/v1/targets', self.targets)
        r.add('GET', '/api/v1/status/runtimeinfo', self.runtimeinfo)
        r.add('GET', '/api/v1/status/buildinfo', self.buildinfo)
        r.add('GET', '/api/v1/label/__name__/values', self.names)
        r.add('GET', '/api/v1/labels', self.labels)

    def error_body(self, exc):
        return {'status': 'error', 'errorType': 'bad_data',
                'error': exc.message}

    def root(self, req):
        return wsgi.text_response('Prometheus-compatible query API of the '
                                  'watcher simulator\n')

    def query(self, req):
        params = req.POST if req.method == 'POST' else req.GET
        text = params.get('query')
        if not text:
            return _bad('invalid parameter "query": no query given')
        try:
            t = _parse_time(params['time']) if params.get('time') else None
            data = promql.evaluate(self.cloud, text, t)
        except promql_parser.PromQLError as exc:
            return _bad('invalid parameter "query": %s' % exc)
        return _ok(data)

    def targets(self, req):
        cloud = self.cloud
        state = req.GET.get('state', 'any')
        base = req.host_url
        now = clock.isoformat(cloud.now(), micro=True) + 'Z'
        active = []
        with cloud.lock:
            for name in cloud.host_index.ids:
                h = cloud.hosts[name]
                up = h.service.state == 'up'
                url = '%s/metrics?host=%s' % (base, h.fqdn)
                active.append({
                    'discoveredLabels': {
                        '__address__': req.host, '__metrics_path__':
                            '/metrics', '__scheme__': 'http',
                        'fqdn': h.fqdn, 'job': 'node'},
                    'labels': {'fqdn': h.fqdn,
                               'instance': '%s:9100' % h.fqdn,
                               'job': 'node'},
                    'scrapePool': 'node', 'scrapeUrl': url,
                    'globalUrl': url,
                    'lastError': '' if up else 'server returned HTTP '
                                               'status 503',
                    'lastScrape': now, 'lastScrapeDuration': 0.002,
                    'health': 'up' if up else 'down',
                    'scrapeInterval': '5s', 'scrapeTimeout': '5s'})
        url = '%s/metrics?group=ceilometer' % base
        active.append({
            'discoveredLabels': {'__address__': req.host, 'job': 'ceilometer'},
            'labels': {'instance': req.host, 'job': 'ceilometer'},
            'scrapePool': 'ceilometer', 'scrapeUrl': url, 'globalUrl': url,
            'lastError': '', 'lastScrape': now, 'lastScrapeDuration': 0.01,
            'health': 'up', 'scrapeInterval': '5s', 'scrapeTimeout': '5s'})
        data = {'activeTargets': active, 'droppedTargets': []}
        if state == 'dropped':
            data['activeTargets'] = []
        return _ok(data)

    def runtimeinfo(self, req):
        cloud = self.cloud
        started = clock.isoformat(cloud.started_at, micro=True) + 'Z'
        return _ok({'startTime': started, 'CWD': '/',
                    'reloadConfigSuccess': True, 'lastConfigTime': started,
                    'corruptionCount': 0, 'goroutineCount': 42,
                    'GOMAXPROCS': 2, 'GOGC': '', 'GODEBUG': '',
                    'storageRetention': '15d'})

    def buildinfo(self, req):
        return _ok({'version': '2.42.0', 'revision': 'simulator',
                    'branch': 'simulator', 'buildUser': 'watcher',
                    'buildDate': '20230101-00:00:00', 'goVersion': 'none'})

    def names(self, req):
        return _ok(sorted(promql.SERIES_NAMES))

    def labels(self, req):
        return _ok(sorted({'__name__', 'counter', 'cpu', 'fqdn', 'instance',
                           'job', 'memory', 'mode', 'project',
                           'project_name', 'publisher', 'resource',
                           'resource_name', 'server_group', 'type', 'unit',
                           'user', 'user_name', 'vm_instance'}))
