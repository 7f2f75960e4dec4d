"""``watcher-api``: serve the REST API on ``[api] host``:``[api] port``.

A threaded WSGI server from the standard library; with ``[api] workers``
above one, that many processes share the listening socket (pre-fork). Each
serving process sets up its own messaging (RPC casts to the decision engine
and applier, versioned notifications of the objects it changes); the parent
runs the service status monitor that emits ``service.update``.
"""
import logging
import os
import signal
import socket
import socketserver
import sys
from wsgiref import simple_server

from oslo_concurrency import processutils
from oslo_config import cfg
from oslo_log import log

from watcher.common import config
from watcher.common import rpc
from watcher.common import service_monitor

CONF = cfg.CONF
LOG = log.getLogger(__name__)


class _Handler(simple_server.WSGIRequestHandler):
    """Request handler that logs through oslo.log instead of stderr."""

    def address_string(self):
        return self.client_address[0]

    def log_message(self, fmt, *args):
        LOG.info('%s "%s" %s', self.address_string(), self.requestline,
                 args[1] if len(args) > 1 else '')

    def log_request(self, code='-', size='-'):
        LOG.debug('%s "%s" %s %s', self.address_string(), self.requestline,
                  code, size)

    def log_error(self, fmt, *args):
        LOG.warning(fmt, *args)


class ThreadedWSGIServer(socketserver.ThreadingMixIn,
                         simple_server.WSGIServer):
    daemon_threads = True
    request_queue_size = 128
    allow_reuse_address = True

    def __init__(self, address, handler, bind_and_activate=True):
        host = address[0]
        if ':' in host:
            self.address_family = socket.AF_INET6
        super().__init__(address, handler, bind_and_activate)


def make_server(host, port, application):
    server = ThreadedWSGIServer((host, port), _Handler)
    server.set_app(application)
    return server


def _serve_workers(server, workers, after_fork=None):
    """Fork ``workers`` processes serving the same socket; wait for them.

    ``after_fork`` runs in the parent once every child exists: a thread
    started before the fork could hold a lock (an import lock, a database
    lock) that the children would inherit locked forever.
    """
    children = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGTERM, lambda *a: os._exit(0))
            try:
                rpc.init(CONF)
                server.serve_forever()
            finally:
                os._exit(0)
        children.append(pid)
    if after_fork is not None:
        after_fork()

    def _stop(signum, frame):
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except OSError:
                pass
        sys.exit(0)

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    for pid in children:
        try:
            os.waitpid(pid, 0)
        except (OSError, ChildProcessError):
            pass


def main(argv=None):
    config.parse_args(argv or sys.argv)
    from watcher.api import app as api_app
    application = api_app.setup_app()
    host, port = CONF.api.host, CONF.api.port
    server = make_server(host, port, application)
    bound_port = server.server_address[1]
    shown = '[%s]' % host if ':' in host else host
    workers = CONF.api.workers or processutils.get_worker_count()
    LOG.info('watcher-api serving on http://%s:%s (%d worker(s), auth '
             'strategy %s)', shown, bound_port, workers,
             CONF.auth_strategy if CONF.enable_authentication else 'noauth')
    if CONF.debug:
        CONF.log_opt_values(LOG, logging.DEBUG)
    monitor = service_monitor.ServiceMonitor()
    try:
        if workers > 1:
            _serve_workers(server, workers, after_fork=monitor.start)
        else:
            rpc.init(CONF)
            monitor.start()
            server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        monitor.stop()
        server.server_close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
