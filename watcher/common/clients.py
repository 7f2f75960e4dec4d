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

"""The one place where watcher builds its openstacksdk connection.

Every call to Nova, Placement, Cinder and Ironic goes through an
``openstack.connection.Connection`` made here. Credentials come from
``[watcher_clients_auth]`` (keystoneauth auth + session options); per-service
adapter settings (interface, region, endpoint override, microversion bounds)
come from the ``[nova]``, ``[placement]``, ``[cinder]``, ``[ironic]`` and
``[keystone]`` groups, which openstacksdk reads itself through ``oslo_conf``.

Connections are cached per process: keystoneauth sessions are thread-safe
and re-authenticate on expiry, so one connection serves every thread.
With ``[ironic] system_scope`` set, Ironic gets a second connection whose
token is system-scoped (:func:`baremetal`).
"""
import threading

from keystoneauth1 import loading as ka_loading
import openstack
from oslo_log import log

from watcher.common import exception
from watcher.conf import CONF
from watcher.conf import clients as clients_conf

LOG = log.getLogger(__name__)

SERVICE_TYPES = ['compute', 'placement', 'block-storage', 'baremetal',
                 'identity']

_lock = threading.Lock()
_connection = None
_system_connections = {}


# what a system-scoped token must not carry (the plugin's other options
# still come from the configuration)
_NO_PROJECT = dict.fromkeys(('project_id', 'project_name', 'project_domain_id',
                             'project_domain_name', 'domain_id',
                             'domain_name', 'trust_id'))


def _load_session(conf, **auth_overrides):
    group = clients_conf.CLIENTS_AUTH_GROUP
    auth = ka_loading.load_auth_from_conf_options(conf, group,
                                                  **auth_overrides)
    if auth is None:
        raise exception.MissingParameter(
            parameter='[%s] auth_type (service credentials)' % group)
    return ka_loading.load_session_from_conf_options(conf, group, auth=auth)


def create_connection(conf=CONF, session=None):
    """A new connection from the configuration (or an existing session)."""
    session = session or _load_session(conf)
    return openstack.connection.Connection(
        session=session, oslo_conf=conf, service_types=SERVICE_TYPES,
        app_name='watcher')


def get_connection(conf=CONF):
    """The process-wide connection, created on first use."""
    global _connection
    with _lock:
        if _connection is None:
            _connection = create_connection(conf)
            LOG.debug('Created the openstacksdk connection')
        return _connection


def baremetal(connection, conf=CONF):
    """The Ironic proxy watcher uses: ``connection``'s, or, with
    ``[ironic] system_scope`` set, one on a system-scoped token of the
    service credentials (created on first use).
    """
    scope = conf.ironic.system_scope
    if not scope:
        return connection.baremetal
    with _lock:
        system = _system_connections.get(scope)
        if system is None:
            session = _load_session(conf, system_scope=scope, **_NO_PROJECT)
            system = create_connection(conf, session=session)
            _system_connections[scope] = system
            LOG.debug('Created the system-scoped (%s) connection for '
                      'Ironic', scope)
        return system.baremetal


def reset_connection():
    """Forget the cached connections (configuration changed, tests)."""
    global _connection
    with _lock:
        _connection = None
        _system_connections.clear()
