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
