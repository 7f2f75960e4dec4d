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

"""Action notifications.

``action.create/update/delete`` come from the change listener; the applier
calls :func:`send_execution_notification` around each action's execution
and :func:`send_cancel_notification` around an abort.
"""
from oslo_versionedobjects import fields

from watcher.notifications import action_plan as action_plan_payloads
from watcher.notifications import base


@base.NotificationRegistry.register
class ActionPayload(base.NotificationPayloadBase):
    # Version 1.0: Initial version
    # Version 1.1: status_message
    VERSION = '1.1'

    SOURCE_FIELDS = dict({
        'uuid': ('action', 'uuid'),
        'action_type': ('action', 'action_type'),
        'input_parameters': ('action', 'input_parameters'),
        'state': ('action', 'state'),
        'parents': ('action', 'parents'),
        'status_message': ('action', 'status_message'),
    }, **base.timestamp_sources('action'))

    fields = dict({
        'uuid': fields.UUIDField(),
        'action_type': fields.StringField(),
        'input_parameters': base.JsonField(nullable=True),
        'state': fields.StringField(),
        'parents': base.JsonField(nullable=True),
        'status_message': fields.StringField(nullable=True),
        'action_plan': fields.ObjectField('TerseActionPlanPayload',
                                          nullable=True),
    }, **base.timestamp_fields())

    @classmethod
    def from_action(cls, action, action_plan=None):
        action_plan = action_plan if action_plan is not None else (
            base.load_related(action, 'action_plan', 'action_plan_id',
                              'ActionPlan'))
        payload = cls()
        payload.fill_from(action=action)
        payload.action_plan = (
            action_plan_payloads.TerseActionPlanPayload.from_action_plan(
                action_plan) if action_plan is not None else None)
        return payload

    @classmethod
    def primitive_of(cls, action, action_plan=None):
        """``from_action(...).to_primitive()``, built directly (plans
        of thousands of actions announce each one).
        """
        action_plan = action_plan if action_plan is not None else (
            base.load_related(action, 'action_plan', 'action_plan_id',
                              'ActionPlan'))
        plan = (_terse_plan(action_plan)
                if action_plan is not None else None)
        return cls.primitive_from({'action_plan': plan}, action=action)


_TERSE_KEY = ('uuid', 'state', 'global_efficacy', 'status_message',
              'audit_id', 'strategy_id') + base.TIMESTAMP_SOURCES


def _terse_plan(action_plan):
    """The terse payload of ``action_plan``, built once per version of the
    plan object: the actions of one plan, announced together, share it.
    """
    key = [base._read(action_plan, name) for name in _TERSE_KEY]
    cached = getattr(action_plan, '_watcher_terse_payload', None)
    if cached is not None and cached[0] == key:
        return cached[1]
    primitive = action_plan_payloads.TerseActionPlanPayload.primitive_of(
        action_plan)
    try:
        action_plan._watcher_terse_payload = (key, primitive)
    except AttributeError:
        pass
    return primitive


@base.NotificationRegistry.register
class ActionStateUpdatePayload(base.NotificationPayloadBase):
    # Version 1.0: Initial version
    # Version 1.1: status_message
    VERSION = '1.1'
    fields = {
        'old_state': fields.StringField(nullable=True),
        'state': fields.StringField(nullable=True),
        'status_message': fields.StringField(nullable=True),
    }


@base.NotificationRegistry.register
class ActionCreatePayload(ActionPayload):
    # Version 1.0: Initial version
    # Version 1.1: status_message
    VERSION = '1.1'
    fields = dict(ActionPayload.fields)


@base.NotificationRegistry.register
class ActionUpdatePayload(ActionPayload):
    # Version 1.0: Initial version
    # Version 1.1: status_message
    VERSION = '1.1'
    fields = dict(ActionPayload.fields, **{
        'state_update': fields.ObjectField('ActionStateUpdatePayload'),
    })


@base.NotificationRegistry.register
class ActionExecutionPayload(ActionPayload):
    # Version 1.0: Initial version
    # Version 1.1: status_message
    VERSION = '1.1'
    fields = dict(ActionPayload.fields, **{
        'fault': fields.ObjectField('ExceptionPayload', nullable=True),
    })


@base.NotificationRegistry.register
class ActionCancelPayload(ActionPayload):
    # Version 1.0: Initial version
    # Version 1.1: status_message
    VERSION = '1.1'
    fields = dict(ActionPayload.fields, **{
        'fault': fields.ObjectField('ExceptionPayload', nullable=True),
    })


@base.NotificationRegistry.register
class ActionDeletePayload(ActionPayload):
    # Version 1.0: Initial version
    # Version 1.1: status_message
    VERSION = '1.1'
    fields = dict(ActionPayload.fields)


def send_create(context, action, host=None, **kwargs):
    """Emit ``action.create``."""
    return base.emit(context, 'action.create',
                     ActionCreatePayload.primitive_of(action), host=host)


def send_update(context, action, old_state=None, host=None, **kwargs):
    """Emit ``action.update`` with its ``state_update``."""
    payload = ActionUpdatePayload.from_action(action)
    moved = old_state is not None and old_state != action.state
    payload.state_update = ActionStateUpdatePayload(
        old_state=old_state if moved else None,
        state=action.state if moved else None,
        status_message=getattr(action, 'status_message', None)
        if moved else None)
    return base.emit(context, 'action.update', payload, host=host)


def send_delete(context, action, host=None, **kwargs):
    """Emit ``action.delete``."""
    return base.emit(context, 'action.delete',
                     ActionDeletePayload.from_action(action), host=host)


def _priority(phase, priority):
    if priority is not None:
        return priority
    return (base.Priority.ERROR if phase == base.Phase.ERROR
            else base.Priority.INFO)


def send_execution_notification(context, action, phase=None, priority=None,
                                fault=None, host=None, **kwargs):
    """Emit ``action.execution.<phase>`` (ActionExecutionPayload)."""
    payload = ActionExecutionPayload.from_action(action)
    payload.fault = base.fault_payload(phase, fault)
    return base.emit(context,
                     base.event_type('action', base.Action.EXECUTION, phase),
                     payload, priority=_priority(phase, priority), host=host)


def send_cancel_notification(context, action, phase=None, priority=None,
                             fault=None, host=None, **kwargs):
    """Emit ``action.cancel.<phase>`` (ActionCancelPayload)."""
    payload = ActionCancelPayload.from_action(action)
    payload.fault = base.fault_payload(phase, fault)
    return base.emit(context,
                     base.event_type('action', base.Action.CANCEL, phase),
                     payload, priority=_priority(phase, priority), host=host)


def send_action_notification(context, action, action_name, phase=None,
                             **kwargs):
    """Dispatch on ``action_name`` (``execution`` or ``cancel``)."""
    if action_name == base.Action.CANCEL:
        return send_cancel_notification(context, action, phase=phase,
                                        **kwargs)
    if action_name == base.Action.EXECUTION:
        return send_execution_notification(context, action, phase=phase,
                                           **kwargs)
    raise ValueError('Unknown action notification %s' % action_name)
