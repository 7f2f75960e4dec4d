"""Policy rules of /v1/audit_templates."""
from watcher.common.policies import base

_ONE = '/v1/audit_templates/{audit_template_ident}'

rules = base.read_rules(
    'audit_template', 'audit_templates', 'audit_template_ident', extra=[
        base.write_rule('audit_template', 'create', 'POST',
                        '/v1/audit_templates', 'Create an audit template.'),
        base.write_rule('audit_template', 'update', 'PATCH', _ONE,
                        'Update an audit template.'),
        base.write_rule('audit_template', 'delete', 'DELETE', _ONE,
                        'Delete an audit template.'),
    ])


def list_rules():
    return rules
