"""ScoringEngine: a machine-learning scorer strategies may call."""
from watcher.objects import base
from watcher.objects import fields as wfields


@base.WatcherObjectRegistry.register
class ScoringEngine(base.WatcherPersistentObject):
    # Version 1.0: Initial version
    VERSION = '1.0'

    DB = base.DbCalls(
        get_list=lambda db: db.get_scoring_engine_list,
        create=lambda db: db.create_scoring_engine,
        get_by_id=lambda db: db.get_scoring_engine_by_id,
        get_by_uuid=lambda db: db.get_scoring_engine_by_uuid,
        get_by_name=lambda db: db.get_scoring_engine_by_name,
        update=lambda db: db.update_scoring_engine,
        soft_delete=lambda db: db.soft_delete_scoring_engine,
        destroy=lambda db: db.destroy_scoring_engine)
    NAME_FIELD = 'name'

    fields = dict(base.WatcherPersistentObject.fields, **{
        'id': wfields.IntegerField(),
        'uuid': wfields.UUIDField(),
        'name': wfields.StringField(),
        'description': wfields.StringField(nullable=True),
        'metainfo': wfields.StringField(nullable=True),
    })
