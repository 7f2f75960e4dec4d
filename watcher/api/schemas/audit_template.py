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

"""Schemas for /v1/audit_templates requests.

``PATCH`` describes the template document a JSON-patch produces. Whether
the goal and strategy exist, the scope's own rules and the defaults
against the strategy's parameter spec are checked by the controller.
"""

from watcher.api import microversion
from watcher.api import schemas
from watcher.api.schemas import common

_PATCH_V1_0 = {
    'type': 'object',
    'required': ['name', 'goal'],
    'properties': {
        'name': common.NAME,
        'description': {
            'description': 'must be a string',
            'type': ['string', 'null'],
        },
        'goal': {
            'description': 'must be a goal UUID or name',
            'type': 'string',
        },
        # "" or null: no strategy.
        'strategy': {
            'description': 'must be a strategy UUID or name',
            'type': ['string', 'null'],
        },
        'scope': {
            'description': 'must be a list',
            'type': ['array', 'null'],
        },
    },
}

# default_parameters is writable from 1.7 (below it the controller answers
# 406 for its path, as the API always has).
_PATCH_V1_7 = schemas.extended(
    _PATCH_V1_0, default_parameters=common.NULLABLE_OBJECT)

PATCH = (
    ('1.0', _PATCH_V1_0),
    (microversion.DEFAULT_PARAMETERS, _PATCH_V1_7),
)
