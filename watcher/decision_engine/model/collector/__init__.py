"""Cluster data model collectors (compute, storage, baremetal) and the
per-process :class:`~watcher.decision_engine.model.collector.manager.
CollectorManager` that owns them."""
