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

"""Interval / cron arithmetic and the start/end window of continuous audits."""
import datetime

import pytest

from watcher.common import exception
from watcher.decision_engine.audit import scheduling

UTC = datetime.timezone.utc


def at(hour, minute=0, second=0, day=1):
    return datetime.datetime(2024, 3, day, hour, minute, second, tzinfo=UTC)


class TestParseInterval:
    @pytest.mark.parametrize('value', ['3600', 3600, ' 60 ', '1'])
    def test_seconds(self, value):
        schedule = scheduling.parse_interval(value)
        assert isinstance(schedule, scheduling.IntervalSchedule)
        assert schedule.seconds == int(str(value).strip())

    @pytest.mark.parametrize('value', ['*/5 * * * *', '0 3 * * 1-5',
                                       '30 7 1 * *'])
    def test_cron(self, value):
        schedule = scheduling.parse_interval(value)
        assert isinstance(schedule, scheduling.CronSchedule)
        assert schedule.expression == value

    @pytest.mark.parametrize('value', [None, '', '0', '-5', 'abc',
                                       '* * * *', '* * * * * *',
                                       '61 * * * *', True, 1.5,
                                       '99999999999999999999',
                                       str(10 * 366 * 24 * 3600 + 1),
                                       '0 0 31 2 *', '\u0663'])
    def test_invalid(self, value):
        with pytest.raises(exception.InvalidIntervalOrCron):
            scheduling.parse_interval(value)


class TestIntervalSchedule:
    def test_downtime_recompute_example(self):
        # Missed 07:30 with 3600 s, restored at 09:00: next run 09:30.
        schedule = scheduling.IntervalSchedule(3600)
        assert schedule.resume(at(7, 30), at(9, 0)) == at(9, 30)

    def test_resume_keeps_future_next_run(self):
        schedule = scheduling.IntervalSchedule(3600)
        assert schedule.resume(at(10, 0), at(9, 0)) == at(10, 0)

    def test_resume_exactly_on_a_boundary(self):
        schedule = scheduling.IntervalSchedule(600)
        assert schedule.resume(at(8, 0), at(9, 0)) == at(9, 10)

    def test_resume_with_naive_datetimes_reads_utc(self):
        schedule = scheduling.IntervalSchedule(3600)
        naive = datetime.datetime(2024, 3, 1, 7, 30)
        assert schedule.resume(naive, at(9, 0)) == at(9, 30)

    def test_next_after_run(self):
        schedule = scheduling.IntervalSchedule(60)
        assert schedule.next_after_run(at(9, 0), at(9, 0, 5)) == at(9, 1)

    def test_next_after_overrunning_run_keeps_phase(self):
        schedule = scheduling.IntervalSchedule(60)
        # The run due at 09:00 lasted 150 s.
        assert schedule.next_after_run(at(9, 0), at(9, 2, 30)) == at(9, 3)

    def test_first_run_now_or_at_start(self):
        schedule = scheduling.IntervalSchedule(60)
        assert schedule.first_run(at(9)) == at(9)
        assert schedule.first_run(at(9), start_time=at(8)) == at(9)
        assert schedule.first_run(at(9), start_time=at(10)) == at(10)


class TestCronSchedule:
    def test_next_instant(self):
        schedule = scheduling.CronSchedule('*/15 * * * *')
        assert schedule.first_run(at(9, 7)) == at(9, 15)
        assert schedule.next_after_run(at(9, 15), at(9, 15, 3)) == at(9, 30)

    def test_resume_after_downtime(self):
        schedule = scheduling.CronSchedule('30 * * * *')
        assert schedule.resume(at(7, 30), at(9, 0)) == at(9, 30)
        assert schedule.resume(at(9, 30), at(9, 0)) == at(9, 30)

    def test_first_run_not_before_start(self):
        schedule = scheduling.CronSchedule('0 * * * *')
        assert schedule.first_run(at(7, 10), start_time=at(9)) == at(9)
        assert schedule.first_run(at(7, 10),
                                  start_time=at(9, 1)) == at(10)


class TestWindow:
    def test_positions(self):
        pos = scheduling.window_position
        assert pos(at(9)) == scheduling.IN_WINDOW
        assert pos(at(9), start_time=at(10)) == scheduling.BEFORE_WINDOW
        assert pos(at(9), start_time=at(9)) == scheduling.IN_WINDOW
        assert pos(at(9), end_time=at(9)) == scheduling.AFTER_WINDOW
        assert pos(at(9), at(8), at(10)) == scheduling.IN_WINDOW
        assert pos(at(11), at(8), at(10)) == scheduling.AFTER_WINDOW


class TestPlanNextRun:
    schedule = scheduling.IntervalSchedule(3600)

    def test_new_audit_runs_now(self):
        assert scheduling.plan_next_run(self.schedule, at(9)) == (
            at(9), scheduling.RUN)

    def test_new_audit_waits_for_start(self):
        assert scheduling.plan_next_run(
            self.schedule, at(9), start_time=at(12)) == (
                at(12), scheduling.RUN)

    def test_after_a_run(self):
        assert scheduling.plan_next_run(
            self.schedule, at(9, 0, 20), previous_due=at(9)) == (
                at(10), scheduling.RUN)

    def test_restart_recomputes(self):
        assert scheduling.plan_next_run(
            self.schedule, at(9), persisted_next=at(7, 30)) == (
                at(9, 30), scheduling.RUN)

    def test_past_end_finishes_now(self):
        assert scheduling.plan_next_run(
            self.schedule, at(9), persisted_next=at(7, 30),
            end_time=at(8)) == (at(9), scheduling.FINISH)

    def test_next_run_beyond_end_finishes_at_end(self):
        assert scheduling.plan_next_run(
            self.schedule, at(9, 0, 20), previous_due=at(9),
            end_time=at(9, 30)) == (at(9, 30), scheduling.FINISH)

    def test_next_run_at_end_is_not_run(self):
        assert scheduling.plan_next_run(
            self.schedule, at(9, 0, 20), previous_due=at(9),
            end_time=at(10)) == (at(10), scheduling.FINISH)

    def test_cron_with_window(self):
        cron = scheduling.CronSchedule('0 */2 * * *')
        assert scheduling.plan_next_run(
            cron, at(9), start_time=at(9, 30), end_time=at(13)) == (
                at(10), scheduling.RUN)
        assert scheduling.plan_next_run(
            cron, at(12, 0, 1), previous_due=at(12),
            start_time=at(9, 30), end_time=at(13)) == (
                at(13), scheduling.FINISH)
