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

"""Efficacy specification machinery.

An ``IndicatorSpecification`` describes one efficacy indicator a strategy
of the goal reports (``name, description, unit, schema`` where ``schema`` is
a JSON schema of the value, ``required``).  An ``EfficacySpecification``
groups the indicator specs of a goal and computes the goal's *global
efficacy* - a list of ``{name, description, unit, value}`` dicts - from the
indicator values.
"""
import json

import jsonschema

from watcher.common import exception


class IndicatorSpecification:
    def __init__(self, name, description, unit=None, schema=None,
                 required=True):
        self.name = name
        self.description = description
        self.unit = unit
        self.schema = schema or {}
        self.required = required

    def validate(self, value):
        try:
            jsonschema.validate(value, self.schema)
        except jsonschema.ValidationError:
            raise exception.InvalidIndicatorValue(
                name=self.name, value=value, spec_type=type(self).__name__)

    def to_dict(self):
        """The API / DB form (``schema`` serialised as a JSON string)."""
        return {'name': self.name, 'description': self.description,
                'unit': self.unit,
                'schema': json.dumps(self.schema) if self.schema else None}

    def __repr__(self):
        return '<IndicatorSpecification %s>' % self.name


class EfficacySpecification:
    """Base: no indicators, no global efficacy."""

    #: Subclasses list their IndicatorSpecification objects here.
    indicators_specifications = ()

    def get_indicators_specifications(self):
        return list(self.indicators_specifications)

    def get_indicator_specification(self, name):
        for spec in self.indicators_specifications:
            if spec.name == name:
                return spec
        return None

    def serialize_indicators_specifications(self):
        return [spec.to_dict() for spec in self.indicators_specifications]

    def validate_efficacy_indicators(self, values, partial=False):
        """Check a ``{name: value}`` mapping against the specs.

        Unknown names and values outside their schema raise
        ``InvalidIndicatorValue``; missing required indicators too unless
        ``partial``.
        """
        for name, value in values.items():
            spec = self.get_indicator_specification(name)
            if spec is None:
                raise exception.InvalidIndicatorValue(
                    name=name, value=value, spec_type='unknown')
            spec.validate(value)
        if not partial:
            for spec in self.indicators_specifications:
                if spec.required and spec.name not in values:
                    raise exception.InvalidIndicatorValue(
                        name=spec.name, value=None,
                        spec_type=type(spec).__name__)

    def get_global_efficacy_indicator(self, indicators):
        """Global efficacy from ``{name: value}``: list of
        ``{name, description, unit, value}`` dicts (empty by default).
        """
        return []

    @staticmethod
    def _ratio(numerator, denominator):
        if not denominator:
            return 0
        return float(numerator) / float(denominator) * 100

    def __repr__(self):
        return '<%s>' % type(self).__name__
