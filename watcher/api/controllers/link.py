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

"""Self and bookmark links of API resources."""
import pecan


def base_url():
    return pecan.request.application_url


def build_url(collection, ident='', base=None, bookmark=False):
    base = base if base is not None else base_url()
    if bookmark:
        return '%s/%s/%s' % (base, collection, ident)
    return '%s/v1/%s/%s' % (base, collection, ident)


def make_links(collection, ident, base=None):
    """[self, bookmark] links of one resource (or collection if no ident)."""
    base = base if base is not None else base_url()
    return [
        {'href': '%s/v1/%s/%s' % (base, collection, ident), 'rel': 'self'},
        {'href': '%s/%s/%s' % (base, collection, ident), 'rel': 'bookmark'},
    ]
