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

"""watcher's versioned objects.

``from watcher import objects`` then ``objects.Audit``, ``objects.Goal``...
(see :mod:`watcher.objects.base` for the common interface). State enums live
in the modules: ``objects.audit.State``, ``objects.audit.AuditType``,
``objects.action_plan.State``, ``objects.action.State``,
``objects.service.ServiceStatus``; their state machines (named events,
see :mod:`watcher.objects.states`) are ``objects.<module>.MACHINE``, the
derived ``{from: {to}}`` tables ``objects.<module>.TRANSITIONS``.
"""


def register_all():
    """Import every object module (each registers its class here)."""
    __import__('watcher.objects.goal')
    __import__('watcher.objects.strategy')
    __import__('watcher.objects.audit_template')
    __import__('watcher.objects.audit')
    __import__('watcher.objects.action_plan')
    __import__('watcher.objects.action')
    __import__('watcher.objects.efficacy_indicator')
    __import__('watcher.objects.scoring_engine')
    __import__('watcher.objects.service')
    __import__('watcher.objects.action_description')


register_all()

from watcher.objects import action  # noqa: E402
from watcher.objects import action_description  # noqa: E402
from watcher.objects import action_plan  # noqa: E402
from watcher.objects import audit  # noqa: E402
from watcher.objects import audit_template  # noqa: E402
from watcher.objects import base  # noqa: E402
from watcher.objects import efficacy_indicator  # noqa: E402
from watcher.objects import goal  # noqa: E402
from watcher.objects import scoring_engine  # noqa: E402
from watcher.objects import service  # noqa: E402
from watcher.objects import strategy  # noqa: E402

Goal = goal.Goal
Strategy = strategy.Strategy
AuditTemplate = audit_template.AuditTemplate
Audit = audit.Audit
ActionPlan = action_plan.ActionPlan
Action = action.Action
EfficacyIndicator = efficacy_indicator.EfficacyIndicator
ScoringEngine = scoring_engine.ScoringEngine
Service = service.Service
ActionDescription = action_description.ActionDescription

__all__ = ['Goal', 'Strategy', 'AuditTemplate', 'Audit', 'ActionPlan',
           'Action', 'EfficacyIndicator', 'ScoringEngine', 'Service',
           'ActionDescription', 'action', 'action_description',
           'action_plan', 'audit', 'audit_template', 'base',
           'efficacy_indicator', 'goal', 'scoring_engine', 'service',
           'strategy']
