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

"""The ``taskflow`` workflow engine: an action plan as a taskflow graph flow.

Every action of the plan is one task of the graph flow ``watcher_flow``;
each ``parents`` link is a flow link (parent -> child), so the flow runs
parentless actions at once and a child after all its parents.  The flow runs
on taskflow's parallel engine with a bounded futurist thread pool of
``[watcher_workflow_engines.taskflow] max_workers`` threads: independent
actions overlap, dependent ones follow each other.

Per-action life, deciders (ALWAYS / ANY), cancel and rollback are described
in :mod:`watcher.applier.workflow.base`.  This module adds the taskflow
mechanics:

* stopping: the first failure (ALWAYS) or a cancel suspends the taskflow
  engine -- no new task is scheduled, the running ones end (a cancel also
  aborts them through their plugin's ``abort()``);
* a monitor thread looks at the plan's state every
  :attr:`TaskFlowEngine.cancel_poll_interval` seconds to notice a cancel
  while actions run;
* set-up: taskflow's compile of a flow is quadratic in its atoms, so the
  engine first installs the linear one of
  :func:`watcher.common.library_seams.linear_taskflow_compile` (a
  5,000-action plan: 25-30 s -> 2.1 s, same compilation);
* after the flow: actions that never started get a final state (CANCELLED,
  or SKIPPED for alternatives not needed under ANY), and with
  ``[watcher_applier] rollback_when_actionplan_failed`` the SUCCEEDED
  actions of a FAILED plan are reverted, the last finished first.
"""
import threading

import futurist
from oslo_log import log
from taskflow import engines
from taskflow.patterns import graph_flow
from taskflow import task as tf_task
from taskflow.types import graph as tf_graph

from watcher.applier.workflow import base
from watcher.common import exception
from watcher.common import library_seams
from watcher.objects import states

LOG = log.getLogger(__name__)

FLOW_NAME = 'watcher_flow'


class ActionTask(tf_task.Task):
    """One action of the plan as a taskflow task (result: its final state)."""

    def __init__(self, runner, engine):
        super().__init__(name=runner.uuid)
        self.runner = runner
        self.engine = engine

    def execute(self):
        try:
            result = self.runner.run()
        except Exception as exc:
            # an error of ours (database...), not of the action: never let
            # it leave the action ONGOING
            LOG.exception('Running action %s broke', self.runner.uuid)
            result = self.engine.settle_broken(self.runner, exc)
        if result == base.FAILED and self.engine.stops_on_failure:
            self.engine.halted.set()
            self.engine.stop_scheduling('action %s failed' % self.runner.uuid)
        return result

    def revert(self, *args, **kwargs):
        # rollback is the engine's business (after the flow), see module doc
        return None


class GraphFlow(graph_flow.Flow):
    """A graph flow that takes many links at once.

    ``Flow.link`` copies and re-checks the whole graph for every link, which
    is quadratic: 2,000 links of a 500-action plan take seconds.
    :meth:`link_all` adds them to one copy and checks it once.
    """

    def link_all(self, links, decider=None):
        graph = tf_graph.DiGraph(self._graph)
        for u, v in links:
            graph = self._link(u, v, graph=graph, manual=True,
                               decider=decider)
        self._swap(graph)
        return self


def build_flow(actions, make_task, decider=None, name=FLOW_NAME):
    """A graph flow of ``actions`` linked by their ``parents``.

    ``make_task(action)`` gives the task of an action; ``decider`` (or None)
    is put on every link.  Returns ``(flow, {uuid: task})``.  Raises
    WorkflowExecutionException for unknown parents and cycles.
    """
    ordered = base.check_dag(actions)
    flow = GraphFlow(name)
    tasks = {}
    for action in ordered:
        tasks[action.uuid] = make_task(action)
    flow.add(*[tasks[a.uuid] for a in ordered])
    links = [(tasks[parent], tasks[action.uuid])
             for action in ordered
             for parent in sorted(set(action.parents or []))]
    flow.link_all(links, decider=decider)
    return flow, tasks


class TaskFlowEngine(base.BaseWorkflowEngine):
    """Runs a plan's action DAG as a taskflow graph flow, in parallel."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._tf_engine = None
        self._stop_lock = threading.Lock()
        self._stopped = False

    @property
    def max_workers(self):
        return self.config['watcher_workflow_engines.taskflow'].max_workers

    @property
    def stops_on_failure(self):
        return self.execution_rule == base.ALWAYS

    # stopping ---------------------------------------------------------------
    def stop_scheduling(self, why):
        with self._stop_lock:
            if self._stopped:
                return
            self._stopped = True
            engine = self._tf_engine
        LOG.info('No new action will be started: %s', why)
        if engine is not None:
            engine.suspend()

    def on_cancel(self):
        self.stop_scheduling('the action plan is cancelled')

    def settle_broken(self, runner, exc):
        message = base.truncate('Internal error of the applier: %s'
                                % base.error_text(exc))
        action = runner.action

        def settle():
            action.refresh()
            if action.state in (base.ActionState.PENDING,
                                base.ActionState.ONGOING,
                                base.ActionState.CANCELLING):
                action.fire('fail', states.APPLIER, status_message=message)

        try:
            base.retrying(settle, 'Settling action %s' % runner.uuid)
        except Exception:
            LOG.exception('Could not mark action %s FAILED', runner.uuid)
        self.outcome.record(action, base.FAILED, message)
        return base.FAILED

    # running -----------------------------------------------------------------
    def execute(self, action_plan, actions):
        actions = list(actions)
        self.attach_plan(action_plan, actions)
        rule = self.execution_rule
        decider = base.DECIDERS[rule] if rule != base.ALWAYS else None
        flow, tasks = build_flow(
            actions, lambda a: ActionTask(base.ActionRunner(self, a), self),
            decider=decider)
        LOG.info('Executing action plan %s: %d action(s), up to %d at once, '
                 'rule %s', getattr(action_plan, 'uuid', None), len(actions),
                 self.max_workers, rule)
        if not actions:
            return self.outcome
        # taskflow's own compile is quadratic in the plan's actions
        library_seams.linear_taskflow_compile()
        executor = futurist.ThreadPoolExecutor(max_workers=self.max_workers)
        stop_monitor = threading.Event()
        monitor = threading.Thread(target=self.monitor, args=(stop_monitor,),
                                   name='applier-cancel-monitor', daemon=True)
        try:
            tf_engine = engines.load(flow, engine='parallel',
                                     executor=executor,
                                     max_workers=self.max_workers)
            with self._stop_lock:
                self._tf_engine = tf_engine
                stopped = self._stopped
            if stopped or self.cancel_requested():
                tf_engine.suspend()
            monitor.start()
            tf_engine.run()
        except Exception as exc:
            LOG.exception('The workflow of action plan %s broke',
                          getattr(action_plan, 'uuid', None))
            raise exception.WorkflowExecutionException(
                error=base.error_text(exc))
        finally:
            stop_monitor.set()
            if monitor.is_alive():
                monitor.join()
            # every task has ended when run() returns: do not wait for the
            # idle threads to notice the shutdown
            executor.shutdown(wait=False)
        self.settle_not_run(actions)
        rollback = self.config.watcher_applier.rollback_when_actionplan_failed
        if self.outcome.failed and not self.outcome.cancelled and rollback:
            reverted = self.rollback()
            LOG.info('Rolled back %d action(s) of action plan %s', reverted,
                     getattr(action_plan, 'uuid', None))
        return self.outcome
