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

"""``sleep``: wait for ``duration`` seconds (number >= 0, required).

The wait ends early when the action is aborted (plan cancelled).
"""
from oslo_log import log

from watcher.applier.actions import base
from watcher.common import exception

LOG = log.getLogger(__name__)


class Sleep(base.BaseAction):
    name = 'sleep'
    description = 'Wait for a given interval in seconds.'

    schema = {
        'type': 'object',
        'properties': {
            'duration': {'type': 'number', 'minimum': 0},
        },
        'required': ['duration'],
        'additionalProperties': True,
    }

    @property
    def duration(self):
        return float(self.input_parameters.get('duration', 1))

    def execute(self):
        LOG.debug('Sleeping for %s seconds', self.duration)
        if self.wait(self.duration):
            raise exception.ActionAborted(action=self.action_uuid)
        return True

    def abort(self):
        self._mark_aborted()
        return True
