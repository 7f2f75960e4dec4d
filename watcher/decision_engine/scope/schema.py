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
