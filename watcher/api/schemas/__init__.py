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

"""JSON schemas for request bodies, one module per resource.

A module holds, for each request it checks, a tuple of
``(microversion, schema)`` pairs in increasing order; ``select`` gives the
schema of the newest pair the request's microversion allows, so a field
that a microversion brings is declared once, where it appears.

Each property's ``description`` says, in the user's terms, what the field
must be: ``watcher.api.validation`` puts it in the 400 answer.
"""

from watcher.api import microversion


def select(versioned, request_version=None):
    """The schema of the newest ``(version, schema)`` pair allowed.

    ``request_version`` (a ``microversion.Version``) defaults to the
    current request's.
    """
    if request_version is None:
        request_version = microversion.request_version()
    chosen = versioned[0][1]
    for version, schema in versioned:
        if microversion.allows(request_version, version):
            chosen = schema
    return chosen


def extended(schema, **properties):
    """``schema`` with ``properties`` added (a new dict; none is shared)."""
    new = dict(schema)
    new['properties'] = dict(schema['properties'], **properties)
    return new
