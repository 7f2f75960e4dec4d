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

"""The input of a strategy run (``BaseStrategy.execute(inputs)``).

``StrategyInput(compute_model, storage_model=None, baremetal_model=None,
metrics=MetricsFrame(), parameters={}, audit_scope=[], scorer=None,
previous_actions=())``

* the models are scoped copies the strategy may read (and mutate: the audit
  pipeline gives each run its own copy);
* ``metrics`` holds the answers to ``strategy.metric_queries(parameters)``;
* ``parameters`` are the audit parameters (``execute`` validates them and
  fills the defaults again, so raw parameters are accepted too);
* ``scorer`` - optional callable ``name -> scoring engine`` (defaults to
  ``watcher.decision_engine.scoring.scoring_factory.get_scoring_engine``);
* ``previous_actions`` - optional list of ``{'action_type',
  'input_parameters', 'state'}`` dicts of the audit's previous action plan
  (continuous audits), used by strategies that learn from failures.

This is only the input type; the audit pipeline that fills it lives in
``watcher.decision_engine.audit``.
"""
import dataclasses
import typing

from watcher.decision_engine.datasources import frame as frame_mod


@dataclasses.dataclass
class StrategyInput:
    compute_model: typing.Any = None
    storage_model: typing.Any = None
    baremetal_model: typing.Any = None
    metrics: frame_mod.MetricsFrame = dataclasses.field(
        default_factory=frame_mod.MetricsFrame)
    parameters: dict = dataclasses.field(default_factory=dict)
    audit_scope: list = dataclasses.field(default_factory=list)
    scorer: typing.Any = None
    previous_actions: typing.Sequence = ()
