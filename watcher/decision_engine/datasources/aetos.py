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

"""The ``aetos`` datasource: Prometheus behind Keystone (service type
``metric-storage``).

Same queries as ``prometheus``; the client goes through the Keystone
session of ``[watcher_clients_auth]`` (token added and renewed by
keystoneauth, TLS as that session says), to the endpoint of the catalog
(``[aetos_client] interface`` / ``region_name``).  A catalog without a
``metric-storage`` endpoint makes the constructor fail, so the manager
skips this datasource and tries the next one.
"""
from urllib import parse

from keystoneauth1 import adapter as ka_adapter
from observabilityclient import prometheus_client

from watcher.common import clients
from watcher.common import exception
from watcher.decision_engine.datasources import prometheus_base

SERVICE_TYPE = 'metric-storage'


class _SessionShim:
    """What PrometheusAPIClient needs from a ``requests`` session, on a
    keystoneauth session (``verify`` only decides the scheme, which here
    comes from the catalog URL).
    """

    def __init__(self, ks_session):
        self._session = ks_session
        self.verify = True

    def get(self, url, params=None, headers=None):
        return self._session.get(url, params=params, headers=headers,
                                 raise_exc=False)

    def post(self, url, params=None, headers=None):
        return self._session.post(url, params=params, headers=headers,
                                  raise_exc=False)


def split_endpoint(url):
    """``https://h:1234/prometheus/`` -> ('h:1234', 'prometheus', 'https')."""
    parts = parse.urlsplit(url)
    host = parts.hostname or ''
    if ':' in host:
        host = '[%s]' % host
    port = parts.port or (443 if parts.scheme == 'https' else 80)
    return '%s:%s' % (host, port), parts.path.strip('/'), parts.scheme


class AetosHelper(prometheus_base.PrometheusBase):
    NAME = 'aetos'
    CONF_GROUP = 'aetos_client'

    def _session(self):
        return clients.get_connection().session

    def _make_client(self):
        opts = self.conf.aetos_client
        session = self._session()
        endpoint = ka_adapter.Adapter(
            session=session, service_type=SERVICE_TYPE,
            interface=opts.interface.replace('URL', ''),
            region_name=opts.region_name).get_endpoint()
        if not endpoint:
            raise exception.DataSourceNotAvailable(
                datasource=self.NAME,
                reason='no %s endpoint in the catalog' % SERVICE_TYPE)
        host, root, scheme = split_endpoint(endpoint)
        return prometheus_client.PrometheusAPIClient(
            host, session=_SessionShim(session), root_path=root,
            scheme=scheme)
