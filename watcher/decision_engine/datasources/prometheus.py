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

"""The ``prometheus`` datasource: a Prometheus server reached directly.

Options ``[prometheus_client]``: ``host`` (required) and ``port``;
``username``/``password`` for basic auth (both needed); ``cafile``
switches to https and verifies with it, ``certfile``/``keyfile`` add a
client certificate (with ``cafile`` only); ``fqdn_label`` and
``instance_uuid_label`` name the labels matched.  A ``host`` with a path
(``prom.example.com/prometheus``) reaches a Prometheus served under that
path (behind a reverse proxy).  Queries: see :mod:`prometheus_base`.
"""
from observabilityclient import prometheus_client
import requests

from watcher.common import exception
from watcher.decision_engine.datasources import prometheus_base


class PrometheusHelper(prometheus_base.PrometheusBase):
    NAME = 'prometheus'
    CONF_GROUP = 'prometheus_client'

    def _make_client(self):
        opts = self.conf.prometheus_client
        if not opts.host:
            raise exception.MissingParameter(
                parameter='[prometheus_client] host')
        session = requests.Session()
        session.verify = False
        host, _, root = opts.host.partition('/')
        client = prometheus_client.PrometheusAPIClient(
            '%s:%s' % (host, opts.port), session=session,
            root_path=root.strip('/'))
        if opts.username and opts.password:
            client.set_basic_auth(opts.username, opts.password)
        if opts.cafile:
            client.set_ca_cert(opts.cafile)
            if opts.certfile and opts.keyfile:
                client.set_client_cert(opts.certfile, opts.keyfile)
        return client
