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
