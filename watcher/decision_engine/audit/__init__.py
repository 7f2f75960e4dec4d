"""The audit pipeline: from an audit to a recommended action plan.

Modules
-------
``dispatcher``
    The seam the decision engine's RPC manager calls (``execute_audit``,
    ``trigger_event_audit``, ``start``/``stop``); owns the audit worker pool.
``base``
    :class:`~watcher.decision_engine.audit.base.AuditHandler`, the pipeline
    every audit type shares (claim, force check, strategy, models, metrics,
    planner, storage, superseding, auto-trigger, failure reporting).
``oneshot``, ``continuous``, ``event``
    The three audit types.
``selection``
    Which strategy an audit runs.
``scheduling``
    Interval/cron arithmetic and the start/end window (pure functions).
``superseding``
    RECOMMENDED plans that a newer plan or time made stale.
"""
