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

"""Payload describing a strategy inside audit and action plan
notifications.
"""
from oslo_versionedobjects import fields

from watcher.notifications import base


@base.NotificationRegistry.register
class StrategyPayload(base.NotificationPayloadBase):
    # Version 1.0: Initial version
    VERSION = '1.0'

    SOURCE_FIELDS = dict({
        'uuid': ('strategy', 'uuid'),
        'name': ('strategy', 'name'),
        'display_name': ('strategy', 'display_name'),
        'parameters_spec': ('strategy', 'parameters_spec'),
    }, **base.timestamp_sources('strategy'))

    fields = dict({
        'uuid': fields.UUIDField(),
        'name': fields.StringField(),
        'display_name': fields.StringField(),
        'parameters_spec': base.JsonField(nullable=True),
    }, **base.timestamp_fields())

    @classmethod
    def from_strategy(cls, strategy):
        if strategy is None:
            return None
        return cls.build(strategy=strategy)
