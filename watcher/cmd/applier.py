"""``watcher-applier``: the applier daemon.

RPC server on ``[watcher_applier] conductor_topic``, heartbeat in the
``services`` table, restart settlement at start (see
:mod:`watcher.applier.manager`).
"""
import sys

from watcher.applier import manager
from watcher import cmd


def main(argv=None):
    return cmd.serve_daemon(manager.ApplierManager, argv or sys.argv)


if __name__ == '__main__':
    sys.exit(main())
