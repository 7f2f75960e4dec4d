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

"""/v1/data_model (1.3): the decision engine's cluster data model.

``GET /v1/data_model?data_model_type=compute[&audit_uuid=<uuid>]`` (the
Train design named the first parameter ``type``; both are accepted)
answers ``{"context": [row, ...]}``, one flat row per server joined with
its compute node. Rows lose server_pinned_az and
server_flavor_extra_specs below 1.6.
"""
from wsme import types as wtypes

from watcher.api.controllers.v1 import base
from watcher.api.controllers.v1 import types
from watcher.api import expose
from watcher.api import microversion
from watcher.api import rpc
from watcher.common import exception
from watcher import objects

SUPPORTED_TYPES = ('compute',)
EXTENDED_FIELDS = ('server_pinned_az', 'server_flavor_extra_specs')


class DataModelController(base.ListController):

    @expose.expose(wtypes.text, types.uuid, wtypes.text)
    def get_all(self, data_model_type=None, audit_uuid=None, type=None):
        if not microversion.allows(microversion.DATA_MODEL):
            raise exception.NotAcceptable()
        base.authorize('data_model:get_all')
        model_type = data_model_type or type or 'compute'
        if model_type not in SUPPORTED_TYPES:
            raise exception.DataModelTypeNotFound(data_model_type=model_type)
        if audit_uuid is not None:
            objects.Audit.get_by_uuid(base.context(), audit_uuid)
        model = rpc.get_data_model(base.context(), model_type, audit_uuid)
        rows = list((model or {}).get('context', []))
        if not microversion.allows(microversion.EXTENDED_COMPUTE_MODEL):
            rows = [{k: v for k, v in row.items()
                     if k not in EXTENDED_FIELDS} for row in rows]
        return {'context': rows}
