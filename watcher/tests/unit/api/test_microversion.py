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

"""Negotiation of OpenStack-API-Version and the allows() helper."""
import testtools

from watcher.api import microversion as mv


def env(value=None):
    return {} if value is None else {'HTTP_OPENSTACK_API_VERSION': value}


class TestNegotiate(testtools.TestCase):

    def test_no_header_is_minimum(self):
        self.assertEqual((1, 0), mv.negotiate(env()))
        self.assertEqual((1, 0), mv.negotiate(env('compute 2.1')))

    def test_each_version_and_latest(self):
        for minor, _what in mv.VERSIONS:
            self.assertEqual((1, minor),
                             mv.negotiate(env('infra-optim 1.%d' % minor)))
        self.assertEqual(mv.MAX_VERSION, mv.negotiate(env('infra-optim '
                                                          'latest')))
        self.assertEqual('1.7', str(mv.MAX_VERSION))

    def test_out_of_range(self):
        error = self.assertRaises(mv.VersionNotAcceptable, mv.negotiate,
                                  env('infra-optim 1.8'))
        self.assertEqual(
            'Version 1.8 was requested but the minor version is not '
            'supported by this service. The supported version range is: '
            '[1.0, 1.7].', error.message)
        for bad in ('infra-optim 2.0', 'infra-optim 0.9', 'infra-optim x',
                    'infra-optim 1.', 'infra-optim 1.2.3'):
            self.assertRaises(mv.VersionNotAcceptable, mv.negotiate,
                              env(bad))

    def test_allows(self):
        environ = {mv.ENVIRON_KEY: mv.Version(1, 5)}
        self.assertTrue(mv.allows(environ, '1.5'))
        self.assertTrue(mv.allows(environ, mv.STATUS_MESSAGE))
        self.assertFalse(mv.allows(environ, '1.6'))
        self.assertTrue(mv.allows(mv.Version(1, 7), mv.DEFAULT_PARAMETERS))
        self.assertFalse(mv.allows({}, '1.1'))

    def test_hide_newer_fields(self):
        table = {'status_message': mv.STATUS_MESSAGE,
                 'start_time': mv.START_END_TIME}

        def doc():
            return {'uuid': 'u', 'status_message': 'm', 'start_time': None}
        self.assertEqual({'uuid': 'u'},
                         mv.hide_newer_fields(doc(), table, mv.Version(1, 0)))
        self.assertEqual({'uuid': 'u', 'start_time': None},
                         mv.hide_newer_fields(doc(), table,
                                              {mv.ENVIRON_KEY:
                                               mv.Version(1, 4)}))
        self.assertEqual(doc(), mv.hide_newer_fields(doc(), table,
                                                     mv.Version(1, 5)))

    def test_only_v1_paths_are_versioned(self):
        self.assertTrue(mv.is_versioned_path('/v1'))
        self.assertTrue(mv.is_versioned_path('/v1/goals'))
        self.assertFalse(mv.is_versioned_path('/'))
        self.assertFalse(mv.is_versioned_path('/v10'))
