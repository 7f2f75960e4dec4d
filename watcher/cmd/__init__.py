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

"""Console entry points of watcher.

Importing this package selects oslo.service's threading backend before an
entry point imports oslo.messaging or oslo.service.service, which would
otherwise pick eventlet, and silences eventlet's deprecation warning:
oslo.service still depends on eventlet and futurist imports it whenever it
is installed, although watcher never runs on it.
"""
import os
import sys
import warnings


def quiet_library_warnings():
    """Ignore the warning importing an unused eventlet prints."""
    warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')


quiet_library_warnings()

from oslo_service import backend as _backend  # noqa: E402

try:
    _backend.init_backend(_backend.BackendType.THREADING)
except Exception:  # a caller (e.g. a test runner) selected one first
    pass

# After the backend choice: these import oslo.service.service.
from oslo_config import cfg  # noqa: E402
from oslo_log import log  # noqa: E402

from watcher.common import config  # noqa: E402
from watcher.common import rpc  # noqa: E402
from watcher.cmd import service  # noqa: E402
from watcher import notifications  # noqa: E402


def parse_config(argv):
    """Parse the command line and configuration files; a missing or
    malformed file ends the command with a one-line error, not a traceback.
    """
    try:
        config.parse_args(argv)
    except (cfg.ConfigFilesNotFoundError, cfg.ConfigFileParseError) as exc:
        sys.exit('%s: %s' % (os.path.basename(argv[0]), exc))


def serve_daemon(manager_class, argv):
    """Body of a daemon's ``main()``: parse the configuration, set up
    messaging, run ``manager_class()`` as a service until SIGTERM/SIGINT.
    """
    conf = cfg.CONF
    parse_config(argv)
    notifications.init(conf)
    manager = manager_class()
    log.getLogger(__name__).info('Starting %s on %s (topic %s)',
                                 manager.service_name, conf.host,
                                 manager.topic)
    try:
        return service.launch(service.Service(manager))
    finally:
        rpc.cleanup()
