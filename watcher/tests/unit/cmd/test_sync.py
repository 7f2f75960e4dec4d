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

"""watcher-sync: plugins into the database, idempotency, stale references."""
from unittest import mock

from watcher.cmd import sync as sync_cmd
from watcher.decision_engine import sync
from watcher import objects
from watcher.tests import base
from watcher.tests import objects_utils


def _found(goal_display='Goal one', strategy_spec=None, goals=('g1',),
           strategies=('s1',)):
    return sync.Discovered(
        goals={name: sync.GoalDef(name, goal_display if name == 'g1'
                                  else name, [{'name': 'i1'}])
               for name in goals},
        strategies={name: sync.StrategyDef(
            name, 'Strategy ' + name, 'g1',
            strategy_spec or {'properties': {}}) for name in strategies},
        scoring_engines={'se1': sync.ScoringEngineDef('se1', 'd', 'm')},
        action_descriptions={'nop': 'Logging a NOP message'})


class TestInstalledPlugins(base.DbTestCase):

    def test_real_plugins_twice(self):
        first = sync.Syncer().sync(self.context)
        self.assertTrue(first.changed)
        goals = {g.name for g in objects.Goal.list(self.context)}
        self.assertIn('dummy', goals)
        self.assertEqual(set(sync.discover_goals()), goals)
        strategies = {s.name: s for s in objects.Strategy.list(self.context)}
        for name, definition in sync.discover_strategies().items():
            self.assertEqual(definition.parameters_spec,
                             strategies[name].parameters_spec)
        second = sync.Syncer().sync(self.context)
        self.assertFalse(second.changed, second)
        self.assertEqual(goals, {g.name for g in objects.Goal.list(
            self.context)})

    def test_every_goal_has_upstreams_default_strategy(self):
        # the first strategy of each goal (what a goal-only audit runs
        # unless the goal names a default_strategy) is upstream's: the
        # first by entry point name, the order the installed metadata
        # lists them in
        sync.Syncer().sync(self.context)
        first = {}
        for strategy in objects.Strategy.list(self.context, sort_key='id'):
            goal = objects.Goal.get_by_id(self.context, strategy.goal_id)
            first.setdefault(goal.name, strategy.name)
        self.assertEqual({
            'dummy': 'dummy', 'unclassified': 'actuator',
            'server_consolidation': 'basic',
            'workload_balancing': 'storage_capacity_balance',
            'cluster_maintaining': 'host_maintenance',
            'thermal_optimization': 'outlet_temperature',
            'airflow_optimization': 'uniform_airflow',
            'noisy_neighbor': 'noisy_neighbor',
            'saving_energy': 'saving_energy',
            'hardware_maintenance': 'zone_migration'}, first)

    def test_cli(self):
        with mock.patch.object(sync_cmd.cmd, 'parse_config'), \
                mock.patch('builtins.print') as printed:
            self.assertEqual(0, sync_cmd.main(['watcher-sync']))
            self.assertTrue(printed.called)
            printed.reset_mock()
            sync_cmd.main(['watcher-sync'])
            printed.assert_called_once_with(
                'nothing to do: the database matches the plugins')


class TestStaleReferences(base.DbTestCase):

    def setUp(self):
        super().setUp()
        sync.Syncer(_found()).sync(self.context)
        self.goal = objects.Goal.get_by_name(self.context, 'g1')
        self.strategy = objects.Strategy.get_by_name(self.context, 's1')
        self.template = objects_utils.create_test_audit_template(
            self.context, goal_id=self.goal.id, strategy_id=self.strategy.id)
        self.audit = objects_utils.create_test_audit(
            self.context, goal_id=self.goal.id,
            strategy_id=self.strategy.id, state='PENDING')
        self.done_audit = objects_utils.create_test_audit(
            self.context, goal_id=self.goal.id,
            strategy_id=self.strategy.id, state='SUCCEEDED')
        self.plan = objects_utils.create_test_action_plan(
            self.context, audit_id=self.done_audit.id,
            strategy_id=self.strategy.id, state='RECOMMENDED')

    def reload(self, obj):
        from watcher.common import context
        return type(obj).get_by_id(
            context.get_admin_context(show_deleted=True), obj.id)

    def test_unchanged_is_noop(self):
        report = sync.Syncer(_found()).sync(self.context)
        self.assertFalse(report.changed, report)
        self.assertEqual('PENDING', self.reload(self.audit).state)

    def test_changed_goal(self):
        report = sync.Syncer(_found(goal_display='Goal one v2')).sync(
            self.context)
        self.assertEqual(['g1'], report.replaced['goal'])
        self.assertEqual(['s1'], report.replaced['strategy'])
        new_goal = objects.Goal.get_by_name(self.context, 'g1')
        self.assertNotEqual(self.goal.uuid, new_goal.uuid)
        self.assertIsNotNone(self.reload(self.goal).deleted_at)
        template = self.reload(self.template)
        self.assertEqual(new_goal.id, template.goal_id)
        self.assertEqual(objects.Strategy.get_by_name(
            self.context, 's1').id, template.strategy_id)
        self.assertEqual('CANCELLED', self.reload(self.audit).state)
        self.assertEqual('SUCCEEDED', self.reload(self.done_audit).state)
        self.assertEqual('CANCELLED', self.reload(self.plan).state)
        self.assertFalse(sync.Syncer(_found(goal_display='Goal one v2'))
                         .sync(self.context).changed)

    def test_changed_strategy_parameters(self):
        report = sync.Syncer(_found(strategy_spec={
            'properties': {'x': {'type': 'number'}}})).sync(self.context)
        self.assertEqual(['s1'], report.replaced['strategy'])
        self.assertNotIn('goal', report.replaced)
        self.assertEqual('CANCELLED', self.reload(self.plan).state)
        self.assertEqual('CANCELLED', self.reload(self.audit).state)

    def test_removed_strategy(self):
        report = sync.Syncer(_found(strategies=())).sync(self.context)
        self.assertEqual(['s1'], report.removed['strategy'])
        self.assertIsNone(self.reload(self.template).strategy_id)
        self.assertEqual('CANCELLED', self.reload(self.plan).state)

    def test_removed_goal_leaves_stale_template(self):
        report = sync.Syncer(sync.Discovered()).sync(self.context)
        self.assertEqual(['g1'], report.removed['goal'])
        self.assertEqual([self.template.uuid], report.stale_audit_templates)
        self.assertEqual(['se1'], report.removed['scoring_engine'])

    def test_scoring_engine_and_action_description_updates(self):
        found = _found()
        found.scoring_engines['se1'] = sync.ScoringEngineDef('se1', 'd2',
                                                             'm')
        found.action_descriptions['nop'] = 'changed'
        report = sync.Syncer(found).sync(self.context)
        self.assertEqual(['se1'], report.updated['scoring_engine'])
        self.assertEqual(['nop'], report.updated['action_description'])
        self.assertEqual('d2', objects.ScoringEngine.get_by_name(
            self.context, 'se1').description)
