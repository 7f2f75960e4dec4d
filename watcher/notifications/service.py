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

"""``service.update``: a watcher service flipped between ACTIVE and FAILED.

Sent by the API-side status monitor (:mod:`watcher.cmd.service_monitor`).
The ``sevice_host`` spelling is the upstream wire name.
"""
from oslo_versionedobjects import fields

from watcher.notifications import base


class ServiceState:
    ACTIVE = 'ACTIVE'
    FAILED = 'FAILED'


@base.NotificationRegistry.register
class ServiceStatusUpdatePayload(base.NotificationPayloadBase):
    # Version 1.0: Initial version
    VERSION = '1.0'
    fields = {
        'old_state': fields.StringField(nullable=True),
        'state': fields.StringField(nullable=True),
    }


@base.NotificationRegistry.register
class ServicePayload(base.NotificationPayloadBase):
    # Version 1.0: Initial version
    VERSION = '1.0'

    SOURCE_FIELDS = {
        'sevice_host': ('service', 'host'),
        'name': ('service', 'name'),
        'last_seen_up': ('service', 'last_seen_up'),
    }

    fields = {
        'sevice_host': fields.StringField(),
        'name': fields.StringField(),
        'last_seen_up': fields.DateTimeField(nullable=True),
    }


@base.NotificationRegistry.register
class ServiceUpdatePayload(ServicePayload):
    # Version 1.0: Initial version
    VERSION = '1.0'
    fields = dict(ServicePayload.fields, **{
        'status_update': fields.ObjectField('ServiceStatusUpdatePayload'),
    })


def send_service_update(context, service, state, old_state=None,
                        host=None, **kwargs):
    """Emit ``service.update`` for ``service`` (an object or dict with
    ``host``, ``name``, ``last_seen_up``) now in ``state``.
    """
    payload = ServiceUpdatePayload()
    payload.fill_from(service=service)
    payload.status_update = ServiceStatusUpdatePayload(
        old_state=old_state, state=state)
    return base.emit(context, 'service.update', payload, host=host)
