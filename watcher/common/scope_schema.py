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

"""The JSON schema of an audit scope, as pure data, and its validation.

The API layer validates the ``scope`` of audit templates with
:func:`validate`; the decision engine (``watcher.decision_engine.scope``)
re-exports the same objects and applies the scope to the cluster models.

Grammar (a JSON list; an empty list means "the whole cluster")::

    [{"compute": [
         {"availability_zones": [{"name": "az1"}, {"name": "*"}]},
         {"host_aggregates": [{"id": 1}, {"name": "agg"}, {"id": "*"}]},
         {"compute_nodes": [{"name": "compute1"}]},
         {"exclude": [
             {"instances": [{"uuid": "..."}]},
             {"compute_nodes": [{"name": "compute2"}]},
             {"host_aggregates": [{"id": 3}]},
             {"instance_metadata": [{"optimize": "False"}]},
             {"projects": [{"uuid": "..."}]}]}]},
     {"storage": [
         {"availability_zones": [{"name": "nova"}]},
         {"volume_types": [{"name": "lvm"}]},
         {"exclude": [
             {"storage_pools": [{"name": "host@backend#pool"}]},
             {"volumes": [{"uuid": "..."}]},
             {"projects": [{"uuid": "..."}]}]}]},
     {"baremetal": [
         {"exclude": [{"ironic_nodes": [{"uuid": "..."}]}]}]}]

The flat format of the first scoped releases (a list of compute elements
without the ``compute`` key) is accepted too and means a compute scope;
:func:`normalize` turns it into the keyed format.
"""
import copy

import jsonschema

from watcher.common import exception

WILDCARD = '*'

_NAME = {'type': 'object',
         'properties': {'name': {'type': 'string', 'minLength': 1}},
         'required': ['name'], 'additionalProperties': False}
_UUID = {'type': 'object',
         'properties': {'uuid': {'type': 'string', 'minLength': 1}},
         'required': ['uuid'], 'additionalProperties': False}
_AGGREGATE = {
    'type': 'object',
    'properties': {
        'id': {'oneOf': [{'type': 'integer'},
                         {'type': 'string', 'minLength': 1}]},
        'name': {'type': 'string', 'minLength': 1},
    },
    'minProperties': 1, 'maxProperties': 1, 'additionalProperties': False,
}
_METADATA = {'type': 'object', 'minProperties': 1,
             'additionalProperties': {
                 'type': ['string', 'number', 'boolean', 'null']}}


def _list_of(item):
    return {'type': 'array', 'items': item}


def _one_key_objects(properties):
    """Items that are objects with exactly one of ``properties``."""
    return {'type': 'object', 'properties': properties,
            'minProperties': 1, 'maxProperties': 1,
            'additionalProperties': False}


COMPUTE_EXCLUDE = _one_key_objects({
    'instances': _list_of(_UUID),
    'compute_nodes': _list_of(_NAME),
    'host_aggregates': _list_of(_AGGREGATE),
    'instance_metadata': _list_of(_METADATA),
    'projects': _list_of(_UUID),
})

COMPUTE_ITEM = _one_key_objects({
    'availability_zones': _list_of(_NAME),
    'host_aggregates': _list_of(_AGGREGATE),
    'compute_nodes': _list_of(_NAME),
    'exclude': _list_of(COMPUTE_EXCLUDE),
})

STORAGE_EXCLUDE = _one_key_objects({
    'storage_pools': _list_of(_NAME),
    'volumes': _list_of(_UUID),
    'projects': _list_of(_UUID),
})

STORAGE_ITEM = _one_key_objects({
    'availability_zones': _list_of(_NAME),
    'volume_types': _list_of(_NAME),
    'exclude': _list_of(STORAGE_EXCLUDE),
})

BAREMETAL_EXCLUDE = _one_key_objects({
    'ironic_nodes': _list_of(_UUID),
})

BAREMETAL_ITEM = _one_key_objects({
    'exclude': _list_of(BAREMETAL_EXCLUDE),
})

MODEL_SCHEMAS = {
    'compute': _list_of(COMPUTE_ITEM),
    'storage': _list_of(STORAGE_ITEM),
    'baremetal': _list_of(BAREMETAL_ITEM),
}

#: The keyed (per model) format.
KEYED_SCOPE_SCHEMA = _list_of(_one_key_objects(MODEL_SCHEMAS))

#: The old flat format: compute elements only.
FLAT_SCOPE_SCHEMA = _list_of(COMPUTE_ITEM)

#: The whole scope schema (what the API validates).
SCOPE_SCHEMA = {
    '$schema': 'http://json-schema.org/draft-07/schema#',
    'title': 'watcher audit scope',
    'anyOf': [KEYED_SCOPE_SCHEMA, FLAT_SCOPE_SCHEMA],
}

_VALIDATOR = jsonschema.Draft7Validator(SCOPE_SCHEMA)
_KEYED_VALIDATOR = jsonschema.Draft7Validator(KEYED_SCOPE_SCHEMA)
_FLAT_VALIDATOR = jsonschema.Draft7Validator(FLAT_SCOPE_SCHEMA)


def _best_message(scope):
    """A readable message from the format the scope looks like."""
    validator = (_FLAT_VALIDATOR if isinstance(scope, list) and is_flat(scope)
                 else _KEYED_VALIDATOR)
    errors = sorted(validator.iter_errors(scope),
                    key=lambda e: -len(e.absolute_path))
    if not errors:
        return 'invalid scope'
    best = jsonschema.exceptions.best_match(errors) or errors[0]
    path = '/'.join(str(p) for p in best.absolute_path)
    return '%s%s' % ('at %s: ' % path if path else '', best.message)


def validate(scope):
    """Raise ``exception.InvalidScope`` unless ``scope`` is a valid scope.

    ``None`` is accepted and means an empty scope.
    """
    if scope is None:
        return
    if not _VALIDATOR.is_valid(scope):
        raise exception.InvalidScope(err=_best_message(scope))


def is_flat(scope):
    """True if ``scope`` uses the old flat (compute only) format."""
    if not scope:
        return False
    return all(isinstance(item, dict) and not (set(item) & set(MODEL_SCHEMAS))
               for item in scope)


def normalize(scope):
    """The scope in the keyed format (a new list; ``None`` -> ``[]``)."""
    if not scope:
        return []
    if is_flat(scope):
        return [{'compute': copy.deepcopy(list(scope))}]
    return copy.deepcopy(list(scope))


def model_scope(scope, model_type):
    """The list of scope elements for one model type (flat format allowed).

    Several entries for the same model are concatenated.
    """
    items = []
    for entry in normalize(scope):
        if model_type in entry:
            items.extend(entry[model_type] or [])
    return items
