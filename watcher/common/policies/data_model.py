"""Policy rules of /v1/data_model."""
from oslo_policy import policy

from watcher.common.policies import base

rules = [
    policy.DocumentedRuleDefault(
        name='data_model:get_all', check_str=base.READER,
        description='Show the cluster data model of the decision engine.',
        operations=[{'path': '/v1/data_model', 'method': 'GET'}]),
]


def list_rules():
    return rules
