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

"""The audit scope JSON schema (re-exported from
:mod:`watcher.common.scope_schema`, which the API layer imports)."""
from watcher.common import scope_schema
from watcher.common.scope_schema import FLAT_SCOPE_SCHEMA  # noqa: F401
from watcher.common.scope_schema import KEYED_SCOPE_SCHEMA  # noqa: F401
from watcher.common.scope_schema import MODEL_SCHEMAS  # noqa: F401
from watcher.common.scope_schema import model_scope  # noqa: F401
from watcher.common.scope_schema import normalize  # noqa: F401
from watcher.common.scope_schema import SCOPE_SCHEMA  # noqa: F401
from watcher.common.scope_schema import validate  # noqa: F401
from watcher.common.scope_schema import WILDCARD  # noqa: F401


def validate_scope(scope):
    """Raise ``exception.InvalidScope`` if ``scope`` is not valid."""
    scope_schema.validate(scope)
