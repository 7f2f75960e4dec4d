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

"""Field types of watcher's versioned objects."""
import json

from oslo_versionedobjects import fields

BaseEnumField = fields.BaseEnumField
BooleanField = fields.BooleanField
DateTimeField = fields.DateTimeField
Enum = fields.Enum
EnumField = fields.EnumField
FloatField = fields.FloatField
IntegerField = fields.IntegerField
ListOfStringsField = fields.ListOfStringsField
ObjectField = fields.ObjectField
StringField = fields.StringField
UUIDField = fields.UUIDField


def _maybe_json(value):
    if isinstance(value, (str, bytes)):
        try:
            return json.loads(value)
        except ValueError:
            raise ValueError('%r is not valid JSON' % (value,))
    return value


class Json(fields.FieldType):
    """Any JSON-serialisable value (a JSON string is decoded)."""

    def coerce(self, obj, attr, value):
        return _maybe_json(value)

    def from_primitive(self, obj, attr, value):
        return self.coerce(obj, attr, value)

    def to_primitive(self, obj, attr, value):
        return value

    def stringify(self, value):
        return json.dumps(value)


class JsonField(fields.AutoTypedField):
    AUTO_TYPE = Json()


class FlexibleDict(Json):
    """A dict; None becomes ``{}``, a JSON string is decoded."""

    def coerce(self, obj, attr, value):
        value = _maybe_json(value)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise ValueError('%s must be a dict, not %s' %
                             (attr, type(value).__name__))
        return dict(value)


class FlexibleDictField(fields.AutoTypedField):
    AUTO_TYPE = FlexibleDict()

    def _null(self, obj, attr):
        if self.nullable:
            return {}
        return super()._null(obj, attr)


class FlexibleListOfDict(Json):
    """A list of dicts; None becomes ``[]``, a JSON string is decoded."""

    def coerce(self, obj, attr, value):
        value = _maybe_json(value)
        if value is None:
            return []
        if not isinstance(value, (list, tuple)):
            raise ValueError('%s must be a list, not %s' %
                             (attr, type(value).__name__))
        for item in value:
            if not isinstance(item, dict):
                raise ValueError('%s must be a list of dicts' % attr)
        return list(value)


class FlexibleListOfDictField(fields.AutoTypedField):
    AUTO_TYPE = FlexibleListOfDict()

    def _null(self, obj, attr):
        if self.nullable:
            return []
        return super()._null(obj, attr)


class FlexibleList(Json):
    """A list of JSON values; None becomes ``[]``."""

    def coerce(self, obj, attr, value):
        value = _maybe_json(value)
        if value is None:
            return []
        if not isinstance(value, (list, tuple)):
            raise ValueError('%s must be a list, not %s' %
                             (attr, type(value).__name__))
        return list(value)


class FlexibleListField(fields.AutoTypedField):
    AUTO_TYPE = FlexibleList()

    def _null(self, obj, attr):
        if self.nullable:
            return []
        return super()._null(obj, attr)


class NumericField(fields.AutoTypedField):
    """A number kept as float (ints are accepted)."""
    AUTO_TYPE = fields.Float()
