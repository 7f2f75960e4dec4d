"""Action: one step of an action plan, and its state machine."""
from watcher.objects import base
from watcher.objects import fields as wfields


class State:
    PENDING = 'PENDING'
    ONGOING = 'ONGOING'
    SUCCEEDED = 'SUCCEEDED'
    FAILED = 'FAILED'
    CANCELLING = 'CANCELLING'
    CANCELLED = 'CANCELLED'
    SKIPPED = 'SKIPPED'
    DELETED = 'DELETED'

    ALL = (PENDING, ONGOING, SUCCEEDED, FAILED, CANCELLING, CANCELLED,
           SKIPPED, DELETED)


# from state -> states it may move to (feature inventory 2.7; ONGOING ->
# CANCELLED is the applier settling its own actions at start-up). Deleting
# a plan deletes its actions whatever their state (the plan's own move to
# DELETED is the checked one).
TRANSITIONS = {
    State.PENDING: {State.ONGOING, State.SKIPPED, State.FAILED,
                    State.CANCELLED},
    State.ONGOING: {State.SUCCEEDED, State.FAILED, State.CANCELLING,
                    State.CANCELLED},
    State.CANCELLING: {State.CANCELLED, State.FAILED},
    State.SUCCEEDED: {State.DELETED},
    State.FAILED: {State.DELETED},
    State.CANCELLED: {State.DELETED},
    State.SKIPPED: {State.DELETED},
    State.DELETED: set(),
}


@base.WatcherObjectRegistry.register
class Action(base.WatcherPersistentObject):
    # Version 1.0: Initial version (with status_message)
    VERSION = '1.0'

    RESOURCE = 'action'
    EAGER = {'action_plan': 'ActionPlan'}
    TRANSITIONS = TRANSITIONS
    INITIAL_STATE = State.PENDING
    DEFAULTS = {'input_parameters': dict, 'parents': list}

    fields = dict(base.WatcherPersistentObject.fields, **{
        'id': wfields.IntegerField(),
        'uuid': wfields.UUIDField(),
        'action_plan_id': wfields.IntegerField(),
        'action_type': wfields.StringField(),
        'input_parameters': wfields.FlexibleDictField(nullable=True),
        'state': wfields.StringField(nullable=True),
        'parents': wfields.FlexibleListField(nullable=True),
        'status_message': wfields.StringField(nullable=True),
        'action_plan': wfields.ObjectField('ActionPlan', nullable=True),
    })
