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
