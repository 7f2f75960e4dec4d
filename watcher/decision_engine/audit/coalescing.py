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

"""Run a keyed job at most once at a time, folding extra triggers into one.

:class:`CoalescingRunner` is what makes EVENT audits triggerable again and
again: ``trigger(key)`` starts a run of ``run(key)`` on the worker pool when
none is going on for that key; a trigger that arrives while a run is going
on is remembered, and however many arrive, exactly one more run follows the
current one. Different keys run independently (bounded by the pool).
"""
import threading

from oslo_log import log

LOG = log.getLogger(__name__)

_RUNNING = 'running'
_AGAIN = 'again'

#: What :meth:`CoalescingRunner.trigger` did with a trigger.
STARTED = 'started'
COALESCED = 'coalesced'


class CoalescingRunner:
    """Serialises and coalesces the runs of ``run(key)`` per key.

    :param submit: ``submit(fn, *args)`` hands work to a pool (e.g. a
        futurist executor's ``submit``); called outside the internal lock.
    :param run: the work; its exceptions are logged and do not stop the
        follow-up run.
    """

    def __init__(self, submit, run):
        self._submit = submit
        self._run = run
        self._lock = threading.Lock()
        self._states = {}
        self._idle = threading.Condition(self._lock)

    def trigger(self, key):
        """Ask for a run of ``key``; returns STARTED or COALESCED."""
        with self._lock:
            if key in self._states:
                self._states[key] = _AGAIN
                return COALESCED
            self._states[key] = _RUNNING
        try:
            self._submit(self._loop, key)
        except Exception:
            with self._lock:
                self._states.pop(key, None)
                self._idle.notify_all()
            raise
        return STARTED

    def is_busy(self, key):
        with self._lock:
            return key in self._states

    def wait_idle(self, key, timeout=None):
        """Block until no run of ``key`` is going on or asked for."""
        with self._lock:
            return self._idle.wait_for(lambda: key not in self._states,
                                       timeout=timeout)

    def _loop(self, key):
        while True:
            try:
                self._run(key)
            except Exception:
                LOG.exception('Run of %s failed', key)
            with self._lock:
                if self._states.get(key) == _AGAIN:
                    self._states[key] = _RUNNING
                    continue
                self._states.pop(key, None)
                self._idle.notify_all()
                return
