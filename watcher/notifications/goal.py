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
