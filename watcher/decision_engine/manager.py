"""The decision engine's RPC endpoint and service hooks.

RPC methods (API 1.0, see :mod:`watcher.decision_engine.rpcapi`) dispatch
into modules owned by the pipeline and model code through these seams,
imported lazily (a missing seam is logged as an error, or raised as
``ServiceUnavailable`` for calls):

``watcher.decision_engine.audit.dispatcher``
    ``execute_audit(context, audit_uuid)`` -- run an audit (any type; the
    dispatcher owns the audit worker pool and routes EVENT audits to its
    coalescing trigger); ``start(service=None)`` / ``stop()`` called with
    the service (continuous audit scheduling on ``service.scheduler``).
``watcher.decision_engine.strategy.state``
    ``get_strategy_info(context, strategy_name)`` -> list of
    ``{type, state, mandatory, comment}`` rows.
``watcher.decision_engine.model.data_model_endpoint``
    ``get_data_model_info(context, data_model_type, audit)`` ->
    ``{"context": [rows]}`` (``audit`` is an ``objects.Audit`` or None).

Start-up (:meth:`DecisionEngineManager.start`): ``watcher-sync`` of the
plugins into the database, then the ONESHOT/EVENT audits this host left
ONGOING are cancelled (continuous ones are resumed by the dispatcher), then
the dispatcher starts. Periodically, scheduler jobs of dead decision
engines are taken over (:mod:`watcher.decision_engine.ha`).
"""
import importlib

from oslo_config import cfg
from oslo_log import log
import oslo_messaging as messaging

from watcher.common import context as watcher_context
from watcher.common import exception
from watcher.decision_engine import ha

LOG = log.getLogger(__name__)
CONF = cfg.CONF

SERVICE_NAME = 'watcher-decision-engine'

DISPATCHER = 'watcher.decision_engine.audit.dispatcher'
STRATEGY_STATE = 'watcher.decision_engine.strategy.state'
DATA_MODEL = 'watcher.decision_engine.model.data_model_endpoint'


def load_seam(module_name, attr=None):
    """The module (or its ``attr``) or None when it is not there yet."""
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        if module_name.rsplit('.', 1)[-1] not in str(exc) and \
                module_name not in str(exc):
            LOG.exception('Importing %s failed', module_name)
        else:
            LOG.error('%s is not available (%s)', module_name, exc)
        return None
    if attr is None:
        return module
    func = getattr(module, attr, None)
    if func is None:
        LOG.error('%s does not define %s', module_name, attr)
    return func


class DecisionEngineManager:
    """RPC endpoint on ``watcher.decision.control``."""

    RPC_API_VERSION = '1.0'
    target = messaging.Target(version=RPC_API_VERSION)
    service_name = SERVICE_NAME

    def __init__(self, run_sync=True):
        self.topic = CONF.watcher_decision_engine.conductor_topic
        self.service = None
        self.run_sync = run_sync

    # --- service hooks ----------------------------------------------------

    def start(self, service=None):
        self.service = service
        ctx = watcher_context.get_admin_context()
        if self.run_sync:
            try:
                from watcher.decision_engine import sync
                sync.Syncer().sync(ctx)
            except Exception:
                LOG.exception('Synchronising the plugins into the database '
                              'failed')
        try:
            ha.settle_decision_engine(ctx, CONF.host)
        except Exception:
            LOG.exception('Settling audits left ONGOING failed')
        dispatcher = load_seam(DISPATCHER)
        start = getattr(dispatcher, 'start', None)
        if start is not None:
            try:
                start(service=service)
            except TypeError:
                start()

    def stop(self):
        dispatcher = load_seam(DISPATCHER)
        stop = getattr(dispatcher, 'stop', None)
        if stop is not None:
            stop()

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
        execute = load_seam(DISPATCHER, 'execute_audit')
        if execute is None:
            LOG.error('Audit %s not run: the audit dispatcher (%s) is not '
                      'installed', audit_uuid, DISPATCHER)
            return
        # the dispatcher routes by audit type (EVENT: coalesced trigger)
        execute(context, audit_uuid)

    def get_strategy_info(self, context, strategy_name):
        func = load_seam(STRATEGY_STATE, 'get_strategy_info')
        if func is None:
            raise exception.ServiceUnavailable(
                service=SERVICE_NAME,
                reason='the strategy requirement check is not installed')
        return func(context, strategy_name)

    def get_data_model_info(self, context, data_model_type='compute',
                            audit_uuid=None):
        func = load_seam(DATA_MODEL, 'get_data_model_info')
        if func is None:
            raise exception.ServiceUnavailable(
                service=SERVICE_NAME,
                reason='the data model endpoint is not installed')
        audit = None
        if audit_uuid:
            from watcher import objects
            audit = objects.Audit.get_by_uuid(context, audit_uuid,
                                              eager=True)
        return func(context, data_model_type, audit)
