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

"""The database interface is written out: the backend implements all of it,
each object class names its calls, and no call is found by building a name.
"""
import abc
import inspect
import pathlib
import re

import testtools

import watcher
from watcher.db import api as db_api
from watcher.db.sqlalchemy import api as sqla_api
from watcher import objects
from watcher.objects import base as objects_base

_ROOT = pathlib.Path(watcher.__file__).parent
# getattr(x, <a name built with %, + or an f-string>)(...)
_ARG = r"(?:[^()]|\(\))"  # no parentheses but empty calls such as _db()
_BUILT_CALL = re.compile(
    r"getattr\(%s*?,\s*(?:f['\"]|%s*?[%%+])%s*\)\(" % (_ARG, _ARG, _ARG))
_DB_GETATTR = re.compile(r"getattr\(\s*(?:_db\(\)|db_api|dbapi|self\.dbapi)")


def _abstract_methods():
    return {name for name, value in vars(db_api.Connection).items()
            if getattr(value, '__isabstractmethod__', False)}


def _persistent_classes():
    return [cls for cls in vars(objects).values()
            if inspect.isclass(cls) and
            issubclass(cls, objects_base.WatcherPersistentObject) and
            cls is not objects_base.WatcherPersistentObject]


class _Recorder:
    """Stands for the connection: records which method a lambda reads."""

    def __getattr__(self, name):
        return name


class TestInterface(testtools.TestCase):

    def test_backend_implements_every_method(self):
        self.assertTrue(inspect.isabstract(db_api.Connection))
        self.assertFalse(inspect.isabstract(sqla_api.Connection))
        conn = sqla_api.get_backend()
        self.assertIsInstance(conn, db_api.Connection)
        for name in _abstract_methods():
            impl = getattr(sqla_api.Connection, name)
            self.assertIsNot(impl, getattr(db_api.Connection, name), name)
            self.assertEqual(
                list(inspect.signature(getattr(db_api.Connection, name))
                     .parameters),
                list(inspect.signature(impl).parameters), name)

    def test_a_missing_method_fails_at_instantiation(self):
        class Partial(db_api.Connection):
            pass
        self.assertRaises(TypeError, Partial)
        incomplete = {name: lambda self: None
                      for name in sorted(_abstract_methods())[1:]}
        cls = abc.ABCMeta('Incomplete', (db_api.Connection,), incomplete)
        self.assertRaises(TypeError, cls)

    def test_every_method_documented_in_one_line(self):
        for name in _abstract_methods():
            doc = getattr(db_api.Connection, name).__doc__
            self.assertTrue(doc and '\n' not in doc.strip(), name)

    def test_get_instance_is_the_backend(self):
        self.assertIsInstance(db_api.get_instance(), sqla_api.Connection)

    def test_objects_name_interface_methods(self):
        used = set()
        classes = _persistent_classes()
        self.assertGreaterEqual(len(classes), 10)
        for cls in classes:
            self.assertIsInstance(cls.DB, objects_base.DbCalls, cls)
            for call in cls.DB:
                if call is not None:
                    name = call(_Recorder())
                    self.assertIn(name, _abstract_methods(), cls)
                    used.add(name)
            self.assertEqual(cls.HAS_UUID, cls.DB.get_by_uuid is not None)
            self.assertEqual(bool(cls.NAME_FIELD),
                             cls.DB.get_by_name is not None, cls)
        composite = {'reader', 'create_action_plan_with_children',
                     'get_service_by_host_and_name',
                     'get_action_description_by_type'}
        self.assertEqual(_abstract_methods() - composite, used)

    def test_no_call_by_built_name(self):
        offenders = []
        for path in (_ROOT / 'db', _ROOT / 'objects'):
            for source in path.rglob('*.py'):
                text = source.read_text()
                offenders += ['%s: %s' % (source, m.group(0))
                              for m in _BUILT_CALL.finditer(text)]
        for source in _ROOT.rglob('*.py'):
            if 'tests' in source.relative_to(_ROOT).parts:
                continue
            text = source.read_text()
            offenders += ['%s: %s' % (source, m.group(0))
                          for m in _DB_GETATTR.finditer(text)]
        self.assertEqual([], offenders)

    def test_the_scan_sees_a_built_name(self):
        self.assertTrue(_BUILT_CALL.search(
            "getattr(_db(), 'get_%s_by_id' % cls.RESOURCE)(context)"))
        self.assertTrue(_BUILT_CALL.search(
            "getattr(conn, 'create_' + name)(values)"))
        self.assertTrue(_BUILT_CALL.search("getattr(conn, f'x_{n}')(v)"))
        self.assertTrue(_DB_GETATTR.search("getattr(_db(), name)"))
        self.assertFalse(_BUILT_CALL.search("getattr(row, name + '_id')"))
