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

"""WSME types the v1 API validates request input with."""
import json

from oslo_utils import strutils
import wsme
from wsme import types as wtypes

from watcher.common import audit_interval
from watcher.common import exception
from watcher.common.i18n import _
from watcher.common import utils


class UuidType(wtypes.UserType):
    """A UUID string."""

    basetype = wtypes.text
    name = 'uuid'

    @staticmethod
    def validate(value):
        if not utils.is_uuid_like(value):
            raise exception.InvalidUUID(uuid=value)
        return value

    @staticmethod
    def frombasetype(value):
        if value is None:
            return None
        return UuidType.validate(value)


class NameType(wtypes.UserType):
    """A logical name: a letter then letters, digits or -._~."""

    basetype = wtypes.text
    name = 'name'

    @staticmethod
    def validate(value):
        if not utils.is_hostname_safe(value):
            raise exception.InvalidName(name=value)
        return value

    @staticmethod
    def frombasetype(value):
        if value is None:
            return None
        return NameType.validate(value)


class UuidOrNameType(wtypes.UserType):
    """Either a UUID or a logical name."""

    basetype = wtypes.text
    name = 'uuid_or_name'

    @staticmethod
    def validate(value):
        if not (utils.is_uuid_like(value) or
                utils.is_hostname_safe(value)):
            raise exception.InvalidUuidOrName(name=value)
        return value

    @staticmethod
    def frombasetype(value):
        if value is None:
            return None
        return UuidOrNameType.validate(value)


class IntervalOrCronType(wtypes.UserType):
    """An audit interval: whole seconds (int or numeric string) or cron."""

    basetype = wtypes.text
    name = 'interval_or_cron'

    @staticmethod
    def validate(value):
        return str(audit_interval.parse(value)[1])

    @staticmethod
    def frombasetype(value):
        if value is None:
            return None
        return IntervalOrCronType.validate(value)


class BooleanType(wtypes.UserType):
    """A strict boolean (true/false, also their usual string spellings)."""

    basetype = wtypes.text
    name = 'boolean'

    @staticmethod
    def validate(value):
        if isinstance(value, bool):
            return value
        try:
            return strutils.bool_from_string(value, strict=True)
        except ValueError as e:
            raise exception.Invalid(str(e))

    @staticmethod
    def frombasetype(value):
        if value is None:
            return None
        return BooleanType.validate(value)


class JsonType(wtypes.UserType):
    """Any JSON value."""

    basetype = wtypes.text
    name = 'json'

    def __str__(self):
        return self.name

    @staticmethod
    def validate(value):
        try:
            json.dumps(value)
        except (TypeError, ValueError):
            raise exception.Invalid(_('%s is not JSON serializable') % value)
        return value

    @staticmethod
    def frombasetype(value):
        return JsonType.validate(value)


class DictType(JsonType):
    """A JSON object."""

    name = 'dict'

    @staticmethod
    def frombasetype(value):
        if value is None:
            return None
        if not isinstance(value, dict):
            raise exception.Invalid(_('A JSON object is expected, got %s')
                                    % json.dumps(value))
        return value


class ListType(JsonType):
    """A JSON array."""

    name = 'list'

    @staticmethod
    def frombasetype(value):
        if value is None:
            return None
        if not isinstance(value, list):
            raise exception.Invalid(_('A JSON array is expected, got %s')
                                    % json.dumps(value))
        return value


class StrictTextType(wtypes.UserType):
    """A string; numbers, booleans, lists and objects are refused."""

    basetype = wtypes.text
    name = 'text'

    @staticmethod
    def frombasetype(value):
        if value is None:
            return None
        if not isinstance(value, str):
            raise exception.Invalid(_('A string is expected, got %s')
                                    % json.dumps(value))
        return value


uuid = UuidType()
name = NameType()
uuid_or_name = UuidOrNameType()
interval_or_cron = IntervalOrCronType()
boolean = BooleanType()
jsontype = JsonType()
dicttype = DictType()
listtype = ListType()
text = StrictTextType()


# Paths no patch may touch, whatever the resource.
INTERNAL_PATHS = ('/created_at', '/id', '/links', '/updated_at',
                  '/deleted_at', '/uuid')


class JsonPatchType(wtypes.Base):
    """One operation of a JSON-patch document (add / replace / remove)."""

    path = wtypes.wsattr(wtypes.StringType(pattern=r'^(/[\w~.\-]+)+$'),
                         mandatory=True)
    op = wtypes.wsattr(wtypes.Enum(str, 'add', 'replace', 'remove'),
                       mandatory=True)
    value = wtypes.wsattr(jsontype, default=wtypes.Unset)

    @staticmethod
    def validate(patch):
        if patch.path in INTERNAL_PATHS:
            raise wsme.exc.ClientSideError(
                _("'%s' is an internal attribute and can not be updated")
                % patch.path)
        if patch.op != 'remove' and patch.value is wtypes.Unset:
            raise wsme.exc.ClientSideError(
                _("'add' and 'replace' operations need a value"))
        if patch.op == 'remove' and patch.value is not wtypes.Unset:
            raise wsme.exc.ClientSideError(
                _("'remove' operation does not take a value"))
        return patch

    def as_dict(self):
        op = {'op': self.op, 'path': self.path}
        if self.value is not wtypes.Unset:
            op['value'] = self.value
        return op
