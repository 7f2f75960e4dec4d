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

"""Helpers shared by several strategies.

* ``filters`` - which servers may move (state, ``watcher_exclude``,
  ``optimize`` metadata), which hosts may receive, live vs cold.
* ``cluster`` - ``ClusterState``: a numpy view of a compute model (capacity
  with ratios and reserved, used, per-server demand, placement) with fit and
  anti-affinity checks and a ``move`` that keeps it consistent.
* ``load`` - server and host load from a MetricsFrame.
* ``packing`` - consolidation to the bin-packing lower bound with few moves,
  keeping destinations within their measured-load targets (headroom).
* ``actions`` - the action dicts strategies emit (migrate, disable...).
"""
