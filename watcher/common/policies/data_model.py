"""Policy rules of /v1/data_model."""
from oslo_policy import policy

from watcher.common.policies import base

rules = [
    policy.DocumentedRuleDefault(
        # every server of every project: not part of the reader persona
        name='data_model:get_all', check_str=base.ADMIN,
        description='Show the cluster data model of the decision engine '
                    '(every server of every project).',
        operations=[{'path': '/v1/data_model', 'method': 'GET'}]),
]


def list_rules():
    return rules
