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

"""The audit pipeline: states, plan storage, failures, force, auto_trigger."""
from unittest import mock

from watcher.common import exception
from watcher.decision_engine.audit import base
from watcher.decision_engine.audit import oneshot
from watcher.decision_engine.audit import stages
from watcher import objects
from watcher.tests import db_utils
from watcher.tests.unit.decision_engine.audit import fakes

AUDIT = objects.audit.State
PLAN = objects.action_plan.State


class TestOneShotPipeline(fakes.AuditTestCase):

    def handler(self, **kw):
        kw.setdefault('sources', self.sources)
        kw.setdefault('applier_api', self.applier)
        return oneshot.OneShotAuditHandler(**kw)

    def test_stage_timings_are_kept_and_logged(self):
        audit = self.create_audit()
        with self.assertLogs('watcher.decision_engine.audit.stages',
                             'INFO') as logs:
            run = self.handler().execute(self.context, audit.uuid)
        times = stages.recent(audit.uuid)
        self.assertIs(run.times, times)
        self.assertEqual(base.RECOMMENDED, times.outcome)
        self.assertEqual(
            {'model', 'metrics', 'strategy', 'planner', 'store',
             'notifications', 'finish'}, set(times.stages))
        self.assertTrue(all(v >= 0 for v in times.stages.values()))
        self.assertLessEqual(sum(times.stages.values()), times.seconds)
        self.assertEqual(3, times.counters['actions'])
        self.assertIn('Audit %s recommended in' % audit.uuid,
                      logs.output[0])
        self.assertIn('3 actions', logs.output[0])

    def test_dummy_audit_recommends_a_plan(self):
        audit = self.create_audit(parameters={'para2': 'hi'})
        run = self.handler().execute(self.context, audit.uuid)

        self.assertEqual(base.RECOMMENDED, run.outcome)
        audit = self.reload(audit)
        self.assertEqual(AUDIT.SUCCEEDED, audit.state)
        self.assertEqual(fakes.HOST, audit.hostname)
        self.assertIsNone(audit.status_message)
        [plan] = self.plans_of(audit)
        self.assertEqual(PLAN.RECOMMENDED, plan.state)
        self.assertEqual(self.strategy.id, plan.strategy_id)
        self.assertEqual(run.action_plan.uuid, plan.uuid)
        actions = self.actions_of(plan)
        self.assertEqual(['nop', 'nop', 'sleep'],
                         sorted(a.action_type for a in actions))
        messages = sorted(a.input_parameters.get('message', '')
                          for a in actions if a.action_type == 'nop')
        self.assertEqual(['hello World', 'hi'], messages)
        sleep = [a for a in actions if a.action_type == 'sleep'][0]
        # para1 was not given: its default was filled in
        self.assertEqual(3.2, sleep.input_parameters['duration'])
        self.assertTrue(all(a.state == 'PENDING' for a in actions))
        by_uuid = {a.uuid for a in actions}
        self.assertTrue(all(set(a.parents) <= by_uuid for a in actions))
        self.assertEqual(1, sum(1 for a in actions if not a.parents))
        self.assertEqual(['audit.strategy.start', 'audit.strategy.end',
                          'audit.planner.start', 'audit.planner.end'],
                         self.notifications.events)
        self.assertEqual([], self.applier.launched)

    def test_models_and_metrics_come_from_the_sources(self):
        basic = self.create_strategy('basic', goal=db_utils.create_test_goal(
            name='server_consolidation'))
        audit = self.create_audit(goal_id=basic.goal_id,
                                  strategy_id=basic.id,
                                  scope=[{'compute': []}])
        run = self.handler().execute(self.context, audit.uuid)
        self.assertEqual(base.RECOMMENDED, run.outcome, run.message)
        self.assertEqual([('compute', [{'compute': []}])],
                         self.sources.scopes)
        # one bulk fetch for the whole run
        self.assertEqual(1, len(self.sources.fetches))
        self.assertEqual('basic', self.sources.fetches[0][0])
        [plan] = self.plans_of(audit)
        indicators = objects.EfficacyIndicator.list(
            self.context, filters={'action_plan_id': plan.id})
        self.assertIn('instance_migrations_count',
                      {i.name for i in indicators})
        self.assertTrue(plan.global_efficacy)

    def test_audit_not_pending_is_left_alone(self):
        audit = self.create_audit(state=AUDIT.CANCELLED)
        run = self.handler().execute(self.context, audit.uuid)
        self.assertEqual(base.SKIPPED, run.outcome)
        self.assertEqual(AUDIT.CANCELLED, self.reload(audit).state)
        self.assertEqual([], self.plans_of(audit))

    def test_two_engines_cannot_both_take_an_audit(self):
        audit = self.create_audit()
        mine = objects.Audit.get_by_uuid(self.context, audit.uuid)
        theirs = objects.Audit.get_by_uuid(self.context, audit.uuid)
        other = self.handler(host='other-host')
        self.assertTrue(other.claim(self.context, theirs))
        run = self.handler().execute(self.context, mine)
        self.assertEqual(base.SKIPPED, run.outcome)
        self.assertEqual('other-host', self.reload(audit).hostname)
        self.assertEqual([], self.plans_of(audit))

    def test_ongoing_plan_refuses_the_audit(self):
        running = db_utils.create_test_action_plan(state=PLAN.ONGOING)
        audit = self.create_audit()
        run = self.handler().execute(self.context, audit.uuid)
        self.assertEqual(base.FAILED, run.outcome)
        audit = self.reload(audit)
        self.assertEqual(AUDIT.FAILED, audit.state)
        self.assertIn(running.uuid, audit.status_message)
        self.assertIn('force', audit.status_message)
        self.assertEqual([], self.plans_of(audit))

    def test_force_runs_despite_an_ongoing_plan(self):
        db_utils.create_test_action_plan(state=PLAN.ONGOING)
        audit = self.create_audit(force=True)
        run = self.handler().execute(self.context, audit.uuid)
        self.assertEqual(base.RECOMMENDED, run.outcome)
        self.assertEqual(AUDIT.SUCCEEDED, self.reload(audit).state)

    def test_strategy_selected_from_the_goal(self):
        audit = self.create_audit(strategy_id=None)
        run = self.handler().execute(self.context, audit.uuid)
        self.assertEqual(base.RECOMMENDED, run.outcome)
        self.assertEqual('dummy', run.strategy_name)

    def test_no_strategy_for_the_goal(self):
        goal = db_utils.create_test_goal(name='saving_energy')
        db_utils.create_test_strategy(name='not_installed', goal_id=goal.id)
        audit = self.create_audit(goal_id=goal.id, strategy_id=None)
        run = self.handler().execute(self.context, audit.uuid)
        self.assertEqual(base.FAILED, run.outcome)
        self.assertEqual(
            'No strategy could be found to achieve the saving_energy goal.',
            self.reload(audit).status_message)

    def test_invalid_parameters(self):
        audit = self.create_audit(parameters={'para1': 99})
        self.handler().execute(self.context, audit.uuid)
        audit = self.reload(audit)
        self.assertEqual(AUDIT.FAILED, audit.state)
        self.assertIn('para1', audit.status_message)
        self.assertEqual(['audit.strategy.start', 'audit.strategy.error'],
                         self.notifications.events)
        self.assertIsInstance(self.notifications.faults[-1],
                              exception.InvalidAuditParameters)

    def test_missing_metric_is_explained(self):
        basic = self.create_strategy('basic', goal=db_utils.create_test_goal(
            name='server_consolidation'))
        self.sources.fail_metric = 'instance_cpu_usage'
        audit = self.create_audit(goal_id=basic.goal_id,
                                  strategy_id=basic.id)
        self.handler().execute(self.context, audit.uuid)
        audit = self.reload(audit)
        self.assertEqual(AUDIT.FAILED, audit.state)
        self.assertEqual(
            'Metric instance_cpu_usage is not available from any configured '
            'datasource (tried: gnocchi, aetos)', audit.status_message)
        self.assertEqual('audit.strategy.error',
                         self.notifications.events[-1])

    def test_failed_metric_fetch_is_explained(self):
        basic = self.create_strategy('basic', goal=db_utils.create_test_goal(
            name='server_consolidation'))
        audit = self.create_audit(goal_id=basic.goal_id,
                                  strategy_id=basic.id)
        fetch = self.sources.fetch_metrics

        def broken(strategy_name, queries, model):
            frame = fetch(strategy_name, queries, model)
            frame.errors[queries[0]] = 'prometheus: connection refused'
            return frame

        self.sources.fetch_metrics = broken
        self.handler().execute(self.context, audit.uuid)
        message = self.reload(audit).status_message
        self.assertIn('could not be fetched for strategy basic', message)
        self.assertIn('prometheus: connection refused', message)

    def test_missing_model_is_explained(self):
        self.sources.models['compute'] = None
        audit = self.create_audit()
        self.handler().execute(self.context, audit.uuid)
        self.assertEqual(
            'The compute cluster data model needed by strategy dummy is '
            'not available: no collector has built it',
            self.reload(audit).status_message)

    def test_model_error_is_explained(self):
        self.sources.models['compute'] = exception.CloudApiError(
            method='GET', path='/os-hypervisors/detail', status=503,
            body='nova is down')
        audit = self.create_audit()
        self.handler().execute(self.context, audit.uuid)
        message = self.reload(audit).status_message
        self.assertIn('The compute cluster data model', message)
        self.assertIn('503', message)

    def test_unexpected_error_has_no_traceback(self):
        self.create_strategy('exploding')
        strategy = objects.Strategy.get_by_name(self.context, 'exploding')
        audit = self.create_audit(strategy_id=strategy.id)
        self.handler().execute(self.context, audit.uuid)
        message = self.reload(audit).status_message
        self.assertEqual(
            'Unexpected error while running strategy exploding: '
            'RuntimeError: division by zero in step 3 (see the decision '
            'engine log on test-host)', message)
        self.assertNotIn('Traceback', message)

    def test_long_messages_are_cut(self):
        self.assertEqual(255, len(base.describe_failure(
            exception.WatcherException('x' * 400))))

    def test_audit_cancelled_during_the_run_stores_nothing(self):
        audit = self.create_audit()
        handler = self.handler()
        original = handler.ensure_still_ongoing

        def cancel_then_check(context, audit_obj):
            other = objects.Audit.get_by_uuid(self.context, audit.uuid)
            other.state = AUDIT.CANCELLED
            other.save()
            return original(context, audit_obj)

        handler.ensure_still_ongoing = cancel_then_check
        run = handler.execute(self.context, audit.uuid)
        self.assertEqual(base.SKIPPED, run.outcome)
        self.assertEqual(AUDIT.CANCELLED, self.reload(audit).state)
        self.assertEqual([], self.plans_of(audit))

    def test_plan_storage_is_all_or_nothing(self):
        audit = self.create_audit()
        existing = db_utils.create_test_action()
        handler = self.handler()

        from watcher.decision_engine.planner import base as planner_base

        def colliding(solution):
            return [planner_base.PlannedAction(
                uuid=existing.uuid, action_type='nop',
                input_parameters={'message': 'x'}, parents=[])]

        with mock.patch('watcher.decision_engine.planner.weight.'
                        'WeightPlanner.schedule', side_effect=colliding):
            run = handler.execute(self.context, audit.uuid)
        self.assertEqual(base.FAILED, run.outcome)
        self.assertEqual([], self.plans_of(audit))
        self.assertEqual('audit.planner.error',
                         self.notifications.events[-1])

    def test_planner_from_configuration(self):
        self.flags(planner='workload_stabilization', group='watcher_planner')
        audit = self.create_audit()
        with mock.patch('watcher.decision_engine.strategy.strategies.'
                        'dummy_strategy.DummyStrategy.planner', None):
            with mock.patch('watcher.decision_engine.planner.'
                            'workload_stabilization.'
                            'WorkloadStabilizationPlanner.schedule',
                            return_value=[]) as schedule:
                run = self.handler().execute(self.context, audit.uuid)
        self.assertEqual(base.RECOMMENDED, run.outcome)
        schedule.assert_called_once()


class TestAutoTrigger(fakes.AuditTestCase):

    def handler(self):
        return oneshot.OneShotAuditHandler(sources=self.sources,
                                           applier_api=self.applier)

    def test_plan_is_launched(self):
        older = db_utils.create_test_action_plan(state=PLAN.RECOMMENDED)
        audit = self.create_audit(auto_trigger=True)
        run = self.handler().execute(self.context, audit.uuid)
        plan = objects.ActionPlan.get_by_uuid(self.context,
                                              run.action_plan.uuid)
        self.assertEqual(PLAN.PENDING, plan.state)
        self.assertEqual([plan.uuid], self.applier.launched)
        self.assertEqual(AUDIT.SUCCEEDED, self.reload(audit).state)
        older = objects.ActionPlan.get_by_uuid(self.context, older.uuid)
        self.assertEqual(PLAN.SUPERSEDED, older.state)

    def test_running_plan_supersedes_the_new_one(self):
        running = db_utils.create_test_action_plan(state=PLAN.PENDING)
        audit = self.create_audit(auto_trigger=True)
        run = self.handler().execute(self.context, audit.uuid)
        plan = objects.ActionPlan.get_by_uuid(self.context,
                                              run.action_plan.uuid)
        self.assertEqual(PLAN.SUPERSEDED, plan.state)
        self.assertIn(running.uuid, plan.status_message)
        self.assertIn('already running', plan.status_message)
        self.assertEqual([], self.applier.launched)
        self.assertEqual(AUDIT.SUCCEEDED, self.reload(audit).state)

    def test_launch_failure_cancels_the_plan(self):
        self.applier.error = RuntimeError('no applier topic')
        audit = self.create_audit(auto_trigger=True)
        run = self.handler().execute(self.context, audit.uuid)
        plan = objects.ActionPlan.get_by_uuid(self.context,
                                              run.action_plan.uuid)
        self.assertEqual(PLAN.CANCELLED, plan.state)
        self.assertIn('no applier topic', plan.status_message)
