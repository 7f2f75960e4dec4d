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

"""Common machinery of the model elements.

Elements are plain slotted objects: cheap to build (the collectors create
tens of thousands of them), cheap to copy (every audit works on a copy) and
easy to read.  Each concrete class lists its fields once, in ``_fields``, as
``(name, default)`` pairs; the constructor accepts them positionally (in
that order) or by keyword.  Mutable defaults (dicts, lists) are given as
factories (``dict``, ``list``) so instances never share them.
"""
import copy as _copy
import datetime


def utc_timestamp(value):
    """A creation time as Nova and Cinder give it (ISO 8601, with or
    without an offset or fraction; naive means UTC), as POSIX seconds: one
    comparable number whichever API or notification it came from. None
    (absent or unreadable) stays None.
    """
    if not value:
        return None
    try:
        when = datetime.datetime.fromisoformat(str(value).replace('Z',
                                                                  '+00:00'))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    return when.timestamp()


class Element:
    __slots__ = ()
    _fields = ()

    def __init__(self, *args, **kwargs):
        fields = self._fields
        if len(args) > len(fields):
            raise TypeError('%s takes at most %d positional arguments'
                            % (type(self).__name__, len(fields)))
        for (name, _default), value in zip(fields, args):
            if name in kwargs:
                raise TypeError('%s got multiple values for %r'
                                % (type(self).__name__, name))
            kwargs[name] = value
        for name, default in fields:
            if name in kwargs:
                value = kwargs.pop(name)
            elif callable(default):
                value = default()
            else:
                value = default
            object.__setattr__(self, name, value)
        if kwargs:
            raise TypeError('%s got unexpected fields: %s'
                            % (type(self).__name__,
                               ', '.join(sorted(kwargs))))

    @classmethod
    def field_names(cls):
        return tuple(name for name, _ in cls._fields)

    def as_dict(self):
        """The element's fields as a new dict (values not copied)."""
        return {name: getattr(self, name) for name, _ in self._fields}

    def update(self, **values):
        """Set several fields at once; unknown names raise AttributeError."""
        for name, value in values.items():
            if name not in self.field_names():
                raise AttributeError('%s has no field %r'
                                     % (type(self).__name__, name))
            setattr(self, name, value)

    def copy(self):
        """An independent copy: container fields (those whose default is
        a factory, e.g. metadata) are copied one level deep, the other
        values are shared (immutable scalars).
        """
        cls = type(self)
        plan = cls.__dict__.get('_copy_plan')
        if plan is None:
            plan = (tuple(n for n, d in cls._fields if not callable(d)),
                    tuple(n for n, d in cls._fields if callable(d)))
            cls._copy_plan = plan
        new = object.__new__(cls)
        setter = object.__setattr__
        for name in plan[0]:
            setter(new, name, getattr(self, name))
        for name in plan[1]:
            value = getattr(self, name)
            setter(new, name, _copy.copy(value) if value is not None
                   else None)
        return new

    __copy__ = copy

    def __deepcopy__(self, memo):
        new = object.__new__(type(self))
        for name, _ in self._fields:
            object.__setattr__(new, name,
                               _copy.deepcopy(getattr(self, name), memo))
        return new

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return self.as_dict() == other.as_dict()

    def __hash__(self):
        return hash((type(self).__name__, getattr(self, 'uuid', None)
                     or getattr(self, 'name', None)
                     or getattr(self, 'host', None)))

    def __repr__(self):
        key = None
        for attr in ('uuid', 'name', 'host'):
            key = getattr(self, attr, None)
            if key:
                break
        return '<%s %s>' % (type(self).__name__, key)
