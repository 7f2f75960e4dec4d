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

"""Thin JSON reading on top of the openstacksdk service proxies.

The collectors read large listings (thousands of servers); building an
openstacksdk ``Resource`` per item costs more than the HTTP call itself, so
they read the JSON bodies through the proxies (same session, auth, catalog,
retries and microversion negotiation as every other openstacksdk call) and
follow the pagination links themselves.  Every function here sends exactly
one request per page.
"""
import time
from urllib import parse

from keystoneauth1 import exceptions as ks_exc
from openstack import utils as sdk_utils
from oslo_log import log

from watcher.common import exception
from watcher.conf import CONF

LOG = log.getLogger(__name__)

# Nova returns at most [api] max_limit (default 1000) items per page
# whatever we ask; asking for that many keeps the page count minimal.
PAGE_SIZE = 1000


ApiError = exception.CloudApiError


def max_microversion(proxy, wanted):
    """The highest of ``wanted`` the service supports (or None)."""
    try:
        return sdk_utils.maximum_supported_microversion(proxy, wanted)
    except Exception as exc:  # no version discovery: use the default
        LOG.debug('Microversion discovery of %s failed: %s',
                  getattr(proxy, 'service_type', proxy), exc)
        return None


def version_tuple(version):
    if not version:
        return (0, 0)
    major, _, minor = str(version).partition('.')
    try:
        return int(major), int(minor or 0)
    except ValueError:
        return (0, 0)


def get_json(proxy, path, params=None, microversion=None, ok_missing=False):
    """GET ``path`` through ``proxy`` and return the decoded body.

    Connection failures and 5xx answers are retried per ``[collector]
    api_query_max_retries`` / ``api_query_interval``; a 404 gives None when
    ``ok_missing``; any other error raises :class:`ApiError`.
    """
    retries = max(1, CONF.collector.api_query_max_retries)
    interval = CONF.collector.api_query_interval
    kwargs = {'params': params or {}}
    if microversion:
        kwargs['microversion'] = microversion
    for attempt in range(1, retries + 1):
        try:
            resp = proxy.get(path, **kwargs)
        except (ks_exc.ConnectionError, ks_exc.RequestTimeout) as exc:
            if attempt >= retries:
                raise
            LOG.warning('GET %s failed (%s); retry %d of %d', path, exc,
                        attempt, retries)
            time.sleep(interval)
            continue
        status = resp.status_code
        if status == 404 and ok_missing:
            return None
        if status >= 500 and attempt < retries:
            LOG.warning('GET %s answered %s; retry %d of %d', path, status,
                        attempt, retries)
            time.sleep(interval)
            continue
        if status >= 400:
            raise ApiError(method='GET', path=path, status=status,
                           body=(resp.text or '')[:300])
        if not resp.content:
            return {}
        return resp.json()


def _next_marker(links):
    for link in links or ():
        if link.get('rel') == 'next':
            query = parse.parse_qs(parse.urlsplit(link.get('href', '')).query)
            marker = query.get('marker')
            if marker:
                return marker[0]
    return None


def paginate_links(proxy, path, key, params=None, microversion=None,
                   page_size=PAGE_SIZE):
    """All items of a marker-paginated listing (``<key>_links`` next)."""
    params = dict(params or {})
    if page_size:
        params.setdefault('limit', page_size)
    seen_markers = set()
    while True:
        body = get_json(proxy, path, params, microversion) or {}
        items = body.get(key) or []
        yield from items
        marker = _next_marker(body.get('%s_links' % key))
        if not marker and not body.get('%s_links' % key) and items \
                and params.get('limit') and len(items) >= params['limit']:
            # the service pages without links: continue after the last
            marker = items[-1].get('id')
        if not marker or marker in seen_markers or not items:
            return
        seen_markers.add(marker)
        params['marker'] = marker


def paginate_offset(proxy, path, key, params=None, microversion=None,
                    page_size=PAGE_SIZE):
    """All items of a limit/offset listing (nova server groups)."""
    params = dict(params or {})
    params['limit'] = page_size
    offset = 0
    while True:
        if offset:
            params['offset'] = offset
        body = get_json(proxy, path, params, microversion) or {}
        items = body.get(key) or []
        yield from items
        if len(items) < page_size:
            return
        offset += len(items)


def paginate_next(proxy, path, key, params=None, microversion=None,
                  page_size=PAGE_SIZE):
    """All items of a listing giving a ``next`` URL in its body (ironic)."""
    params = dict(params or {})
    if page_size:
        params.setdefault('limit', page_size)
    seen = set()
    while True:
        body = get_json(proxy, path, params, microversion) or {}
        items = body.get(key) or []
        yield from items
        nxt = body.get('next')
        if not nxt or not items:
            return
        marker = parse.parse_qs(parse.urlsplit(nxt).query).get('marker')
        if not marker or marker[0] in seen:
            return
        seen.add(marker[0])
        params['marker'] = marker[0]
