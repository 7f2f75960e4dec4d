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

"""volume_migrate ``swap``: a copy of the attached volume is created in
its project by a temporary user, Nova swaps it in, the source is deleted.
Cinder, Nova and Keystone are faked (they lie outside this machine).
"""
import types

import fixtures
import openstack.exceptions as sdk_exc
import testtools

from watcher.applier.actions import project_user
from watcher.applier.actions import volume_migration
from watcher.common import exception
from watcher.tests import base as test_base


class FakeCloud:
    """Just what a swap reads and writes."""

    def __init__(self, volume_status='in-use', server_status='ACTIVE',
                 attachments=1):
        self.volumes = {'v-old': types.SimpleNamespace(
            id='v-old', name='data', size=10, status=volume_status,
            volume_type='slow', project_id='p1', host='h@slow#p',
            availability_zone='nova', migration_status=None,
            attachments=[{'server_id': 's1'}] * attachments)}
        self.server = types.SimpleNamespace(id='s1', status=server_status)
        self.users = {}
        self.calls = []
        self.created_by = None
        cloud = self

        class BlockStorage:
            def get_volume(self, volume_id):
                if volume_id not in cloud.volumes:
                    raise sdk_exc.NotFoundException('no volume')
                volume = cloud.volumes[volume_id]
                if volume.status == 'creating':     # ready on second look
                    volume.status = 'available'
                    return types.SimpleNamespace(
                        **dict(vars(volume), status='creating'))
                return volume

            def find_type(self, name, ignore_missing=True):
                return types.SimpleNamespace(id='t-' + name, name=name) \
                    if name in ('slow', 'fast') else None

            def delete_volume(self, volume_id):
                cloud.calls.append(('delete', volume_id))
                del cloud.volumes[volume_id]

        class Compute:
            def get_server(self, server_id):
                return cloud.server

            def update_volume_attachment(self, server, volume,
                                         volume_id=None):
                cloud.calls.append(('swap', server, volume, volume_id))
                cloud.volumes[volume].status = 'available'
                cloud.volumes[volume].attachments = []
                cloud.volumes[volume_id].status = 'in-use'

        class Identity:
            def get_project(self, project_id):
                return types.SimpleNamespace(id=project_id, domain_id='d1')

            def find_role(self, name, ignore_missing=True):
                return types.SimpleNamespace(id='r-' + name, name=name)

            def create_user(self, **attrs):
                user = types.SimpleNamespace(id='u1', **attrs)
                cloud.users[user.id] = user
                cloud.calls.append(('create_user', attrs['name']))
                return user

            def assign_project_role_to_user(self, project, user, role):
                cloud.calls.append(('role', project.id, user.id, role.name))

            def delete_user(self, user, ignore_missing=True):
                cloud.calls.append(('delete_user', user.id))
                cloud.users.pop(user.id, None)

        self.block_storage = BlockStorage()
        self.compute = Compute()
        self.identity = Identity()
        self.session = types.SimpleNamespace(
            verify=True,
            get_endpoint=lambda **kw: 'http://keystone.example/v3')

    def user_connection(self, **kwargs):
        """Stands for openstack.connection.Connection(...) of the
        temporary user: creates volumes in the user's project.
        """
        cloud = self
        cloud.created_by = kwargs['auth']

        def create_volume(**attrs):
            cloud.calls.append(('create', attrs['volume_type'],
                                attrs['size']))
            volume = types.SimpleNamespace(
                id='v-new', status='creating', migration_status=None,
                project_id=kwargs['auth']['project_id'], attachments=[],
                host='h@fast#p', **attrs)
            cloud.volumes[volume.id] = volume
            return volume
        return types.SimpleNamespace(
            block_storage=types.SimpleNamespace(create_volume=create_volume))


class TestSwap(test_base.TestCase):

    def setUp(self):
        super().setUp()
        self.flags(migration_interval=0, migration_max_retries=3,
                   group='nova')

    def swap(self, cloud, params=None):
        self.useFixture(fixtures.MonkeyPatch(
            'watcher.applier.actions.project_user.openstack.connection.'
            'Connection', cloud.user_connection))
        params = params or {'resource_id': 'v-old', 'migration_type': 'swap',
                            'destination_type': 'fast'}
        action = volume_migration.VolumeMigrate(params, connection=cloud)
        action.validate_parameters()
        return action

    def test_swap_copies_into_the_owners_project(self):
        cloud = FakeCloud()
        action = self.swap(cloud)
        action.pre_condition()
        self.assertTrue(action.execute())
        action.post_condition()
        names = [c[0] for c in cloud.calls]
        self.assertEqual(['create_user', 'role', 'create', 'delete_user',
                          'swap', 'delete'], names)
        self.assertEqual(('role', 'p1', 'u1', 'member'), cloud.calls[1])
        self.assertEqual(('create', 'fast', 10), cloud.calls[2])
        self.assertEqual(('swap', 's1', 'v-old', 'v-new'), cloud.calls[4])
        self.assertEqual('p1', cloud.volumes['v-new'].project_id)
        self.assertEqual('p1', cloud.created_by['project_id'])
        self.assertEqual({}, cloud.users)
        self.assertNotIn('v-old', cloud.volumes)

    def test_swap_needs_a_destination_type(self):
        cloud = FakeCloud()
        self.assertRaises(exception.InvalidActionParameters, self.swap,
                          cloud, {'resource_id': 'v-old',
                                  'migration_type': 'swap'})

    def test_detached_volume_is_refused(self):
        cloud = FakeCloud(volume_status='available', attachments=0)
        err = self.assertRaises(exception.ActionPreConditionFailed,
                                self.swap(cloud).pre_condition)
        self.assertIn('swap needs an in-use volume', str(err))

    def test_server_state_is_checked(self):
        cloud = FakeCloud(server_status='SHUTOFF')
        err = self.assertRaises(exception.ActionPreConditionFailed,
                                self.swap(cloud).pre_condition)
        self.assertIn('Server s1 is SHUTOFF', str(err))

    def test_already_of_the_type_is_skipped(self):
        cloud = FakeCloud()
        cloud.volumes['v-old'].volume_type = 'fast'
        self.assertRaises(exception.ActionSkipped,
                          self.swap(cloud).pre_condition)

    def test_temporary_user_is_deleted_when_creation_fails(self):
        cloud = FakeCloud()

        def broken(**kwargs):
            raise RuntimeError('cinder said no')
        self.useFixture(fixtures.MonkeyPatch(
            'watcher.applier.actions.project_user.openstack.connection.'
            'Connection', broken))
        with testtools.ExpectedException(RuntimeError):
            with project_user.project_user(cloud, 'p1', 'member'):
                pass
        self.assertEqual({}, cloud.users)
