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

"""The audit pipeline every audit type shares.

:meth:`AuditHandler.execute` takes one audit through one run::

    claim         the audit moves to ONGOING with this decision engine's
                  host recorded, as a compare-and-set on its state (two
                  decision engines cannot both take it; a run that loses
                  the race does nothing)
    force check   without ``force``, an ONGOING action plan anywhere
                  refuses the run (the audit FAILS, saying why)
    strategy      the audit's strategy, else the first one available for
                  its goal (:mod:`~watcher.decision_engine.audit.selection`)
    -- audit.strategy.start --
    parameters    validated against the strategy's schema, defaults filled
    models        for each of ``strategy.models_for(params)``: a copy of the
                  collector's latest model with the audit scope applied
    metrics       ONE bulk fetch of ``strategy.metric_queries(params)``
                  through the datasource manager of the strategy
    execute       ``strategy.execute(StrategyInput(...)) -> Solution``
    -- audit.strategy.end (or .error) / audit.planner.start --
    plan          the strategy's planner (or ``[watcher_planner] planner``)
                  orders the solution into a DAG; the plan, its actions and
                  efficacy indicators are stored in ONE transaction, as
                  RECOMMENDED
    -- audit.planner.end (or .error) --
    retire        older RECOMMENDED plans of the same audit -> CANCELLED
                  (CONTINUOUS audits, as upstream) or SUPERSEDED
    finish        ONESHOT and EVENT audits -> SUCCEEDED (CONTINUOUS ones
                  stay ONGOING); with ``auto_trigger`` the plan is launched
                  (RECOMMENDED -> PENDING, other RECOMMENDED plans
                  superseded, ``launch_action_plan`` cast to the applier),
                  unless another plan is already running: then the new plan
                  is SUPERSEDED with a status message saying so.

A failure at any step leaves the audit FAILED with a ``status_message`` a
person can act on (the typed exception's message, or for an unexpected
error the step, the error type and its message -- never a traceback, which
goes to the log). A run whose audit was cancelled, suspended or deleted
while it computed stores nothing.

Where the models and metrics come from is :class:`ClusterSources` (the
collector manager and the datasource manager); tests give a handler their
own sources, applier client and clock.
"""
import dataclasses
import typing

from oslo_log import log

from watcher.applier import rpcapi
from watcher.common import exception
from watcher.common import utils
from watcher.conf import CONF
from watcher.decision_engine.audit import selection
from watcher.decision_engine.audit import stages
from watcher.decision_engine.audit import superseding
from watcher.decision_engine.datasources import frame
from watcher.decision_engine.datasources import manager as \
    datasource_manager
from watcher.decision_engine import loading
from watcher.decision_engine.model.collector import manager as \
    collector_manager
from watcher.decision_engine import scope as scope_mod
from watcher.decision_engine.strategy import context as strategy_ctx
from watcher.notifications import audit as audit_notifications
from watcher import objects
from watcher.objects import states as machine

LOG = log.getLogger(__name__)


#: Outcomes of one run (:class:`AuditRun`).
RECOMMENDED = 'recommended'
FAILED = 'failed'
SKIPPED = 'skipped'


AUDIT_STATE = objects.audit.State
AUDIT_TYPE = objects.audit.AuditType
PLAN_STATE = objects.action_plan.State
ACTION_STATE = objects.action.State


@dataclasses.dataclass
class AuditRun:
    """What one run of an audit did."""
    audit_uuid: str
    outcome: str
    action_plan: typing.Any = None
    message: typing.Optional[str] = None
    strategy_name: typing.Optional[str] = None
    #: seconds per pipeline stage (:mod:`.stages`) of a run that got going
    times: typing.Any = None


class AuditWithdrawn(Exception):
    """The audit left ONGOING while it ran (cancelled, suspended...)."""


def describe_failure(exc, step=None, host=None):
    """A one-line, human explanation of ``exc`` for ``status_message``."""
    if isinstance(exc, exception.WatcherException):
        text = str(exc) or type(exc).__name__
    else:
        detail = str(exc).strip()
        text = 'Unexpected error%s: %s%s' % (
            ' while %s' % step if step else '', type(exc).__name__,
            ': %s' % detail if detail else '')
        text += ' (see the decision engine log%s)' % (
            ' on %s' % host if host else '')
    return utils.truncate(text)


class ClusterSources:
    """Where a run gets its cluster models and metrics.

    ``get_model(model_type)`` returns a copy of the latest model (None when
    there is none); ``fetch_metrics(strategy_name, queries, compute_model)``
    returns a ``MetricsFrame``.
    """

    def __init__(self):
        self._collectors = None

    def _collector_manager(self):
        if self._collectors is None:
            self._collectors = collector_manager.CollectorManager()
        return self._collectors

    def get_model(self, model_type):
        collector = self._collector_manager().get_cluster_model_collector(
            model_type)
        return collector.get_latest_cluster_data_model()

    def apply_scope(self, model_type, model, scope):
        # get_model() already gave a private copy: scope it in place.
        return scope_mod.apply_scope(model_type, model, scope or [],
                                     copy=False)

    def fetch_metrics(self, strategy_name, queries, compute_model):
        return datasource_manager.DataSourceManager(strategy_name).fetch(
            queries, compute_model)


class _Step:
    """Remembers which pipeline step is running (for failure messages)."""

    def __init__(self):
        self.name = 'starting the audit'
        self.times = stages.StageTimes(None)

    def __call__(self, name):
        self.name = name


class AuditHandler:
    """One run of an audit; subclasses say how an audit is claimed/ended."""

    #: ``objects.audit.AuditType`` value handled.
    audit_type = None
    #: states the audit may be claimed from (ONGOING means "already ours").
    claimable_states = ()

    def __init__(self, sources=None, applier_api=None, clock=None,
                 host=None):
        self.sources = sources or ClusterSources()
        self._applier_api = applier_api
        self.clock = clock or utils.utcnow
        self.host = host or CONF.host

    # -- collaborators -----------------------------------------------------
    @property
    def applier_api(self):
        if self._applier_api is None:
            self._applier_api = rpcapi.ApplierAPI()
        return self._applier_api

    def notify(self, context, audit, action, phase, fault=None):
        try:
            audit_notifications.send_action_notification(
                context, audit, action=action, phase=phase, fault=fault,
                host=self.host)
        except Exception:
            LOG.exception('Cannot send audit.%s.%s of %s', action, phase,
                          audit.uuid)

    # -- the run -----------------------------------------------------------
    def execute(self, context, audit):
        """Run ``audit`` (an Audit object or uuid) once; an AuditRun."""
        if isinstance(audit, str):
            try:
                audit = objects.Audit.get_by_uuid(context, audit,
                                                  eager=True)
            except exception.AuditNotFound:
                LOG.info('Audit %s no longer exists; not run', audit)
                return AuditRun(audit, SKIPPED, message='not found')
        if not self.claim(context, audit):
            return AuditRun(audit.uuid, SKIPPED,
                            message='not claimable in state %s'
                            % audit.state)
        step = _Step()
        step.times = times = stages.StageTimes(audit.uuid)
        strategy_name = None
        try:
            step('checking for ongoing action plans')
            self.check_force(context, audit)
            step('selecting the strategy')
            record, strategy = selection.select_strategy(context, audit)
            strategy_name = record.name
            plan = self.recommend(context, audit, record, strategy, step)
        except AuditWithdrawn:
            LOG.info('Audit %s left ONGOING while it ran; no action plan '
                     'stored', audit.uuid)
            times.finish(SKIPPED)
            return AuditRun(audit.uuid, SKIPPED, strategy_name=strategy_name,
                            message='withdrawn while running', times=times)
        except Exception as exc:
            message = describe_failure(exc, step.name, self.host)
            if isinstance(exc, exception.WatcherException):
                LOG.warning('Audit %s failed: %s', audit.uuid, message)
            else:
                LOG.exception('Audit %s failed while %s', audit.uuid,
                              step.name)
            self.fail(context, audit, message)
            times.finish(FAILED)
            return AuditRun(audit.uuid, FAILED, message=message,
                            strategy_name=strategy_name, times=times)
        with times.stage('finish'):
            self.succeed(context, audit, plan)
        if audit.auto_trigger:
            self.auto_trigger(context, audit, plan)
        times.finish(RECOMMENDED)
        return AuditRun(audit.uuid, RECOMMENDED, action_plan=plan,
                        strategy_name=strategy_name, times=times)

    # -- claiming and finishing (per audit type) ---------------------------
    def claim(self, context, audit):
        """Move the audit to ONGOING for this host; False when taken."""
        states = AUDIT_STATE
        if audit.state not in self.claimable_states:
            LOG.info('Audit %s is %s; not run', audit.uuid, audit.state)
            return False
        if audit.state == states.ONGOING:
            # Already running here (continuous audits between runs); never
            # taken from another engine (that is ha's takeover rule).
            return audit.hostname == self.host
        try:
            audit.fire('start', machine.ENGINE, hostname=self.host,
                       status_message=None)
        except (exception.ObjectStateChanged,
                exception.AuditNotFound) as exc:
            LOG.info('Audit %s was taken or changed meanwhile: %s',
                     audit.uuid, exc)
            return False
        return True

    def succeed(self, context, audit, plan):
        """After a stored plan: ONESHOT/EVENT audits are SUCCEEDED."""
        try:
            audit.fire('succeed', machine.ENGINE)
        except (exception.ObjectStateChanged,
                exception.IllegalStateTransition, exception.AuditNotFound):
            LOG.info('Audit %s changed state before it could be marked '
                     'SUCCEEDED', audit.uuid)

    def fail(self, context, audit, message):
        try:
            audit.fire('fail', machine.ENGINE,
                       status_message=utils.truncate(message))
        except (exception.ObjectStateChanged,
                exception.IllegalStateTransition):
            LOG.info('Audit %s changed state before it could be marked '
                     'FAILED (%s)', audit.uuid, message)
        except exception.AuditNotFound:
            LOG.info('Audit %s was deleted while it failed', audit.uuid)

    # -- pipeline steps ----------------------------------------------------
    def check_force(self, context, audit):
        """Refuse the run while a plan is executing, unless ``force``."""
        if audit.force:
            return
        ongoing = objects.ActionPlan.list(
            context, filters={'state': PLAN_STATE.ONGOING}, limit=1)
        if ongoing:
            raise exception.AuditBlockedByOngoingActionPlan(
                action_plan=ongoing[0].uuid)

    def recommend(self, context, audit, record, strategy, step):
        """Strategy + planner + storage; return the new ActionPlan."""
        times = step.times
        with times.stage('notifications'):
            self.notify(context, audit, 'strategy', 'start')
        try:
            step('validating the parameters of strategy %s' % record.name)
            params = strategy.validate_parameters(
                dict(audit.parameters or {}))
            with times.stage('model'):
                models = self.build_models(context, audit, strategy, params,
                                           step)
            step('fetching the metrics of strategy %s' % record.name)
            with times.stage('metrics'):
                metrics = self.fetch_metrics(strategy, params,
                                             models.get('compute'))
            times.count('metric_queries',
                        getattr(metrics, 'queries_issued', 0))
            inputs = strategy_ctx.StrategyInput(
                compute_model=models.get('compute'),
                storage_model=models.get('storage'),
                baremetal_model=models.get('baremetal'),
                metrics=metrics,
                parameters=params,
                audit_scope=list(audit.scope or []),
                previous_actions=self.previous_actions(context, audit))
            step('running strategy %s' % record.name)
            with times.stage('strategy'):
                solution = strategy.execute(inputs)
        except Exception as exc:
            self.notify(context, audit, 'strategy', 'error', fault=exc)
            raise
        with times.stage('notifications'):
            self.notify(context, audit, 'strategy', 'end')
            self.notify(context, audit, 'planner', 'start')
        try:
            planner_name = (getattr(strategy, 'planner', None)
                            or CONF.watcher_planner.planner)
            step('planning with the %s planner' % planner_name)
            with times.stage('planner'):
                planner = loading.load(loading.PLANNERS, planner_name)
                planned = planner.schedule(solution)
            times.count('actions', len(planned))
            step('storing the action plan')
            announced = objects.base.listener_seconds()
            with times.stage('store'):
                self.ensure_still_ongoing(context, audit)
                plan = self.store_plan(context, audit, record, solution,
                                       planned)
            # the create notifications of the plan and its actions
            times.move('store', 'notifications',
                       objects.base.listener_seconds() - announced)
        except AuditWithdrawn:
            self.notify(context, audit, 'planner', 'end')
            raise
        except Exception as exc:
            self.notify(context, audit, 'planner', 'error', fault=exc)
            raise
        with times.stage('notifications'):
            self.notify(context, audit, 'planner', 'end')
        with times.stage('finish'):
            superseding.retire_previous_runs(context, audit, plan.uuid)
        return plan

    def build_models(self, context, audit, strategy, params, step):
        """The scoped model copies the strategy needs for ``params``, by
        model type.
        """
        models = {}
        for model_type in strategy.models_for(params):
            step('building the %s cluster data model' % model_type)
            try:
                model = self.sources.get_model(model_type)
            except exception.WatcherException as exc:
                raise exception.ClusterDataModelNotAvailable(
                    model_type=model_type, strategy=strategy.name,
                    reason=str(exc))
            except Exception as exc:
                LOG.exception('Cannot get the %s model', model_type)
                raise exception.ClusterDataModelNotAvailable(
                    model_type=model_type, strategy=strategy.name,
                    reason='%s: %s' % (type(exc).__name__, exc))
            if model is None:
                raise exception.ClusterDataModelNotAvailable(
                    model_type=model_type, strategy=strategy.name,
                    reason='no collector has built it')
            step('applying the audit scope to the %s model' % model_type)
            models[model_type] = self.sources.apply_scope(
                model_type, model, audit.scope)
        return models

    def fetch_metrics(self, strategy, params, compute_model):
        queries = list(strategy.metric_queries(params) or ())
        optional = [q for q in strategy.optional_metric_queries(params) or ()
                    if q not in queries]
        frame_ = frame.MetricsFrame()
        if queries:
            frame_ = self.sources.fetch_metrics(strategy.name, queries,
                                                compute_model)
            errors = getattr(frame_, 'errors', None) or {}
            if errors:
                query, reason = next(iter(errors.items()))
                raise exception.MetricFetchFailed(
                    metric=getattr(query, 'metric', query),
                    strategy=strategy.name, reason=reason)
        if optional:
            self._add_optional_metrics(strategy, optional, compute_model,
                                       frame_)
        return frame_

    def _add_optional_metrics(self, strategy, queries, compute_model,
                              frame_):
        """Metrics the strategy uses when they exist: none configured, or
        not answered, is no failure.
        """
        try:
            extra = self.sources.fetch_metrics(strategy.name, queries,
                                               compute_model)
        except Exception as exc:
            LOG.info('Strategy %s runs without its optional metrics: %s',
                     strategy.name, exc)
            return
        errors = getattr(extra, 'errors', None) or {}
        for query in queries:
            if query not in errors and extra.has(query):
                frame_.set(query, extra.get(query))
        frame_.queries_issued = getattr(frame_, 'queries_issued', 0) + \
            getattr(extra, 'queries_issued', 0)

    def previous_actions(self, context, audit):
        """Actions of the audit's latest earlier plan (re-runs only)."""
        if self.audit_type == objects.audit.AuditType.ONESHOT:
            return ()
        plans = objects.ActionPlan.list(
            context, filters={'audit_id': audit.id}, sort_key='id',
            sort_dir='desc', limit=1)
        if not plans:
            return ()
        return [{'action_type': a.action_type,
                 'input_parameters': dict(a.input_parameters or {}),
                 'state': a.state}
                for a in objects.Action.list(
                    context, filters={'action_plan_id': plans[0].id})]

    def ensure_still_ongoing(self, context, audit):
        try:
            current = objects.Audit.get_by_uuid(context, audit.uuid)
        except exception.AuditNotFound:
            raise AuditWithdrawn()
        if current.state != objects.audit.State.ONGOING:
            raise AuditWithdrawn()

    def store_plan(self, context, audit, record, solution, planned):
        """Plan + actions + efficacy indicators, all or nothing."""
        plan_values = {
            'uuid': utils.generate_uuid(),
            'audit_id': audit.id,
            'strategy_id': record.id,
            'state': objects.action_plan.State.RECOMMENDED,
            'global_efficacy': list(solution.global_efficacy or []),
        }
        actions = [{
            'uuid': item.uuid,
            'action_type': item.action_type,
            'input_parameters': dict(item.input_parameters or {}),
            'parents': list(item.parents or []),
            'state': objects.action.State.PENDING,
        } for item in planned]
        indicators = [{
            'uuid': utils.generate_uuid(),
            'name': indicator['name'],
            'description': indicator.get('description'),
            'unit': indicator.get('unit'),
            'value': indicator.get('value'),
        } for indicator in solution.efficacy_indicators or []]
        plan, _actions, _indicators = objects.ActionPlan.create_with_children(
            context, plan_values, actions, indicators)
        LOG.info('Audit %s: action plan %s recommended (%d actions)',
                 audit.uuid, plan.uuid, len(actions))
        return plan

    # -- auto trigger ------------------------------------------------------
    def auto_trigger(self, context, audit, plan):
        """Launch ``plan`` now, unless another plan is already running."""
        states = objects.action_plan.State
        running = objects.ActionPlan.list(context, filters={
            'state__in': [states.PENDING, states.ONGOING, states.CANCELLING],
            'uuid__neq': plan.uuid}, limit=1)
        if running:
            try:
                plan.fire('supersede', machine.ENGINE,
                          status_message=utils.truncate(
                              'Not launched automatically: action plan %s '
                              'is already running' % running[0].uuid))
            except (exception.ObjectStateChanged,
                    exception.IllegalStateTransition):
                LOG.info('Action plan %s changed meanwhile', plan.uuid)
            return False
        try:
            plan.fire('launch', machine.ENGINE)
        except (exception.ObjectStateChanged,
                exception.IllegalStateTransition):
            LOG.info('Action plan %s was started or cancelled meanwhile',
                     plan.uuid)
            return False
        superseding.supersede_recommended_plans(
            context, exclude_uuid=plan.uuid,
            message='Superseded: action plan %s was launched' % plan.uuid)
        try:
            self.applier_api.launch_action_plan(context, plan.uuid)
        except Exception as exc:
            LOG.exception('Cannot launch action plan %s', plan.uuid)
            try:
                plan.fire('cancel', machine.ENGINE,
                          status_message=utils.truncate(
                              'Automatic launch failed: %s'
                              % describe_failure(exc)))
            except (exception.ObjectStateChanged,
                    exception.IllegalStateTransition):
                pass  # the applier or a user got to it first
            return False
        LOG.info('Audit %s: action plan %s launched automatically',
                 audit.uuid, plan.uuid)
        return True
