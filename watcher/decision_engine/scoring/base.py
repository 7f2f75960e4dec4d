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

"""Scoring engine plugin bases.

* ``ScoringEngine`` (namespace ``watcher_scoring_engines``):
  ``get_name()`` (unique id), ``get_description()``, ``get_metainfo()``
  (string, usually JSON: feature/result column names),
  ``calculate_score(features)``.  ``features`` is a list of floats or a
  JSON string of one; the result has the same form (list / JSON string).
* ``ScoringEngineContainer`` (namespace
  ``watcher_scoring_engine_containers``): ``get_scoring_engine_list()``
  (classmethod) -> list of ScoringEngine instances; lets one plugin expose
  a dynamic set of engines.
"""
import json


class ScoringEngine:
    def __init__(self, config=None):
        self.config = config

    def get_name(self):
        raise NotImplementedError()

    def get_description(self):
        return ''

    def get_metainfo(self):
        return ''

    def score(self, features):
        """Compute the result from a list of floats (subclasses)."""
        raise NotImplementedError()

    def calculate_score(self, features):
        if isinstance(features, str):
            return json.dumps(self.score(json.loads(features)))
        return self.score(list(features))

    @classmethod
    def get_config_opts(cls):
        return []

    def __repr__(self):
        return '<ScoringEngine %s>' % self.get_name()


class ScoringEngineContainer:
    @classmethod
    def get_scoring_engine_list(cls):
        raise NotImplementedError()

    @classmethod
    def get_config_opts(cls):
        return []
