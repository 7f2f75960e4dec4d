"""The applier's RPC endpoint and service hooks.

``launch_action_plan`` (API 1.0, see :mod:`watcher.applier.rpcapi`) hands
the plan to the executor seam, which owns the pool of ``[watcher_applier]
workers`` threads and returns at once:

``watcher.applier.action_plan.executor``
    ``launch(context, action_plan_uuid)`` -- claim and execute one PENDING
    plan (state changes, workflow, notifications); ``shutdown(wait=True)``
    on service stop.
``watcher.applier.action_plan.recovery``
    ``settle_orphans(context, hostname)`` -- at start, the plans this host
    left ONGOING or CANCELLING, and their unfinished actions, become
    CANCELLED so nothing stays stuck after a crash. When that module is
    missing, :func:`watcher.decision_engine.ha.settle_applier` does it.
"""
from oslo_config import cfg
from oslo_log import log
import oslo_messaging as messaging

from watcher.common import context as watcher_context
from watcher.decision_engine import ha
from watcher.decision_engine import manager as de_manager

LOG = log.getLogger(__name__)
CONF = cfg.CONF

SERVICE_NAME = 'watcher-applier'
EXECUTOR = 'watcher.applier.action_plan.executor'
RECOVERY = 'watcher.applier.action_plan.recovery'


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
        settle = de_manager.load_seam(RECOVERY, 'settle_orphans') or \
            ha.settle_applier
        try:
            settle(ctx, CONF.host)
        except Exception:
            LOG.exception('Settling action plans left ONGOING failed')

    def stop(self):
        shutdown = de_manager.load_seam(EXECUTOR, 'shutdown')
        if shutdown is not None:
            shutdown(wait=False)

    # --- RPC API 1.0 ------------------------------------------------------

    def launch_action_plan(self, context, action_plan_uuid):
        LOG.info('Launching action plan %s', action_plan_uuid)
        launch = de_manager.load_seam(EXECUTOR, 'launch')
        if launch is None:
            LOG.error('Action plan %s not executed: the executor (%s) is '
                      'not installed', action_plan_uuid, EXECUTOR)
            return
        try:
            launch(context, action_plan_uuid)
        except Exception:
            LOG.exception('Execution of action plan %s failed',
                          action_plan_uuid)
