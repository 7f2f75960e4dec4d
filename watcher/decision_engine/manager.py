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

"""The decision engine's RPC endpoint and service hooks.

RPC methods (API 1.0, see :mod:`watcher.decision_engine.rpcapi`) dispatch to
``audit.dispatcher.execute_audit`` (any audit type: the dispatcher owns the
audit worker pool and routes EVENT audits to its coalescing trigger),
``strategy_state.get_strategy_info`` and
``data_model_api.get_data_model_info``.

Start-up (:meth:`DecisionEngineManager.start`): ``watcher-sync`` of the
plugins into the database; the EVENT audits this host left ONGOING are
settled (continuous ones are resumed by the dispatcher, one-shot ones re-run
by its recovery sweep); the cluster
data model collectors get their periodic resynchronisation and the
listener of the Nova/Cinder notifications that keeps their models live;
then the dispatcher starts. Periodically, scheduler jobs of dead decision
engines are taken over (:mod:`watcher.decision_engine.ha`).
"""
from oslo_config import cfg
from oslo_log import log
import oslo_messaging as messaging

from watcher.common import context as watcher_context
from watcher.common import rpc
from watcher.decision_engine.audit import dispatcher
from watcher.decision_engine import ha
from watcher.decision_engine.model.collector import manager as collectors
from watcher.decision_engine import data_model_api
from watcher.decision_engine.model import notification
from watcher.decision_engine import strategy_state
from watcher.decision_engine import sync
from watcher import objects

LOG = log.getLogger(__name__)
CONF = cfg.CONF

SERVICE_NAME = 'watcher-decision-engine'


class DecisionEngineManager:
    """RPC endpoint on ``watcher.decision.control``."""

    RPC_API_VERSION = '1.0'
    target = messaging.Target(version=RPC_API_VERSION)
    service_name = SERVICE_NAME

    def __init__(self, run_sync=True):
        self.topic = CONF.watcher_decision_engine.conductor_topic
        self.service = None
        self.listener = None
        self.run_sync = run_sync

    # --- service hooks ----------------------------------------------------

    def start(self, service=None):
        self.service = service
        ctx = watcher_context.get_admin_context()
        if self.run_sync:
            try:
                sync.Syncer().sync(ctx)
            except Exception:
                LOG.exception('Synchronising the plugins into the database '
                              'failed')
        try:
            ha.settle_decision_engine(ctx, CONF.host)
        except Exception:
            LOG.exception('Settling audits left ONGOING failed')
        self._start_models(service)
        dispatcher.start(service=service)

    def _start_models(self, service):
        manager = collectors.CollectorManager()
        if service is not None:
            manager.start_periodic_sync(service.scheduler.scheduler)
        if rpc.initialized():
            self.listener = notification.start_listener(
                rpc.get_notification_transport(), manager)

    def stop(self):
        dispatcher.stop()
        if self.listener is not None:
            self.listener.stop()
            self.listener.wait()
            self.listener = None
        collectors.CollectorManager().stop()

    def periodic_jobs(self):
        return [(self.take_over_jobs, CONF.periodic_interval)]

    def take_over_jobs(self):
        if self.service is None or self.service.service_id is None:
            return 0
        try:
            return ha.take_over_jobs(self.service.service_id,
                                     name=SERVICE_NAME)
        except Exception:
            LOG.exception('Taking over the jobs of dead decision engines '
                          'failed')
            return 0

    # --- RPC API 1.0 ------------------------------------------------------

    def trigger_audit(self, context, audit_uuid):
        LOG.info('Audit %s triggered', audit_uuid)
        dispatcher.execute_audit(context, audit_uuid)

    def get_strategy_info(self, context, strategy_name):
        return strategy_state.get_strategy_info(context, strategy_name)

    def get_data_model_info(self, context, data_model_type='compute',
                            audit_uuid=None):
        audit = None
        if audit_uuid:
            audit = objects.Audit.get_by_uuid(context, audit_uuid,
                                              eager=True)
        return data_model_api.get_data_model_info(context, data_model_type,
                                                  audit)
