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

"""Audit notifications.

``audit.create``, ``audit.update`` (with ``state_update``) and
``audit.delete`` are sent by the change listener installed by
:func:`watcher.notifications.install`; the audit pipeline calls
:func:`send_action_notification` around the strategy and the planner::

    send_action_notification(ctx, audit, action='strategy', phase='start')
    ...
    send_action_notification(ctx, audit, action='strategy', phase='error',
                             priority='error', fault=exc)
"""
from oslo_versionedobjects import fields

from watcher.notifications import base
from watcher.notifications import goal as goal_payloads
from watcher.notifications import strategy as strategy_payloads

_AUDIT_SOURCES = ('uuid', 'name', 'audit_type', 'state', 'parameters',
                  'interval', 'scope', 'auto_trigger', 'next_run_time',
                  'status_message')


@base.NotificationRegistry.register
class TerseAuditPayload(base.NotificationPayloadBase):
    # Version 1.0: Initial version
    # Version 1.1: auto_trigger and next_run_time; interval as a string
    # Version 1.2: name
    # Version 1.3: status_message
    VERSION = '1.3'

    SOURCE_FIELDS = dict(
        {name: ('audit', name) for name in _AUDIT_SOURCES},
        **base.timestamp_sources('audit'))

    fields = dict({
        'uuid': fields.UUIDField(),
        'name': fields.StringField(nullable=True),
        'audit_type': fields.StringField(),
        'state': fields.StringField(),
        'parameters': base.JsonField(nullable=True),
        'interval': fields.StringField(nullable=True),
        'scope': base.JsonField(nullable=True),
        'goal_uuid': fields.UUIDField(nullable=True),
        'strategy_uuid': fields.UUIDField(nullable=True),
        'auto_trigger': fields.BooleanField(default=False),
        'next_run_time': fields.DateTimeField(nullable=True),
        'status_message': fields.StringField(nullable=True),
    }, **base.timestamp_fields())

    @classmethod
    def from_audit(cls, audit, goal=None, strategy=None):
        goal = goal if goal is not None else base.load_related(
            audit, 'goal', 'goal_id', 'Goal')
        strategy = strategy if strategy is not None else (
            base.load_related(audit, 'strategy', 'strategy_id', 'Strategy'))
        payload = cls(goal_uuid=getattr(goal, 'uuid', None),
                      strategy_uuid=getattr(strategy, 'uuid', None))
        payload.fill_from(audit=audit)
        if payload.obj_attr_is_set('interval') and \
                payload.interval is not None:
            payload.interval = str(payload.interval)
        return payload


@base.NotificationRegistry.register
class AuditPayload(TerseAuditPayload):
    # Version 1.0: Initial version
    # Version 1.1: auto_trigger and next_run_time
    # Version 1.2: name
    # Version 1.3: status_message
    VERSION = '1.3'

    fields = dict(TerseAuditPayload.fields, **{
        'goal': fields.ObjectField('GoalPayload', nullable=True),
        'strategy': fields.ObjectField('StrategyPayload', nullable=True),
    })

    @classmethod
    def from_audit(cls, audit, goal=None, strategy=None):
        goal = goal if goal is not None else base.load_related(
            audit, 'goal', 'goal_id', 'Goal')
        strategy = strategy if strategy is not None else (
            base.load_related(audit, 'strategy', 'strategy_id', 'Strategy'))
        payload = super().from_audit(audit, goal=goal, strategy=strategy)
        payload.goal = (goal_payloads.GoalPayload.from_goal(goal)
                        if goal is not None else None)
        payload.strategy = strategy_payloads.StrategyPayload.from_strategy(
            strategy)
        return payload


@base.NotificationRegistry.register
class AuditStateUpdatePayload(base.NotificationPayloadBase):
    # Version 1.0: Initial version
    VERSION = '1.0'
    fields = {
        'old_state': fields.StringField(nullable=True),
        'state': fields.StringField(nullable=True),
    }


@base.NotificationRegistry.register
class AuditCreatePayload(AuditPayload):
    # Version 1.0: Initial version
    # Version 1.1: auto_trigger and next_run_time
    # Version 1.2: status_message
    VERSION = '1.2'
    fields = dict(AuditPayload.fields)


@base.NotificationRegistry.register
class AuditUpdatePayload(AuditPayload):
    # Version 1.0: Initial version
    # Version 1.1: auto_trigger and next_run_time
    # Version 1.2: status_message
    VERSION = '1.2'
    fields = dict(AuditPayload.fields, **{
        'state_update': fields.ObjectField('AuditStateUpdatePayload'),
    })


@base.NotificationRegistry.register
class AuditActionPayload(AuditPayload):
    # Version 1.0: Initial version
    # Version 1.1: auto_trigger and next_run_time
    # Version 1.2: status_message
    VERSION = '1.2'
    fields = dict(AuditPayload.fields, **{
        'fault': fields.ObjectField('ExceptionPayload', nullable=True),
    })


@base.NotificationRegistry.register
class AuditDeletePayload(AuditPayload):
    # Version 1.0: Initial version
    # Version 1.1: auto_trigger and next_run_time
    # Version 1.2: status_message
    VERSION = '1.2'
    fields = dict(AuditPayload.fields)


def send_create(context, audit, host=None, **kwargs):
    """Emit ``audit.create``."""
    payload = AuditCreatePayload.from_audit(audit)
    return base.emit(context, 'audit.create', payload, host=host)


def send_update(context, audit, old_state=None, host=None, **kwargs):
    """Emit ``audit.update``; ``state_update`` is filled when the state
    moved (``old_state`` given and different), else both of its fields are
    None.
    """
    payload = AuditUpdatePayload.from_audit(audit)
    moved = old_state is not None and old_state != audit.state
    payload.state_update = AuditStateUpdatePayload(
        old_state=old_state if moved else None,
        state=audit.state if moved else None)
    return base.emit(context, 'audit.update', payload, host=host)


def send_delete(context, audit, host=None, **kwargs):
    """Emit ``audit.delete``."""
    payload = AuditDeletePayload.from_audit(audit)
    return base.emit(context, 'audit.delete', payload, host=host)


def send_action_notification(context, audit, action, phase=None,
                             priority=None, fault=None, host=None, **kwargs):
    """Emit ``audit.<action>.<phase>``: ``action`` is ``strategy`` or
    ``planner``, ``phase`` ``start``/``end``/``error``. The error phase
    defaults to the ERROR priority and to the exception being handled as
    ``fault``.
    """
    if action not in (base.Action.STRATEGY, base.Action.PLANNER):
        raise ValueError('Unknown audit action %s' % action)
    if priority is None:
        priority = (base.Priority.ERROR if phase == base.Phase.ERROR
                    else base.Priority.INFO)
    payload = AuditActionPayload.from_audit(audit)
    payload.fault = base.fault_payload(phase, fault)
    return base.emit(context, base.event_type('audit', action, phase),
                     payload, priority=priority, host=host)
