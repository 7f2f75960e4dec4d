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

"""The ``simulator`` datasource: the simulated cloud's bulk metrics API.

``GET <endpoint>/simulator/v1/metrics?name=&resource_type=&period=&
aggregate=&granularity=`` answers one metric for every resource at once
(see ``watcher/simulator/metrics_api.py``): host figures keyed by host
name, instance figures by server uuid.  The endpoint is
``[simulator_client] endpoint``; when unset it comes from the catalog of
the cloud credentials: a ``simulator`` service if there is one, else the
root of the identity endpoint (the simulator serves every API on one
port, Keystone under ``/identity``).
"""
from urllib import parse

from keystoneauth1 import adapter as ka_adapter
from oslo_log import log
import requests

from watcher.common import clients
from watcher.common import exception
from watcher.decision_engine.datasources import base

LOG = log.getLogger(__name__)

API_PATH = '/simulator/v1/metrics'
TIMEOUT = 30


def endpoint_from_catalog(session):
    for service_type in ('simulator', 'identity'):
        try:
            url = ka_adapter.Adapter(
                session=session, service_type=service_type,
                interface='public').get_endpoint()
        except Exception:
            url = None
        if not url:
            continue
        if service_type == 'identity':
            parts = parse.urlsplit(url)
            path = parts.path
            cut = path.find('/identity')
            path = path[:cut] if cut >= 0 else ''
            url = parse.urlunsplit((parts.scheme, parts.netloc, path, '',
                                    ''))
        return url.rstrip('/')
    return None


class SimulatorHelper(base.DataSourceBase):
    NAME = 'simulator'
    METRIC_MAP = {m: m for m in base.METRIC_RESOURCE_TYPES}
    NO_RETRY = (exception.DataSourceNotAvailable,)

    def __init__(self, metric_map=None, conf=None, endpoint=None,
                 session=None):
        super().__init__(metric_map=metric_map, conf=conf)
        endpoint = endpoint or self.conf.simulator_client.endpoint
        if not endpoint:
            endpoint = endpoint_from_catalog(
                clients.get_connection().session)
        if not endpoint:
            raise exception.DataSourceNotAvailable(
                datasource=self.NAME,
                reason='[simulator_client] endpoint is not set and the '
                       'catalog has no simulator endpoint')
        self.endpoint = endpoint.rstrip('/')
        self.session = session or requests.Session()

    def _get(self, params=None):
        self.queries_sent += 1
        resp = self.session.get(self.endpoint + API_PATH, params=params,
                                timeout=TIMEOUT)
        if resp.status_code == 400:
            raise exception.InvalidParameterValue(
                err='simulator refused the query: %s' % resp.text[:300])
        resp.raise_for_status()
        return resp.json()

    def fetch_metric(self, query, resources):
        name = self.metric_map.get(query.metric)
        if name is None:
            raise exception.MetricNotAvailable(metric=query.metric,
                                               datasources=self.NAME)
        body = self.query_retry(self._get, {
            'name': name, 'resource_type': query.resource_type,
            'period': int(query.period), 'aggregate': query.aggregate,
            'granularity': int(query.granularity or 300)})
        values = body.get('values') or {}
        result = {}
        host_metric = query.resource_type == 'compute_node'
        for resource in resources:
            ident = (base.host_name(resource) if host_metric
                     else base.resource_key(resource))
            value = values.get(ident)
            if value is None:
                continue
            if query.metric == 'host_ram_usage':
                value = float(value) / 1024.0      # KiB -> MiB
            result[base.resource_key(resource)] = float(value)
        return result

    def check_availability(self):
        try:
            self._get()
            return base.AVAILABLE
        except Exception as exc:
            LOG.warning('simulator metrics API not available: %s', exc)
            return base.NOT_AVAILABLE

    def list_metrics(self):
        try:
            return {m.get('name') for m in self._get().get('metrics', [])}
        except Exception as exc:
            LOG.warning('simulator metrics cannot be listed: %s', exc)
            return set()
