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
