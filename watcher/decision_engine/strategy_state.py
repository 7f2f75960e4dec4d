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

"""Can a strategy run here? (``GET /v1/strategies/{name}/state``).

Seam for the decision engine manager::

    from watcher.decision_engine import strategy_state
    rows = strategy_state.get_strategy_state(context, 'basic')
    # get_strategy_info is the same function under the manager's name

The answer is the list of four rows the upstream API returns, each
``{"type", "state", "mandatory", "comment"}``:

``Datasource`` (mandatory)
    ``"Datasource is not presented for this strategy"`` when the strategy
    reads no metric or no datasource is configured for it; otherwise
    ``"available"`` when one of its datasources (``[watcher_strategies.
    <name>] datasources`` or ``[watcher_datasources] datasources``, in that
    order of preference) answers, else ``"not available"``. The comment
    names the datasource(s) checked and why one is unusable.
``Metrics`` (not mandatory)
    ``[{metric: "available" | "not available"}, ...]`` for each metric the
    strategy may read (``strategy.metric_names``): available when some
    configured datasource lists it.
``CDM`` (mandatory)
    ``[{"compute_model": ...}, {"storage_model": ...},
    {"baremetal_model": ...}]``: whether each cluster data model can be
    had from its collector (built on demand, as an audit would).
``Name``
    the strategy name (``mandatory`` is ``""`` as upstream answers).

An unknown strategy raises ``StrategyNotFound``.
"""
from oslo_log import log

from watcher.common import exception
from watcher.decision_engine.datasources import manager as datasources
from watcher.decision_engine import loading
from watcher.decision_engine.model.collector import manager as collectors

LOG = log.getLogger(__name__)

AVAILABLE = 'available'
NOT_AVAILABLE = 'not available'
NO_DATASOURCE = 'Datasource is not presented for this strategy'

MODEL_TYPES = ('compute', 'storage', 'baremetal')


def _row(type_, state, mandatory, comment=''):
    return {'type': type_, 'state': state, 'mandatory': mandatory,
            'comment': comment}


def _strategy_class(strategy_name):
    try:
        return loading.get_class(loading.STRATEGIES, strategy_name)
    except exception.LoadingError:
        raise exception.StrategyNotFound(strategy=strategy_name)


def _datasource_manager(strategy_name):
    return datasources.DataSourceManager(strategy_name)


def datasource_rows(strategy_name, metric_names, ds_manager=None):
    """The ``Datasource`` and ``Metrics`` rows."""
    metric_names = list(dict.fromkeys(metric_names or ()))
    if not metric_names:
        return (_row('Datasource', NO_DATASOURCE, True),
                _row('Metrics', [], False))
    try:
        ds_manager = ds_manager or _datasource_manager(strategy_name)
    except exception.WatcherException as exc:
        return (_row('Datasource', NOT_AVAILABLE, True, str(exc)),
                _row('Metrics', [{m: NOT_AVAILABLE} for m in metric_names],
                     False))
    if not ds_manager.datasources:
        return (_row('Datasource', NO_DATASOURCE, True),
                _row('Metrics', [{m: NOT_AVAILABLE} for m in metric_names],
                     False))

    availability = ds_manager.check_availability()
    usable = [name for name in ds_manager.datasources
              if availability.get(name) == AVAILABLE]
    failed = getattr(ds_manager, 'failed', {}) or {}
    if usable:
        state = AVAILABLE
        comment = 'datasource %s' % usable[0]
    else:
        state = NOT_AVAILABLE
        comment = '; '.join(
            '%s: %s' % (name, failed.get(name, NOT_AVAILABLE))
            for name in ds_manager.datasources)
    try:
        status = ds_manager.metric_status(metric_names)
    except Exception as exc:
        LOG.warning('Cannot list the metrics of %s: %s', strategy_name, exc)
        status = {}
    metrics = []
    for metric in metric_names:
        offered = status.get(metric, {})
        metrics.append({metric: AVAILABLE if any(
            offered.get(name) for name in usable) else NOT_AVAILABLE})
    return (_row('Datasource', state, True, comment),
            _row('Metrics', metrics, False))


def _model_available(model_type):
    try:
        collector = collectors.CollectorManager().get_cluster_model_collector(
            model_type)
        if collector.is_built:
            return True
        return collector.get_latest_cluster_data_model() is not None
    except Exception as exc:
        LOG.info('The %s model is not available: %s', model_type, exc)
        return False


def cdm_row(model_available=None):
    """The ``CDM`` row."""
    check = model_available or _model_available
    return _row('CDM', [
        {'%s_model' % model_type: AVAILABLE if check(model_type)
         else NOT_AVAILABLE} for model_type in MODEL_TYPES], True)


def get_strategy_state(context, strategy_name, ds_manager=None,
                       model_available=None):
    """The four requirement rows of ``strategy_name`` (module doc)."""
    cls = _strategy_class(strategy_name)
    metric_names = getattr(cls, 'metric_names', ()) or ()
    datasource, metrics = datasource_rows(strategy_name, metric_names,
                                          ds_manager=ds_manager)
    return [datasource, metrics, cdm_row(model_available),
            _row('Name', strategy_name, '')]


#: The name :mod:`watcher.decision_engine.manager` looks up.
get_strategy_info = get_strategy_state
