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

"""``/healthcheck``: oslo.middleware's health check in front of the API.

The check answers before authentication (load balancers and monitors have
no token). What it reports is configured in ``[healthcheck]``: ``backends``
lists oslo.middleware's ``disable_by_file`` / ``enable_by_files`` and
watcher's own checks registered in the ``oslo.middleware.healthcheck``
entry-point namespace:

``watcher_database``
    a ``SELECT 1`` on ``[database] connection``;
``watcher_messaging``
    a TCP connection to one of the hosts of ``transport_url`` (the
    in-process and fake transports are always reachable).
"""
import socket

from oslo_config import cfg
from oslo_middleware import healthcheck
from oslo_middleware.healthcheck import pluginbase
import oslo_messaging as messaging
import sqlalchemy as sa

from watcher.db.sqlalchemy import api as sqla_api

PATH = '/healthcheck'
BROKER_CONNECT_TIMEOUT = 2.0


class DatabaseCheck(pluginbase.HealthcheckBaseExtension):
    """Healthy when the database answers a trivial query."""

    def healthcheck(self, server_port):
        try:
            with sqla_api.get_engine().connect() as connection:
                connection.execute(sa.text('SELECT 1'))
        except Exception as exc:
            return pluginbase.HealthcheckResult(
                available=False, reason='database unreachable',
                details=type(exc).__name__)
        return pluginbase.HealthcheckResult(available=True,
                                            reason='database OK')


class MessagingCheck(pluginbase.HealthcheckBaseExtension):
    """Healthy when a host of the messaging transport accepts a
    connection.
    """

    def healthcheck(self, server_port):
        url = messaging.TransportURL.parse(self.oslo_conf,
                                           self.oslo_conf.transport_url)
        hosts = [(h.hostname, h.port or 5672) for h in url.hosts
                 if h.hostname]
        if not hosts:
            return pluginbase.HealthcheckResult(
                available=True, reason='messaging in process')
        for host, port in hosts:
            try:
                with socket.create_connection(
                        (host, port), timeout=BROKER_CONNECT_TIMEOUT):
                    return pluginbase.HealthcheckResult(
                        available=True, reason='message broker OK')
            except OSError:
                continue
        return pluginbase.HealthcheckResult(
            available=False, reason='message broker unreachable',
            details=', '.join('%s:%s' % hp for hp in hosts))


class HealthcheckDispatcher:
    """Sends ``/healthcheck`` to the health check, the rest to the API.

    A request the check ignores (a source outside ``[healthcheck]
    allowed_source_ranges``, a proxied one when configured so) reaches the
    API, which answers it as an unknown path.
    """

    def __init__(self, application, conf=cfg.CONF):
        self.application = application
        self.check = healthcheck.Healthcheck(application, conf)

    def __call__(self, environ, start_response):
        if environ.get('PATH_INFO', '').rstrip('/') == PATH:
            return self.check(environ, start_response)
        return self.application(environ, start_response)
