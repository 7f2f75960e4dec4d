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

"""The applier's RPC endpoint and service hooks.

``launch_action_plan`` (API 1.0, see :mod:`watcher.applier.rpcapi`) hands
the plan to :mod:`watcher.applier.action_plan.executor`, which owns the pool
of ``[watcher_applier] workers`` threads and returns at once.

Recovery (:mod:`watcher.applier.action_plan.recovery`): at start, the plans
this host left ONGOING or CANCELLING are settled, so nothing stays stuck
after a crash; then every ``[watcher_applier] recovery_interval`` seconds
(and once at start) :meth:`ApplierManager.sweep` settles the plans of
appliers whose heartbeat stopped and runs the plans left PENDING longer
than ``[watcher_applier] launch_grace`` (their launch was lost).
"""
from oslo_config import cfg
from oslo_log import log
import oslo_messaging as messaging

from watcher.applier.action_plan import executor
from watcher.applier.action_plan import recovery
from watcher.common import context as watcher_context

LOG = log.getLogger(__name__)
CONF = cfg.CONF

SERVICE_NAME = 'watcher-applier'


class ApplierManager:
    """RPC endpoint on ``watcher.applier.control``."""

    RPC_API_VERSION = '1.0'
    target = messaging.Target(version=RPC_API_VERSION)
    service_name = SERVICE_NAME

    def __init__(self):
        self.topic = CONF.watcher_applier.conductor_topic
        self.service = None

    # --- service hooks ----------------------------------------------------

    def start(self, service=None):
        self.service = service
        ctx = watcher_context.get_admin_context()
        try:
            recovery.settle_orphans(ctx, CONF.host)
        except Exception:
            LOG.exception('Settling action plans left ONGOING failed')
        self.sweep()

    def stop(self):
        executor.shutdown(wait=False)

    def periodic_jobs(self):
        return [(self.sweep, CONF.watcher_applier.recovery_interval)]

    def sweep(self):
        """Take over dead appliers' plans; run the launches nobody got."""
        ctx = watcher_context.get_admin_context()
        try:
            recovery.take_over(ctx, CONF.host)
            recovery.settle_strays(ctx, CONF.host)
        except Exception:
            LOG.exception('Taking over the action plans of stopped '
                          'appliers failed')
        try:
            queued = executor.queued()
            for plan in recovery.lost_launches(
                    ctx, CONF.watcher_applier.launch_grace):
                if plan.uuid in queued:
                    continue
                LOG.warning('Action plan %s has been PENDING since %s; '
                            'running it (its launch was not received)',
                            plan.uuid, plan.updated_at or plan.created_at)
                executor.launch(ctx, plan.uuid)
        except Exception:
            LOG.exception('Looking for action plans left PENDING failed')

    # --- RPC API 1.0 ------------------------------------------------------

    def launch_action_plan(self, context, action_plan_uuid):
        LOG.info('Launching action plan %s', action_plan_uuid)
        try:
            executor.launch(context, action_plan_uuid)
        except Exception:
            LOG.exception('Execution of action plan %s failed',
                          action_plan_uuid)
