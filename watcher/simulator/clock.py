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

"""Simulated time and the timeline of delayed events.

The simulated clock runs from the wall-clock time at which the cloud was
built, at ``speed`` simulated seconds per real second, plus whatever was
added with :meth:`Clock.advance`.  Every duration in a scenario (migration,
power change...) is in simulated seconds.

:class:`Timeline` runs callbacks at simulated instants on one daemon thread.
"""

import datetime
import heapq
import itertools
import logging
import threading
import time

LOG = logging.getLogger(__name__)


class Clock:
    def __init__(self, speed=1.0, start=None):
        self._lock = threading.Lock()
        self._start = time.time() if start is None else float(start)
        self._mono0 = time.monotonic()
        self._speed = float(speed)
        self._offset = 0.0
        self._listeners = []

    def now(self):
        with self._lock:
            return (self._start + self._offset
                    + (time.monotonic() - self._mono0) * self._speed)

    @property
    def speed(self):
        return self._speed

    def set_speed(self, speed):
        if speed <= 0:
            raise ValueError('speed must be positive')
        with self._lock:
            now_mono = time.monotonic()
            elapsed = (now_mono - self._mono0) * self._speed
            self._offset += elapsed
            self._mono0 = now_mono
            self._speed = float(speed)
        self._notify()

    def advance(self, seconds):
        if seconds < 0:
            raise ValueError('time only goes forward')
        with self._lock:
            self._offset += float(seconds)
        self._notify()

    def real_delay(self, sim_seconds):
        return max(0.0, sim_seconds) / self._speed

    def on_change(self, callback):
        self._listeners.append(callback)

    def _notify(self):
        for callback in list(self._listeners):
            callback()

    def iso(self, t=None, micro=False):
        return isoformat(self.now() if t is None else t, micro)


def isoformat(t, micro=False):
    dt = datetime.datetime.fromtimestamp(t, datetime.timezone.utc)
    if micro:
        return dt.strftime('%Y-%m-%dT%H:%M:%S.%f')
    return dt.strftime('%Y-%m-%dT%H:%M:%SZ')


class Timeline:
    """Callbacks run at simulated instants, in order, on one thread."""

    def __init__(self, clock):
        self.clock = clock
        self._cond = threading.Condition()
        self._heap = []
        self._seq = itertools.count()
        self._thread = None
        self._stopped = False
        self._running = 0
        clock.on_change(self._wake)

    def _wake(self):
        with self._cond:
            self._cond.notify_all()

    def call_later(self, delay, callback, *args):
        due = self.clock.now() + max(0.0, delay)
        with self._cond:
            heapq.heappush(self._heap, (due, next(self._seq), callback, args))
            if self._thread is None and not self._stopped:
                self._thread = threading.Thread(
                    target=self._run, name='simulator-timeline', daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def pending(self):
        with self._cond:
            return len(self._heap) + self._running

    def wait_idle(self, timeout=10.0):
        """Block until no event is pending (test helper)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.pending():
                return True
            time.sleep(0.005)
        return False

    def stop(self):
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5)

    def _run(self):
        while True:
            with self._cond:
                while True:
                    if self._stopped:
                        return
                    if self._heap:
                        due = self._heap[0][0]
                        wait = self.clock.real_delay(due - self.clock.now())
                        if wait <= 0:
                            _, _, callback, args = heapq.heappop(self._heap)
                            self._running += 1
                            break
                        self._cond.wait(min(wait, 1.0))
                    else:
                        self._cond.wait(1.0)
            try:
                callback(*args)
            except Exception:  # pragma: no cover - a bug in a callback
                LOG.exception(
                    'simulator event %s failed', callback)
            finally:
                with self._cond:
                    self._running -= 1
