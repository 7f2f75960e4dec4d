"""ONESHOT audits: one run, PENDING -> ONGOING -> SUCCEEDED (or FAILED)."""
from watcher.decision_engine.audit import base


class OneShotAuditHandler(base.AuditHandler):
    """Runs a PENDING one-shot audit once; any other state is left alone."""

    audit_type = base.AUDIT_TYPE.ONESHOT
    claimable_states = (base.AUDIT_STATE.PENDING,)
