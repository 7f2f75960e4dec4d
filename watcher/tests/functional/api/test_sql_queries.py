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

"""A list page costs the same number of SQL statements whatever its size."""
import contextlib

from sqlalchemy import event

from watcher.common import utils
from watcher import objects
from watcher.tests.functional.api import base


class TestConstantQueries(base.APITestCase):

    seed_history = False

    def setUp(self):
        super().setUp()
        goal, strategy = self.goals['dummy'], self.strategies['dummy']
        for i in range(60):
            audit = objects.Audit(
                self.context, name='a%02d' % i, audit_type='ONESHOT',
                state='PENDING', goal_id=goal.id, strategy_id=strategy.id,
                parameters={}, scope=[])
            audit.create()
            if i < 12:
                plan = objects.ActionPlan(self.context, audit_id=audit.id,
                                          strategy_id=strategy.id,
                                          state='RECOMMENDED')
                plan.create()
                objects.EfficacyIndicator(
                    self.context, action_plan_id=plan.id, name='n',
                    description='d', unit=None, value=1.0).create()
                for _ in range(6):
                    objects.Action(self.context, action_plan_id=plan.id,
                                   action_type='nop', state='PENDING',
                                   input_parameters={}, parents=[]).create()
            objects.AuditTemplate(self.context, name='t%02d' % i,
                                  goal_id=goal.id,
                                  strategy_id=strategy.id).create()

    @contextlib.contextmanager
    def count_queries(self):
        statements = []

        def _count(conn, cursor, statement, params, context, many):
            if statement.split(None, 1)[0].upper() not in (
                    'BEGIN', 'COMMIT', 'ROLLBACK', 'SAVEPOINT', 'RELEASE'):
                statements.append(statement)
        event.listen(self.engine, 'before_cursor_execute', _count)
        try:
            yield statements
        finally:
            event.remove(self.engine, 'before_cursor_execute', _count)

    def _queries(self, url):
        with self.count_queries() as statements:
            self.get(url, version='1.7')
        self.statements = statements
        return len(statements)

    def test_list_pages(self):
        for collection in ('audits', 'audits/detail', 'audit_templates',
                           'audit_templates/detail', 'action_plans',
                           'action_plans/detail', 'actions',
                           'actions/detail', 'strategies/detail', 'goals',
                           'services/detail'):
            small = self._queries('/v1/%s?limit=2' % collection)
            large = self._queries('/v1/%s?limit=50' % collection)
            self.assertEqual(small, large, collection)
            # the page with its parents' uuids and names in one query
            # (+ efficacy indicators or action descriptions)
            self.assertLessEqual(large, 2, (collection, self.statements))

    def test_marker_pages(self):
        first = self.get('/v1/audits?limit=5').json
        marker_url = first['next'].split('/v1/', 1)[1]
        self.assertEqual(self._queries('/v1/' + marker_url),
                         self._queries('/v1/audits?limit=50&marker=%s' %
                                       first['audits'][-1]['uuid']))


class TestLargePlanPages(base.APITestCase):
    """The pages of a plan of 5,000 actions cost what a small plan's do:
    the first one, one deep in the plan (by marker) and the detail view,
    counted in SQL statements.
    """

    ACTIONS = 5000
    seed_history = False
    count_queries = TestConstantQueries.count_queries
    _queries = TestConstantQueries._queries

    def _plan(self, name, count):
        goal, strategy = self.goals['dummy'], self.strategies['dummy']
        audit = objects.Audit(
            self.context, name=name, audit_type='ONESHOT',
            state='SUCCEEDED', goal_id=goal.id, strategy_id=strategy.id,
            parameters={}, scope=[])
        audit.create()
        actions = []
        for i in range(count):
            action = {'action_type': 'nop', 'state': 'PENDING',
                      'uuid': utils.generate_uuid(),
                      'input_parameters': {'message': 'm%d' % i}}
            if actions:
                action['parents'] = [actions[-1]['uuid']]
            actions.append(action)
        return objects.ActionPlan.create_with_children(
            self.context, {'audit_id': audit.id, 'strategy_id': strategy.id,
                           'state': 'RECOMMENDED'}, actions)[:2]

    def test_pages_of_a_large_plan(self):
        small_plan = self._plan('small', 60)[0].uuid
        self.large_plan, stored = self._plan('large', self.ACTIONS)
        self.deep_marker = stored[self.ACTIONS - 100].uuid
        for view in ('actions', 'actions/detail'):
            small = self._queries('/v1/%s?action_plan_uuid=%s&limit=50'
                                  % (view, small_plan))
            first = self._queries('/v1/%s?action_plan_uuid=%s&limit=50'
                                  % (view, self.large_plan.uuid))
            deep = self._queries(
                '/v1/%s?action_plan_uuid=%s&limit=50&marker=%s'
                % (view, self.large_plan.uuid, self.deep_marker))
            self.assertEqual(small, first, view)
            self.assertLessEqual(deep, first + 1, (view, self.statements))
            self.assertLessEqual(first, 3, (view, self.statements))
        page = self.get('/v1/actions?action_plan_uuid=%s&limit=50&marker=%s'
                        % (self.large_plan.uuid, self.deep_marker)).json
        self.assertEqual(50, len(page['actions']))
        plan = self._queries('/v1/action_plans/%s' % self.large_plan.uuid)
        self.assertLessEqual(plan, 3, self.statements)
