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

"""The transition tables of audits, action plans and actions, exhaustively:
every allowed move is saved, every other is refused and writes nothing."""
import itertools
import os

import watcher
from watcher.common import exception
from watcher import objects
from watcher.objects import action as action_mod
from watcher.objects import action_plan as plan_mod
from watcher.objects import audit as audit_mod
from watcher.objects import base as obj_base
from watcher.objects import states
from watcher.tests import base
from watcher.tests import objects_utils

MACHINES = [
    ('audit', audit_mod, objects.Audit),
    ('action_plan', plan_mod, objects.ActionPlan),
    ('action', action_mod, objects.Action),
]


def _pairs(module):
    states = [s for s in module.State.ALL]
    return [(a, b) for a, b in itertools.product(states, states) if a != b]


class TestTables(base.TestCase):

    def test_tables_cover_every_state(self):
        for _name, module, _cls in MACHINES:
            self.assertEqual(set(module.State.ALL), set(module.TRANSITIONS))
            for targets in module.TRANSITIONS.values():
                self.assertTrue(targets <= set(module.State.ALL))

    def test_check_transition_function(self):
        for name, module, _cls in MACHINES:
            for old, new in _pairs(module):
                if new in module.TRANSITIONS[old]:
                    obj_base.check_transition(name, module.TRANSITIONS,
                                              'u', old, new)
                else:
                    err = self.assertRaises(
                        exception.IllegalStateTransition,
                        obj_base.check_transition, name,
                        module.TRANSITIONS, 'u', old, new)
                    self.assertEqual(400, err.code)
            # staying put is not a move
            obj_base.check_transition(name, module.TRANSITIONS, 'u',
                                      'PENDING', 'PENDING')

    def test_inventory_rows(self):
        audit = audit_mod.TRANSITIONS
        self.assertEqual({'ONGOING', 'CANCELLED'}, audit['PENDING'])
        self.assertIn('ONGOING', audit['SUSPENDED'])
        plan = plan_mod.TRANSITIONS
        self.assertEqual({'PENDING', 'CANCELLED', 'SUPERSEDED', 'DELETED'},
                         plan['RECOMMENDED'])
        self.assertNotIn('DELETED', plan['ONGOING'])
        self.assertIn('SKIPPED', action_mod.TRANSITIONS['PENDING'])


class TestSaveFollowsTables(base.DbTestCase):
    """Through save() and soft_delete(), against the database."""

    def _make(self, name, state):
        return getattr(objects_utils, 'create_test_%s' % name)(
            self.context, state=state)

    def test_every_pair(self):
        for name, module, cls in MACHINES:
            for old, new in _pairs(module):
                obj = self._make(name, old)
                allowed = new in module.TRANSITIONS[old]
                if new == 'DELETED':
                    call = obj.soft_delete
                else:
                    obj.state = new
                    call = obj.save
                if allowed:
                    call()
                    stored = cls.get_by_id(
                        obj_base._show_deleted(self.context), obj.id)
                    self.assertEqual(new, stored.state, (name, old, new))
                else:
                    self.assertRaises(exception.IllegalStateTransition,
                                      call)
                    stored = cls.get_by_id(self.context, obj.id)
                    self.assertEqual(old, stored.state, (name, old, new))
                    self.assertEqual(0, self.dbapi.__getattribute__(
                        'get_%s_by_id' % name)(self.context, obj.id).deleted)


class TestEvents(base.DbTestCase):
    """Every named event, fired through the object's one door."""

    def _make(self, name, state):
        return getattr(objects_utils, 'create_test_%s' % name)(
            self.context, state=state)

    def test_every_event_from_every_state_by_every_actor(self):
        notified = []

        def listener(event, obj, old_state):
            notified.append((obj.obj_name(), old_state, obj.state))

        obj_base.register_change_listener(listener)
        self.addCleanup(obj_base.unregister_change_listener, listener)
        for name, module, cls in MACHINES:
            for event in module.MACHINE.events.values():
                for state in module.State.ALL:
                    for actor in states.ACTORS:
                        obj = self._make(name, state)
                        del notified[:]
                        key = (name, event.name, state, actor)
                        if (state in event.sources
                                and actor in event.actors):
                            fired = obj.fire(event.name, actor)
                            self.assertEqual(event, fired)
                            stored = cls.get_by_id(
                                obj_base._show_deleted(self.context), obj.id)
                            target = (state if event.target is
                                      states.UNCHANGED else event.target)
                            self.assertEqual(target, stored.state, key)
                            self.assertEqual(
                                [(cls.obj_name(), state, target)],
                                notified, key)
                        else:
                            err = self.assertRaises(
                                exception.IllegalStateTransition,
                                obj.fire, event.name, actor)
                            self.assertEqual(400, err.code)
                            stored = cls.get_by_id(self.context, obj.id)
                            self.assertEqual(state, stored.state, key)
                            self.assertEqual([], notified, key)

    def test_fire_is_a_compare_and_set(self):
        audit = self._make('audit', 'PENDING')
        stale = objects.Audit.get_by_id(self.context, audit.id)
        audit.fire('start', states.ENGINE)
        self.assertRaises(exception.ObjectStateChanged,
                          stale.fire, 'cancel', states.USER)
        self.assertEqual('ONGOING',
                         objects.Audit.get_by_id(self.context,
                                                 audit.id).state)

    def test_fire_writes_other_fields_with_the_state(self):
        audit = self._make('audit', 'PENDING')
        audit.fire('start', states.ENGINE, hostname='de-1')
        stored = objects.Audit.get_by_id(self.context, audit.id)
        self.assertEqual(('ONGOING', 'de-1'), (stored.state,
                                               stored.hostname))

    def test_transitions_are_derived_from_events(self):
        for _name, module, _cls in MACHINES:
            self.assertEqual(module.MACHINE.transitions(),
                             module.TRANSITIONS)

    def test_engine_may_cancel_a_recommended_plan(self):
        self.assertTrue(plan_mod.MACHINE.may(states.ENGINE, 'cancel',
                                             'RECOMMENDED'))

    def test_a_user_patch_never_triggers_an_audit(self):
        self.assertNotIn(('SUCCEEDED', 'ONGOING'),
                         audit_mod.MACHINE.user_moves())


class TestMachineDeclaration(base.TestCase):

    def test_unknown_state_or_actor_or_duplicate_is_refused(self):
        self.assertRaises(ValueError, states.Event, 'x', ['A'], 'B',
                          ['nobody'])
        self.assertRaises(ValueError, states.Machine, 'o', ['A'],
                          [states.Event('x', ['A'], 'B', [states.USER])])
        row = states.Event('x', ['A'], 'A', [states.USER])
        self.assertRaises(ValueError, states.Machine, 'o', ['A'],
                          [row, row])

    def test_contributor_page_names_every_event(self):
        page = os.path.join(os.path.dirname(watcher.__file__), os.pardir,
                            'doc', 'source', 'contributor',
                            'state-machines.rst')
        with open(page) as f:
            text = f.read()
        for _name, module, _cls in MACHINES:
            for event in module.MACHINE.events:
                self.assertIn('``%s``' % event, text)
        for actor in states.ACTORS:
            self.assertIn('``%s``' % actor, text)
