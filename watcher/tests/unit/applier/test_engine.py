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

"""The applier on a real database with test actions: lifecycle, deciders,
cancel, rollback, claiming, superseding, recovery."""
import threading
import time

from watcher.applier.action_plan import executor
from watcher.applier.action_plan import handler as plan_handler
from watcher.applier.action_plan import recovery
from watcher.applier.workflow import base as wf
from watcher import objects
from watcher.tests.unit.applier import fake_actions
from watcher.tests.unit.applier import utils

PS = objects.action_plan.State
AS = objects.action.State


def fake(name, **kw):
    return dict(name=name, **kw)


class EngineTestCase(utils.ApplierDbTestCase):

    def setUp(self):
        super().setUp()
        self.journal = fake_actions.Journal()
        self.flags(group='watcher_workflow_engines.taskflow', max_workers=4)

    def run_plan(self, plan, **kwargs):
        kwargs.setdefault('cancel_poll_interval', 0.02)
        kwargs.setdefault('action_loader', fake_actions.loader(self.journal))
        return executor.execute(self.context, plan.uuid, **kwargs)

    def launch(self, plan, **kwargs):
        kwargs.setdefault('cancel_poll_interval', 0.02)
        kwargs.setdefault('action_loader', fake_actions.loader(self.journal))
        self.addCleanup(executor.shutdown)
        return executor.launch(self.context, plan.uuid, **kwargs)

    def wait_for(self, predicate, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.01)
        self.fail('condition not reached')

    def plan_state(self, plan):
        return utils.fresh(self.context, plan).state

    def action(self, action):
        return utils.fresh(self.context, action)


class TestLifecycle(EngineTestCase):

    def test_chain_in_order(self):
        plan, acts = utils.make_plan(self.context, [
            ('a', 'fake', fake('a'), []),
            ('b', 'fake', fake('b'), ['a']),
            ('c', 'fake', fake('c'), ['b'])])
        self.assertEqual(PS.SUCCEEDED, self.run_plan(plan))
        self.assertEqual(['a', 'b', 'c'], self.journal.names('start'))
        for act in acts.values():
            self.assertEqual(AS.SUCCEEDED, self.action(act).state)
        fresh = utils.fresh(self.context, plan)
        self.assertEqual('test-host', fresh.hostname)
        self.assertIsNone(fresh.status_message)
        self.assertEqual(['action.execution.start', 'action.execution.end'],
                         self.notifications.for_uuid(acts['a'].uuid,
                                                     'action.'))
        self.assertEqual(['action_plan.execution.start',
                          'action_plan.execution.end'],
                         self.notifications.types('action_plan.'))

    def test_real_nop_and_sleep_actions(self):
        plan, acts = utils.make_plan(self.context, [
            ('a', 'nop', {'message': 'hello World'}, []),
            ('b', 'sleep', {'duration': 0.01}, ['a'])])
        self.assertEqual(PS.SUCCEEDED, self.run_plan(plan))
        self.assertEqual({AS.SUCCEEDED}, set(
            utils.states(self.context, plan).values()))

    def test_independent_actions_overlap(self):
        plan, acts = utils.make_plan(self.context, [
            (n, 'fake', fake(n, duration=0.3), []) for n in 'abcd'])
        self.assertEqual(PS.SUCCEEDED, self.run_plan(plan))
        starts = [self.journal.at(n, 'start') for n in 'abcd']
        ends = [self.journal.at(n, 'end') for n in 'abcd']
        # every action started before any other ended: they overlapped
        self.assertLess(max(starts), min(ends))
        self.assertGreaterEqual(self.journal.max_running, 2)

    def test_max_workers_bounds_parallelism(self):
        self.flags(group='watcher_workflow_engines.taskflow', max_workers=2)
        plan, acts = utils.make_plan(self.context, [
            (n, 'fake', fake(n, duration=0.05), []) for n in 'abcdef'])
        self.assertEqual(PS.SUCCEEDED, self.run_plan(plan))
        self.assertLessEqual(self.journal.max_running, 2)
        self.assertEqual(6, len(self.journal.names('end')))

    def test_diamond(self):
        plan, acts = utils.make_plan(self.context, [
            ('a', 'fake', fake('a'), []),
            ('b', 'fake', fake('b', duration=0.05), ['a']),
            ('c', 'fake', fake('c', duration=0.05), ['a']),
            ('d', 'fake', fake('d'), ['b', 'c'])])
        self.assertEqual(PS.SUCCEEDED, self.run_plan(plan))
        self.assertLess(self.journal.at('a', 'end'),
                        self.journal.at('b', 'start'))
        self.assertLess(max(self.journal.at('b', 'end'),
                            self.journal.at('c', 'end')),
                        self.journal.at('d', 'start'))

    def test_empty_plan_succeeds(self):
        plan, _ = utils.make_plan(self.context, [])
        self.assertEqual(PS.SUCCEEDED, self.run_plan(plan))

    def test_launch_returns_at_once(self):
        plan, acts = utils.make_plan(self.context, [
            ('a', 'fake', fake('a', duration=0.2), [])])
        future = self.launch(plan)
        self.assertEqual(PS.SUCCEEDED, future.result(timeout=30))


class TestSkips(EngineTestCase):

    def test_pre_condition_skip(self):
        plan, acts = utils.make_plan(self.context, [
            ('a', 'fake', fake('a', skip=True), []),
            ('b', 'fake', fake('b'), ['a'])])
        self.assertEqual(PS.SUCCEEDED, self.run_plan(plan))
        a = self.action(acts['a'])
        self.assertEqual(AS.SKIPPED, a.state)
        self.assertEqual('nothing to do for a', a.status_message)
        self.assertNotIn('a', self.journal.names('start'))
        self.assertEqual(AS.SUCCEEDED, self.action(acts['b']).state)
        self.assertEqual('Action %s was skipped: nothing to do for a'
                         % a.uuid,
                         utils.fresh(self.context, plan).status_message)
        self.assertEqual([], self.notifications.for_uuid(
            a.uuid, 'action.execution'))

    def test_nop_skip_flag(self):
        plan, acts = utils.make_plan(self.context, [
            ('a', 'nop', {'message': 'x', 'skip_pre_condition': True}, [])])
        self.assertEqual(PS.SUCCEEDED, self.run_plan(plan))
        self.assertEqual(AS.SKIPPED, self.action(acts['a']).state)

    def test_admin_skipped_action_is_not_run(self):
        plan, acts = utils.make_plan(self.context, [
            ('a', 'fake', fake('a'), []),
            ('b', 'fake', fake('b'), ['a'])])
        b = self.action(acts['b'])
        b.state = AS.SKIPPED
        b.status_message = 'Skipped by user: not now'
        b.save()
        self.assertEqual(PS.SUCCEEDED, self.run_plan(plan))
        self.assertEqual(['a'], self.journal.names('pre'))
        b = self.action(acts['b'])
        self.assertEqual(AS.SKIPPED, b.state)
        self.assertEqual('Skipped by user: not now', b.status_message)
        self.assertEqual('Action %s was skipped by user' % b.uuid,
                         utils.fresh(self.context, plan).status_message)


class TestFailures(EngineTestCase):

    def test_failure_fails_the_plan_and_stops_it(self):
        plan, acts = utils.make_plan(self.context, [
            ('a', 'fake', fake('a'), []),
            ('b', 'fake', fake('b', fail='execute'), ['a']),
            ('c', 'fake', fake('c'), ['b'])])
        self.assertEqual(PS.FAILED, self.run_plan(plan))
        b = self.action(acts['b'])
        self.assertEqual(AS.FAILED, b.state)
        self.assertEqual('The action b execution failed.', b.status_message)
        c = self.action(acts['c'])
        self.assertEqual(AS.CANCELLED, c.state)
        self.assertEqual(wf.NOT_RUN_FAILED, c.status_message)
        message = utils.fresh(self.context, plan).status_message
        self.assertEqual('Action %s (fake) failed: The action b execution '
                         'failed.' % b.uuid, message)
        self.assertEqual(['action.execution.start', 'action.execution.error'],
                         self.notifications.for_uuid(b.uuid, 'action.'))
        error, = self.notifications.payloads('action.execution.error')
        fault = error['fault']['watcher_object.data']
        self.assertEqual('ActionExecutionFailure', fault['exception'])
        self.assertEqual(['action_plan.execution.start',
                          'action_plan.execution.error'],
                         self.notifications.types('action_plan.'))
        plan_error, = self.notifications.payloads(
            'action_plan.execution.error')
        self.assertEqual(PS.FAILED, plan_error['state'])

    def test_pre_condition_failure(self):
        plan, acts = utils.make_plan(self.context, [
            ('a', 'fake', fake('a', fail='pre'), [])])
        self.assertEqual(PS.FAILED, self.run_plan(plan))
        a = self.action(acts['a'])
        self.assertEqual(AS.FAILED, a.state)
        self.assertEqual('pre failed', a.status_message)
        self.assertEqual([], self.journal.names('start'))

    def test_post_condition_failure(self):
        plan, acts = utils.make_plan(self.context, [
            ('a', 'nop', {'message': 'x', 'fail_post_condition': True}, [])])
        self.assertEqual(PS.FAILED, self.run_plan(plan))
        self.assertEqual('Failed in post_condition',
                         self.action(acts['a']).status_message)

    def test_invalid_parameters_fail_before_anything(self):
        plan, acts = utils.make_plan(self.context, [
            ('a', 'migrate', {'resource_id': 'x'}, [])])
        self.assertEqual(PS.FAILED, self.run_plan(plan))
        a = self.action(acts['a'])
        self.assertEqual(AS.FAILED, a.state)
        self.assertIn('Input parameters of action migrate are invalid',
                      a.status_message)

    def test_unknown_action_type(self):
        plan, acts = utils.make_plan(self.context, [
            ('a', 'teleport', {}, [])])
        self.assertEqual(PS.FAILED, self.run_plan(plan))
        self.assertIn('teleport', self.action(acts['a']).status_message)

    def test_bad_graph_fails_the_plan(self):
        plan, acts = utils.make_plan(self.context, [
            ('a', 'fake', fake('a'), [])])
        a = self.action(acts['a'])
        a.parents = ['00000000-0000-4000-8000-000000000000']
        a.save()
        self.assertEqual(PS.FAILED, self.run_plan(plan))
        self.assertEqual(AS.CANCELLED, self.action(acts['a']).state)
        self.assertIn('unknown parent',
                      utils.fresh(self.context, plan).status_message)

    def test_nothing_starts_after_a_failure(self):
        self.flags(group='watcher_workflow_engines.taskflow', max_workers=1)
        plan, acts = utils.make_plan(self.context, [
            ('a', 'fake', fake('a', fail='execute'), [])] + [
            (n, 'fake', fake(n), []) for n in 'bcde'])
        self.assertEqual(PS.FAILED, self.run_plan(plan))
        failed_at = self.journal.at('a', 'end')
        with self.journal.lock:
            later = [n for n, what, t in self.journal.entries
                     if what == 'pre' and t > failed_at]
        self.assertEqual([], later)
        ran = set(self.journal.names('end'))
        for name in 'bcde':
            expected = AS.SUCCEEDED if name in ran else AS.CANCELLED
            self.assertEqual(expected, self.action(acts[name]).state)


class TestAnyRule(EngineTestCase):

    def setUp(self):
        super().setUp()
        self.flags(group='watcher_workflow_engines.taskflow',
                   action_execution_rule={'alt': 'ANY'})

    def test_child_is_an_alternative(self):
        plan, acts = utils.make_plan(self.context, [
            ('a', 'fake', fake('a', fail='execute'), []),
            ('a2', 'fake', fake('a2'), ['a']),
            ('x', 'fake', fake('x'), []),
            ('x2', 'fake', fake('x2'), ['x'])], strategy_name='alt')
        self.assertEqual(PS.FAILED, self.run_plan(plan))
        self.assertEqual(['a', 'a2', 'x'], sorted(self.journal.names('end')))
        self.assertEqual(AS.SUCCEEDED, self.action(acts['a2']).state)
        x2 = self.action(acts['x2'])
        self.assertEqual(AS.SKIPPED, x2.state)
        self.assertEqual(wf.NOT_NEEDED_ANY, x2.status_message)

    def test_nothing_fails(self):
        plan, acts = utils.make_plan(self.context, [
            ('a', 'fake', fake('a'), []),
            ('a2', 'fake', fake('a2'), ['a'])], strategy_name='alt')
        self.assertEqual(PS.SUCCEEDED, self.run_plan(plan))
        self.assertEqual(AS.SKIPPED, self.action(acts['a2']).state)


class TestCancel(EngineTestCase):

    def _cancel_when_started(self, plan, name):
        self.wait_for(lambda: self.journal.at(name, 'start') is not None)
        current = utils.fresh(self.context, plan)
        current.state = PS.CANCELLING
        current.save()

    def test_cancel_aborts_in_flight_and_cancels_pending(self):
        plan, acts = utils.make_plan(self.context, [
            ('a', 'fake', fake('a'), []),
            ('b', 'fake', fake('b', duration=30), ['a']),
            ('c', 'fake', fake('c'), ['b'])])
        future = self.launch(plan)
        self._cancel_when_started(plan, 'b')
        self.assertEqual(PS.CANCELLED, future.result(timeout=30))
        self.assertEqual(AS.SUCCEEDED, self.action(acts['a']).state)
        self.assertEqual(AS.CANCELLED, self.action(acts['b']).state)
        self.assertEqual(AS.CANCELLED, self.action(acts['c']).state)
        self.assertIn('b', self.journal.names('abort'))
        self.assertNotIn('c', self.journal.names('pre'))
        self.assertEqual(['action.execution.start', 'action.cancel.start',
                          'action.cancel.end'],
                         self.notifications.for_uuid(acts['b'].uuid,
                                                     'action.'))
        self.assertEqual(['action_plan.execution.start',
                          'action_plan.cancel.start',
                          'action_plan.cancel.end'],
                         self.notifications.types('action_plan.'))

    def test_action_that_cannot_be_aborted_finishes(self):
        plan, acts = utils.make_plan(self.context, [
            ('a', 'fake', fake('a', duration=0.5, abortable=False), []),
            ('b', 'fake', fake('b'), ['a'])])
        future = self.launch(plan)
        self._cancel_when_started(plan, 'a')
        self.assertEqual(PS.CANCELLED, future.result(timeout=30))
        self.assertEqual(AS.SUCCEEDED, self.action(acts['a']).state)
        self.assertEqual(AS.CANCELLED, self.action(acts['b']).state)

    def test_plan_cancelled_before_start_is_not_run(self):
        plan, acts = utils.make_plan(self.context, [
            ('a', 'fake', fake('a'), [])])
        current = utils.fresh(self.context, plan)
        current.state = PS.CANCELLED
        current.save()
        self.assertIsNone(self.run_plan(plan))
        self.assertEqual([], self.journal.names('pre'))


class TestRollback(EngineTestCase):

    def _plan(self):
        return utils.make_plan(self.context, [
            ('a', 'fake', fake('a'), []),
            ('b', 'fake', fake('b'), ['a']),
            ('c', 'fake', fake('c', fail='execute'), ['b'])])

    def test_rollback_reverts_succeeded_actions_last_first(self):
        self.flags(group='watcher_applier',
                   rollback_when_actionplan_failed=True)
        plan, acts = self._plan()
        self.assertEqual(PS.FAILED, self.run_plan(plan))
        self.assertEqual(['b', 'a'], self.journal.names('revert'))
        a = self.action(acts['a'])
        self.assertEqual(AS.SUCCEEDED, a.state)
        self.assertEqual('Reverted: the action plan failed', a.status_message)

    def test_no_rollback_by_default(self):
        plan, acts = self._plan()
        self.assertEqual(PS.FAILED, self.run_plan(plan))
        self.assertEqual([], self.journal.names('revert'))


class TestClaim(EngineTestCase):

    def test_only_pending_plans_run(self):
        plan, acts = utils.make_plan(self.context, [
            ('a', 'fake', fake('a'), [])], state=PS.RECOMMENDED)
        self.assertIsNone(self.run_plan(plan))
        self.assertEqual(PS.RECOMMENDED, self.plan_state(plan))

    def test_a_plan_runs_once_when_launched_twice(self):
        plan, acts = utils.make_plan(self.context, [
            ('a', 'fake', fake('a', duration=0.1), [])])
        results = []
        barrier = threading.Barrier(3)

        def run(host):
            barrier.wait()
            results.append(self.run_plan(plan, hostname=host))

        threads = [threading.Thread(target=run, args=('host-%d' % i,))
                   for i in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual([PS.SUCCEEDED], [r for r in results if r])
        self.assertEqual(['a'], self.journal.names('start'))

    def test_launch_supersedes_recommended_plans(self):
        other, _ = utils.make_plan(self.context, [], state=PS.RECOMMENDED)
        plan, _ = utils.make_plan(self.context, [
            ('a', 'fake', fake('a'), [])])
        self.assertEqual(PS.SUCCEEDED, self.run_plan(plan))
        self.assertEqual(PS.SUPERSEDED, self.plan_state(other))

    def test_overlapping_ongoing_plan_refuses(self):
        rid = '11111111-2222-4333-8444-555555555555'
        running, _ = utils.make_plan(self.context, [
            ('a', 'fake', fake('a', resource_id=rid), [])], state=PS.ONGOING)
        plan, acts = utils.make_plan(self.context, [
            ('b', 'fake', fake('b', resource_id=rid), [])])
        self.assertEqual(PS.CANCELLED, self.run_plan(plan))
        fresh = utils.fresh(self.context, plan)
        self.assertIn(running.uuid, fresh.status_message)
        self.assertEqual(AS.CANCELLED, self.action(acts['b']).state)
        self.assertEqual([], self.journal.names('pre'))


class TestRecovery(EngineTestCase):

    def test_settle_orphans(self):
        mine, acts = utils.make_plan(self.context, [
            ('done', 'fake', fake('done'), []),
            ('running', 'fake', fake('running'), ['done']),
            ('todo', 'fake', fake('todo'), ['running'])], state=PS.ONGOING)
        for key, state in (('done', AS.SUCCEEDED), ('running', AS.ONGOING)):
            act = self.action(acts[key])
            if state == AS.SUCCEEDED:
                act.state = AS.ONGOING
                act.save()
            act.state = state
            act.save()
        current = utils.fresh(self.context, mine)
        current.hostname = 'test-host'
        current.save()
        theirs, their_acts = utils.make_plan(self.context, [
            ('x', 'fake', fake('x'), [])], state=PS.ONGOING)
        other = utils.fresh(self.context, theirs)
        other.hostname = 'other-host'
        other.save()

        settled = recovery.settle_orphans(self.context, 'test-host')

        self.assertEqual([mine.uuid], settled)
        fresh = utils.fresh(self.context, mine)
        self.assertEqual(PS.CANCELLED, fresh.state)
        self.assertIn('test-host', fresh.status_message)
        self.assertEqual(AS.SUCCEEDED, self.action(acts['done']).state)
        running = self.action(acts['running'])
        self.assertEqual(AS.CANCELLED, running.state)
        self.assertIn('Interrupted', running.status_message)
        self.assertEqual(AS.CANCELLED, self.action(acts['todo']).state)
        self.assertEqual(PS.ONGOING, self.plan_state(theirs))
        self.assertEqual([], recovery.settle_orphans(self.context,
                                                     'test-host'))

    def test_handler_reports_counts(self):
        plan, acts = utils.make_plan(self.context, [
            ('a', 'fake', fake('a'), [])])
        handler = plan_handler.ActionPlanHandler(
            self.context, plan.uuid, cancel_poll_interval=0.02,
            action_loader=fake_actions.loader(self.journal))
        self.assertEqual(PS.SUCCEEDED, handler.execute())
        self.assertEqual(1, handler.engine.outcome.count(wf.SUCCEEDED))
