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

import datetime

import testtools

from watcher.common import utils


class TestUtcnow(testtools.TestCase):

    def test_aware_and_naive(self):
        aware = utils.utcnow()
        self.assertEqual(datetime.timedelta(0), aware.utcoffset())
        naive = utils.utcnow(naive=True)
        self.assertIsNone(naive.tzinfo)
        self.assertLess(abs(naive - aware.replace(tzinfo=None)),
                        datetime.timedelta(minutes=1))


class TestTruncate(testtools.TestCase):

    def test_short_text_is_kept(self):
        self.assertEqual('', utils.truncate(None))
        self.assertEqual('a b', utils.truncate('a\n  b'))
        self.assertEqual('a\n b', utils.truncate('a\n b', one_line=False))
        self.assertEqual('42', utils.truncate(42))

    def test_long_text_is_cut_with_an_ellipsis(self):
        text = utils.truncate('x' * 300)
        self.assertEqual(utils.STATUS_MESSAGE_MAX, len(text))
        self.assertTrue(text.endswith('...'))
        self.assertEqual(
            'ab...', utils.truncate('ab   cdefgh', limit=5, one_line=False))
