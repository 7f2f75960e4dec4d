# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

"""ActionPlan: the actions an audit recommends, and its state machine."""
from watcher.common import exception
from watcher.db import api as db_api
from watcher.objects import action as action_obj
from watcher.objects import base
from watcher.objects import efficacy_indicator as ei_obj
from watcher.objects import fields as wfields
from watcher.objects import states


class State:
    RECOMMENDED = 'RECOMMENDED'
    PENDING = 'PENDING'
    ONGOING = 'ONGOING'
    SUCCEEDED = 'SUCCEEDED'
    FAILED = 'FAILED'
    CANCELLING = 'CANCELLING'
    CANCELLED = 'CANCELLED'
    SUPERSEDED = 'SUPERSEDED'
    DELETED = 'DELETED'

    ALL = (RECOMMENDED, PENDING, ONGOING, SUCCEEDED, FAILED, CANCELLING,
           CANCELLED, SUPERSEDED, DELETED)


_S = State
# What may happen to an action plan, and who makes it happen. A plan is
# born RECOMMENDED by the decision engine.
MACHINE = states.Machine('action_plan', State.ALL, [
    # PATCH state=PENDING (the legacy launch), POST /start, or auto_trigger
    states.Event('launch', [_S.RECOMMENDED], _S.PENDING,
                 [states.USER, states.ENGINE]),
    states.Event('start', [_S.PENDING], _S.ONGOING, [states.APPLIER]),
    states.Event('succeed', [_S.ONGOING], _S.SUCCEEDED, [states.APPLIER]),
    states.Event('fail', [_S.ONGOING, _S.CANCELLING], _S.FAILED,
                 [states.APPLIER]),
    # a plan that never ran is cancelled at once (the decision engine
    # cancels a CONTINUOUS audit's previous plan)
    states.Event('cancel', [_S.RECOMMENDED, _S.PENDING], _S.CANCELLED,
                 [states.USER, states.ENGINE, states.APPLIER]),
    # a running plan is asked to stop; the applier settles it
    states.Event('request_cancel', [_S.ONGOING], _S.CANCELLING,
                 [states.USER]),
    # the applier stopped it (a cancel, or a conflicting plan)
    states.Event('cancelled', [_S.ONGOING, _S.CANCELLING], _S.CANCELLED,
                 [states.APPLIER]),
    # the applier running it died: settled by the same host when it
    # restarts, or by a live peer once the dead one's heartbeat is stale
    # (this compare-and-set is what lets a single survivor take it)
    states.Event('settle', [_S.ONGOING, _S.CANCELLING], _S.CANCELLED,
                 [states.APPLIER, states.TAKEOVER]),
    # a new audit's plan replaces the recommended ones, or launching a
    # plan makes the other recommended plans stale
    states.Event('supersede', [_S.RECOMMENDED], _S.SUPERSEDED,
                 [states.ENGINE, states.APPLIER]),
    states.Event('delete', [_S.RECOMMENDED, _S.SUCCEEDED, _S.FAILED,
                            _S.CANCELLED, _S.SUPERSEDED], _S.DELETED,
                 [states.USER]),
])
# from state -> states it may move to, derived from the events
TRANSITIONS = MACHINE.transitions()


@base.WatcherObjectRegistry.register
class ActionPlan(states.Stateful, base.WatcherPersistentObject):
    # Version 1.0: Initial version (with hostname, status_message)
    VERSION = '1.0'

    DB = base.DbCalls(
        get_list=lambda db: db.get_action_plan_list,
        create=lambda db: db.create_action_plan,
        get_by_id=lambda db: db.get_action_plan_by_id,
        get_by_uuid=lambda db: db.get_action_plan_by_uuid,
        update=lambda db: db.update_action_plan,
        soft_delete=lambda db: db.soft_delete_action_plan,
        destroy=lambda db: db.destroy_action_plan)
    EAGER = {'audit': 'Audit', 'strategy': 'Strategy'}
    MACHINE = MACHINE
    TRANSITIONS = TRANSITIONS
    INITIAL_STATE = State.RECOMMENDED
    DEFAULTS = {'global_efficacy': list}

    fields = dict(base.WatcherPersistentObject.fields, **{
        'id': wfields.IntegerField(),
        'uuid': wfields.UUIDField(),
        'audit_id': wfields.IntegerField(),
        'strategy_id': wfields.IntegerField(),
        'state': wfields.StringField(nullable=True),
        'global_efficacy': wfields.FlexibleListOfDictField(nullable=True),
        'hostname': wfields.StringField(nullable=True),
        'status_message': wfields.StringField(nullable=True),
        'audit': wfields.ObjectField('Audit', nullable=True),
        'strategy': wfields.ObjectField('Strategy', nullable=True),
    })

    def _cascaded_children(self):
        live = {'action_plan_id': self.id, 'deleted': False}
        return (action_obj.Action.list(self._context, filters=live) +
                ei_obj.EfficacyIndicator.list(self._context, filters=live))

    @classmethod
    def create_with_children(cls, context, plan, actions=(),
                             indicators=()):
        """Create a plan with its actions and efficacy indicators at once.

        ``plan`` is an ActionPlan object or a dict of its fields; ``actions``
        and ``indicators`` are Action / EfficacyIndicator objects or dicts
        (their ``action_plan_id`` is filled in). All or nothing; listeners
        hear one ``create`` per object (the plan first). Returns
        ``(plan, [actions], [indicators])`` as objects.
        """
        def prepared(obj_cls, value):
            # The values an object built from ``value`` would store, coerced
            # field by field (no object and its change tracking per action).
            if isinstance(value, dict):
                unknown = set(value) - set(obj_cls.fields)
                if unknown:
                    raise exception.InvalidParameterValue(
                        err='Unknown %s fields: %s' % (
                            obj_cls.obj_name(), ', '.join(sorted(unknown))))
                fields = obj_cls.fields
                values = {name: fields[name].coerce(obj_cls, name, v)
                          for name, v in value.items()}
            else:
                values = value.obj_get_changes()
            for name, default in obj_cls.DEFAULTS.items():
                if name not in values:
                    values[name] = default() if callable(default) \
                        else default
            if obj_cls.INITIAL_STATE and 'state' not in values:
                values['state'] = obj_cls.INITIAL_STATE
            return {k: v for k, v in values.items()
                    if k not in obj_cls.EAGER}

        plan_values = prepared(cls, plan)
        actions_values = [prepared(action_obj.Action, a) for a in actions]
        indicators_values = [prepared(ei_obj.EfficacyIndicator, i)
                             for i in indicators]
        db_plan, db_actions, db_indicators = (
            db_api.get_instance().create_action_plan_with_children(
                plan_values, actions_values, indicators_values))
        # The plan with its audit and strategy, read once: every action's
        # ``create`` notification names them, and would otherwise read
        # them again, per action.
        plan_obj = cls.get_by_id(context, db_plan.id, eager=True)
        action_objs = action_obj.Action._from_db_list(context, db_actions)
        for obj in action_objs:
            obj.action_plan = plan_obj
            obj.obj_reset_changes(['action_plan'])
        indicator_objs = ei_obj.EfficacyIndicator._from_db_list(
            context, db_indicators)
        for obj in [plan_obj] + action_objs + indicator_objs:
            base.notify_change('create', obj, None)
        return plan_obj, action_objs, indicator_objs
