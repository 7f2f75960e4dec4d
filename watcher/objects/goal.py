"""Goal: what an audit optimises (synced from the goal plugins)."""
from watcher.objects import base
from watcher.objects import fields as wfields


@base.WatcherObjectRegistry.register
class Goal(base.WatcherPersistentObject):
    # Version 1.0: Initial version
    VERSION = '1.0'

    RESOURCE = 'goal'
    NAME_FIELD = 'name'
    DEFAULTS = {'efficacy_specification': list}

    fields = dict(base.WatcherPersistentObject.fields, **{
        'id': wfields.IntegerField(),
        'uuid': wfields.UUIDField(),
        'name': wfields.StringField(),
        'display_name': wfields.StringField(),
        'efficacy_specification': wfields.FlexibleListOfDictField(
            nullable=True),
    })
