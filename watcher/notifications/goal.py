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

"""Payload describing a goal inside audit notifications."""
from oslo_versionedobjects import fields

from watcher.notifications import base


@base.NotificationRegistry.register
class GoalPayload(base.NotificationPayloadBase):
    # Version 1.0: Initial version
    VERSION = '1.0'

    SOURCE_FIELDS = dict({
        'uuid': ('goal', 'uuid'),
        'name': ('goal', 'name'),
        'display_name': ('goal', 'display_name'),
        'efficacy_specification': ('goal', 'efficacy_specification'),
    }, **base.timestamp_sources('goal'))

    fields = dict({
        'uuid': fields.UUIDField(),
        'name': fields.StringField(),
        'display_name': fields.StringField(),
        'efficacy_specification': base.JsonField(nullable=True),
    }, **base.timestamp_fields())

    @classmethod
    def from_goal(cls, goal):
        return cls.build(goal=goal)
