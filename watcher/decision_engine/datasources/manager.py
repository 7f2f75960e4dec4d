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

"""Datasource selection and bulk metric fetching.

Seam for the audit pipeline::

    from watcher.decision_engine.datasources import manager
    frame = manager.DataSourceManager(strategy_name).fetch(
        strategy.metric_queries(params), compute_model)

* The preference list is ``[watcher_strategies.<strategy>] datasources``
  when set, else ``[watcher_datasources] datasources``; listing both
  ``prometheus`` and ``aetos`` raises ``DataSourceConfigConflict``.
* ``get_backend(metrics)`` returns the first datasource of the list that
  offers EVERY metric (per-strategy, not per-metric, selection).  A
  datasource whose construction fails (server down, no catalog entry,
  missing option) is skipped and the next one tried; when none fits,
  ``MetricNotAvailable`` names the first missing metric and the
  datasources tried.
* ``fetch(queries, compute_model)`` sends ONE backend query per distinct
  (metric, resource type, period, aggregate) covering every node or
  instance of the model, and returns a ``MetricsFrame`` (its
  ``queries_issued`` counts the backend queries sent).  Answers are cached
  by the manager (one manager per audit run means a per-audit cache).  A
  query that fails on the chosen backend is retried on the next datasource
  offering the metrics; if none answers, the frame records the error in
  ``frame.errors`` and the values are empty.
* ``check_availability()`` / ``list_metrics()`` -> per configured
  datasource (strategy state check).

Metric map file: ``[watcher_decision_engine] metric_map_path`` (YAML, keys
are datasource names, values override ``METRIC_MAP`` entries); an
unreadable or invalid file is logged and ignored.
"""
import os

from oslo_log import log
from stevedore import driver
import yaml

from watcher.common import exception
from watcher.conf import CONF
from watcher.decision_engine.datasources import base
from watcher.decision_engine.datasources import frame as frame_mod

LOG = log.getLogger(__name__)

NAMESPACE = 'watcher_datasources'


def load_metric_map(path=None):
    """The metric map file as ``{datasource: {metric: name}}`` (or {})."""
    path = path or CONF.watcher_decision_engine.metric_map_path
    if not path or not os.path.exists(path):
        return {}
    try:
        with open(path) as fobj:
            data = yaml.safe_load(fobj) or {}
    except (OSError, yaml.YAMLError) as exc:
        LOG.warning('Metric map %s cannot be read (%s); ignored', path, exc)
        return {}
    if not isinstance(data, dict):
        LOG.warning('Metric map %s is not a mapping; ignored', path)
        return {}
    result = {}
    for name, mapping in data.items():
        if isinstance(mapping, list):       # the spec's list-of-dicts form
            merged = {}
            for item in mapping:
                if isinstance(item, dict):
                    merged.update(item)
            mapping = merged
        if not isinstance(mapping, dict):
            LOG.warning('Metric map %s: entry %s is not a mapping; ignored',
                        path, name)
            continue
        result[str(name)] = mapping
    return result


def merge_metric_map(defaults, overrides):
    """``defaults`` updated recursively with ``overrides`` (new dict)."""
    merged = dict(defaults or {})
    for key, value in (overrides or {}).items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge_metric_map(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_datasource_class(name):
    try:
        return driver.DriverManager(NAMESPACE, name,
                                    invoke_on_load=False).driver
    except Exception as exc:
        raise exception.LoadingError(name=name) from exc


def preference_list(strategy_name=None, conf=CONF):
    names = None
    if strategy_name:
        group = 'watcher_strategies.%s' % strategy_name
        try:
            names = getattr(conf, group).datasources
        except (AttributeError, Exception):
            names = None
    if not names:
        names = conf.watcher_datasources.datasources
    return list(names or [])


class DataSourceManager:
    """Picks datasources and fetches metric frames (module docstring)."""

    def __init__(self, strategy_name=None, datasources=None, conf=CONF,
                 metric_map=None, helpers=None):
        self.conf = conf
        self.strategy_name = strategy_name
        self.datasources = (list(datasources) if datasources is not None
                            else preference_list(strategy_name, conf))
        if 'prometheus' in self.datasources and 'aetos' in self.datasources:
            raise exception.DataSourceConfigConflict(
                datasource_one='prometheus', datasource_two='aetos')
        self.metric_map = (load_metric_map() if metric_map is None
                           else metric_map)
        self._helpers = dict(helpers or {})   # name -> helper instance
        self._failed = {}                     # name -> reason
        self._cache = {}

    # -- backends --------------------------------------------------------
    def get_helper(self, name):
        """The datasource ``name`` (created once); None if it cannot be
        created (the reason is kept in ``failed``).
        """
        if name in self._helpers:
            return self._helpers[name]
        if name in self._failed:
            return None
        try:
            cls = load_datasource_class(name)
            defaults = getattr(cls, 'METRIC_MAP', {})
            overrides = self.metric_map.get(name) or {}
            helper = cls(metric_map=merge_metric_map(defaults, overrides),
                         conf=self.conf)
        except Exception as exc:
            LOG.warning('Datasource %s is not usable: %s', name, exc)
            self._failed[name] = str(exc) or type(exc).__name__
            return None
        self._helpers[name] = helper
        return helper

    @property
    def failed(self):
        return dict(self._failed)

    def _candidates(self, metrics):
        for name in self.datasources:
            helper = self.get_helper(name)
            if helper is not None and not helper.missing_metrics(metrics):
                yield name, helper

    def get_backend(self, metrics):
        """The first datasource offering every metric of ``metrics``."""
        metrics = list(dict.fromkeys(metrics))
        for _name, helper in self._candidates(metrics):
            return helper
        raise self._not_available(metrics)

    def _not_available(self, metrics):
        missing = None
        for name in self.datasources:
            helper = self._helpers.get(name)
            if helper is not None:
                gaps = helper.missing_metrics(metrics)
                if gaps:
                    missing = missing or gaps[0]
        tried = ', '.join(
            '%s%s' % (n, ' (%s)' % self._failed[n] if n in self._failed
                      else '') for n in self.datasources) or 'none configured'
        return exception.MetricNotAvailable(
            metric=missing or ', '.join(metrics), datasources=tried)

    # -- bulk fetching ---------------------------------------------------
    @staticmethod
    def resources_for(query, compute_model):
        if compute_model is None:
            return []
        if query.resource_type == 'compute_node':
            return list(compute_model.get_all_compute_nodes().values())
        if query.resource_type == 'instance':
            return list(compute_model.get_all_instances().values())
        raise exception.InvalidParameterValue(
            err='Resource type %s has no bulk source in the compute model'
            % query.resource_type)

    def fetch(self, queries, compute_model, frame=None):
        """A ``MetricsFrame`` answering every query (module docstring)."""
        frame = frame if frame is not None else frame_mod.MetricsFrame()
        queries = list(dict.fromkeys(queries or ()))
        if not queries:
            return frame
        metrics = [q.metric for q in queries]
        candidates = list(self._candidates(list(dict.fromkeys(metrics))))
        if not candidates:
            raise self._not_available(metrics)
        for query in queries:
            resources = self.resources_for(query, compute_model)
            errors = []
            for name, helper in candidates:
                key = (name, query)
                if key in self._cache:
                    frame.set(query, self._cache[key])
                    break
                before = helper.queries_sent
                try:
                    values = helper.fetch_metric(query, resources)
                except Exception as exc:
                    frame.queries_issued += helper.queries_sent - before
                    LOG.warning('%s could not answer %s: %s', name, query,
                                exc)
                    errors.append('%s: %s' % (name, exc))
                    continue
                frame.queries_issued += helper.queries_sent - before
                self._cache[key] = values
                frame.set(query, values)
                break
            else:
                frame.errors[query] = '; '.join(errors)
                frame.set(query, {})
        return frame

    # -- strategy state --------------------------------------------------
    def check_availability(self):
        """``{name: 'available' | 'not available'}`` per datasource."""
        result = {}
        for name in self.datasources:
            helper = self.get_helper(name)
            if helper is None:
                result[name] = base.NOT_AVAILABLE
                continue
            try:
                result[name] = helper.check_availability()
            except Exception as exc:
                LOG.warning('Availability check of %s failed: %s', name, exc)
                result[name] = base.NOT_AVAILABLE
        return result

    def list_metrics(self):
        """``{name: set of metric names}`` per usable datasource."""
        result = {}
        for name in self.datasources:
            helper = self.get_helper(name)
            if helper is None:
                result[name] = set()
                continue
            try:
                result[name] = set(helper.list_metrics())
            except Exception as exc:
                LOG.warning('Listing the metrics of %s failed: %s', name,
                            exc)
                result[name] = set()
        return result

    def metric_status(self, metrics):
        """``{metric: {datasource: bool}}``: is each metric's mapped name
        present in each datasource (strategy state report).
        """
        listed = self.list_metrics()
        status = {}
        for metric in metrics:
            status[metric] = {}
            for name in self.datasources:
                helper = self._helpers.get(name)
                mapped = helper.metric_map.get(metric) if helper else None
                status[metric][name] = bool(mapped) and \
                    mapped in listed.get(name, set())
        return status
