"""Policy rules of /v1/webhooks (checked only when webhook auth is on)."""
from oslo_policy import policy

from watcher.common.policies import base

rules = [
    policy.DocumentedRuleDefault(
        name='webhook:trigger', check_str=base.ADMIN_OR_SERVICE,
        description='Trigger an EVENT audit (Aodh alarm actions).',
        operations=[{'path': '/v1/webhooks/{audit_ident}',
                     'method': 'POST'}]),
]


def list_rules():
    return rules
