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

"""Flow building from the action DAG, deciders, plan summaries."""
import types
from unittest import mock

from taskflow.patterns import graph_flow
from taskflow import task as tf_task

from watcher.applier.workflow import base as wf
from watcher.applier.workflow import taskflow_engine as tfe
from watcher.common import exception
from watcher.tests import base as test_base


def A(uuid, parents=(), action_type='nop'):
    return types.SimpleNamespace(uuid=uuid, parents=list(parents),
                                 action_type=action_type)


class Noop(tf_task.Task):
    def execute(self):
        return None


def make(action):
    return Noop(name=action.uuid)


class TestDag(test_base.TestCase):

    def test_order_respects_parents(self):
        actions = [A('c', ['a', 'b']), A('a'), A('b', ['a']), A('d')]
        order = [a.uuid for a in wf.check_dag(actions)]
        self.assertLess(order.index('a'), order.index('b'))
        self.assertLess(order.index('b'), order.index('c'))
        self.assertEqual(4, len(order))

    def test_unknown_parent(self):
        err = self.assertRaises(exception.WorkflowExecutionException,
                                wf.check_dag, [A('a', ['ghost'])])
        self.assertIn('ghost', str(err))

    def test_cycle(self):
        err = self.assertRaises(exception.WorkflowExecutionException,
                                wf.check_dag,
                                [A('a', ['c']), A('b', ['a']), A('c', ['b']),
                                 A('d')])
        self.assertIn('cycle', str(err))

    def test_duplicate_parent_is_one_link(self):
        flow, tasks = tfe.build_flow([A('a'), A('b', ['a', 'a'])], make)
        self.assertEqual(1, len(list(flow.iter_links())))


class TestBuildFlow(test_base.TestCase):

    def test_links_follow_parents(self):
        actions = [A('a'), A('b', ['a']), A('c', ['a']), A('d', ['b', 'c']),
                   A('e')]
        flow, tasks = tfe.build_flow(actions, make)
        self.assertEqual(tfe.FLOW_NAME, flow.name)
        self.assertEqual(set('abcde'), set(tasks))
        links = {(u.name, v.name) for u, v, _ in flow.iter_links()}
        self.assertEqual({('a', 'b'), ('a', 'c'), ('b', 'd'), ('c', 'd')},
                         links)

    def test_decider_on_every_link(self):
        actions = [A('a'), A('b', ['a'])]
        flow, _ = tfe.build_flow(actions, make, decider=wf.decider_any)
        (_, _, meta), = flow.iter_links()
        self.assertIs(wf.decider_any, meta['decider'])

    def test_large_plan_builds_fast_enough(self):
        # a chain of batches of 4, like the weight planner makes
        actions = []
        previous = []
        for batch in range(125):
            current = [A('a%d-%d' % (batch, i), previous) for i in range(4)]
            actions.extend(current)
            previous = [a.uuid for a in current]
        flow, tasks = tfe.build_flow(actions, make)
        self.assertEqual(500, len(tasks))
        self.assertEqual(124 * 16, len(list(flow.iter_links())))

    def test_graph_swaps_do_not_grow_with_the_plan(self):
        # Flow.add/Flow.link copy and re-check the whole graph per call
        # (quadratic in the plan size); build_flow must swap the graph a
        # fixed number of times (tasks once, links once) whatever the size
        def swaps(batches):
            actions = []
            previous = []
            for batch in range(batches):
                current = [A('b%d-%d' % (batch, i), previous)
                           for i in range(4)]
                actions.extend(current)
                previous = [a.uuid for a in current]
            with mock.patch.object(graph_flow.Flow, '_swap', autospec=True,
                                   side_effect=graph_flow.Flow._swap) as swap:
                flow, _ = tfe.build_flow(actions, make)
            self.assertEqual((batches - 1) * 16,
                             len(list(flow.iter_links())))
            return swap.call_count

        self.assertEqual(2, swaps(5))
        self.assertEqual(2, swaps(50))


class TestDeciders(test_base.TestCase):

    def test_always(self):
        self.assertTrue(wf.decider_always({'a': wf.FAILED}))
        self.assertTrue(wf.decider_always({'a': wf.SUCCEEDED}))

    def test_any_runs_only_after_a_failure(self):
        self.assertFalse(wf.decider_any({'a': wf.SUCCEEDED}))
        self.assertFalse(wf.decider_any({'a': wf.SKIPPED}))
        self.assertTrue(wf.decider_any({'a': wf.FAILED}))
        self.assertTrue(wf.decider_any({'a': wf.SUCCEEDED, 'b': wf.FAILED}))

    def test_rule_per_strategy(self):
        self.flags(group='watcher_workflow_engines.taskflow',
                   action_execution_rule={'zone_migration': 'ANY',
                                          'basic': 'always',
                                          'odd': 'SOMETIMES'})
        self.assertEqual(wf.ANY, wf.execution_rule_for('zone_migration'))
        self.assertEqual(wf.ALWAYS, wf.execution_rule_for('basic'))
        self.assertEqual(wf.ALWAYS, wf.execution_rule_for('unlisted'))
        self.assertEqual(wf.ALWAYS, wf.execution_rule_for(None))
        self.assertEqual(wf.ALWAYS, wf.execution_rule_for('odd'))


class TestSummary(test_base.TestCase):

    def _make(self, entries, by_user=()):
        outcome = wf.ExecutionOutcome()
        for uuid, state, message in entries:
            outcome.record(A(uuid, action_type='migrate'), state, message)
        outcome.by_user.update(by_user)
        return outcome

    def test_all_good(self):
        self.assertIsNone(wf.summarize(self._make(
            [('a', wf.SUCCEEDED, None)])))

    def test_failure_first(self):
        text = wf.summarize(self._make([
            ('a', wf.SUCCEEDED, None), ('b', wf.FAILED, 'no room on c1'),
            ('c', wf.FAILED, 'later'), ('d', wf.SKIPPED, 'Instance gone')]))
        self.assertTrue(text.startswith('Action b (migrate) failed: no room'),
                        text)
        self.assertIn('1 more action(s) failed', text)
        self.assertIn('Action d was skipped: Instance gone', text)

    def test_skips_by_user_and_automatic(self):
        text = wf.summarize(self._make(
            [('a', wf.SKIPPED, None), ('b', wf.SUCCEEDED, None)],
            by_user={'a'}))
        self.assertEqual('Action a was skipped by user', text)

    def test_many_skips_are_counted(self):
        entries = [('s%d' % i, wf.SKIPPED, 'gone') for i in range(10)]
        text = wf.summarize(self._make(entries, by_user={'s0', 's1'}))
        self.assertEqual('10 actions were skipped (2 by user, 8 '
                         'automatically)', text)

    def test_truncated_to_the_column(self):
        text = wf.summarize(self._make([('a', wf.FAILED, 'x' * 1000)]))
        self.assertEqual(wf.STATUS_MESSAGE_MAX, len(text))
        self.assertTrue(text.endswith('...'))
