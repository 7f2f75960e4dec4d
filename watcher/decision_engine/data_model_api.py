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

"""Backend of ``GET /v1/data_model``.

It sits above the model and the scopes it joins (hence not in
``model/``). The decision-engine manager's RPC method
``get_data_model_info(context, data_model_type, audit)`` answers with::

    from watcher.decision_engine import data_model_api
    return data_model_api.get_data_model(context, data_model_type,
                                         audit_uuid)
    # or, with an already loaded objects.Audit (or None):
    return data_model_api.get_data_model_info(context, data_model_type,
                                              audit)

``get_data_model(context, data_model_type='compute', audit_uuid=None,
scope=None)`` returns ``{"context": [row, ...]}``: one flat row per server
joined with its node, plus a node-only row per empty node
(``ModelRoot.to_data_model_rows``), from a copy of the live compute model.
With an audit uuid the audit's scope is applied first (``scope`` may be
given directly instead, saving the database read).  Extended fields
(``server_pinned_az``, ``server_flavor_extra_specs``) are always present;
the API hides them below microversion 1.6.  Only ``compute`` is supported.
"""
from oslo_log import log

from watcher.common import exception
from watcher.decision_engine.model.collector import manager
from watcher.decision_engine import scope as scope_pkg
from watcher import objects

LOG = log.getLogger(__name__)

SUPPORTED_TYPES = ('compute',)


def _audit_scope(context, audit_uuid):
    audit = objects.Audit.get_by_uuid(context, audit_uuid)
    return getattr(audit, 'scope', None) or []


def get_data_model(context, data_model_type='compute', audit_uuid=None,
                   scope=None):
    """``{"context": rows}`` of the (optionally scoped) model."""
    data_model_type = data_model_type or 'compute'
    if data_model_type not in SUPPORTED_TYPES:
        raise exception.InvalidParameterValue(
            err='Data model type %s is not supported; supported: %s' % (
                data_model_type, ', '.join(SUPPORTED_TYPES)))
    collector = manager.CollectorManager().get_cluster_model_collector(
        data_model_type)
    model = collector.get_latest_cluster_data_model()
    if scope is None and audit_uuid:
        scope = _audit_scope(context, audit_uuid)
    if scope:
        model = scope_pkg.apply_scope(data_model_type, model, scope,
                                      copy=False)
    return {'context': model.to_data_model_rows(extended=True)}


def get_data_model_info(context, data_model_type='compute', audit=None):
    """The same for the decision-engine manager's seam: ``audit`` is an
    ``objects.Audit`` (its scope is applied) or None.
    """
    scope = getattr(audit, 'scope', None) if audit is not None else None
    return get_data_model(context, data_model_type, scope=scope or [])
