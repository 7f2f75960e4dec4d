"""Find scoring engines by name across plugins and containers.

* ``get_scoring_engine(name)`` -> ScoringEngine; raises
  ``exception.ScoringEngineNotFound``.
* ``get_scoring_engine_list()`` -> list of ScoringEngine (plugins first,
  then each container's engines); re-read on every call so containers may
  add or remove engines without a restart (stevedore classes are cached).
"""
from watcher.common import exception
from watcher.decision_engine import loading


def get_scoring_engine_list():
    engines = []
    for _name, cls in loading.list_available(
            loading.SCORING_ENGINES).items():
        engines.append(cls())
    for _name, cls in loading.list_available(
            loading.SCORING_ENGINE_CONTAINERS).items():
        engines.extend(cls.get_scoring_engine_list())
    return engines


def get_scoring_engine(name):
    for engine in get_scoring_engine_list():
        if engine.get_name() == name:
            return engine
    raise exception.ScoringEngineNotFound(scoring_engine=name)
