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

"""Fault injection: the next matching operations fail as the service would
report it (see ``doc/source/user/simulator.rst``).
"""

import dataclasses
import itertools

from watcher.simulator import errors


@dataclasses.dataclass(eq=False)
class Fault:
    id: int
    target: str  # server/volume/node id or name, host name, or '*'
    operation: str  # live_migration, cold_migration, resize, stop, ... any
    remaining: int = 1  # None = forever
    message: str = 'Simulated failure'

    def matches(self, keys, operation):
        if self.operation not in ('any', operation):
            return False
        return self.target == '*' or self.target in keys

    def as_dict(self):
        return dataclasses.asdict(self)


FAULT_OPERATIONS = ('any', 'live_migration', 'cold_migration', 'resize',
                    'revert_resize', 'stop', 'start', 'shelve', 'unshelve',
                    'delete', 'create', 'volume_migrate', 'volume_retype',
                    'power')


class Faults:
    """The cloud's injected faults (a mixin of
    :class:`~watcher.simulator.cloud.core.Cloud`).
    """

    def __init__(self):
        self._fault_ids = itertools.count(1)
        self.faults = {}

    def add_fault(self, target='*', operation='any', count=1,
                  message='Simulated failure'):
        if operation not in FAULT_OPERATIONS:
            raise errors.BadRequest(
                'unknown fault operation %r (one of %s)'
                % (operation, ', '.join(FAULT_OPERATIONS)))
        if count is not None and int(count) < 1:
            raise errors.BadRequest('count must be >= 1 or null')
        with self.lock:
            fault = Fault(id=next(self._fault_ids), target=str(target),
                          operation=operation,
                          remaining=None if count is None else int(count),
                          message=message)
            self.faults[fault.id] = fault
            return fault

    def clear_faults(self):
        with self.lock:
            self.faults.clear()

    def _take_fault(self, keys, operation):
        keys = {k for k in keys if k}
        for fault in list(self.faults.values()):
            if fault.matches(keys, operation):
                if fault.remaining is not None:
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        del self.faults[fault.id]
                return fault
        return None

    def _fault_keys(self, server, *hosts):
        return [server.id, server.name] + list(hosts)
