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

"""The REST API as a WSGI application: ``watcher.wsgi.api:application``.

uwsgi, mod_wsgi and container images load this module. The configuration
is read the way other OpenStack services' WSGI applications read theirs:

* ``--config-file`` / ``--config-dir`` when the server passes them on the
  Python command line (uwsgi's ``pyargv``);
* otherwise the files named by ``OS_WATCHER_CONFIG_FILES`` (separated by
  ``;``, relative to the directory) in ``OS_WATCHER_CONFIG_DIR`` (default
  ``/etc/watcher``), default ``watcher.conf``; a file that does not exist
  is skipped, so an empty directory gives the built-in defaults.

Each process that imports the module (uwsgi ``lazy-apps``: every worker)
builds its own application and its own messaging clients.
"""
import gc
import os
import sys

from oslo_config import cfg

from watcher import cmd
from watcher.api import app as api_app
from watcher.common import config
from watcher.cmd import service
from watcher import notifications

CONF = cfg.CONF

CONFIG_DIR_ENV = 'OS_WATCHER_CONFIG_DIR'
CONFIG_FILES_ENV = 'OS_WATCHER_CONFIG_FILES'
DEFAULT_CONFIG_DIR = '/etc/watcher'
DEFAULT_CONFIG_FILES = 'watcher.conf'


def _config_args(argv, environ):
    """The oslo.config arguments for this process's configuration."""
    if any(arg.startswith(('--config-file', '--config-dir'))
           for arg in argv[1:]):
        return list(argv[1:])
    directory = environ.get(CONFIG_DIR_ENV, DEFAULT_CONFIG_DIR)
    names = environ.get(CONFIG_FILES_ENV, DEFAULT_CONFIG_FILES)
    args = []
    for name in filter(None, (n.strip() for n in names.split(';'))):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            args += ['--config-file', path]
    return args


def init_application(argv=None, environ=None):
    """Parse the configuration, set up messaging, build the application."""
    argv = sys.argv if argv is None else argv
    environ = os.environ if environ is None else environ
    cmd.quiet_library_warnings()
    # oslo.config parses argv[1:]; a WSGI server's own argv is not ours.
    config.parse_args(['watcher-api'] + _config_args(argv, environ),
                      default_config_files=[])
    notifications.init(CONF)
    # uwsgi owns the signals: a report only on [oslo_reports]
    # file_event_handler
    service.enable_reports(CONF, signal_trigger=False)
    application = api_app.setup_app()
    # As watcher-api does: the collector's full passes then walk only what
    # requests allocate, not the whole application (uwsgi, 2 x 1, MariaDB,
    # 500 action plans a page: 34.8 -> 25.7 ms of CPU per request in
    # benchmarks/api.py).
    gc.collect()
    gc.freeze()
    return application


application = init_application()
