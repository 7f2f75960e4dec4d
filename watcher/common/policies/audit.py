"""Policy rules of /v1/audits."""
from watcher.common.policies import base

_ONE = '/v1/audits/{audit_ident}'

rules = base.read_rules('audit', 'audits', 'audit_ident', extra=[
    base.write_rule('audit', 'create', 'POST', '/v1/audits',
                    'Create an audit.'),
    base.write_rule('audit', 'update', 'PATCH', _ONE,
                    'Update an audit (rename, cancel, suspend, resume, '
                    'change its schedule or parameters).'),
    base.write_rule('audit', 'delete', 'DELETE', _ONE, 'Delete an audit.'),
])


def list_rules():
    return rules
