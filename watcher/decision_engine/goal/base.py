"""Goal plugin base (stevedore namespace ``watcher_goals``).

A goal class carries ``name``, ``display_name`` and ``efficacy_spec_class``;
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
