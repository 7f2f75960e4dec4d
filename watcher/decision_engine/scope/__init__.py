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

"""Audit scopes: which part of a cluster model an audit works on.

Seam for the audit pipeline::

    from watcher.decision_engine import scope
    scoped = scope.apply_scope('compute', model, audit.scope)

``apply_scope(model_type, model, scope)`` returns a scoped COPY of
``model`` (the argument is never changed); ``scope`` is the audit's scope
list in either format (see :mod:`watcher.common.scope_schema`), ``None``
or ``[]`` meaning the whole cluster.  ``scope.schema.validate_scope(scope)``
raises ``exception.InvalidScope``.
"""
from watcher.common import scope_schema
from watcher.decision_engine.scope import baremetal
from watcher.decision_engine.scope import compute
from watcher.decision_engine.scope import schema  # noqa: F401
from watcher.decision_engine.scope import storage

SCOPERS = {
    'compute': compute.apply,
    'storage': storage.apply,
    'baremetal': baremetal.apply,
}


def apply_scope(model_type, model, scope, copy=True):
    """A copy of ``model`` restricted to ``scope`` (see module doc)."""
    try:
        scoper = SCOPERS[model_type]
    except KeyError:
        raise ValueError('unknown model type %r' % model_type)
    if copy:
        model = model.copy()
    return scoper(model, scope_schema.model_scope(scope, model_type))


def validate_scope(scope):
    scope_schema.validate(scope)
