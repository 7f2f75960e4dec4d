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

"""[watcher_applier] and workflow-engine options."""
from oslo_config import cfg

GROUP = cfg.OptGroup('watcher_applier', title='Options for the applier')

OPTS = [
    cfg.IntOpt('workers', default=1, min=1,
               help='Action plans executed at the same time by one applier.'),
    cfg.StrOpt('conductor_topic', default='watcher.applier.control',
               help='RPC topic the applier listens on.'),
    cfg.StrOpt('publisher_id', default='watcher.applier.api',
               help='Publisher id of the applier.'),
    cfg.StrOpt('workflow_engine', default='taskflow',
               help='Workflow engine plugin that executes action plans.'),
    cfg.BoolOpt('rollback_when_actionplan_failed', default=False,
                help='Revert the actions already executed when a plan '
                     'fails.'),
    cfg.IntOpt('recovery_interval', default=60, min=1,
               help='Seconds between two looks, by every applier, for the '
                    'action plans of appliers whose heartbeat stopped (for '
                    'longer than [DEFAULT] service_down_time; they are '
                    'settled as the stopped applier would on restart) and '
                    'for launches no applier picked up.'),
    cfg.IntOpt('launch_grace', default=120, min=0,
               help='Seconds an action plan may stay PENDING after its '
                    'launch before any live applier runs it (its launch '
                    'message was lost, e.g. it was sent while no applier '
                    'ran). One applier only runs it.'),
    cfg.IntOpt('recovery_outcome_wait', default=60, min=0,
               help='When the applier that ran an action stopped before the '
                    'action ended, recovery asks the cloud how it ended '
                    '(migrations, nova-compute service states). Seconds to '
                    'wait for a change still in progress there before the '
                    'action is recorded CANCELLED with an unknown outcome.'),
    cfg.BoolOpt('reenable_hosts_on_recovery', default=False,
                help='When recovery settles an action plan interrupted by '
                     'its applier\'s stop, enable again the nova-compute '
                     'services the plan disabled (those still disabled with '
                     'the plan\'s disabled_reason). Off: they stay disabled '
                     'until an operator enables them.'),
    cfg.StrOpt('swap_user_role', default='member',
               help='Role of the temporary user a volume_migrate swap '
                    'creates in the volume\'s project, to create the new '
                    'volume there (the user is deleted right after).'),
]

TASKFLOW_GROUP = cfg.OptGroup('watcher_workflow_engines.taskflow',
                              title='Options for the taskflow workflow engine')

TASKFLOW_OPTS = [
    cfg.IntOpt('max_workers', default=2, min=1,
               help='Actions of one plan executed in parallel.'),
    cfg.DictOpt('action_execution_rule', default={},
                help="Per strategy, 'ALWAYS' (run children whatever their "
                     "parents did) or 'ANY' (run a child only when its "
                     "parent failed)."),
]


def register_opts(conf):
    conf.register_group(GROUP)
    conf.register_opts(OPTS, group=GROUP)
    conf.register_group(TASKFLOW_GROUP)
    conf.register_opts(TASKFLOW_OPTS, group=TASKFLOW_GROUP)


def list_opts():
    return [(GROUP, OPTS), (TASKFLOW_GROUP, TASKFLOW_OPTS)]
