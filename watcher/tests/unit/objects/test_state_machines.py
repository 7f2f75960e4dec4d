"""The transition tables of audits, action plans and actions, exhaustively:
every allowed move is saved, every other is refused and writes nothing."""
import itertools

from watcher.common import exception
from watcher import objects
from watcher.objects import action as action_mod
from watcher.objects import action_plan as plan_mod
from watcher.objects import audit as audit_mod
from watcher.objects import base as obj_base
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
