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

"""Triggers arriving during a run fold into exactly one more run."""
import threading

import futurist
import pytest

from watcher.decision_engine.audit import coalescing

WAIT = 10  # generous upper bound for a thread hand-off, never an assertion


class Gate:
    """A run function that blocks each run until released."""

    def __init__(self):
        self.started = []
        self.release = {}
        self.entered = threading.Semaphore(0)
        self.lock = threading.Lock()

    def __call__(self, key):
        event = threading.Event()
        with self.lock:
            self.started.append(key)
            self.release.setdefault(key, []).append(event)
        self.entered.release()
        assert event.wait(WAIT)

    def open_next(self, key):
        with self.lock:
            pending = [e for e in self.release[key] if not e.is_set()]
        pending[0].set()


@pytest.fixture(scope='module')
def pool():
    executor = futurist.ThreadPoolExecutor(max_workers=4)
    yield executor
    executor.shutdown(wait=True)


def test_single_trigger_runs_once(pool):
    runs = []
    runner = coalescing.CoalescingRunner(pool.submit, runs.append)
    assert runner.trigger('a') == coalescing.STARTED
    assert runner.wait_idle('a', WAIT)
    assert runs == ['a']
    assert not runner.is_busy('a')


def test_triggers_during_a_run_coalesce_into_one(pool):
    gate = Gate()
    runner = coalescing.CoalescingRunner(pool.submit, gate)
    assert runner.trigger('a') == coalescing.STARTED
    assert gate.entered.acquire(timeout=WAIT)
    # Three triggers while the first run is blocked.
    for _ in range(3):
        assert runner.trigger('a') == coalescing.COALESCED
    gate.open_next('a')
    assert gate.entered.acquire(timeout=WAIT)  # the one follow-up run
    gate.open_next('a')
    assert runner.wait_idle('a', WAIT)
    assert gate.started == ['a', 'a']


def test_trigger_after_idle_runs_again(pool):
    runs = []
    runner = coalescing.CoalescingRunner(pool.submit, runs.append)
    for _ in range(3):
        runner.trigger('a')
        assert runner.wait_idle('a', WAIT)
    assert runs == ['a', 'a', 'a']


def test_keys_are_independent(pool):
    gate = Gate()
    runner = coalescing.CoalescingRunner(pool.submit, gate)
    assert runner.trigger('a') == coalescing.STARTED
    assert runner.trigger('b') == coalescing.STARTED
    assert gate.entered.acquire(timeout=WAIT)
    assert gate.entered.acquire(timeout=WAIT)
    gate.open_next('a')
    gate.open_next('b')
    assert runner.wait_idle('a', WAIT) and runner.wait_idle('b', WAIT)
    assert sorted(gate.started) == ['a', 'b']


def test_failing_run_still_runs_the_coalesced_one(pool):
    calls = []
    first_started = threading.Event()
    proceed = threading.Event()

    def run(key):
        calls.append(key)
        if len(calls) == 1:
            first_started.set()
            assert proceed.wait(WAIT)
            raise RuntimeError('boom')

    runner = coalescing.CoalescingRunner(pool.submit, run)
    runner.trigger('a')
    assert first_started.wait(WAIT)
    assert runner.trigger('a') == coalescing.COALESCED
    proceed.set()
    assert runner.wait_idle('a', WAIT)
    assert calls == ['a', 'a']


def test_submit_failure_releases_the_key():
    def refuse(fn, *args):
        raise RuntimeError('pool shut down')

    runner = coalescing.CoalescingRunner(refuse, lambda key: None)
    with pytest.raises(RuntimeError):
        runner.trigger('a')
    assert not runner.is_busy('a')
