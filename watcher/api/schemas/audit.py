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

"""Schemas for /v1/audits requests.

``PATCH`` describes the audit document a JSON-patch produces (the
patchable fields once the patch is applied), so a value is checked
whatever operation or path set it. What depends on the stored audit (its
state machine, its type, its strategy's parameter spec) stays in the
controller.
"""

from watcher.api import microversion
from watcher.api import schemas
from watcher.api.schemas import common
from watcher.objects import audit

_STATES = sorted(audit.State.ALL)

_PATCH_V1_0 = {
    'type': 'object',
    # A patch may remove these, but an audit cannot be without them.
    'required': ['state', 'name', 'auto_trigger'],
    'properties': {
        'state': {
            'description': 'must be one of %s' % ', '.join(_STATES),
            'type': 'string',
            'enum': _STATES,
        },
        'name': common.NAME,
        'interval': {
            'description': 'must be a number of seconds or a cron '
                           'expression',
            'type': ['string', 'integer', 'null'],
        },
        # null (a removed or nulled parameters) means "no parameters".
        'parameters': common.NULLABLE_OBJECT,
        'auto_trigger': common.BOOLEAN,
    },
}

# start_time/end_time are writable from 1.1 (below it the controller
# answers 406 before any schema is looked at, as the API always has).
_PATCH_V1_1 = schemas.extended(
    _PATCH_V1_0,
    start_time=common.NULLABLE_DATETIME,
    end_time=common.NULLABLE_DATETIME)

PATCH = (
    ('1.0', _PATCH_V1_0),
    (microversion.START_END_TIME, _PATCH_V1_1),
)
