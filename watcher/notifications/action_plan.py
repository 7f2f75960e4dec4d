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

"""Action plan notifications.

``action_plan.create/update/delete`` come from the change listener;
the applier calls :func:`send_action_notification` (``action='execution'``)
around a plan's execution and :func:`send_cancel_notification` (or
``send_action_notification(..., action='cancel')``) around a cancel.
"""
from oslo_versionedobjects import fields

from watcher.notifications import audit as audit_payloads
from watcher.notifications import base
from watcher.notifications import strategy as strategy_payloads


@base.NotificationRegistry.register
class TerseActionPlanPayload(base.NotificationPayloadBase):
    # Version 1.0: Initial version
    # Version 1.1: global_efficacy is a list
    # Version 1.2: status_message
    VERSION = '1.2'

    SOURCE_FIELDS = dict({
        'uuid': ('action_plan', 'uuid'),
        'state': ('action_plan', 'state'),
        'global_efficacy': ('action_plan', 'global_efficacy'),
        'status_message': ('action_plan', 'status_message'),
    }, **base.timestamp_sources('action_plan'))

    fields = dict({
        'uuid': fields.UUIDField(),
        'state': fields.StringField(),
        'global_efficacy': base.JsonField(nullable=True),
        'audit_uuid': fields.UUIDField(nullable=True),
        'strategy_uuid': fields.UUIDField(nullable=True),
        'status_message': fields.StringField(nullable=True),
    }, **base.timestamp_fields())

    @classmethod
    def primitive_of(cls, action_plan, audit=None, strategy=None):
        """``from_action_plan(...).to_primitive()``, built directly."""
        audit = audit if audit is not None else base.load_related(
            action_plan, 'audit', 'audit_id', 'Audit')
        strategy = strategy if strategy is not None else base.load_related(
            action_plan, 'strategy', 'strategy_id', 'Strategy')
        primitive = cls.primitive_from(
            {'audit_uuid': getattr(audit, 'uuid', None),
             'strategy_uuid': getattr(strategy, 'uuid', None)},
            action_plan=action_plan)
        data = primitive[cls.OBJ_SERIAL_NAMESPACE + '.data']
        if isinstance(data.get('global_efficacy'), dict):
            data['global_efficacy'] = [data['global_efficacy']] \
                if data['global_efficacy'] else []
        return primitive

    @classmethod
    def from_action_plan(cls, action_plan, audit=None, strategy=None):
        audit = audit if audit is not None else base.load_related(
            action_plan, 'audit', 'audit_id', 'Audit')
        strategy = strategy if strategy is not None else base.load_related(
            action_plan, 'strategy', 'strategy_id', 'Strategy')
        payload = cls(audit_uuid=getattr(audit, 'uuid', None),
                      strategy_uuid=getattr(strategy, 'uuid', None))
        payload.fill_from(action_plan=action_plan)
        if payload.obj_attr_is_set('global_efficacy') and \
                isinstance(payload.global_efficacy, dict):
            payload.global_efficacy = [payload.global_efficacy] \
                if payload.global_efficacy else []
        return payload


@base.NotificationRegistry.register
class ActionPlanPayload(TerseActionPlanPayload):
    # Version 1.0: Initial version
    # Version 1.1: global_efficacy is a list
    # Version 1.2: status_message
    VERSION = '1.2'

    fields = dict(TerseActionPlanPayload.fields, **{
        'audit': fields.ObjectField('TerseAuditPayload', nullable=True),
        'strategy': fields.ObjectField('StrategyPayload', nullable=True),
    })

    @classmethod
    def from_action_plan(cls, action_plan, audit=None, strategy=None):
        audit = audit if audit is not None else base.load_related(
            action_plan, 'audit', 'audit_id', 'Audit')
        strategy = strategy if strategy is not None else base.load_related(
            action_plan, 'strategy', 'strategy_id', 'Strategy')
        payload = super().from_action_plan(action_plan, audit=audit,
                                           strategy=strategy)
        payload.audit = (audit_payloads.TerseAuditPayload.from_audit(audit)
                         if audit is not None else None)
        payload.strategy = strategy_payloads.StrategyPayload.from_strategy(
            strategy)
        return payload


@base.NotificationRegistry.register
class ActionPlanStateUpdatePayload(base.NotificationPayloadBase):
    # Version 1.0: Initial version
    VERSION = '1.0'
    fields = {
        'old_state': fields.StringField(nullable=True),
        'state': fields.StringField(nullable=True),
    }


@base.NotificationRegistry.register
class ActionPlanCreatePayload(ActionPlanPayload):
    # Version 1.0: Initial version
    # Version 1.1: global_efficacy is a list
    # Version 1.2: status_message
    VERSION = '1.2'
    fields = dict(ActionPlanPayload.fields)


@base.NotificationRegistry.register
class ActionPlanUpdatePayload(ActionPlanPayload):
    # Version 1.0: Initial version
    # Version 1.1: global_efficacy is a list
    # Version 1.2: status_message
    VERSION = '1.2'
    fields = dict(ActionPlanPayload.fields, **{
        'state_update': fields.ObjectField('ActionPlanStateUpdatePayload'),
    })


@base.NotificationRegistry.register
class ActionPlanActionPayload(ActionPlanPayload):
    # Version 1.0: Initial version
    # Version 1.1: global_efficacy is a list
    # Version 1.2: status_message
    VERSION = '1.2'
    fields = dict(ActionPlanPayload.fields, **{
        'fault': fields.ObjectField('ExceptionPayload', nullable=True),
    })


@base.NotificationRegistry.register
class ActionPlanDeletePayload(ActionPlanPayload):
    # Version 1.0: Initial version
    # Version 1.1: global_efficacy is a list
    # Version 1.2: status_message
    VERSION = '1.2'
    fields = dict(ActionPlanPayload.fields)


@base.NotificationRegistry.register
class ActionPlanCancelPayload(ActionPlanPayload):
    # Version 1.0: Initial version
    # Version 1.1: global_efficacy is a list
    # Version 1.2: status_message
    VERSION = '1.2'
    fields = dict(ActionPlanPayload.fields, **{
        'fault': fields.ObjectField('ExceptionPayload', nullable=True),
    })


def send_create(context, action_plan, host=None, **kwargs):
    """Emit ``action_plan.create``."""
    payload = ActionPlanCreatePayload.from_action_plan(action_plan)
    return base.emit(context, 'action_plan.create', payload, host=host)


def send_update(context, action_plan, old_state=None, host=None, **kwargs):
    """Emit ``action_plan.update`` with its ``state_update``."""
    payload = ActionPlanUpdatePayload.from_action_plan(action_plan)
    moved = old_state is not None and old_state != action_plan.state
    payload.state_update = ActionPlanStateUpdatePayload(
        old_state=old_state if moved else None,
        state=action_plan.state if moved else None)
    return base.emit(context, 'action_plan.update', payload, host=host)


def send_delete(context, action_plan, host=None, **kwargs):
    """Emit ``action_plan.delete``."""
    payload = ActionPlanDeletePayload.from_action_plan(action_plan)
    return base.emit(context, 'action_plan.delete', payload, host=host)


def _default_priority(phase, priority):
    if priority is not None:
        return priority
    return (base.Priority.ERROR if phase == base.Phase.ERROR
            else base.Priority.INFO)


def send_cancel_notification(context, action_plan, action='cancel',
                             phase=None, priority=None, fault=None,
                             host=None, **kwargs):
    """Emit ``action_plan.cancel.<phase>`` (ActionPlanCancelPayload)."""
    payload = ActionPlanCancelPayload.from_action_plan(action_plan)
    payload.fault = base.fault_payload(phase, fault)
    return base.emit(context,
                     base.event_type('action_plan', base.Action.CANCEL,
                                     phase),
                     payload, priority=_default_priority(phase, priority),
                     host=host)


def send_action_notification(context, action_plan, action, phase=None,
                             priority=None, fault=None, host=None, **kwargs):
    """Emit ``action_plan.<action>.<phase>``; ``action`` is ``execution``
    (ActionPlanActionPayload) or ``cancel`` (ActionPlanCancelPayload).
    """
    if action == base.Action.CANCEL:
        return send_cancel_notification(context, action_plan, phase=phase,
                                        priority=priority, fault=fault,
                                        host=host)
    if action != base.Action.EXECUTION:
        raise ValueError('Unknown action plan action %s' % action)
    payload = ActionPlanActionPayload.from_action_plan(action_plan)
    payload.fault = base.fault_payload(phase, fault)
    return base.emit(context, base.event_type('action_plan', action, phase),
                     payload, priority=_default_priority(phase, priority),
                     host=host)
