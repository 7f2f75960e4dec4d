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

"""The ``grafana`` datasource: queries sent through Grafana's datasource
proxy (``[grafana_client] base_url``, ending in ``/api/datasources/
proxy/``) with a bearer ``token``.

Each metric needs five settings - ``project`` (the Grafana datasource id),
``db``, ``attribute`` (the model attribute a query matches, e.g.
``hostname`` or ``uuid``), ``translator`` (``influxdb``) and ``query`` (a
template) - from the ``[grafana_client] *_map`` options or from the
``grafana:`` section of the metric map file::

    grafana:
      host_cpu_usage:
        project: 7
        db: telegraf
        attribute: hostname
        translator: influxdb
        query: >-
          SELECT 100-{0}("usage_idle") FROM {3}.cpu
          WHERE ("host" =~ /^{1}$/ AND time >= now()-{2}m)

Templates: ``{0}`` aggregate, ``{1}`` the attribute value, ``{2}`` period
in minutes, ``{3}`` the InfluxDB retention policy (the shortest of
``[grafana_translators] retention_periods`` covering the period).  A
template must answer in the frame's unit for its metric.

Bulk: when the template matches its attribute as ``"<tag>" =~ /^{1}$/``,
ONE query serves every resource: ``{1}`` becomes ``(a|b|...)`` and the
query is grouped by ``<tag>``; other templates fall back to one query per
resource (logged).
"""
import re

from oslo_log import log
import requests

from watcher.common import exception
from watcher.decision_engine.datasources import base

LOG = log.getLogger(__name__)

FIELDS = ('project', 'db', 'attribute', 'translator', 'query')
TRANSLATORS = ('influxdb',)
_TAG_MATCH = re.compile(r'"([A-Za-z0-9_.\-]+)"\s*=~\s*/\^\{1\}\$/')


class InfluxDBTranslator:
    """Builds InfluxQL from a query template and reads the answers."""

    def __init__(self, retention_periods):
        self.retention_periods = sorted(
            ((int(v), k) for k, v in (retention_periods or {}).items()))

    def retention(self, period):
        for seconds, name in self.retention_periods:
            if seconds >= period:
                return name
        return self.retention_periods[-1][1] if self.retention_periods \
            else 'autogen'

    def build(self, template, aggregate, value, period):
        return template.format(aggregate, value, max(1, int(period) // 60),
                               self.retention(int(period)))

    @staticmethod
    def group_tag(template):
        match = _TAG_MATCH.search(template)
        return match.group(1) if match else None

    def build_bulk(self, template, aggregate, values, period):
        tag = self.group_tag(template)
        if tag is None:
            return None, None
        alternation = '(%s)' % '|'.join(re.escape(str(v)) for v in values)
        query = self.build(template, aggregate, alternation, period)
        if re.search(r'\bGROUP BY\b', query, re.IGNORECASE):
            query = re.sub(r'(\bGROUP BY\b)', r'\1 "%s",' % tag, query,
                           count=1, flags=re.IGNORECASE)
        else:
            query = '%s GROUP BY "%s"' % (query.rstrip().rstrip(';'), tag)
        return query, tag

    @staticmethod
    def values(body, tag=None):
        """{tag value (or None): last non-null value} of an answer."""
        out = {}
        for result in body.get('results') or ():
            for series in result.get('series') or ():
                key = (series.get('tags') or {}).get(tag) if tag else None
                columns = series.get('columns') or []
                for row in reversed(series.get('values') or []):
                    numbers = [v for c, v in zip(columns, row)
                               if c != 'time' and v is not None]
                    if numbers:
                        out[key] = float(numbers[-1])
                        break
        return out


class GrafanaHelper(base.DataSourceBase):
    NAME = 'grafana'
    METRIC_MAP = {}

    def __init__(self, metric_map=None, conf=None, session=None):
        super().__init__(metric_map=None, conf=conf)
        opts = self.conf.grafana_client
        if not opts.base_url or not opts.token:
            raise exception.MissingParameter(
                parameter='[grafana_client] base_url and token')
        self.base_url = opts.base_url if opts.base_url.endswith('/') \
            else opts.base_url + '/'
        self.timeout = opts.http_timeout
        self.session = session or requests.Session()
        self.session.headers['Authorization'] = 'Bearer %s' % opts.token
        self.translator = InfluxDBTranslator(
            self.conf.grafana_translators.retention_periods)
        self.settings = self._settings(opts, metric_map or {})
        self.metric_map = {m: (s if s else None)
                           for m, s in self.settings.items()}

    @staticmethod
    def _settings(opts, file_map):
        maps = {'project': opts.project_id_map or {},
                'db': opts.database_map or {},
                'attribute': opts.attribute_map or {},
                'translator': opts.translator_map or {},
                'query': opts.query_map or {}}
        metrics = set(base.METRIC_RESOURCE_TYPES) | set(file_map)
        settings = {}
        for metric in metrics:
            item = {f: maps[f].get(metric) for f in FIELDS}
            override = file_map.get(metric)
            if isinstance(override, dict):
                item.update({f: override[f] for f in FIELDS
                             if override.get(f) is not None})
            complete = all(item.get(f) for f in FIELDS) and \
                item['translator'] in TRANSLATORS
            settings[metric] = item if complete else None
        return settings

    def _request(self, project, db, query):
        self.queries_sent += 1
        resp = self.session.get(
            '%s%s/query' % (self.base_url, project),
            params={'db': db, 'q': query, 'epoch': 'ms'},
            timeout=self.timeout)
        resp.raise_for_status()
        return resp.json()

    def fetch_metric(self, query, resources):
        setting = self.settings.get(query.metric)
        if not setting:
            raise exception.MetricNotAvailable(metric=query.metric,
                                               datasources=self.NAME)
        resources = list(resources)
        if not resources:
            return {}
        attr = setting['attribute']
        by_value = {}
        for resource in resources:
            value = getattr(resource, attr, None)
            if value is not None:
                by_value[str(value)] = resource
        bulk, tag = self.translator.build_bulk(
            setting['query'], query.aggregate, sorted(by_value),
            query.period)
        result = {}
        if bulk is not None:
            body = self.query_retry(self._request, setting['project'],
                                    setting['db'], bulk)
            for value, number in self.translator.values(body, tag).items():
                resource = by_value.get(value)
                if resource is not None:
                    result[base.resource_key(resource)] = number
            return result
        LOG.warning('grafana: the %s template cannot be grouped; one query '
                    'per resource is sent', query.metric)
        for value, resource in by_value.items():
            text = self.translator.build(setting['query'], query.aggregate,
                                         value, query.period)
            body = self.query_retry(self._request, setting['project'],
                                    setting['db'], text)
            answer = self.translator.values(body)
            if None in answer:
                result[base.resource_key(resource)] = answer[None]
        return result

    def check_availability(self):
        try:
            self.queries_sent += 1
            resp = self.session.get(self.base_url.split(
                '/api/datasources/proxy')[0] + '/api/health',
                timeout=self.timeout)
            return base.AVAILABLE if resp.ok else base.NOT_AVAILABLE
        except Exception as exc:
            LOG.warning('grafana is not available: %s', exc)
            return base.NOT_AVAILABLE

    def list_metrics(self):
        return {m for m, s in self.settings.items() if s}
