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

"""EVENT audits: idle until a webhook triggers them, then one run per trigger.

* Creating an EVENT audit runs nothing; it stays PENDING.
* Each trigger (``POST /v1/webhooks/{audit}`` -> RPC -> the dispatcher's
  ``trigger_event_audit``) runs the audit once like a one-shot audit:
  ONGOING (this host recorded) -> a RECOMMENDED plan -> SUCCEEDED, or
  FAILED with a status message.
* The audit can be triggered again and again: a SUCCEEDED or FAILED event
  audit is re-armed (-> ONGOING) by the next trigger, and the new plan
  supersedes the RECOMMENDED plan of the previous run.
* Triggers that arrive while the audit runs in this decision engine are
  coalesced into exactly one more run after the current one
  (:class:`~watcher.decision_engine.audit.coalescing.CoalescingRunner`).
* When another live decision engine is running the audit, the trigger waits
  (polling every ``poll_interval`` seconds, at most ``max_wait``) for that
  run to end, then runs; a trigger is never silently lost to a busy peer.

Re-arming moves a SUCCEEDED/FAILED audit back to ONGOING: the audit's
``trigger`` event, fired by the decision engine (a user may not PATCH that
move).
"""
import threading

from oslo_log import log

from watcher.common import exception
from watcher.decision_engine.audit import base
from watcher.decision_engine.audit import coalescing
from watcher.decision_engine import ha
from watcher import objects
from watcher.objects import states

LOG = log.getLogger(__name__)

#: Re-armable states of an event audit (besides PENDING, its first run).
REARMABLE_STATES = (base.AUDIT_STATE.SUCCEEDED, base.AUDIT_STATE.FAILED)


class EventAuditHandler(base.AuditHandler):
    """Runs an EVENT audit once per trigger."""

    audit_type = base.AUDIT_TYPE.EVENT
    claimable_states = (base.AUDIT_STATE.PENDING,
                        base.AUDIT_STATE.ONGOING) + REARMABLE_STATES

    def __init__(self, submit=None, context_factory=None, poll_interval=1.0,
                 max_wait=600.0, peer_alive=None, **kwargs):
        """Build the handler.

        ``submit(fn, *args)`` hands a run to the audit worker pool;
        ``context_factory()`` gives the context runs use;
        ``peer_alive(audit)`` tells whether the host recorded on an ONGOING
        audit is a live decision engine (default: via its heartbeat).
        """
        super().__init__(**kwargs)
        self._context_factory = context_factory
        self._runner = coalescing.CoalescingRunner(
            submit or self._run_inline, self._run_triggered)
        self._contexts = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.poll_interval = poll_interval
        self.max_wait = max_wait
        self._peer_alive = peer_alive or self._heartbeat_alive

    @staticmethod
    def _run_inline(fn, *args):
        fn(*args)

    # -- triggering ----------------------------------------------------------
    def trigger(self, context, audit_uuid):
        """Ask for a run; returns ``coalescing.STARTED`` or ``COALESCED``."""
        with self._lock:
            self._contexts[audit_uuid] = context
        return self._runner.trigger(audit_uuid)

    def is_busy(self, audit_uuid):
        return self._runner.is_busy(audit_uuid)

    def wait_idle(self, audit_uuid, timeout=None):
        return self._runner.wait_idle(audit_uuid, timeout)

    def stop(self):
        self._stopping.set()

    def _run_triggered(self, audit_uuid):
        with self._lock:
            context = self._contexts.get(audit_uuid)
        if context is None and self._context_factory is not None:
            context = self._context_factory()
        waited = 0.0
        while True:
            try:
                audit = objects.Audit.get_by_uuid(context, audit_uuid,
                                                  eager=True)
            except exception.AuditNotFound:
                LOG.info('Event audit %s is gone; trigger dropped',
                         audit_uuid)
                return None
            if not self._busy_elsewhere(audit):
                return self.execute(context, audit)
            if waited >= self.max_wait or self._stopping.is_set():
                LOG.warning('Event audit %s is still running on %s; '
                            'trigger dropped after %.0f s', audit_uuid,
                            audit.hostname, waited)
                return None
            LOG.info('Event audit %s is running on %s; this trigger runs '
                     'after it', audit_uuid, audit.hostname)
            self._stopping.wait(self.poll_interval)
            waited += self.poll_interval

    def _busy_elsewhere(self, audit):
        return (audit.state == base.AUDIT_STATE.ONGOING
                and audit.hostname not in (None, self.host)
                and self._peer_alive(audit))

    @staticmethod
    def _heartbeat_alive(audit):
        try:
            return ha.owner_is_alive(None, audit.hostname)
        except Exception:
            LOG.exception('Cannot tell whether %s is alive', audit.hostname)
            return False

    # -- claiming ------------------------------------------------------------
    def claim(self, context, audit):
        if audit.audit_type != self.audit_type:
            LOG.warning('Audit %s is %s, not EVENT; trigger ignored',
                        audit.uuid, audit.audit_type)
            return False
        if audit.state in REARMABLE_STATES:
            return self._rearm(context, audit)
        if audit.state == base.AUDIT_STATE.ONGOING and \
                audit.hostname not in (None, self.host) and \
                self._peer_alive(audit):
            return False
        if audit.state == base.AUDIT_STATE.ONGOING:
            # Left ONGOING by this host (or a dead peer): take it over.
            return self._rearm(context, audit)
        return super().claim(context, audit)

    def _rearm(self, context, audit):
        # the owner seen is part of the compare-and-set: an ONGOING audit
        # taken over from a dead peer is not also taken by another engine
        try:
            audit.fire('trigger', states.ENGINE,
                       expected={'hostname': audit.hostname},
                       hostname=self.host, status_message=None)
        except (exception.ObjectStateChanged,
                exception.IllegalStateTransition,
                exception.AuditNotFound) as exc:
            LOG.info('Event audit %s changed meanwhile: %s', audit.uuid, exc)
            return False
        return True
