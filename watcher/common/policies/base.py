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

"""Rules the per-resource policies are built from."""
from oslo_policy import policy

ADMIN = 'rule:admin_api'
ADMIN_OR_SERVICE = 'rule:admin_or_service_api'
READER = 'rule:reader_api'

rules = [
    policy.RuleDefault(
        name='admin_api',
        check_str='role:admin or role:administrator',
        description='Callers holding an administrative role.'),
    policy.RuleDefault(
        name='context_is_admin',
        check_str='rule:admin_api',
        description='Decides whether a request context is an admin one.'),
    policy.RuleDefault(
        name='admin_or_service_api',
        check_str='rule:admin_api or role:service',
        description='Administrators and OpenStack services.'),
    # Admin only, as upstream: Keystone implies ``reader`` from ``member``,
    # so ``role:reader`` here would open every read to any project member.
    policy.RuleDefault(
        name='reader_api',
        check_str='rule:admin_api',
        description='Callers allowed to read audit templates, audits, '
                    'action plans, actions, goals, strategies, services '
                    'and scoring engines. Administrators only by default; '
                    'a read-only operator persona is an opt-in, e.g. '
                    '"rule:admin_api or role:watcher_reader".'),
]


def list_rules():
    return rules


def read_rules(resource, collection, ident, extra=()):
    """The get_all / detail / get rules every readable resource has."""
    base = '/v1/%s' % collection
    defaults = [
        policy.DocumentedRuleDefault(
            name='%s:get_all' % resource, check_str=READER,
            description='List %s.' % collection.replace('_', ' '),
            operations=[{'path': base, 'method': 'GET'}]),
        policy.DocumentedRuleDefault(
            name='%s:detail' % resource, check_str=READER,
            description='List %s with all their fields.'
            % collection.replace('_', ' '),
            operations=[{'path': base + '/detail', 'method': 'GET'}]),
        policy.DocumentedRuleDefault(
            name='%s:get' % resource, check_str=READER,
            description='Show one of the %s.' % collection.replace('_', ' '),
            operations=[{'path': '%s/{%s}' % (base, ident),
                         'method': 'GET'}]),
    ]
    return defaults + list(extra)


def write_rule(resource, op, method, path, description, check_str=ADMIN):
    return policy.DocumentedRuleDefault(
        name='%s:%s' % (resource, op), check_str=check_str,
        description=description,
        operations=[{'path': path, 'method': method}])
