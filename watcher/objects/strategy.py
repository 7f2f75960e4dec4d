"""Strategy: an algorithm reaching one goal (synced from the plugins)."""
from watcher.objects import base
from watcher.objects import fields as wfields


@base.WatcherObjectRegistry.register
class Strategy(base.WatcherPersistentObject):
    # Version 1.0: Initial version
    VERSION = '1.0'

    RESOURCE = 'strategy'
    NAME_FIELD = 'name'
    EAGER = {'goal': 'Goal'}
    DEFAULTS = {'parameters_spec': dict}

    fields = dict(base.WatcherPersistentObject.fields, **{
        'id': wfields.IntegerField(),
        'uuid': wfields.UUIDField(),
        'name': wfields.StringField(),
        'display_name': wfields.StringField(),
        'goal_id': wfields.IntegerField(),
        'parameters_spec': wfields.FlexibleDictField(nullable=True),
        'goal': wfields.ObjectField('Goal', nullable=True),
    })
