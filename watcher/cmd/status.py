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

"""``watcher-status upgrade check``: is this deployment ready to run?

Checks (oslo.upgradecheck; exit code 0 success, 1 warning, 2 failure):

* Database schema -- the database is reachable and its alembic revision is
  the newest one shipped (else: run ``watcher-db-manage upgrade``).
* Datasources -- ``[watcher_datasources] datasources`` names at least one
  datasource, the named plugins load, and ``prometheus`` and ``aetos`` are
  not both configured.
* Policy file -- when a policy file is found it is YAML (not the deprecated
  JSON), parses, names only known rules and every rule parses.
"""
import json
import os
import sys

from alembic import script as alembic_script
from oslo_config import cfg
from oslo_policy import _checks
from oslo_policy import _parser
from oslo_policy import opts as policy_opts
from oslo_upgradecheck import upgradecheck
from stevedore import driver
import yaml

from watcher.common import config  # noqa: F401  (registers watcher options)
from watcher.common.i18n import _
from watcher.common import policies
from watcher.db.sqlalchemy import migration

CONF = cfg.CONF

Code = upgradecheck.Code
Result = upgradecheck.Result

DATASOURCES_NAMESPACE = 'watcher_datasources'


def _register_policy_opts(conf):
    try:
        conf.register_opts(policy_opts._options,
                           group=policy_opts._option_group)
    except cfg.DuplicateOptError:  # pragma: no cover
        pass


class Checks(upgradecheck.UpgradeCommands):
    """watcher's upgrade checks."""

    def __init__(self, conf=None):
        super().__init__()
        self.conf = conf or CONF

    # --- database ---------------------------------------------------------

    def _check_schema(self):
        try:
            current = migration.version()
            head = migration.head()
        except Exception as exc:
            return Result(Code.FAILURE, _(
                'Cannot read the database schema version (%s). Check '
                '[database] connection and run "watcher-db-manage '
                'upgrade".') % exc)
        if current is None:
            return Result(Code.FAILURE, _(
                'The database has no schema version. Run '
                '"watcher-db-manage upgrade".'))
        if current != head:
            try:
                scripts = alembic_script.ScriptDirectory.from_config(
                    migration.alembic_config_for())
                known = {rev.revision for rev in scripts.walk_revisions()}
            except Exception:
                known = set()
            if current not in known:
                return Result(Code.WARNING, _(
                    'The database is at revision %(cur)s, which this '
                    'release does not know (newest known: %(head)s): it '
                    'may come from a newer release.') % {
                        'cur': current, 'head': head})
            return Result(Code.FAILURE, _(
                'The database is at revision %(cur)s, the newest is '
                '%(head)s. Run "watcher-db-manage upgrade".') % {
                    'cur': current, 'head': head})
        return Result(Code.SUCCESS)

    # --- datasources --------------------------------------------------------

    def _check_datasources(self):
        names = list(self.conf.watcher_datasources.datasources or [])
        if not names:
            return Result(Code.FAILURE, _(
                'No datasource is configured: set [watcher_datasources] '
                'datasources (strategies that need metrics cannot run).'))
        if 'prometheus' in names and 'aetos' in names:
            return Result(Code.FAILURE, _(
                'The prometheus and aetos datasources are both configured; '
                'keep only one of them.'))
        broken = []
        for name in names:
            try:
                driver.DriverManager(DATASOURCES_NAMESPACE, name,
                                     invoke_on_load=False)
            except Exception as exc:
                broken.append('%s (%s)' % (name, exc))
        if len(broken) == len(names):
            return Result(Code.FAILURE, _(
                'None of the configured datasources can be loaded: %s') %
                '; '.join(broken))
        if broken:
            return Result(Code.WARNING, _(
                'Some configured datasources cannot be loaded: %s') %
                '; '.join(broken))
        return Result(Code.SUCCESS)

    # --- policy --------------------------------------------------------------

    def _check_policy(self):
        _register_policy_opts(self.conf)
        wanted = self.conf.oslo_policy.policy_file
        if wanted and os.path.isabs(wanted):
            path = wanted if os.path.exists(wanted) else None
        else:
            try:
                path = self.conf.find_file(wanted)
            except cfg.NotInitializedError:
                path = None
        if not path:
            return Result(Code.SUCCESS, _(
                'No policy file found: the defaults in code apply.'))
        with open(path) as stream:
            text = stream.read()
        stripped = text.lstrip()
        if stripped.startswith('{'):
            try:
                json.loads(text)
                return Result(Code.FAILURE, _(
                    'The policy file %s is JSON, which is deprecated: '
                    'convert it to YAML with '
                    'oslopolicy-convert-json-to-yaml.') % path)
            except ValueError:
                pass
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            return Result(Code.FAILURE, _(
                'The policy file %(path)s does not parse: %(err)s') % {
                    'path': path, 'err': exc})
        if not isinstance(data, dict):
            return Result(Code.FAILURE, _(
                'The policy file %s must map rule names to rules.') % path)
        known = {rule.name for rule in policies.list_rules()}
        unknown = sorted(name for name in data if name not in known)
        invalid = []
        for name, rule in data.items():
            if not isinstance(rule, str):
                invalid.append(name)
                continue
            if rule.strip() in ('', '!', '@'):
                continue
            if isinstance(_parser.parse_rule(rule), _checks.FalseCheck):
                invalid.append(name)
        if invalid:
            return Result(Code.FAILURE, _(
                'Rules of %(path)s that do not parse: %(rules)s') % {
                    'path': path, 'rules': ', '.join(sorted(invalid))})
        if unknown:
            return Result(Code.WARNING, _(
                'Rules of %(path)s that watcher does not define (typos or '
                'removed rules): %(rules)s') % {
                    'path': path, 'rules': ', '.join(unknown)})
        return Result(Code.SUCCESS)

    _upgrade_checks = (
        (_('Database schema'), _check_schema),
        (_('Datasources'), _check_datasources),
        (_('Policy file'), _check_policy),
    )


def main(argv=None):
    _register_policy_opts(CONF)
    return upgradecheck.main(
        CONF, project='watcher', upgrade_command=Checks(),
        argv=sys.argv[1:] if argv is None else argv)


if __name__ == '__main__':
    sys.exit(main())
