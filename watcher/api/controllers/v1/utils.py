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

"""Helpers shared by the v1 controllers: paging, sorting, patching,
parameter and scope validation."""
import copy
import datetime

import jsonpatch
import jsonpointer
import jsonschema
from oslo_config import cfg
import wsme
from wsme import types as wtypes

from watcher.api.controllers.v1 import types
from watcher.common import exception
from watcher.common.i18n import _
from watcher.common import utils

CONF = cfg.CONF

SORT_DIRS = ('asc', 'desc')


def validate_limit(limit):
    """The page size to use: ``limit`` capped by ``[api] max_limit``."""
    if limit is None:
        return CONF.api.max_limit
    if limit <= 0:
        raise wsme.exc.ClientSideError(_('Limit must be positive'))
    return min(CONF.api.max_limit, limit)


def validate_sort_dir(sort_dir):
    if sort_dir not in SORT_DIRS:
        raise wsme.exc.ClientSideError(
            _("Invalid sort direction: %s. Acceptable values are "
              "'asc' or 'desc'") % sort_dir)
    return sort_dir


def validate_sort_key(sort_key, allowed):
    if sort_key not in allowed:
        raise exception.InvalidSortKey(key=sort_key,
                                       allowed=', '.join(sorted(allowed)))
    return sort_key


def paging(limit, sort_key, sort_dir, allowed_sort_keys):
    """(limit, sort_key, sort_dir) after validation."""
    return (validate_limit(limit),
            validate_sort_key(sort_key or 'id', allowed_sort_keys),
            validate_sort_dir(sort_dir or 'asc'))


def check_marker(marker, integer=False):
    if marker is None:
        return None
    if integer:
        if not utils.is_int_like(marker):
            raise wsme.exc.ClientSideError(
                _('Invalid marker: %s') % marker)
        return int(marker)
    if not utils.is_uuid_like(marker):
        raise exception.InvalidUUID(uuid=marker)
    return marker


def _op_text(patch):
    return [p.as_dict() for p in patch]


def apply_jsonpatch(doc, patch, patchable, readonly_message=None):
    """Apply a JSON-patch (list of JsonPatchType) to ``doc``.

    Only paths under the top-level keys in ``patchable`` may change; any
    other path is refused with 400 and nothing is applied.
    """
    if not isinstance(patch, list) or not patch:
        raise exception.PatchError(patch=patch,
                                   reason=_('an empty patch changes nothing'))
    for op in patch:
        types.JsonPatchType.validate(op)
        top = op.path.split('/')[1]
        if top not in patchable:
            message = readonly_message or _("%s can't be updated.")
            raise exception.PatchError(patch=_op_text(patch),
                                       reason=message % op.path)
    try:
        return jsonpatch.apply_patch(doc, _op_text(patch))
    except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException,
            KeyError, IndexError, TypeError, ValueError) as e:
        raise exception.PatchError(patch=_op_text(patch), reason=e)


def patch_value(patch, path):
    """The value the patch sets at ``path`` (or Unset)."""
    for op in patch:
        if op.path == path:
            return None if op.op == 'remove' else op.value
    return wtypes.Unset


def is_uuid(ident):
    return utils.is_uuid_like(ident)


def isotime(value):
    """ISO-8601 with an explicit UTC offset, as the reference prints."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.isoformat() + '+00:00'
    return value.isoformat()


def naive_isotime(value):
    """ISO-8601 in UTC without an offset.

    How the reference prints the times a user gives (an audit's
    ``start_time`` and ``end_time``): it keeps them without a time zone and
    returns them as they were sent.
    """
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return value.isoformat()


def _defaults_filling(validator_class):
    """A validator class that also fills in the defaults of properties."""
    check_properties = validator_class.VALIDATORS['properties']

    def properties(validator, props, instance, schema):
        if isinstance(instance, dict):
            for name, subschema in props.items():
                if isinstance(subschema, dict) and 'default' in subschema:
                    instance.setdefault(name,
                                        copy.deepcopy(subschema['default']))
        yield from check_properties(validator, props, instance, schema)

    return jsonschema.validators.extend(validator_class,
                                        {'properties': properties})


_FillingValidator = _defaults_filling(jsonschema.Draft4Validator)


def validate_parameters(spec, parameters, what='parameters'):
    """Validate strategy parameters against its ``parameters_spec``.

    Returns a copy with the defaults of the spec filled in. Keys the spec
    does not declare are refused unless the spec allows extra properties.
    Raises Invalid (400) with the reason.
    """
    parameters = copy.deepcopy(parameters or {})
    if not isinstance(parameters, dict):
        raise exception.Invalid(_('Invalid %s for strategy: a JSON object '
                                  'is expected') % what)
    spec = copy.deepcopy(spec or {})
    if not isinstance(spec, dict):
        spec = {}
    if 'additionalProperties' not in spec and 'properties' in spec:
        spec['additionalProperties'] = False
    try:
        _FillingValidator(spec).validate(parameters)
    except jsonschema.ValidationError as e:
        where = '/'.join(str(p) for p in e.absolute_path)
        reason = e.message + (' (at %s)' % where if where else '')
        raise exception.Invalid(_('Invalid %(what)s for strategy: '
                                  '%(reason)s') %
                                {'what': what, 'reason': reason})
    except jsonschema.SchemaError as e:
        raise exception.Invalid(_('The parameters spec of the strategy is '
                                  'not a valid schema: %s') % e.message)
    return parameters


def validate_scope(scope):
    """Check an audit scope against the scope grammar (400 if wrong)."""
    try:
        jsonschema.Draft4Validator(SCOPE_SCHEMA).validate(scope)
    except jsonschema.ValidationError as e:
        where = '/'.join(str(p) for p in e.absolute_path)
        raise exception.InvalidScope(
            err=e.message + (' (at %s)' % where if where else ''))
    return scope


_LIST_OF_OBJECTS = {'type': 'array', 'items': {'type': 'object'}}


def _scope_model(sections):
    """Schema of one model's scope: a list of one-key objects."""
    return {
        'type': 'array',
        'items': {
            'type': 'object',
            'properties': dict(
                {name: _LIST_OF_OBJECTS for name in sections},
                exclude={'type': 'array', 'items': {
                    'type': 'object',
                    'additionalProperties': _LIST_OF_OBJECTS}}),
            'additionalProperties': False,
        },
    }


_COMPUTE = _scope_model(('host_aggregates', 'availability_zones',
                         'compute_nodes'))
_STORAGE = _scope_model(('availability_zones', 'volume_types',
                         'storage_pools'))
_BAREMETAL = _scope_model(('ironic_nodes',))

# A list of {"compute"|"storage"|"baremetal": [...]}; the older flat form
# (compute sections at the top level) is accepted as compute scope.
SCOPE_SCHEMA = {
    'type': 'array',
    'items': {
        'type': 'object',
        'properties': {
            'compute': _COMPUTE,
            'storage': _STORAGE,
            'baremetal': _BAREMETAL,
            'host_aggregates': _LIST_OF_OBJECTS,
            'availability_zones': _LIST_OF_OBJECTS,
            'exclude': {'type': 'array',
                        'items': {'type': 'object',
                                  'additionalProperties': _LIST_OF_OBJECTS}},
        },
        'additionalProperties': False,
    },
}
