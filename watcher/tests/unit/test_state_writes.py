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

"""Nothing outside ``objects/`` and ``db/`` writes a state column.

Every state change is ``obj.fire(event, actor, ...)``
(``doc/source/contributor/state-machines.rst``): the event table says who
may make it, and the compare-and-set, the save and the notification happen
in one place. This test reads every module of ``watcher/`` (but
``objects/``, ``db/`` and ``tests/``) and fails on what writes a state
another way:

* ``<something>.state = ...`` (or ``setattr(x, 'state', ...)``), except on
  ``self`` (a class's own attribute: a cluster model element, a strategy's
  helper);
* a ``state`` keyword or a ``'state'`` key given to ``save``, ``update``,
  ``update_<resource>`` or ``values`` (SQLAlchemy) calls;
* SQL text that updates a ``state`` column.

``watcher/simulator/`` is not scanned: it stands for the cloud, and its
servers and services have their own states, none of watcher's.
"""
import ast
import os
import re

import fixtures
import testtools

import watcher

ROOT = os.path.dirname(os.path.abspath(watcher.__file__))
SKIPPED = ('objects', 'db', 'tests', 'simulator')

#: modules (relative to watcher/) still allowed to write states their own
#: way, each with the reason; empty now that the decision engine and the
#: applier fire events
ALLOWED = {}

WRITE_CALLS = re.compile(r'^(save|update|update_\w+|values)$')
SQL_STATE_UPDATE = re.compile(
    r'\bupdate\s+[`"]?\w+[`"]?\s+set\b[^;]*?\bstate[`"]?\s*=',
    re.IGNORECASE)


def _call_name(node):
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def _is_state_key(node):
    return isinstance(node, ast.Constant) and node.value == 'state'


def _writes_state_in_call(node):
    if any(kw.arg == 'state' for kw in node.keywords):
        return True
    for arg in node.args:
        if isinstance(arg, ast.Dict) and any(
                _is_state_key(k) for k in arg.keys):
            return True
        if isinstance(arg, ast.Call) and _call_name(arg) == 'dict' and any(
                kw.arg == 'state' for kw in arg.keywords):
            return True
    return False


def state_writes(source, filename='<source>'):
    """``[(line, what)]``: the state writes in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        for target in targets:
            for leaf in ast.walk(target):
                if (isinstance(leaf, ast.Attribute) and leaf.attr == 'state'
                        and not (isinstance(leaf.value, ast.Name)
                                 and leaf.value.id == 'self')):
                    found.append((node.lineno, 'assigns .state'))
        if isinstance(node, ast.Call):
            name = _call_name(node)
            if name == 'setattr' and len(node.args) >= 2 and \
                    _is_state_key(node.args[1]):
                found.append((node.lineno, "setattr(..., 'state', ...)"))
            elif name and WRITE_CALLS.match(name) and \
                    _writes_state_in_call(node):
                found.append((node.lineno, 'state given to %s()' % name))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and SQL_STATE_UPDATE.search(node.value):
            found.append((node.lineno, 'SQL updating state'))
    return sorted(set(found))


def scan(root=ROOT, skipped=SKIPPED):
    """``{relative path: [(line, what)]}`` for the modules under ``root``."""
    result = {}
    for directory, subdirs, files in os.walk(root):
        rel_dir = os.path.relpath(directory, root)
        if rel_dir == '.':
            subdirs[:] = [d for d in subdirs if d not in skipped]
        subdirs.sort()
        for name in sorted(files):
            if not name.endswith('.py'):
                continue
            path = os.path.join(directory, name)
            with open(path, encoding='utf-8') as stream:
                writes = state_writes(stream.read(), path)
            if writes:
                result[os.path.normpath(os.path.join(rel_dir, name))] = \
                    writes
    return result


class TestNoStateWritesOutsideObjects(testtools.TestCase):

    def test_only_objects_and_db_write_states(self):
        found = {path: writes for path, writes in scan().items()
                 if path not in ALLOWED}
        self.assertEqual({}, found,
                         'fire an event of the object instead '
                         '(doc/source/contributor/state-machines.rst)')

    def test_allowed_modules_still_exist_and_still_write(self):
        # an entry nobody needs any more is removed, not left to rot
        found = scan()
        for path in ALLOWED:
            self.assertIn(path, found, '%s no longer writes states: take '
                          'it off ALLOWED' % path)


class TestTheScanCatchesPlantedWrites(testtools.TestCase):
    """The scanner itself, on planted modules."""

    PLANTED = {
        'assign': 'audit.state = "SUCCEEDED"\naudit.save()\n',
        'assign_nested': 'self.plan.state = "PENDING"\n',
        'setattr': 'setattr(plan, "state", "CANCELLED")\n',
        'update_kw': 'db.update_audit(uuid, state="FAILED")\n',
        'update_dict': ('db.update_audit(uuid, {"state": "ONGOING", '
                        '"hostname": h}, expected_state="PENDING")\n'),
        'update_dict_call': 'obj.update(dict(state="ONGOING"))\n',
        'save_kw': 'audit.save(state="ONGOING")\n',
        'sqlalchemy_values': ('stmt = table.update().where(c).values('
                              'state="CANCELLED")\n'),
        'raw_sql': ('conn.execute(text("UPDATE audits SET hostname = :h, '
                    'state = \'ONGOING\' WHERE id = :i"))\n'),
        'raw_sql_lower': ('conn.execute("update `action_plans` set '
                          '`state`=%s where id=%s", args)\n'),
    }

    CLEAN = {
        'fire': ('audit.fire("succeed", states.ENGINE, '
                 'status_message=None)\n'),
        'own_attribute': ('class Node:\n    def __init__(self, state):\n'
                          '        self.state = state\n'),
        'read': 'if audit.state == "ONGOING":\n    pass\n',
        'filter': ('objects.Audit.list(ctx, filters={"state": "PENDING"})\n'
                   'objects.Audit.list(ctx, filters=dict(state="PENDING"))\n'),
        'select': 'conn.execute(text("SELECT state FROM audits"))\n',
        'prose': ("'''A notification updates the instance and may set "
                  "the state of a node.'''\n"),
    }

    def test_each_planted_write_is_caught(self):
        for name, source in self.PLANTED.items():
            self.assertNotEqual([], state_writes(source), name)

    def test_clean_code_passes(self):
        for name, source in self.CLEAN.items():
            self.assertEqual([], state_writes(source), name)

    def test_a_planted_module_fails_the_scan(self):
        root = self.useFixture(fixtures.TempDir()).path
        for directory in ('decision_engine', 'objects', 'simulator'):
            os.makedirs(os.path.join(root, directory))
        writes = 'def settle(audit):\n    audit.state = "CANCELLED"\n'
        for path in ('decision_engine/sneaky.py', 'objects/audit.py',
                     'simulator/cloud.py'):
            with open(os.path.join(root, path), 'w') as stream:
                stream.write(writes)
        self.assertEqual({'decision_engine/sneaky.py': [
            (2, 'assigns .state')]}, scan(root))
