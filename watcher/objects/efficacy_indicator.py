"""EfficacyIndicator: one measured outcome of an action plan."""
from watcher.objects import base
from watcher.objects import fields as wfields


@base.WatcherObjectRegistry.register
class EfficacyIndicator(base.WatcherPersistentObject):
    # Version 1.0: Initial version
    VERSION = '1.0'

    RESOURCE = 'efficacy_indicator'
    EAGER = {'action_plan': 'ActionPlan'}

    fields = dict(base.WatcherPersistentObject.fields, **{
        'id': wfields.IntegerField(),
        'uuid': wfields.UUIDField(),
        'action_plan_id': wfields.IntegerField(),
        'name': wfields.StringField(),
        'description': wfields.StringField(nullable=True),
        'unit': wfields.StringField(nullable=True),
        'value': wfields.NumericField(nullable=True),
        'action_plan': wfields.ObjectField('ActionPlan', nullable=True),
    })
