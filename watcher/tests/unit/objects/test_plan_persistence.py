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

"""Storing a large action plan costs a bounded number of SQL statements.

The decision engine stores a plan, its actions and efficacy indicators in
one call (``ActionPlan.create_with_children``), and every stored object is
announced by its versioned ``create`` notification. Neither the write nor
the notifications may cost SQL statements per action: the statements are
counted (not timed) for plans of 30 and 3,000 actions.
"""
import sqlalchemy as sa

from watcher.common import utils
from watcher import notifications
from watcher import objects
from watcher.tests import base
from watcher.tests.functional.services import fixtures as svc_fixtures
from watcher.tests import objects_utils

#: statements for the plan, its actions and indicators, and every
#: notification payload, whatever the number of actions (the ORM writes
#: the actions in pages of many rows each)
BOUND = 20


class TestLargePlanStatements(base.DbTestCase):

    def setUp(self):
        super().setUp()
        self.messaging = self.useFixture(svc_fixtures.MessagingFixture())
        notifications.install()
        self.audit = objects_utils.create_test_audit(self.context)
        self.statements = []
        sa.event.listen(self.db_fixture.engine, 'before_cursor_execute',
                        self._count)
        self.addCleanup(sa.event.remove, self.db_fixture.engine,
                        'before_cursor_execute', self._count)

    def _count(self, conn, cursor, statement, *args):
        self.statements.append(statement)

    def store(self, count):
        actions = []
        for i in range(count):
            action = {'action_type': 'migrate', 'input_parameters': {
                'migration_type': 'live', 'resource_id': 'server-%d' % i,
                'destination_node': 'host-%d' % (i % 7)}}
            action['uuid'] = utils.generate_uuid()
            if actions:
                action['parents'] = [actions[-1]['uuid']]
            actions.append(action)
        del self.statements[:]
        self.seen = len(self.messaging.notifications)
        plan, stored, indicators = objects.ActionPlan.create_with_children(
            self.context, {'audit_id': self.audit.id,
                           'strategy_id': self.audit.strategy_id},
            actions, [{'name': 'migrations', 'value': count, 'unit': ''}])
        return plan, stored, list(self.statements)

    def test_thousands_of_actions_in_bounded_statements(self):
        _plan, small, few = self.store(30)
        plan, stored, many = self.store(3000)
        self.assertEqual(3000, len(stored))
        self.assertLessEqual(len(many), BOUND, many[:BOUND + 5])
        self.assertLessEqual(len(few), BOUND, few)
        # every object is announced, each action with its plan
        created = [n for n in self.messaging.notifications[self.seen:]
                   if n[0] == 'action.create']
        self.assertEqual(3000, len(created))
        data = created[-1][3]['watcher_object.data']
        self.assertEqual(
            plan.uuid,
            data['action_plan']['watcher_object.data']['uuid'])
        self.assertEqual(
            self.audit.uuid,
            data['action_plan']['watcher_object.data']['audit_uuid'])
        # the stored actions read back as written, parents included
        back = objects.Action.list(self.context,
                                   filters={'action_plan_id': plan.id})
        self.assertEqual(3000, len(back))
        by_uuid = {a.uuid: a for a in back}
        for action in stored[1:4]:
            self.assertEqual(action.parents, by_uuid[action.uuid].parents)
