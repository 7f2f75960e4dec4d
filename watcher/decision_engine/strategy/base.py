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

"""Strategy plugin base (stevedore namespace ``watcher_strategies``).

Contract (others code against it - keep names stable):

Class attributes: ``name``, ``display_name``, ``goal_name``,
``planner = 'weight'``, ``required_models = ('compute',)`` (subset of
'compute', 'storage', 'baremetal'), ``metric_names`` (canonical metric keys
the strategy may query; the strategy state check lists them).

* ``BaseStrategy(config=None)`` - ``config`` is a mapping or an oslo.config
  group of ``[watcher_strategies.<name>]``; by default that group of CONF.
* ``get_schema()`` (classmethod) - the ``parameters_spec`` JSON schema.
* ``get_config_opts()`` (classmethod) - the strategy's oslo.config options.
* ``get_goal_name()``, ``get_display_name()``, ``get_name()``.
* ``validate_parameters(params) -> dict`` - a new dict: defaults filled
  (nested object defaults too), validated; raises
  ``exception.InvalidAuditParameters``.
* ``models_for(params) -> tuple`` - the model types this run needs,
  ``required_models`` unless the strategy's parameters decide (the audit
  pipeline builds only these).  ``params`` are validated parameters.
* ``metric_queries(params) -> list[MetricQuery]`` - what the datasource
  layer must fetch for this run: ONE query per metric for all resources.
  ``params`` are validated parameters.
* ``optional_metric_queries(params) -> list[MetricQuery]`` - metrics the
  strategy uses when a datasource answers them; their absence fails
  nothing (the frame just lacks them).
* ``execute(inputs: StrategyInput) -> Solution`` - pure: no I/O, no
  service calls; deterministic for a given input.  Subclasses implement
  ``do_execute(inputs, params, solution)``.
"""
import copy

import jsonschema
from oslo_config import cfg

from watcher.common import exception
from watcher.conf import CONF
from watcher.decision_engine.datasources.frame import MetricQuery
from watcher.decision_engine.solution import Solution


def fill_defaults(schema, params):
    """Fill ``params`` (a dict, modified) with the schema's defaults,
    recursing into object properties.
    """
    props = (schema or {}).get('properties') or {}
    for key, sub in props.items():
        if not isinstance(sub, dict):
            continue
        if key not in params and 'default' in sub:
            params[key] = copy.deepcopy(sub['default'])
        if isinstance(params.get(key), dict) and sub.get('properties'):
            fill_defaults(sub, params[key])
    return params


# JSON-schema fragments of the metric parameters several strategies share
# (one wording, one shape): ``'period': period_param(3600)``...
PERIOD_DESCRIPTION = ('The time interval in seconds for getting statistic '
                      'aggregation')


def period_param(default, description=PERIOD_DESCRIPTION):
    """The ``period`` parameter: seconds of metrics aggregated."""
    return {'description': description, 'type': 'number',
            'default': default}


def granularity_param(default=300, minimum=None):
    """The ``granularity`` parameter: seconds between two measures."""
    param = {'description': 'The time between two measures in an '
                            'aggregated timeseries of a metric.',
             'type': 'number'}
    if minimum is not None:
        param['minimum'] = minimum
    param['default'] = default
    return param


def aggregation_method_param():
    """The ``aggregation_method`` parameter: the aggregate per resource
    type (``instance``, ``compute_node``, ``node``); see ``_query``.
    """
    return {
        'description': 'Function used to aggregate multiple measures into '
                       'an aggregate. For example, the min aggregation '
                       'method will aggregate the values of different '
                       'measures to the minimum value of all the measures '
                       'in the time range.',
        'type': 'object',
        'properties': {
            'instance': {'type': 'string', 'default': 'mean'},
            'compute_node': {'type': 'string', 'default': 'mean'},
            'node': {'type': 'string', 'default': ''},
        },
        'default': {'instance': 'mean', 'compute_node': 'mean', 'node': ''},
    }


class BaseStrategy:
    name = None
    display_name = None
    goal_name = None
    planner = 'weight'
    required_models = ('compute',)
    metric_names = ()

    def __init__(self, config=None, osc=None):
        if config is None:
            config = self._default_config()
        self.config = config

    @classmethod
    def _default_config(cls):
        group = 'watcher_strategies.%s' % cls.name
        cls._register_config_opts(CONF, group)
        try:
            return CONF.get(group)
        except cfg.NoSuchOptError:  # a strategy without options
            return {}

    @classmethod
    def _register_config_opts(cls, conf, group):
        """Register the options of ``get_config_opts()`` not registered
        yet in ``group`` (those of ``watcher.conf`` come first).
        """
        for opt in cls.get_config_opts() or ():
            try:
                conf.register_opt(opt, group=group)
            except cfg.DuplicateOptError:
                # watcher.conf declares it already (its declaration wins)
                pass

    def config_value(self, key, default=None):
        """The strategy's option ``key``; ``default`` when the strategy
        declares no such option. A value the configuration file gives but
        the option rejects raises StrategyConfigurationError (the audit
        fails with it) instead of silently running on a default.
        """
        config = self.config
        if config is None:
            return default
        if isinstance(config, dict):
            return config.get(key, default)
        try:
            return getattr(config, key)
        except (cfg.NoSuchOptError, AttributeError):
            return default
        except cfg.Error as exc:
            raise exception.StrategyConfigurationError(
                strategy=self.name, reason=str(exc))

    # -- identity --------------------------------------------------------
    @classmethod
    def get_name(cls):
        return cls.name

    @classmethod
    def get_display_name(cls):
        return cls.display_name

    @classmethod
    def get_translatable_display_name(cls):
        return cls.display_name

    @classmethod
    def get_goal_name(cls):
        return cls.goal_name

    @classmethod
    def get_schema(cls):
        return {}

    @classmethod
    def get_config_opts(cls):
        return []

    # -- parameters ------------------------------------------------------
    def validate_parameters(self, params):
        if params is None:
            params = {}
        if not isinstance(params, dict):
            raise exception.InvalidAuditParameters(
                err='parameters must be an object')
        schema = self.get_schema() or {}
        params = fill_defaults(schema, copy.deepcopy(params))
        try:
            jsonschema.Draft4Validator(schema).validate(params)
        except jsonschema.ValidationError as exc:
            path = '.'.join(str(p) for p in exc.absolute_path)
            raise exception.InvalidAuditParameters(
                err='%s%s' % ('%s: ' % path if path else '', exc.message))
        except jsonschema.SchemaError as exc:
            raise exception.InvalidAuditParameters(err=str(exc))
        self.check_parameters(params)
        return params

    def check_parameters(self, params):
        """Hook for checks a JSON schema cannot express; raise
        InvalidAuditParameters.
        """

    # -- models ----------------------------------------------------------
    def models_for(self, params):
        """The model types to build for a run with ``params``."""
        return tuple(self.required_models)

    # -- metrics ---------------------------------------------------------
    def metric_queries(self, params):
        return []

    def optional_metric_queries(self, params):
        return []

    @staticmethod
    def _query(metric, resource_type, params, period_key='period',
               agg_key=None):
        period = params.get(period_key, 300)
        if isinstance(period, dict):
            period = period.get(resource_type, 300)
        aggregate = 'mean'
        methods = params.get('aggregation_method')
        if isinstance(methods, dict):
            aggregate = methods.get(agg_key or resource_type) or 'mean'
        return MetricQuery(metric=metric, resource_type=resource_type,
                           period=int(period or 300),
                           aggregate=aggregate,
                           granularity=int(params.get('granularity', 300)
                                           or 300))

    # -- execution -------------------------------------------------------
    def execute(self, inputs):
        params = self.validate_parameters(inputs.parameters)
        solution = Solution(self.goal_name, self)
        self.do_execute(inputs, params, solution)
        if (solution.efficacy_specification.get_indicators_specifications()
                and solution.indicator_values):
            solution.check_efficacy_indicators()
        return solution

    def do_execute(self, inputs, params, solution):
        raise NotImplementedError()

    def __repr__(self):
        return '<%s %s>' % (type(self).__name__, self.name)
