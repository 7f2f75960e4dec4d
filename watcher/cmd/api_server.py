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

"""The HTTP/1.1 server of ``watcher-api`` (one worker process).

Built on the standard library's WSGI pieces (``wsgiref``), with what they
lack for a server that keeps connections open:

* persistent connections (HTTP/1.1 keep-alive, and pipelined requests),
  while nobody else waits for the worker: a response given while another
  connection or the listening queue waits closes its connection, so that
  the next request goes through the listening queue to whichever worker
  is free (a kept connection stays with its worker);
* a connection waiting for its next request does not hold the worker: it
  waits in the worker's selector with the listening socket, and the
  worker takes it up only once bytes arrive. A worker serves ``threads``
  requests at a time (one by default, see ``[api] worker_threads``);
* a client is given ``[api] client_socket_timeout`` seconds for each read
  of its request and write of the response, and an idle persistent
  connection is closed after that long too;
* the connection is closed after a response whose length is not known in
  advance, after an error, after a request body the application left
  unread beyond :data:`DRAIN_LIMIT` bytes or cut short, and after a request
  with ``Transfer-Encoding`` (which the application cannot read).
"""
import collections
import io
import os
import selectors
import socket
import sys
import threading
import time
from wsgiref import simple_server

from oslo_config import cfg
from oslo_log import log

CONF = cfg.CONF
LOG = log.getLogger(__name__)

# Unread request body the server reads and discards to keep the connection
# (past it, closing is cheaper than reading).
DRAIN_LIMIT = 64 * 1024
# Idle persistent connections one worker keeps; past it the oldest goes.
MAX_IDLE = 512
# How often the loop looks at idle connections and the stop flag.
POLL_INTERVAL = 0.5
_NO_BODY_STATUS = ('1', '204', '304')


class _Body(io.RawIOBase):
    """``wsgi.input``: the request body, never read past Content-Length."""

    def __init__(self, stream, length):
        super().__init__()
        self._stream = stream
        self.remaining = length
        self.broken = False  # the client closed or stalled mid-body

    def readable(self):
        return True

    def _take(self, size, reader):
        if size is None or size < 0 or size > self.remaining:
            size = self.remaining
        if size <= 0:
            return b''
        try:
            data = reader(size)
        except OSError:
            self.broken = True
            raise
        if not data:
            self.broken = True
        self.remaining -= len(data)
        return data

    def read(self, size=-1):
        return self._take(size, self._stream.read)

    def readline(self, size=-1):
        return self._take(size, self._stream.readline)

    def readinto(self, buffer):
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def drain(self):
        """Read what the application left; False when the connection must
        close instead.
        """
        if self.broken or self.remaining > DRAIN_LIMIT:
            return False
        try:
            while self.remaining > 0:
                if not self.read(min(self.remaining, 65536)):
                    return False
        except OSError:
            return False
        return True


class _ResponseHandler(simple_server.ServerHandler):
    """One response; tells the connection whether it may stay open."""

    def cleanup_headers(self):
        super().cleanup_headers()
        request = self.request_handler
        code = self.status.split(' ', 1)[0]
        if self.stdin.broken or self.stdin.remaining > DRAIN_LIMIT:
            request.close_connection = True
        if ('Content-Length' not in self.headers and
                not code.startswith(_NO_BODY_STATUS) and
                self.environ['REQUEST_METHOD'] != 'HEAD'):
            # the end of the body is the end of the connection
            request.close_connection = True
        if self.headers.get('Connection', '').lower() == 'close':
            request.close_connection = True
        if not request.close_connection and request.server.contended():
            # Others wait for this worker: the client reconnects through
            # the listening queue, which any free worker serves, instead
            # of staying with this one.
            request.close_connection = True
        if request.close_connection:
            if self.http_version == '1.1':
                self.headers['Connection'] = 'close'
        elif self.http_version == '1.0':
            self.headers['Connection'] = 'keep-alive'

    def handle_error(self):
        # whatever was sent, the client cannot tell where this answer ends
        self.request_handler.close_connection = True
        super().handle_error()


class Handler(simple_server.WSGIRequestHandler):
    """One client connection, served one request at a time by
    :meth:`serve_one`; :class:`WSGIServer` decides when.
    """

    protocol_version = 'HTTP/1.1'

    def __init__(self, request, client_address, server):
        # Not BaseRequestHandler's: it serves the whole connection at once.
        self.request = request
        self.client_address = client_address
        self.server = server
        self.close_connection = True
        self.setup()

    @property
    def timeout(self):
        return CONF.api.client_socket_timeout

    def setup(self):
        super().setup()
        # Headers and body leave in separate writes; do not let Nagle's
        # algorithm hold the second one back.
        if self.connection.family in (socket.AF_INET, socket.AF_INET6):
            self.connection.setsockopt(socket.IPPROTO_TCP,
                                       socket.TCP_NODELAY, 1)

    def has_pending_bytes(self):
        """Whether a request (or the end of the stream) is already here,
        without waiting for one.
        """
        self.connection.settimeout(0)
        try:
            return bool(self.rfile.peek(1))
        except OSError:
            return True  # reading will tell what is wrong
        finally:
            self.connection.settimeout(self.timeout)

    def serve_one(self):
        """Serve one request; returns whether the connection stays open."""
        self.close_connection = True
        self.raw_requestline = self.rfile.readline(65537)
        if not self.raw_requestline:
            return False
        if len(self.raw_requestline) > 65536:
            self.requestline = ''
            self.request_version = ''
            self.command = ''
            self.send_error(414)
            return False
        if not self.parse_request():
            return False
        if self.request_version != 'HTTP/1.1':
            # An HTTP/1.0 client keeps its connection only if it asked to.
            self.close_connection = (
                self.headers.get('Connection', '').lower() != 'keep-alive')
        if self.headers.get('Transfer-Encoding'):
            self.close_connection = True
        try:
            length = max(int(self.headers.get('Content-Length') or 0), 0)
        except ValueError:
            length = 0
            self.close_connection = True
        body = _Body(self.rfile, length)
        environ = self.get_environ()
        handler = _ResponseHandler(body, self.wfile, self.get_stderr(),
                                   environ,
                                   multithread=self.server.threads > 1)
        handler.request_handler = self
        handler.http_version = self.request_version.split('/')[-1]
        handler.run(self.server.get_app())
        if not self.close_connection and not body.drain():
            self.close_connection = True
        return not self.close_connection

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

    def close(self):
        try:
            self.finish()
        except OSError:
            pass
        try:
            self.connection.shutdown(socket.SHUT_WR)
            # Closing with unread bytes would reset the connection, and the
            # client could lose the answer still in its receive buffer:
            # read what already arrived.
            self.connection.setblocking(False)
            for _ in range(16):
                if not self.connection.recv(65536):
                    break
        except OSError:
            pass
        self.connection.close()


class WSGIServer:
    """Listening socket, idle connections and the loop serving them."""

    request_queue_size = 128
    handler_class = Handler

    def __init__(self, address, threads=1):
        host, port = address
        family = socket.AF_INET6 if ':' in host else socket.AF_INET
        self.socket = socket.socket(family, socket.SOCK_STREAM)
        try:
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.socket.bind((host, port))
            self.socket.listen(self.request_queue_size)
        except OSError:
            self.socket.close()
            raise
        # Several worker processes wait on it: the one that loses the race
        # for a connection must not block in accept().
        self.socket.setblocking(False)
        self.server_address = self.socket.getsockname()[:2]
        self.threads = max(1, threads)
        self.application = None
        self.base_environ = self._base_environ(host)
        self._stop = threading.Event()
        self._stopped = threading.Event()
        self._stopped.set()
        self._idle = collections.OrderedDict()  # handler -> idle since
        self._returned = collections.deque()  # from the request threads
        self._selector = None
        self._wakeup = None
        self._slots = threading.BoundedSemaphore(self.threads)

    def _base_environ(self, host):
        return {'SERVER_NAME': socket.getfqdn(host),
                'GATEWAY_INTERFACE': 'CGI/1.1',
                'SERVER_PORT': str(self.server_address[1]),
                'REMOTE_HOST': '',
                'CONTENT_LENGTH': '',
                'SCRIPT_NAME': ''}

    def contended(self):
        """Whether a connection or the listening socket waits for this
        worker now (one request at a time only: with threads, the others
        serve them).
        """
        if self.threads > 1 or self._selector is None:
            return False
        return any(key.data != 'wakeup'
                   for key, _events in self._selector.select(0))

    def set_app(self, application):
        self.application = application

    def get_app(self):
        return self.application

    def fileno(self):
        return self.socket.fileno()

    # --- the loop ------------------------------------------------------

    def serve_forever(self, poll_interval=POLL_INTERVAL):
        self._stop.clear()
        self._stopped.clear()
        self._selector = selectors.DefaultSelector()
        self._wakeup = os.pipe()
        os.set_blocking(self._wakeup[0], False)
        self._selector.register(self.socket, selectors.EVENT_READ, None)
        self._selector.register(self._wakeup[0], selectors.EVENT_READ,
                                'wakeup')
        try:
            while not self._stop.is_set():
                for key, _events in self._selector.select(poll_interval):
                    if key.data is None:
                        self._accept()
                    elif key.data == 'wakeup':
                        self._drain_wakeup()
                    else:
                        self._take(key.data)
                    if self._stop.is_set():
                        break
                self._put_back_returned()
                self._expire_idle()
        finally:
            self._close_all()
            self._stopped.set()

    def shutdown(self):
        """Stop :meth:`serve_forever` (from another thread) and wait."""
        self._stop.set()
        self._wake()
        self._stopped.wait()

    def server_close(self):
        self.socket.close()

    def _wake(self):
        try:
            os.write(self._wakeup[1], b'x')
        except (OSError, TypeError):
            pass

    def _drain_wakeup(self):
        try:
            while os.read(self._wakeup[0], 512):
                pass
        except OSError:
            pass

    def _accept(self):
        try:
            sock, address = self.socket.accept()
        except (BlockingIOError, InterruptedError):
            return  # another worker took it
        except OSError as exc:
            LOG.warning('Accepting a connection failed: %s', exc)
            return
        try:
            handler = self.handler_class(sock, address, self)
        except OSError:
            sock.close()
            return
        if handler.has_pending_bytes():
            self._take(handler, registered=False)
        else:
            # a client that connected and sends nothing holds no worker
            self._park(handler, True)

    def _take(self, handler, registered=True):
        if registered:
            self._selector.unregister(handler.connection)
            self._idle.pop(handler, None)
        if self.threads == 1:
            self._serve(handler)
            return
        self._slots.acquire()
        thread = threading.Thread(target=self._serve_in_thread,
                                  args=(handler,), daemon=True)
        try:
            thread.start()
        except BaseException:
            self._slots.release()
            handler.close()
            raise

    def _serve_in_thread(self, handler):
        try:
            self._returned.append((handler, self._serve_requests(handler)))
        finally:
            self._slots.release()
            self._wake()

    def _serve(self, handler):
        keep = self._serve_requests(handler)
        self._park(handler, keep)

    def _serve_requests(self, handler):
        """Serve what the client has sent; False once it must close."""
        try:
            while True:
                if not handler.serve_one():
                    return False
                if self._stop.is_set():
                    return False
                if not handler.has_pending_bytes():
                    return True
        except Exception:
            self._handle_error(handler)
            return False

    def _park(self, handler, keep):
        if not keep:
            handler.close()
            return
        self._idle[handler] = time.monotonic()
        self._selector.register(handler.connection, selectors.EVENT_READ,
                                handler)
        while len(self._idle) > MAX_IDLE:
            oldest, _since = self._idle.popitem(last=False)
            self._selector.unregister(oldest.connection)
            oldest.close()

    def _put_back_returned(self):
        while self._returned:
            handler, keep = self._returned.popleft()
            self._park(handler, keep)

    def _expire_idle(self):
        limit = time.monotonic() - CONF.api.client_socket_timeout
        while self._idle:
            handler, since = next(iter(self._idle.items()))
            if since > limit:
                break
            del self._idle[handler]
            self._selector.unregister(handler.connection)
            handler.close()

    def _close_all(self):
        for handler in list(self._idle):
            handler.close()
        self._idle.clear()
        if self._selector is not None:
            self._selector.close()
            self._selector = None
        if self._wakeup is not None:
            for fd in self._wakeup:
                os.close(fd)
            self._wakeup = None

    @staticmethod
    def _handle_error(handler):
        error = sys.exc_info()[1]
        if isinstance(error, (TimeoutError, ConnectionError)):
            LOG.info('Dropped the connection of %s: %s',
                     handler.client_address[0],
                     error or type(error).__name__)
        else:
            LOG.exception('Serving a request of %s failed',
                          handler.client_address[0])


def make_server(host, port, application, threads=1):
    """The server of one worker (``threads`` requests at a time), bound
    and listening; :meth:`WSGIServer.serve_forever` serves.
    """
    server = WSGIServer((host, port), threads=threads)
    server.set_app(application)
    return server
