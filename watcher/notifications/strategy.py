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
