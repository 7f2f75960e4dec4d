"""Strategy: an algorithm reaching one goal (synced from the plugins)."""
from watcher.objects import base
from watcher.objects import fields as wfields


@base.WatcherObjectRegistry.register
class Strategy(base.WatcherPersistentObject):
    # Version 1.0: Initial version
    VERSION = '1.0'

    DB = base.DbCalls(
        get_list=lambda db: db.get_strategy_list,
        create=lambda db: db.create_strategy,
        get_by_id=lambda db: db.get_strategy_by_id,
        get_by_uuid=lambda db: db.get_strategy_by_uuid,
        get_by_name=lambda db: db.get_strategy_by_name,
        update=lambda db: db.update_strategy,
        soft_delete=lambda db: db.soft_delete_strategy,
        destroy=lambda db: db.destroy_strategy)
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
