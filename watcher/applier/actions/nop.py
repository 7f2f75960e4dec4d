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

"""``nop``: log a message; the harmless action used by the dummy strategies.

Input parameters: ``message`` (string, required) and four test flags,
booleans defaulting to false: ``skip_pre_condition`` (the pre-condition
skips the action), ``fail_pre_condition``, ``fail_execute`` and
``fail_post_condition`` (the named step raises).
"""
from oslo_log import log

from watcher.applier.actions import base
from watcher.common import exception

LOG = log.getLogger(__name__)


class NopFailure(exception.ActionExecutionFailure):
    msg_fmt = '%(reason)s'


class Nop(base.BaseAction):
    name = 'nop'
    description = 'Logging a NOP message'

    schema = {
        'type': 'object',
        'properties': {
            'message': {'type': ['string', 'null']},
            'skip_pre_condition': {'type': 'boolean', 'default': False},
            'fail_pre_condition': {'type': 'boolean', 'default': False},
            'fail_execute': {'type': 'boolean', 'default': False},
            'fail_post_condition': {'type': 'boolean', 'default': False},
        },
        'required': ['message'],
        'additionalProperties': True,
    }

    @property
    def message(self):
        return self.input_parameters.get('message')

    def _flag(self, name):
        return bool(self.input_parameters.get(name, False))

    def pre_condition(self):
        if self._flag('skip_pre_condition'):
            self.skip('Skipped in pre_condition')
        if self._flag('fail_pre_condition'):
            raise NopFailure(reason='Failed in pre_condition')

    def execute(self):
        LOG.info('Executing the nop action: %s', self.message)
        if self._flag('fail_execute'):
            raise NopFailure(reason='Failed in execute')
        return True

    def post_condition(self):
        if self._flag('fail_post_condition'):
            raise NopFailure(reason='Failed in post_condition')

    def revert(self):
        LOG.info('Reverting the nop action: %s', self.message)

    def abort(self):
        self._mark_aborted()
        return True
