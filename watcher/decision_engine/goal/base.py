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

"""Goal plugin base (stevedore namespace ``watcher_goals``).

A goal class carries ``name``, ``display_name``, ``efficacy_spec_class`` and
``default_strategy``;
``get_efficacy_specification()`` returns an instance whose
``serialize_indicators_specifications()`` is the goal's published
``efficacy_specification`` and whose ``get_global_efficacy_indicator()``
turns indicator values into the global efficacy list.
"""
from watcher.decision_engine.goal.efficacy import specs


class Goal:
    name = None
    display_name = None
    efficacy_spec_class = specs.Unclassified
    #: the strategy an audit that names only this goal runs, when it is
    #: installed; None: the goal's first strategy by name (upstream's
    #: choice: the order of the installed entry points)
    default_strategy = None

    def __init__(self, config=None):
        self.config = config

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
    def get_efficacy_specification(cls):
        return cls.efficacy_spec_class()

    @property
    def efficacy_specification(self):
        return self.get_efficacy_specification()

    @classmethod
    def get_config_opts(cls):
        return []
