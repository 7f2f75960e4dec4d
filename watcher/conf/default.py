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

"""Options of the [DEFAULT] group that are watcher's own."""
import os
import socket

from oslo_config import cfg

_pybasedir = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))

OPTS = [
    cfg.StrOpt('auth_strategy', default='keystone',
               choices=[('keystone', 'Validate tokens with keystone'),
                        ('noauth', 'Accept every request with an admin '
                                   'context (embedded and test use only)')],
               help='How the API authenticates requests.'),
    cfg.BoolOpt('enable_authentication', default=True,
                help='Legacy switch: False selects the noauth strategy.'),
    cfg.BoolOpt('fatal_exception_format_errors', default=False,
                help='Raise when an exception message cannot be formatted '
                     '(for tests).'),
    cfg.StrOpt('pybasedir', default=_pybasedir,
               sample_default='<site-packages>/watcher',
               help='Ignored: accepted so that a configuration file written '
                    'for upstream watcher loads; a warning is logged when '
                    'it is set.'),
    cfg.StrOpt('bindir', default='$pybasedir/bin',
               help='Ignored (watcher runs no helper binaries): accepted '
                    'so that a configuration file written for upstream '
                    'watcher loads; a warning is logged when it is set.'),
    cfg.StrOpt('state_path', default='$pybasedir',
               help='Ignored (watcher keeps no state files; its state is '
                    'in the database): accepted so that a configuration '
                    'file written for upstream watcher loads; a warning is '
                    'logged when it is set.'),
    cfg.IntOpt('periodic_interval', default=60, min=1,
               help='Seconds between service heartbeats.'),
    cfg.HostAddressOpt('host', default=socket.gethostname(),
                       sample_default='<hostname>',
                       help='Name of this node, recorded on services, audits '
                            'and action plans.'),
    cfg.IntOpt('service_down_time', default=90, min=1, mutable=True,
               help='Seconds since the last heartbeat after which a '
                    'service is reported FAILED. A SIGHUP applies a new '
                    'value.'),
    cfg.BoolOpt('print_thread_pool_stats', default=False,
                help='Ignored (watcher has no eventlet thread pool to '
                     'report on): accepted so that a configuration file '
                     'written for upstream watcher loads; a warning is '
                     'logged when it is set.'),
]


# Options that do nothing here; config.warn_ignored_options() names them
# when a configuration file sets them.
IGNORED = [(None, name) for name in ('pybasedir', 'bindir', 'state_path',
                                     'print_thread_pool_stats')]


def register_opts(conf):
    conf.register_opts(OPTS)


def list_opts():
    return [('DEFAULT', OPTS)]
