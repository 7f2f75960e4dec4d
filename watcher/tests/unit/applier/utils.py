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

"""Helpers of the applier tests (unit and functional).

* :class:`NotificationRecorder` -- records every versioned notification the
  code emits (event type, payload primitive, priority).
* :func:`make_plan` -- a PENDING action plan and its actions, from a compact
  description.
"""
import threading
import time

import fixtures

from watcher.notifications import base as notif_base
from watcher import objects
from watcher.tests import base as test_base
from watcher.tests import db_utils
from watcher.tests import objects_utils


class NotificationRecorder(fixtures.Fixture):
    """Captures ``watcher.notifications.base.emit`` calls."""

    def _setUp(self):
        self.events = []
        self._lock = threading.Lock()
        self.useFixture(fixtures.MonkeyPatch(
            'watcher.notifications.base.emit', self._emit))

    def _emit(self, context, event_type, payload, priority='info',
              host=None, **kwargs):
        primitive = payload.to_primitive()
        with self._lock:
            self.events.append((event_type, primitive,
                                notif_base.normalize_priority(priority),
                                time.monotonic()))
        return primitive

    def types(self, prefix=''):
        with self._lock:
            return [e[0] for e in self.events if e[0].startswith(prefix)]

    def for_uuid(self, uuid, prefix=''):
        with self._lock:
            return [e[0] for e in self.events if e[0].startswith(prefix)
                    and e[1]['watcher_object.data'].get('uuid') == uuid]

    def time_of(self, event_type, uuid):
        """When ``event_type`` was emitted for the object ``uuid``."""
        with self._lock:
            for e in self.events:
                if (e[0] == event_type and
                        e[1]['watcher_object.data'].get('uuid') == uuid):
                    return e[3]
        return None

    def payloads(self, event_type):
        with self._lock:
            return [e[1]['watcher_object.data'] for e in self.events
                    if e[0] == event_type]


class ApplierDbTestCase(test_base.TestCase):
    """A test case with a thread-safe file database and notifications."""

    def setUp(self):
        super().setUp()
        self.db_fixture = self.useFixture(test_base.FileDbFixture())
        self.notifications = self.useFixture(NotificationRecorder())


def make_plan(context, actions, state='PENDING', strategy_name=None,
              audit=None):
    """Create a plan and its actions.

    ``actions`` is a list of ``(key, action_type, input_parameters,
    [parent keys])``; returns ``(plan, {key: action})``.
    """
    strategy_id = None
    if strategy_name:
        goal = db_utils.default_goal()
        try:
            strategy = objects.Strategy.get_by_name(context, strategy_name)
        except Exception:
            strategy = objects_utils.create_test_strategy(
                context, name=strategy_name, goal_id=goal.id)
        strategy_id = strategy.id
    kwargs = {'state': state}
    if strategy_id is not None:
        kwargs['strategy_id'] = strategy_id
    if audit is not None:
        kwargs['audit_id'] = audit.id
    plan = objects_utils.create_test_action_plan(context, **kwargs)
    created = {}
    for key, action_type, params, parents in actions:
        created[key] = objects_utils.create_test_action(
            context, action_plan_id=plan.id, action_type=action_type,
            input_parameters=params,
            parents=[created[p].uuid for p in parents])
    return plan, created


def states(context, plan):
    """``{action uuid: state}`` of the plan's actions, fresh."""
    return {a.uuid: a.state for a in objects.Action.list(
        context, filters={'action_plan_uuid': plan.uuid})}


def fresh(context, obj):
    return type(obj).get_by_uuid(context, obj.uuid)
