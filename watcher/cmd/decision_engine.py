"""``watcher-decision-engine``: the decision engine daemon.

RPC server on ``[watcher_decision_engine] conductor_topic``, heartbeat in
the ``services`` table, plugin sync and restart settlement at start (see
:mod:`watcher.decision_engine.manager`).
"""
import sys

from oslo_service import backend as _backend

try:  # before anything imports oslo_messaging / oslo_service.service
    _backend.init_backend(_backend.BackendType.THREADING)
except Exception:  # pragma: no cover - already selected by the caller
    pass

from oslo_config import cfg  # noqa: E402
from oslo_log import log  # noqa: E402

from watcher.common import config  # noqa: E402
from watcher.common import rpc  # noqa: E402
from watcher.common import service as watcher_service  # noqa: E402
from watcher.decision_engine import manager  # noqa: E402

CONF = cfg.CONF
LOG = log.getLogger(__name__)


def build_service():
    return watcher_service.Service(manager.DecisionEngineManager())


def main(argv=None):
    config.parse_args(argv or sys.argv)
    rpc.init(CONF)
    LOG.info('Starting watcher-decision-engine on %s (topic %s)',
             CONF.host, CONF.watcher_decision_engine.conductor_topic)
    try:
        return watcher_service.launch(build_service())
    finally:
        rpc.cleanup()


if __name__ == '__main__':
    sys.exit(main())
