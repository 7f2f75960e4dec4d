"""Audit: one optimisation request, and its state machine."""
from watcher.objects import base
from watcher.objects import fields as wfields


class State:
    PENDING = 'PENDING'
    ONGOING = 'ONGOING'
    SUCCEEDED = 'SUCCEEDED'
    FAILED = 'FAILED'
    CANCELLED = 'CANCELLED'
    SUSPENDED = 'SUSPENDED'
    DELETED = 'DELETED'

    ALL = (PENDING, ONGOING, SUCCEEDED, FAILED, CANCELLED, SUSPENDED,
           DELETED)


class AuditType:
    ONESHOT = 'ONESHOT'
    CONTINUOUS = 'CONTINUOUS'
    EVENT = 'EVENT'

    ALL = (ONESHOT, CONTINUOUS, EVENT)


# from state -> states it may move to (feature inventory 2.5)
TRANSITIONS = {
    State.PENDING: {State.ONGOING, State.CANCELLED},
    State.ONGOING: {State.SUCCEEDED, State.FAILED, State.CANCELLED,
                    State.SUSPENDED},
    State.SUSPENDED: {State.ONGOING, State.DELETED},
    State.SUCCEEDED: {State.DELETED},
    State.FAILED: {State.DELETED},
    State.CANCELLED: {State.DELETED},
    State.DELETED: set(),
}


@base.WatcherObjectRegistry.register
class Audit(base.WatcherPersistentObject):
    # Version 1.0: Initial version (with start/end time, force,
    #              status_message)
    VERSION = '1.0'

    RESOURCE = 'audit'
    NAME_FIELD = 'name'
    EAGER = {'goal': 'Goal', 'strategy': 'Strategy'}
    TRANSITIONS = TRANSITIONS
    INITIAL_STATE = State.PENDING
    DEFAULTS = {'parameters': dict, 'scope': list, 'auto_trigger': False,
                'force': False}

    fields = dict(base.WatcherPersistentObject.fields, **{
        'id': wfields.IntegerField(),
        'uuid': wfields.UUIDField(),
        'name': wfields.StringField(nullable=True),
        'audit_type': wfields.StringField(),
        'state': wfields.StringField(),
        'parameters': wfields.FlexibleDictField(nullable=True),
        'interval': wfields.StringField(nullable=True),
        'goal_id': wfields.IntegerField(),
        'strategy_id': wfields.IntegerField(nullable=True),
        'scope': wfields.FlexibleListOfDictField(nullable=True),
        'auto_trigger': wfields.BooleanField(),
        'next_run_time': wfields.DateTimeField(nullable=True),
        'hostname': wfields.StringField(nullable=True),
        'start_time': wfields.DateTimeField(nullable=True),
        'end_time': wfields.DateTimeField(nullable=True),
        'force': wfields.BooleanField(default=False),
        'status_message': wfields.StringField(nullable=True),
        'goal': wfields.ObjectField('Goal', nullable=True),
        'strategy': wfields.ObjectField('Strategy', nullable=True),
    })

    def _cascaded_children(self):
        """Live action plans (each must be deletable), actions, indicators.

        Raises IllegalStateTransition when a plan cannot be deleted (e.g.
        it is ONGOING); nothing is written then.
        """
        from watcher.objects import action_plan
        plans = action_plan.ActionPlan.list(
            self._context, filters={'audit_id': self.id, 'deleted': False})
        for plan in plans:
            plan._check_delete()
        children = []
        for plan in plans:
            children.extend(plan._cascaded_children())
        return children + plans
