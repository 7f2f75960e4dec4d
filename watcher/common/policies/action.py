"""Policy rules of /v1/actions."""
from watcher.common.policies import base

rules = base.read_rules('action', 'actions', 'action_uuid', extra=[
    base.write_rule('action', 'update', 'PATCH', '/v1/actions/{action_uuid}',
                    'Update an action (skip it, or edit the message of a '
                    'skipped action).'),
])


def list_rules():
    return rules
