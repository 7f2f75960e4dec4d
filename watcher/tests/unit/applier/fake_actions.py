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

"""A test action whose behaviour its input parameters choose, and that
records what happened to it (for engine tests without a cloud)."""
import threading
import time

from watcher.applier.actions import base
from watcher.applier import loading
from watcher.common import exception


class Journal:
    def __init__(self):
        self.lock = threading.Lock()
        self.entries = []
        self.running = 0
        self.max_running = 0

    def add(self, name, what):
        with self.lock:
            self.entries.append((name, what, time.monotonic()))

    def names(self, what):
        with self.lock:
            return [n for n, w, _ in self.entries if w == what]

    def at(self, name, what):
        with self.lock:
            for n, w, t in self.entries:
                if n == name and w == what:
                    return t
        return None


class FakeAction(base.BaseAction):
    """A configurable action.

    Parameters: name, duration, skip, fail ('pre'|'execute'|'post'),
    abortable (bool), fail_revert (bool).
    """

    name = 'fake'
    journal = None
    schema = {'type': 'object', 'properties': {
        'name': {'type': 'string'}, 'duration': {'type': 'number'}},
        'required': ['name']}

    def _p(self, key, default=None):
        return self.input_parameters.get(key, default)

    def pre_condition(self):
        self.journal.add(self._p('name'), 'pre')
        if self._p('skip'):
            self.skip('nothing to do for %s' % self._p('name'))
        if self._p('fail') == 'pre':
            raise exception.ActionPreConditionFailed(reason='pre failed')

    def execute(self):
        name = self._p('name')
        with self.journal.lock:
            self.journal.running += 1
            self.journal.max_running = max(self.journal.max_running,
                                           self.journal.running)
        self.journal.add(name, 'start')
        try:
            if self.wait(self._p('duration', 0)):
                raise exception.ActionAborted(action=name)
            if self._p('fail') == 'execute':
                raise exception.ActionExecutionFailure(action_id=name)
        finally:
            self.journal.add(name, 'end')
            with self.journal.lock:
                self.journal.running -= 1
        return True

    def post_condition(self):
        if self._p('fail') == 'post':
            raise exception.ActionPreConditionFailed(reason='post failed')

    def revert(self):
        self.journal.add(self._p('name'), 'revert')
        if self._p('fail_revert'):
            raise RuntimeError('cannot revert')

    def abort(self):
        self.journal.add(self._p('name'), 'abort')
        if self._p('abortable', True):
            self._mark_aborted()
            return True
        return False


def loader(journal):
    """An action loader: 'fake' actions are FakeAction, others the real."""

    class Bound(FakeAction):
        pass

    Bound.journal = journal

    def load(action_type, input_parameters=None, **kwargs):
        if action_type == 'fake':
            return Bound(input_parameters=input_parameters, **kwargs)
        return loading.load_action(action_type, input_parameters, **kwargs)

    return load
