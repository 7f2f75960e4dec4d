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

"""Collection documents: ``{"<plural>": [...], "next": "<url>"}``."""
from urllib import parse

from watcher.api.controllers import link


def next_url(resource_url, limit, marker, params=None):
    """Full URL of the next page: the same query plus limit and marker."""
    query = [(k, v) for k, v in (params or {}).items()
             if v is not None and k not in ('limit', 'marker')]
    query += [('limit', limit), ('marker', marker)]
    return '%s/v1/%s?%s' % (link.base_url(), resource_url,
                            parse.urlencode(query))


def page(plural, items, resource_url, limit, marker_of, params=None,
         has_more=False):
    """The collection document of one page.

    ``items`` are the views of the page; ``has_more`` says whether rows
    remain after it (the controller fetched one row more than ``limit``).
    """
    document = {plural: items}
    if has_more and items:
        document['next'] = next_url(resource_url, limit,
                                    marker_of(items[-1]), params)
    return document
