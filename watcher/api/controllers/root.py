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

"""``GET /``: the versions document."""
from pecan import rest

from watcher.api.controllers import link
from watcher.api.controllers import v1
from watcher.api import expose
from watcher.api import microversion

NAME = 'OpenStack Watcher API'
DESCRIPTION = ('Watcher is an OpenStack project which aims to improve '
               'physical resources usage through better VM placement.')


def version_v1(base):
    return {
        'id': 'v1',
        'status': 'CURRENT',
        'max_version': microversion.MAX_VERSION_STRING,
        'min_version': microversion.MIN_VERSION_STRING,
        'links': [{'href': '%s/v1/' % base, 'rel': 'self'}],
    }


class RootController(rest.RestController):

    v1 = v1.Controller()

    @expose.expose()
    def get(self):
        base = link.base_url()
        return {
            'name': NAME,
            'description': DESCRIPTION,
            'versions': [version_v1(base)],
            'default_version': version_v1(base),
        }
