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

"""``watcher-all``: API, decision engine and applier in one process.

The embedded default (one command, a working system):

* database: ``[database] connection`` (SQLite file by default), brought to
  the newest schema at start (``watcher-db-manage upgrade``);
* messaging: the in-process transport unless ``transport_url`` is set; the
  one transport is shared by the API's RPC clients, the decision engine and
  applier servers, watcher's notifications and the simulated cloud's nova
  notifications (:mod:`watcher.common.rpc`);
* auth: ``noauth`` unless the configuration file says otherwise;
* cloud: when ``[simulator] enabled`` (default) and no cloud credentials are
  configured (``[watcher_clients_auth] auth_type`` unset), the simulated
  cloud runs in-process on ``[simulator] host``:``port`` (0: a free port)
  and ``[watcher_clients_auth]``, ``[simulator_client] endpoint`` and
  ``[watcher_datasources] datasources = simulator`` point at it;
* plugins are synchronised into the database (decision engine start) and
  the service status monitor (``service.update``) runs.
"""
import sys

from keystoneauth1 import loading as ka_loading
from oslo_config import cfg
from oslo_log import log
import sqlalchemy as sa

from watcher.api import app as api_app
from watcher.applier import manager as applier_manager
from watcher import cmd
from watcher.common import rpc
from watcher.cmd import service as watcher_service
from watcher.cmd import service_monitor
from watcher.db.sqlalchemy import api as sqla_api
from watcher.db.sqlalchemy import migration
from watcher.decision_engine import manager as de_manager
from watcher import notifications
from watcher.simulator import server as simulator_server

CONF = cfg.CONF
LOG = log.getLogger(__name__)

CLIENTS_AUTH = 'watcher_clients_auth'


def upgrade_database():
    """Create or upgrade the schema to the newest revision."""
    current = migration.version()
    if current is None:
        if sa.inspect(sqla_api.get_engine()).has_table('goals'):
            LOG.warning('Unversioned database with tables: stamping it')
            migration.stamp('head')
            return
    migration.upgrade('head')


def real_cloud_configured(conf=CONF):
    return bool(conf[CLIENTS_AUTH].auth_type)


def start_simulator(conf=CONF, transport=None):
    """Start the simulated cloud and point watcher's clients at it."""
    sim = simulator_server.SimulatorServer(
        scenario=conf.simulator.scenario, host=conf.simulator.host,
        port=conf.simulator.port, transport=transport)
    sim.start()
    url = sim.url
    point_clients_at(conf, url, sim.auth_url)
    LOG.info('Simulated cloud serving on %s', url)
    return sim


def point_clients_at(conf, url, auth_url):
    """Cloud credentials and the simulator datasource for the simulator."""
    group = CLIENTS_AUTH
    try:
        conf.register_opts(
            ka_loading.get_auth_plugin_conf_options('password'), group=group)
    except cfg.DuplicateOptError:  # pragma: no cover
        pass
    conf.set_override('auth_type', 'password', group=group)
    for name, value in (('auth_url', auth_url), ('username', 'admin'),
                        ('password', 'admin'), ('project_name', 'admin'),
                        ('user_domain_name', 'Default'),
                        ('project_domain_name', 'Default')):
        conf.set_override(name, value, group=group)
    conf.set_override('endpoint', url, group='simulator_client')
    # Simulated migrations take a fraction of a second: poll them often.
    conf.set_default('migration_interval', 0.2, group='nova')
    conf.set_override('datasources', ['simulator'],
                      group='watcher_datasources')


def build_services(api=True):
    services = [watcher_service.Service(de_manager.DecisionEngineManager()),
                watcher_service.Service(applier_manager.ApplierManager())]
    if api:
        services.append(watcher_service.WSGIService(api_app.setup_app()))
    return services


def main(argv=None):
    CONF.set_default('auth_strategy', 'noauth')
    cmd.parse_config(argv or sys.argv)
    upgrade_database()
    notifications.init(CONF, embedded_default=True)
    sim = None
    if CONF.simulator.enabled and not real_cloud_configured():
        try:
            sim = start_simulator(CONF, rpc.get_notification_transport())
        except Exception:
            LOG.exception('The simulated cloud cannot start; continuing '
                          'without a cloud')
    monitor = service_monitor.ServiceMonitor()
    try:
        services = build_services()
        monitor.start()
        LOG.info('watcher-all: API on http://%s:%s, transport %s',
                 CONF.api.host, CONF.api.port,
                 'in-process' if rpc.is_embedded() else 'configured')
        return watcher_service.launch(*services)
    finally:
        monitor.stop()
        if sim is not None:
            try:
                sim.stop()
            except Exception:
                LOG.exception('Stopping the simulated cloud failed')
        rpc.cleanup()


if __name__ == '__main__':
    sys.exit(main())
