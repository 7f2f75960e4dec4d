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

"""When a continuous audit runs: interval and cron arithmetic, time window.

Everything here is pure (no database, no scheduler, no wall clock unless the
caller passes ``now``) so the rules can be tested to the second.

Vocabulary
----------
``interval``
    The audit's ``interval`` field, a string. Either a whole number of
    seconds (``"3600"``) or a five-field cron expression
    (``"*/15 * * * *"``). :func:`parse_interval` turns it into a
    :class:`IntervalSchedule` or :class:`CronSchedule`.
``next_run_time``
    The instant of the next run, persisted on the audit so a restarted
    decision engine knows where the audit's rhythm was.

Rules
-----
* After a run that was due at ``due``, the next run of an interval audit is
  ``due + interval``; a cron audit runs at the first cron instant after the
  run started.
* When the decision engine comes back after a downtime and the persisted
  ``next_run_time`` is in the past, an interval audit keeps its phase:
  ``next = now + (interval - ((now - old_next) mod interval))``
  (missed 07:30 with 3600 s, back at 09:00: next run 09:30). A cron audit
  simply runs at its next cron instant after ``now``. Missed runs are not
  replayed.
* The window ``[start_time, end_time)``: nothing runs before ``start_time``
  (the first run is then at ``start_time``, or for cron at the first cron
  instant not before it); at or after ``end_time`` the audit is over
  (SUCCEEDED) and runs no more. A missing bound is open.

All datetimes returned are timezone-aware UTC. Naive datetimes given as
input (as the database returns them) are read as UTC.
"""
import datetime

from croniter import croniter

from watcher.common import audit_interval

UTC = datetime.timezone.utc

#: Positions of an instant relative to an audit's window.
BEFORE_WINDOW = 'before'
IN_WINDOW = 'in'
AFTER_WINDOW = 'after'


def as_utc(value):
    """Return ``value`` as an aware UTC datetime (naive means UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def as_naive_utc(value):
    """Return ``value`` as a naive UTC datetime (how SQL columns hold it)."""
    if value is None:
        return None
    return as_utc(value).replace(tzinfo=None)


class IntervalSchedule:
    """Runs every ``seconds`` seconds."""

    kind = 'interval'

    def __init__(self, seconds):
        if seconds <= 0:
            raise ValueError('an interval must be positive')
        self.seconds = int(seconds)
        self._delta = datetime.timedelta(seconds=self.seconds)

    def first_run(self, now, start_time=None):
        """The first run of a new audit: right away, or at its start."""
        now = as_utc(now)
        start_time = as_utc(start_time)
        if start_time is not None and start_time > now:
            return start_time
        return now

    def next_after_run(self, due, now):
        """The run after the one that was due at ``due``, seen at ``now``.

        Normally ``due + interval``; when the run overran one or more whole
        intervals the rhythm is kept as after a downtime.
        """
        due = as_utc(due)
        candidate = due + self._delta
        if candidate > as_utc(now):
            return candidate
        return self.resume(due, now)

    def resume(self, old_next, now):
        """The next run after a downtime that missed ``old_next``.

        ``now + (interval - ((now - old_next) mod interval))``; when
        ``old_next`` is still ahead it is kept.
        """
        old_next = as_utc(old_next)
        now = as_utc(now)
        if old_next > now:
            return old_next
        elapsed = (now - old_next).total_seconds()
        remainder = elapsed % self.seconds
        return now + datetime.timedelta(seconds=self.seconds - remainder)

    def __repr__(self):
        return 'IntervalSchedule(%d)' % self.seconds

    def __eq__(self, other):
        return (isinstance(other, IntervalSchedule)
                and other.seconds == self.seconds)

    def __hash__(self):
        return hash(('interval', self.seconds))


class CronSchedule:
    """Runs at the instants of a five-field cron expression (UTC)."""

    kind = 'cron'

    def __init__(self, expression):
        fields = expression.split()
        if len(fields) != 5 or not croniter.is_valid(expression):
            raise ValueError('not a five-field cron expression: %r'
                             % expression)
        self.expression = ' '.join(fields)

    def _after(self, instant):
        return as_utc(croniter(self.expression, as_utc(instant))
                      .get_next(datetime.datetime))

    def first_run(self, now, start_time=None):
        """The first cron instant after ``now`` and not before the start."""
        now = as_utc(now)
        start_time = as_utc(start_time)
        if start_time is not None and start_time > now:
            # The first instant >= start_time.
            return self._after(start_time - datetime.timedelta(seconds=1))
        return self._after(now)

    def next_after_run(self, due, now):
        """The first cron instant after both ``due`` and ``now``."""
        return self._after(max(as_utc(due), as_utc(now)))

    def resume(self, old_next, now):
        """After a downtime: keep ``old_next`` if ahead, else next instant."""
        old_next = as_utc(old_next)
        if old_next > as_utc(now):
            return old_next
        return self._after(now)

    def __repr__(self):
        return 'CronSchedule(%r)' % self.expression

    def __eq__(self, other):
        return (isinstance(other, CronSchedule)
                and other.expression == self.expression)

    def __hash__(self):
        return hash(('cron', self.expression))


def parse_interval(interval):
    """Read an audit's ``interval`` as a schedule.

    :raises exception.InvalidIntervalOrCron: neither a positive number of
        seconds nor a five-field cron expression.
    """
    kind, parsed = audit_interval.parse(interval)
    if kind == 'interval':
        return IntervalSchedule(parsed)
    return CronSchedule(parsed)


def window_position(now, start_time=None, end_time=None):
    """Where ``now`` falls against ``[start_time, end_time)``."""
    now = as_utc(now)
    start_time = as_utc(start_time)
    end_time = as_utc(end_time)
    if end_time is not None and now >= end_time:
        return AFTER_WINDOW
    if start_time is not None and now < start_time:
        return BEFORE_WINDOW
    return IN_WINDOW


#: What the next scheduled instant is for.
RUN = 'run'
FINISH = 'finish'


def plan_next_run(schedule, now, previous_due=None, persisted_next=None,
                  start_time=None, end_time=None):
    """Decide what a continuous audit does next, and when.

    :param schedule: the parsed interval.
    :param now: the current instant.
    :param previous_due: when the run that just finished was due (None if
        no run happened in this process yet).
    :param persisted_next: the audit's stored ``next_run_time`` (used when
        a decision engine picks an audit up, e.g. after a restart).
    :returns: ``(instant, RUN)`` for the next run, or ``(instant, FINISH)``
        when the window closes before another run: at ``instant`` (the end
        time, or ``now`` when it already passed) the audit is SUCCEEDED.
    """
    now = as_utc(now)
    end_time = as_utc(end_time)
    start_time = as_utc(start_time)
    if window_position(now, start_time, end_time) == AFTER_WINDOW:
        return now, FINISH
    if previous_due is not None:
        candidate = schedule.next_after_run(previous_due, now)
    elif persisted_next is not None:
        candidate = schedule.resume(persisted_next, now)
    else:
        candidate = schedule.first_run(now, start_time)
    if start_time is not None and candidate < start_time:
        candidate = schedule.first_run(now, start_time)
    if end_time is not None and candidate >= end_time:
        return end_time, FINISH
    return candidate, RUN
