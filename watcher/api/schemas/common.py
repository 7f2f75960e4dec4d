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

"""Schemas shared by several resources' requests."""

NAME_MAX = 63

NAME = {
    'description': 'must be a non-empty string of at most %d characters'
                   % NAME_MAX,
    'type': 'string',
    'pattern': r'\S',
    'maxLength': NAME_MAX,
}

# What a user may write for a boolean: JSON true/false, or the spellings
# the API has always taken for one (``"true"``, ``"yes"``, ``"1"``, ``1``,
# ...: oslo's strict boolean strings, as the POST bodies take them).
BOOLEAN = {
    'description': 'must be a boolean (true or false)',
    'anyOf': [
        {'type': 'boolean'},
        {'type': 'integer', 'enum': [0, 1]},
        {'type': 'string',
         'pattern': '^(?i:1|0|t|f|true|false|on|off|y|n|yes|no)$'},
    ],
}

NULLABLE_OBJECT = {
    'description': 'must be a JSON object',
    'type': ['object', 'null'],
}

NULLABLE_DATETIME = {
    'description': 'must be an ISO 8601 date and time',
    'type': ['string', 'null'],
}
