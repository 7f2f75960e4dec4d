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

"""What a workflow engine of the applier does, engine-independent parts.

A workflow engine (entry point namespace ``watcher_workflow_engines``) runs
the actions of one action plan in the order their ``parents`` impose and
reports how each ended.  Plan-level states belong to
:mod:`watcher.applier.action_plan.handler`; the engine only moves actions.

The seam::

    engine = EngineClass(context=ctx, config=CONF, connection=None,
                         is_cancelled=callable_returning_bool,
                         strategy_name='basic')
    outcome = engine.execute(action_plan, actions)   # -> ExecutionOutcome

Each action goes through :class:`ActionRunner` (in a worker thread):

* already SKIPPED (an admin skipped it through the API) -> not run;
* plan cancelled before it started -> PENDING -> CANCELLED;
* ``input_parameters`` checked against the plugin's schema, then
  ``pre_condition()``: ``ActionSkipped`` -> SKIPPED with the reason as
  ``status_message``; any other error -> FAILED (``action.execution.error``);
* PENDING -> ONGOING (``action.execution.start``), ``execute()``,
  ``post_condition()`` -> SUCCEEDED (``action.execution.end``) or FAILED
  (``action.execution.error`` with the fault, the message as
  ``status_message``);
* aborted in flight because the plan is cancelled -> ONGOING -> CANCELLING
  -> CANCELLED (``action.cancel.start``/``end``; ``action.cancel.error``
  when the abort itself failed, the action then ends as it ends).

Deciders (``[watcher_workflow_engines.taskflow] action_execution_rule``,
per strategy name): ``ALWAYS`` (default) -- a child runs after its parents
whatever they did, and the first failure stops the plan (no new action is
started, the running ones finish); ``ANY`` -- a failing action does not stop
the plan and a child runs only when at least one of its parents FAILED
(children are alternatives to their parents); children that are not needed
end SKIPPED.
"""
import abc
import collections
import random
import threading
import time

from oslo_db import exception as db_exc
from oslo_log import log
from sqlalchemy import exc as sa_exc

from watcher.applier import loading
from watcher.common import exception
from watcher.common import utils
from watcher.conf import CONF
from watcher import notifications
from watcher import objects
from watcher.objects import states

LOG = log.getLogger(__name__)

ActionState = objects.action.State

# Results of one action as the flow sees it
SUCCEEDED = ActionState.SUCCEEDED
FAILED = ActionState.FAILED
SKIPPED = ActionState.SKIPPED
CANCELLED = ActionState.CANCELLED

ALWAYS = 'ALWAYS'
ANY = 'ANY'
EXECUTION_RULES = (ALWAYS, ANY)

STATUS_MESSAGE_MAX = utils.STATUS_MESSAGE_MAX

NOT_RUN_FAILED = 'Not executed: the action plan failed before this action'
NOT_RUN_CANCELLED = 'Not executed: the action plan was cancelled'
NOT_NEEDED_ANY = ('Not executed: no parent action failed, so this '
                  'alternative was not needed')


def _is_transient_db_error(exc):
    if isinstance(exc, (db_exc.DBDeadlock, db_exc.DBConnectionError)):
        return True
    text = str(exc).lower()
    return isinstance(exc, (db_exc.DBError, sa_exc.OperationalError)) and (
        'database is locked' in text or 'deadlock' in text)


def retrying(func, what='database write', attempts=40):
    """``func()``, retried on transient database errors.

    SQLite (the embedded default) answers "database is locked" when several
    applier threads write at once; MySQL/Galera may report deadlocks.  The
    transaction was rolled back, so doing it again is safe.
    """
    delay = 0.01
    for attempt in range(attempts):
        try:
            return func()
        except Exception as exc:
            if attempt == attempts - 1 or not _is_transient_db_error(exc):
                raise
            LOG.debug('%s hit %s; retrying', what, exc)
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 0.25)


def fire_retrying(obj, event, actor=states.APPLIER, attempts=40,
                  **changes):
    """``obj.fire(event, actor, **changes)``, retried on transient errors.

    SQLite (the embedded default) answers "database is locked" when several
    applier threads write at once; MySQL/Galera may report deadlocks.  The
    transaction was rolled back and ``fire`` put the object back as it was
    read, so firing again is safe.
    """
    return retrying(lambda: obj.fire(event, actor, **changes),
                    '%s of %s %s' % (event, obj.obj_name(),
                                     getattr(obj, 'uuid', None)),
                    attempts)


def truncate(text, limit=STATUS_MESSAGE_MAX):
    """``text`` cut for a status message; the applier's messages keep
    their line breaks (a failed action's output reads better so).
    """
    return utils.truncate(text, limit, one_line=False)


def error_text(exc):
    """A message for people out of an exception."""
    text = str(exc).strip()
    if not text:
        return type(exc).__name__
    return text


# -- deciders -----------------------------------------------------------------

def execution_rule_for(strategy_name, config=None):
    """ALWAYS or ANY for the plans of ``strategy_name``."""
    config = config if config is not None else CONF
    rules = config['watcher_workflow_engines.taskflow'].action_execution_rule
    rule = (rules or {}).get(strategy_name or '', ALWAYS)
    rule = str(rule).strip().upper()
    if rule not in EXECUTION_RULES:
        LOG.warning('Unknown action_execution_rule %s for strategy %s; '
                    'using ALWAYS', rule, strategy_name)
        return ALWAYS
    return rule


def decider_always(history):
    """Run the child whatever its parents did."""
    return True


def decider_any(history):
    """Run the child only when one of its parents FAILED."""
    return any(result == FAILED for result in history.values())


DECIDERS = {ALWAYS: decider_always, ANY: decider_any}


# -- the DAG ------------------------------------------------------------------

def check_dag(actions):
    """Refuse unknown parents and cycles; return actions in a run order.

    ``actions`` are objects with ``uuid`` and ``parents``.  Raises
    :class:`WorkflowExecutionException` on a bad graph.
    """
    by_uuid = collections.OrderedDict((a.uuid, a) for a in actions)
    children = collections.defaultdict(list)
    indegree = {}
    for action in actions:
        parents = list(action.parents or [])
        indegree[action.uuid] = len(set(parents))
        for parent in set(parents):
            if parent not in by_uuid:
                raise exception.WorkflowExecutionException(
                    error='action %s has the unknown parent %s'
                    % (action.uuid, parent))
            children[parent].append(action.uuid)
    ready = collections.deque(u for u, d in indegree.items() if d == 0)
    order = []
    while ready:
        uuid = ready.popleft()
        order.append(by_uuid[uuid])
        for child in children[uuid]:
            indegree[child] -= 1
            if indegree[child] == 0:
                ready.append(child)
    if len(order) != len(by_uuid):
        stuck = sorted(set(by_uuid) - {a.uuid for a in order})
        raise exception.WorkflowExecutionException(
            error='the actions %s form a cycle' % ', '.join(stuck[:5]))
    return order


# -- outcome ------------------------------------------------------------------

class ExecutionOutcome:
    """How the actions of a plan ended (what the plan handler decides on)."""

    def __init__(self):
        self.states = {}          # action uuid -> final state
        self.messages = {}        # action uuid -> status message
        self.types = {}           # action uuid -> action type
        self.by_user = set()      # uuids skipped by an admin before start
        self.failed_order = []    # uuids in the order they failed
        self.cancelled = False
        self.timings = {}         # uuid -> (started, ended) monotonic

    def record(self, action, state, message=None):
        self.states[action.uuid] = state
        self.types[action.uuid] = action.action_type
        if message:
            self.messages[action.uuid] = message
        if state == FAILED and action.uuid not in self.failed_order:
            self.failed_order.append(action.uuid)

    @property
    def failed(self):
        return bool(self.failed_order)

    def count(self, state):
        return sum(1 for s in self.states.values() if s == state)


def summarize(outcome):
    """The plan's status message: the failure first, then the skips.

    None when there is nothing to say (all actions succeeded).
    """
    parts = []
    if outcome.failed_order:
        first = outcome.failed_order[0]
        parts.append('Action %s (%s) failed: %s' % (
            first, outcome.types.get(first, 'action'),
            outcome.messages.get(first, 'unknown error')))
        if len(outcome.failed_order) > 1:
            parts.append('%d more action(s) failed'
                         % (len(outcome.failed_order) - 1))
    skipped = [u for u, s in outcome.states.items() if s == SKIPPED]
    if skipped:
        by_user = [u for u in skipped if u in outcome.by_user]
        automatic = [u for u in skipped if u not in outcome.by_user]
        if len(skipped) <= 2:
            for uuid in by_user:
                parts.append('Action %s was skipped by user' % uuid)
            for uuid in automatic:
                parts.append('Action %s was skipped: %s' % (
                    uuid, outcome.messages.get(uuid, 'pre-condition')))
        else:
            detail = []
            if by_user:
                detail.append('%d by user' % len(by_user))
            if automatic:
                detail.append('%d automatically' % len(automatic))
            parts.append('%d actions were skipped (%s)'
                         % (len(skipped), ', '.join(detail)))
    if not parts:
        return None
    return truncate('; '.join(parts))


# -- one action ---------------------------------------------------------------

class ActionRunner:
    """Runs one action of the plan through its whole life (one thread)."""

    def __init__(self, engine, db_action):
        self.engine = engine
        self.action = db_action
        self.plugin = None
        self.abort_requested = False
        self.abort_accepted = False
        self.abort_error = None
        self._lock = threading.Lock()
        self.started = None
        self.ended = None

    @property
    def uuid(self):
        return self.action.uuid

    # state changes (all from the worker thread that runs the action) ------
    def _fire(self, event, message=None):
        changes = {}
        if message is not None:
            changes['status_message'] = truncate(message)
        fire_retrying(self.action, event, **changes)

    def _notify(self, kind, phase, fault=None):
        ctx = self.engine.context
        try:
            if kind == 'execution':
                notifications.action.send_execution_notification(
                    ctx, self.action, phase=phase, fault=fault,
                    host=self.engine.hostname)
            else:
                notifications.action.send_cancel_notification(
                    ctx, self.action, phase=phase, fault=fault,
                    host=self.engine.hostname)
        except Exception:
            LOG.exception('Could not emit action.%s.%s for %s', kind, phase,
                          self.uuid)

    def _finish(self, state, message=None):
        self.ended = time.monotonic()
        self.engine.outcome.record(self.action, state, message)
        self.engine.outcome.timings[self.uuid] = (self.started, self.ended)
        return state

    # the life ----------------------------------------------------------------
    def run(self):
        self.started = time.monotonic()
        action = self.action
        state = action.state
        if state == SKIPPED:
            self.engine.outcome.by_user.add(self.uuid)
            return self._finish(SKIPPED, action.status_message)
        if state != ActionState.PENDING:
            LOG.warning('Action %s is %s, not PENDING; not running it',
                        self.uuid, state)
            return self._finish(state, action.status_message)
        if self.engine.cancel_flagged():
            self._fire('cancel', NOT_RUN_CANCELLED)
            return self._finish(CANCELLED, NOT_RUN_CANCELLED)
        if self.engine.halted.is_set():
            # queued before the failure that stopped the plan
            self._fire('cancel', NOT_RUN_FAILED)
            return self._finish(CANCELLED, NOT_RUN_FAILED)

        try:
            self.plugin = self.engine.load_plugin(action)
            self.plugin.validate_parameters()
            self.plugin.pre_condition()
        except exception.ActionSkipped as exc:
            message = error_text(exc)
            LOG.info('Action %s skipped: %s', self.uuid, message)
            self._fire('skip', message)
            return self._finish(SKIPPED, message)
        except Exception as exc:
            message = error_text(exc)
            LOG.warning('Pre-condition of action %s failed: %s', self.uuid,
                        message)
            self._fire('fail', message)
            self._notify('execution', 'error', fault=exc)
            return self._finish(FAILED, message)

        with self._lock:
            cancelled = self.engine.cancel_requested()
            if not cancelled:
                self.engine.register_in_flight(self)
        if cancelled:
            self._fire('cancel', NOT_RUN_CANCELLED)
            return self._finish(CANCELLED, NOT_RUN_CANCELLED)

        try:
            self._fire('start')
            self._notify('execution', 'start')
            try:
                result = self.plugin.execute()
                if result is False:
                    raise exception.ActionExecutionFailure(
                        action_id=self.uuid)
                self.plugin.post_condition()
            except Exception as exc:
                return self._after_error(exc)
            self._fire('succeed')
            self._notify('execution', 'end')
            if self.abort_error is not None:
                self._notify('cancel', 'error', fault=self.abort_error)
            return self._finish(SUCCEEDED)
        finally:
            self.engine.unregister_in_flight(self)

    def _after_error(self, exc):
        with self._lock:
            # the plugin may give up (ActionAborted) before its abort() call
            # has returned to the monitor thread
            aborted = self.abort_accepted or isinstance(
                exc, exception.ActionAborted)
        if aborted:
            LOG.info('Action %s was aborted', self.uuid)
            self._notify('cancel', 'start')
            self._fire('request_cancel')
            self._fire('cancelled', 'Aborted: the action plan was cancelled')
            self._notify('cancel', 'end')
            return self._finish(CANCELLED)
        message = error_text(exc)
        LOG.warning('Action %s (%s) failed: %s', self.uuid,
                    self.action.action_type, message)
        self._fire('fail', message)
        self._notify('execution', 'error', fault=exc)
        if self.abort_error is not None:
            self._notify('cancel', 'error', fault=self.abort_error)
        return self._finish(FAILED, message)

    # called by the cancel monitor thread -------------------------------------
    def abort(self):
        with self._lock:
            if self.abort_requested or self.plugin is None:
                return
            self.abort_requested = True
        try:
            accepted = bool(self.plugin.abort())
        except Exception as exc:
            LOG.warning('Could not abort action %s: %s', self.uuid, exc)
            self.abort_error = exc
            return
        with self._lock:
            self.abort_accepted = accepted
        LOG.info('Abort of action %s %s', self.uuid,
                 'accepted' if accepted else 'not possible; it runs to '
                 'its end')

    # rollback (from the engine's thread, after the flow) ---------------------
    def revert(self):
        if self.plugin is None:
            return False
        try:
            self.plugin.revert()
        except Exception as exc:
            LOG.warning('Revert of action %s failed: %s', self.uuid, exc)
            return False
        return True


# -- the engine base ----------------------------------------------------------

class BaseWorkflowEngine(metaclass=abc.ABCMeta):
    """Runs the actions of one plan; see the module docstring."""

    #: seconds between two looks at the plan's state while it runs
    cancel_poll_interval = 1.0

    def __init__(self, context=None, config=None, connection=None,
                 is_cancelled=None, strategy_name=None, hostname=None,
                 action_loader=None):
        self.context = context
        self.config = config if config is not None else CONF
        self.connection = connection
        self._is_cancelled = is_cancelled or (lambda: False)
        self.strategy_name = strategy_name
        self.hostname = hostname or self.config.host
        self._action_loader = action_loader or loading.load_action
        self.outcome = ExecutionOutcome()
        self._cancel = threading.Event()
        #: set when the first failure stopped the plan (ALWAYS rule)
        self.halted = threading.Event()
        self._in_flight = set()
        self._in_flight_lock = threading.Lock()
        self.completion_order = []

    @property
    def execution_rule(self):
        return execution_rule_for(self.strategy_name, self.config)

    def attach_plan(self, action_plan, actions):
        """Hang the (eager-loaded) plan on each action object.

        Notifications about an action embed its plan, and the plan its
        audit and strategy: with the objects attached they are built without
        three database reads per notification.
        """
        if action_plan is None:
            return
        for action in actions:
            try:
                if action.action_plan_id == action_plan.id:
                    action.action_plan = action_plan
                    action.obj_reset_changes(['action_plan'])
            except Exception:
                LOG.debug('Cannot attach the plan to action %s',
                          getattr(action, 'uuid', None), exc_info=True)

    def load_plugin(self, db_action):
        return self._action_loader(
            db_action.action_type,
            input_parameters=db_action.input_parameters,
            connection=self.connection, context=self.context,
            action_uuid=db_action.uuid, config=self.config)

    # cancel ------------------------------------------------------------------
    def cancel_flagged(self):
        """Whether a cancel was already noticed (no database look)."""
        return self._cancel.is_set()

    def cancel_requested(self):
        """Whether the plan is being cancelled (a look at the database)."""
        if self._cancel.is_set():
            return True
        try:
            cancelled = bool(retrying(self._is_cancelled,
                                      'Reading the action plan'))
        except Exception:
            LOG.exception('Could not read the state of the action plan')
            cancelled = False
        if cancelled:
            self.request_cancel()
        return cancelled

    def request_cancel(self):
        if self._cancel.is_set():
            return
        self._cancel.set()
        self.outcome.cancelled = True
        self.on_cancel()

    def on_cancel(self):
        """Hook: stop scheduling (engine specific)."""

    def register_in_flight(self, runner):
        with self._in_flight_lock:
            self._in_flight.add(runner)

    def unregister_in_flight(self, runner):
        with self._in_flight_lock:
            self._in_flight.discard(runner)
            self.completion_order.append(runner)

    def abort_in_flight(self):
        with self._in_flight_lock:
            runners = list(self._in_flight)
        for runner in runners:
            runner.abort()

    def monitor(self, stop_event):
        """Watch the plan's state until ``stop_event``; abort on cancel."""
        while not stop_event.wait(self.cancel_poll_interval):
            if self.cancel_requested():
                self.abort_in_flight()
                # keep aborting actions that slip in before they see it
                while not stop_event.wait(self.cancel_poll_interval):
                    self.abort_in_flight()
                return

    # rollback ----------------------------------------------------------------
    def rollback(self):
        """Revert the SUCCEEDED actions, the last finished first."""
        reverted = 0
        for runner in reversed(self.completion_order):
            if self.outcome.states.get(runner.uuid) != SUCCEEDED:
                continue
            LOG.info('Rolling back action %s (%s)', runner.uuid,
                     runner.action.action_type)
            if runner.revert():
                reverted += 1
                try:
                    runner.action.status_message = truncate(
                        'Reverted: the action plan failed')
                    runner.action.save()
                except Exception:
                    LOG.exception('Could not record the revert of %s',
                                  runner.uuid)
        return reverted

    # settling what never ran -------------------------------------------------
    def settle_not_run(self, actions):
        """Give a final state to the actions the flow never started."""
        if self.outcome.cancelled:
            event, state, message = 'cancel', CANCELLED, NOT_RUN_CANCELLED
        elif self.execution_rule == ANY:
            # ignored by the decider: no parent failed
            event, state, message = 'skip', SKIPPED, NOT_NEEDED_ANY
        else:
            # ALWAYS: the first failure stopped the plan
            event, state, message = 'cancel', CANCELLED, NOT_RUN_FAILED
        for action in actions:
            if action.uuid in self.outcome.states:
                continue
            if action.state != ActionState.PENDING:
                self.outcome.record(action, action.state,
                                    action.status_message)
                continue
            try:
                fire_retrying(action, event, status_message=message)
            except exception.WatcherException as exc:
                LOG.warning('Could not settle action %s: %s', action.uuid,
                            exc)
                continue
            self.outcome.record(action, state, message)

    @abc.abstractmethod
    def execute(self, action_plan, actions):
        """Run ``actions`` (objects.Action of ``action_plan``).

        Returns an :class:`ExecutionOutcome`.
        """
