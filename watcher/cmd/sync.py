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

"""``watcher-sync``: record the installed goals, strategies, scoring
engines and action descriptions in the database (see
:mod:`watcher.decision_engine.sync`).
"""
import sys

from oslo_config import cfg
from oslo_log import log

from watcher import cmd
from watcher.common import context as watcher_context
from watcher.decision_engine import sync

CONF = cfg.CONF
LOG = log.getLogger(__name__)


def _summary(report):
    lines = []
    for label, bucket in (('created', report.created),
                          ('replaced', report.replaced),
                          ('updated', report.updated),
                          ('removed', report.removed)):
        for kind, names in sorted(bucket.items()):
            lines.append('%s %s: %s' % (label, kind,
                                        ', '.join(sorted(names))))
    if report.cancelled_audits:
        lines.append('cancelled audits: %s' %
                     ', '.join(report.cancelled_audits))
    if report.cancelled_action_plans:
        lines.append('cancelled action plans: %s' %
                     ', '.join(report.cancelled_action_plans))
    if report.stale_audit_templates:
        lines.append('stale audit templates (goal removed): %s' %
                     ', '.join(report.stale_audit_templates))
    return lines or ['nothing to do: the database matches the plugins']


def main(argv=None):
    cmd.parse_config(argv or sys.argv)
    LOG.info('Synchronising the plugins into the database')
    report = sync.Syncer().sync(watcher_context.get_admin_context())
    for line in _summary(report):
        print(line)
    return 0


if __name__ == '__main__':
    sys.exit(main())
