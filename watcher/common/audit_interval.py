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

"""What an audit's ``interval`` may be, checked the same way by the API
(on input) and by the decision engine (on any stored value).

Either a whole number of seconds from 1 to :data:`MAX_SECONDS`, or a
five-field cron expression whose fields are in range and that names an
instant that exists (``0 0 31 2 *`` never comes).
"""
import datetime

from croniter import croniter

from watcher.common import exception

#: Ten years: longer would be an audit that never runs, and the
#: arithmetic of the schedule leaves the range of dates soon after.
MAX_SECONDS = 10 * 366 * 24 * 3600

#: How far croniter looks for the first instant of a cron expression.
_CRON_HORIZON_YEARS = 5


def parse(value):
    """``('interval', seconds)`` or ``('cron', expression)`` for ``value``.

    :raises exception.InvalidIntervalOrCron: anything else, including a
        bool, a fraction, zero, more than :data:`MAX_SECONDS` seconds and
        a cron expression that never fires.
    """
    if value is None or isinstance(value, bool):
        raise exception.InvalidIntervalOrCron(name=value)
    if isinstance(value, (int, float)):
        if not float(value).is_integer():
            raise exception.InvalidIntervalOrCron(name=value)
        text = str(int(value))
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise exception.InvalidIntervalOrCron(name=value)
    if text.isdigit() and text.isascii():
        seconds = int(text)
        if not 0 < seconds <= MAX_SECONDS:
            raise exception.InvalidIntervalOrCron(name=value)
        return 'interval', seconds
    fields = text.split()
    if len(fields) != 5 or not _cron_fires(' '.join(fields)):
        raise exception.InvalidIntervalOrCron(name=value)
    return 'cron', ' '.join(fields)


def _cron_fires(expression):
    try:
        if not croniter.is_valid(expression):
            return False
        start = datetime.datetime(2000, 1, 1)
        croniter(expression, start,
                 max_years_between_matches=_CRON_HORIZON_YEARS).get_next(
            datetime.datetime)
    except Exception:  # croniter signals bad input with many types
        return False
    return True
