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

"""Where the time of an audit run goes: seconds per pipeline stage.

Every run of :class:`~watcher.decision_engine.audit.base.AuditHandler`
times its stages (a few ``perf_counter`` calls per run, so always on) and
logs them at INFO when the run ends, e.g.::

    Audit 3f0c... recommended in 1.204 s: model 0.310, metrics 0.221,
    strategy 0.402, planner 0.012, store 0.201, notifications 0.030,
    finish 0.028 (4 metric queries, 5012 actions)

The timings of the latest runs stay readable in the process
(:func:`recent`, by audit uuid) for operators' tools and the benchmark
(``benchmarks/audit.py``).

Stages: ``model`` (each cluster data model copied and scoped, or built
cold), ``metrics`` (the bulk metrics frame), ``strategy``, ``planner``,
``store`` (the plan, its actions and efficacy indicators written and read
back), ``notifications`` (the audit's strategy/planner phase notifications
and the ``create`` notifications of the plan and its actions: the time
spent in the objects' change listeners), ``finish`` (older plans retired,
the audit's final state).
"""
import collections
import contextlib
import threading
import time

from oslo_log import log

LOG = log.getLogger(__name__)

ORDER = ('model', 'metrics', 'strategy', 'planner', 'store',
         'notifications', 'finish')

#: how many runs :func:`recent` remembers
KEEP = 64

_RECENT = collections.OrderedDict()
_LOCK = threading.Lock()


class StageTimes:
    """The stage timings and counters of one run of one audit."""

    def __init__(self, audit_uuid, clock=time.perf_counter):
        self.audit_uuid = audit_uuid
        self.clock = clock
        self.started = clock()
        self.seconds = None
        self.outcome = None
        self.stages = collections.OrderedDict()
        self.counters = collections.OrderedDict()

    @contextlib.contextmanager
    def stage(self, name):
        """Add the time spent in the ``with`` block to stage ``name``."""
        started = self.clock()
        try:
            yield
        finally:
            self.stages[name] = (self.stages.get(name, 0.0) +
                                 self.clock() - started)

    def move(self, from_stage, to_stage, seconds):
        """Count ``seconds`` measured inside ``from_stage`` for
        ``to_stage`` instead.
        """
        if seconds <= 0:
            return
        self.stages[from_stage] = self.stages.get(from_stage, 0.0) - seconds
        self.stages[to_stage] = self.stages.get(to_stage, 0.0) + seconds

    def count(self, name, value):
        self.counters[name] = value

    def finish(self, outcome):
        """End the run: remember it (:func:`recent`) and log it."""
        self.seconds = self.clock() - self.started
        self.outcome = outcome
        with _LOCK:
            _RECENT[self.audit_uuid] = self
            _RECENT.move_to_end(self.audit_uuid)
            while len(_RECENT) > KEEP:
                _RECENT.popitem(last=False)
        LOG.info('Audit %s %s in %.3f s%s', self.audit_uuid, outcome,
                 self.seconds, self.describe())

    def describe(self):
        names = [n for n in ORDER if n in self.stages]
        names += [n for n in self.stages if n not in ORDER]
        text = ', '.join('%s %.3f' % (n, self.stages[n]) for n in names)
        text = ': %s' % text if text else ''
        if self.counters:
            text += ' (%s)' % ', '.join(
                '%s %s' % (v, k.replace('_', ' '))
                for k, v in self.counters.items())
        return text

    def as_dict(self):
        return {'audit_uuid': self.audit_uuid, 'outcome': self.outcome,
                'seconds': self.seconds, 'stages': dict(self.stages),
                'counters': dict(self.counters)}


def recent(audit_uuid=None):
    """The latest runs' :class:`StageTimes` by audit uuid (oldest first),
    or the latest run of ``audit_uuid`` (None when not remembered).
    """
    with _LOCK:
        if audit_uuid is not None:
            return _RECENT.get(audit_uuid)
        return collections.OrderedDict(_RECENT)
