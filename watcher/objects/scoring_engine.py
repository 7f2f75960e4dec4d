"""ScoringEngine: a machine-learning scorer strategies may call."""
from watcher.objects import base
from watcher.objects import fields as wfields


@base.WatcherObjectRegistry.register
class ScoringEngine(base.WatcherPersistentObject):
    # Version 1.0: Initial version
    VERSION = '1.0'

    RESOURCE = 'scoring_engine'
    NAME_FIELD = 'name'

    fields = dict(base.WatcherPersistentObject.fields, **{
        'id': wfields.IntegerField(),
        'uuid': wfields.UUIDField(),
        'name': wfields.StringField(),
        'description': wfields.StringField(nullable=True),
        'metainfo': wfields.StringField(nullable=True),
    })
