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

"""[watcher_decision_engine] options."""
from oslo_config import cfg

GROUP = cfg.OptGroup('watcher_decision_engine',
                     title='Options for the decision engine')

OPTS = [
    cfg.StrOpt('conductor_topic', default='watcher.decision.control',
               help='RPC topic the decision engine listens on.'),
    cfg.ListOpt('notification_topics',
                default=['nova.versioned_notifications',
                         'openstack.notifications'],
                help='Topics (optionally exchange.topic) of the external '
                     'notifications that keep the cluster models live.'),
    cfg.StrOpt('publisher_id', default='watcher.decision.api',
               help='Publisher id of the decision engine.'),
    cfg.IntOpt('max_audit_workers', default=2, min=1,
               help='Audits executed at the same time.'),
    cfg.IntOpt('max_general_workers', default=4, min=1,
               help='Ignored (the decision engine has no general purpose '
                    'pool): accepted so that a configuration file written '
                    'for upstream watcher loads; a warning is logged when '
                    'it is set.'),
    cfg.IntOpt('action_plan_expiry', default=24, min=0,
               help='Hours after which a RECOMMENDED action plan is '
                    'SUPERSEDED. 0 disables expiry.'),
    cfg.IntOpt('check_periodic_interval', default=30 * 60, min=1,
               help='Seconds between two checks for expired action plans.'),
    cfg.StrOpt('metric_map_path', default='/etc/watcher/metric_map.yaml',
               help='YAML file overriding metric names per datasource.'),
    cfg.IntOpt('continuous_audit_interval', default=10, min=1,
               help='Seconds between two polls for new continuous audits.'),
    cfg.IntOpt('audit_recovery_interval', default=30, min=1,
               help='Seconds between two sweeps for one-shot audits that no '
                    'live decision engine holds: PENDING ones whose RPC '
                    'cast was lost, and PENDING or ONGOING ones of an engine '
                    'whose heartbeat is older than service_down_time (or of '
                    'this host before a restart). They are claimed and run '
                    'here, never twice. A sweep also runs at start.'),
    cfg.IntOpt('audit_recovery_grace', default=30, min=0,
               help='Seconds a PENDING one-shot audit that no decision '
                    'engine has claimed stays untouched before the sweep '
                    'takes it, so that the RPC cast of a new audit is not '
                    'raced.'),
]


# Options that do nothing here; config.warn_ignored_options() names them
# when a configuration file sets them.
IGNORED = [(GROUP.name, 'max_general_workers')]


def register_opts(conf):
    conf.register_group(GROUP)
    conf.register_opts(OPTS, group=GROUP)


def list_opts():
    return [(GROUP, OPTS)]
