"""``watcher-decision-engine``: the decision engine daemon.

RPC server on ``[watcher_decision_engine] conductor_topic``, heartbeat in
the ``services`` table, plugin sync and restart settlement at start (see
:mod:`watcher.decision_engine.manager`).
"""
import sys

from watcher import cmd
from watcher.decision_engine import manager


def main(argv=None):
    return cmd.serve_daemon(manager.DecisionEngineManager, argv or sys.argv)


if __name__ == '__main__':
    sys.exit(main())
