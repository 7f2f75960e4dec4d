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

"""Request documents checked against a JSON schema.

A failure is the API's usual 400 (``exception.Invalid``), naming the
field as the user wrote it and saying what it must be, in the words of
the schema's ``description`` rather than jsonschema's (which speak of
types and sub-schemas).
"""

import jsonschema

from watcher.api import schemas
from watcher.common import exception
from watcher.common.i18n import _


def _field(error):
    """The user's path to the failing value: ``a``, ``a.b``, ``a[0]``."""
    text = ''
    for part in error.absolute_path:
        if isinstance(part, int):
            text += '[%d]' % part
        else:
            text += ('.' if text else '') + str(part)
    return text


def _described(error):
    """The nearest ``description`` from the failing schema up."""
    for schema in (error.schema, *(e.schema for e in _parents(error))):
        if isinstance(schema, dict) and schema.get('description'):
            return schema['description']
    return None


def _parents(error):
    while error.parent is not None:
        error = error.parent
        yield error


def _message(error):
    field = _field(error)
    described = _described(error)
    if error.validator == 'required':
        missing = [name for name in error.validator_value
                   if name not in error.instance]
        return _('%s is required') % '.'.join(
            filter(None, [field, missing[0] if missing else '']))
    if field and described:
        return _('Invalid %(field)s: %(what)s') % {'field': field,
                                                   'what': described}
    if field:
        return _('Invalid %s') % field
    return _('Invalid request body')


def validate(document, versioned, request_version=None):
    """Check ``document`` against the schema ``versioned`` selects.

    ``versioned`` is a resource module's ``(microversion, schema)``
    tuple; the request's microversion (or ``request_version``) picks the
    schema.
    """
    schema = schemas.select(versioned, request_version)
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft4Validator(schema).iter_errors(document))
    if error is not None:
        raise exception.Invalid(_message(error))
