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

"""Loading a row stores what the fields' setters would have stored."""
import datetime
import types

from oslo_versionedobjects import fields as ovo_fields

from watcher import objects
from watcher.objects import base as objects_base
from watcher.tests import base

NAMES = ('Goal', 'Strategy', 'AuditTemplate', 'Audit', 'ActionPlan',
         'Action', 'EfficacyIndicator', 'ScoringEngine', 'Service',
         'ActionDescription')
NAIVE = datetime.datetime(2024, 5, 17, 8, 30, 15, 123456)
AWARE = NAIVE.replace(tzinfo=datetime.timezone(datetime.timedelta(hours=2)))


def _value(field, variant):
    """A value of the kind the database gives for ``field``."""
    kind = type(field._type)
    if variant == 'none' and field.nullable:
        return None
    if kind is ovo_fields.Integer:
        return 7 if variant != 'odd' else '7'
    if kind is ovo_fields.UUID:
        return '6f4a2b1e-8c3d-4e5f-9a0b-1c2d3e4f5a6b'
    if kind is ovo_fields.String:
        return 'text' if variant != 'odd' else 12
    if kind is ovo_fields.Boolean:
        return True if variant != 'odd' else 1
    if kind is ovo_fields.Float:
        return 1.5 if variant != 'odd' else 2
    if kind is ovo_fields.DateTime:
        return {'odd': AWARE}.get(variant, NAIVE)
    if isinstance(field, ovo_fields.ListOfStringsField):
        return ['a', 'b']
    if 'List' in type(field).__name__:
        return [{'k': 1}] if variant != 'odd' else '[{"k": 1}]'
    if 'Dict' in type(field).__name__:
        return {'k': [1, 2]} if variant != 'odd' else '{"k": 1}'
    return {'any': 1}


class TestFromDbObject(base.TestCase):

    def _compare(self, cls, variant):
        row = types.SimpleNamespace(**{
            name: _value(field, variant)
            for name, field in cls.fields.items() if name not in cls.EAGER})
        fast = cls._from_db_object(cls(self.context), row)
        slow = cls(self.context)
        for name in cls.fields:
            if name not in cls.EAGER:
                setattr(slow, name, getattr(row, name))
        slow.obj_reset_changes()
        for name in cls.fields:
            if name in cls.EAGER:
                self.assertFalse(fast.obj_attr_is_set(name))
                continue
            expected, got = getattr(slow, name), getattr(fast, name)
            self.assertEqual(expected, got, '%s.%s' % (cls.__name__, name))
            self.assertIs(type(expected), type(got), name)
            if isinstance(expected, datetime.datetime):
                self.assertEqual(expected.tzinfo, got.tzinfo, name)
            if isinstance(expected, (dict, list)):
                # a copy, as the setter makes
                self.assertIsNot(getattr(row, name), got, name)
        self.assertEqual({}, fast.obj_get_changes())

    def test_same_as_setters(self):
        for name in NAMES:
            for variant in ('plain', 'none', 'odd'):
                self._compare(getattr(objects, name), variant)

    def test_bad_value_still_refused(self):
        cls = objects.Audit
        row = types.SimpleNamespace(**{
            name: _value(field, 'plain')
            for name, field in cls.fields.items() if name not in cls.EAGER})
        row.id = 'not a number'
        self.assertRaises(ValueError, cls._from_db_object,
                          cls(self.context), row)

    def test_read_only_field_uses_setters(self):
        @objects_base.WatcherObjectRegistry.register_if(False)
        class ReadOnly(objects_base.WatcherPersistentObject):
            fields = {'id': ovo_fields.IntegerField(read_only=True)}

        obj = ReadOnly(self.context)
        row = types.SimpleNamespace(**{name: None for name in
                                       ReadOnly.fields})
        row.id = 3
        ReadOnly._from_db_object(obj, row)
        self.assertEqual(3, obj.id)
        self.assertIsNone(objects_base._load_plan(ReadOnly))
