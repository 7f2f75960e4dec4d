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

"""A short-lived user in a project, for the actions that must create a
resource *owned by that project* (the volume a ``swap`` copies into):
resources an admin creates belong to the admin's project, and a volume
swapped into a server must stay its owner's.

``with project_user(conn, project_id, role) as user_conn:`` creates the
user with a random password and ``role`` on the project, yields an
openstacksdk connection authenticated as that user (same Keystone, same
TLS settings as ``conn``) and deletes the user on the way out, whatever
happened.
"""
import contextlib
import secrets

import openstack
from oslo_log import log

LOG = log.getLogger(__name__)

NAME_PREFIX = 'watcher-swap-'


@contextlib.contextmanager
def project_user(conn, project_id, role_name):
    identity = conn.identity
    project = identity.get_project(project_id)
    role = identity.find_role(role_name, ignore_missing=False)
    password = secrets.token_urlsafe(32)
    user = identity.create_user(
        name=NAME_PREFIX + secrets.token_hex(6), password=password,
        domain_id=project.domain_id, default_project_id=project.id,
        description='temporary user of the watcher applier')
    try:
        identity.assign_project_role_to_user(project, user, role)
        auth_url = conn.session.get_endpoint(service_type='identity',
                                             interface='public')
        user_conn = openstack.connection.Connection(
            auth_type='password',
            auth={'auth_url': auth_url, 'username': user.name,
                  'password': password, 'user_domain_id': project.domain_id,
                  'project_id': project.id},
            verify=conn.session.verify, app_name='watcher')
        yield user_conn
    finally:
        try:
            identity.delete_user(user, ignore_missing=True)
        except Exception as exc:    # never hide the action's own outcome
            LOG.error('Temporary user %s could not be deleted: %s',
                      user.name, exc)
