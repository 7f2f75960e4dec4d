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
