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
