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

"""``watcher-db-manage``: schema management and purge of the database.

    watcher-db-manage [--config-file F] upgrade [REVISION]
    watcher-db-manage [--config-file F] downgrade [REVISION]
    watcher-db-manage [--config-file F] version
    watcher-db-manage [--config-file F] stamp REVISION
    watcher-db-manage [--config-file F] revision [-m MESSAGE] [--autogenerate]
    watcher-db-manage [--config-file F] create_schema
    watcher-db-manage [--config-file F] purge [-d DAYS] [-n MAX] [-t GOAL]
                                              [-e] [--dry-run]
"""
import logging
import sys

from oslo_config import cfg

from watcher import cmd
from watcher.common import exception
from watcher.conf import CONF
from watcher.db import purge
from watcher.db.sqlalchemy import migration


def do_upgrade():
    migration.upgrade(CONF.command.revision or 'head')
    return 0


def do_downgrade():
    migration.downgrade(CONF.command.revision or 'base')
    return 0


def do_version():
    print(migration.version() or 'None')
    return 0


def do_stamp():
    migration.stamp(CONF.command.revision)
    return 0


def do_revision():
    migration.revision(message=CONF.command.message,
                       autogenerate=CONF.command.autogenerate)
    return 0


def do_create_schema():
    migration.create_schema()
    return 0


def do_purge():
    command = CONF.command
    try:
        purge.purge(age_in_days=command.age_in_days,
                    max_number=command.max_number,
                    goal=command.goal,
                    exclude_orphans=command.exclude_orphans,
                    dry_run=command.dry_run)
    except exception.PurgeLimitExceeded:
        return 1
    except exception.WatcherException as exc:
        print('Purge failed: %s' % exc, file=sys.stderr)
        return 1
    return 0


def add_command_parsers(subparsers):
    parser = subparsers.add_parser(
        'upgrade', help='Upgrade the schema to REVISION (default: head).')
    parser.add_argument('revision', nargs='?')
    parser.set_defaults(func=do_upgrade)

    parser = subparsers.add_parser(
        'downgrade',
        help='Downgrade the schema to REVISION (default: base, i.e. empty).')
    parser.add_argument('revision', nargs='?')
    parser.set_defaults(func=do_downgrade)

    parser = subparsers.add_parser(
        'stamp', help='Record REVISION as current without migrating.')
    parser.add_argument('revision')
    parser.set_defaults(func=do_stamp)

    parser = subparsers.add_parser(
        'version', help='Print the current revision of the schema.')
    parser.set_defaults(func=do_version)

    parser = subparsers.add_parser(
        'revision', help='Write a new migration script.')
    parser.add_argument('-m', '--message')
    parser.add_argument('--autogenerate', action='store_true',
                        help='Compare the models with the database.')
    parser.set_defaults(func=do_revision)

    parser = subparsers.add_parser(
        'create_schema',
        help='Create the schema from the models and stamp it (new '
             'databases only).')
    parser.set_defaults(func=do_create_schema)

    parser = subparsers.add_parser(
        'purge', help='Delete soft-deleted objects for good.')
    parser.add_argument(
        '-d', '--age-in-days', type=int, dest='age_in_days',
        help='Only objects deleted more than this many days ago.')
    parser.add_argument(
        '-n', '--max-number', type=int, dest='max_number',
        help='Abort (deleting nothing) if more objects than this would go.')
    parser.add_argument(
        '-t', '--goal', dest='goal',
        help='Only objects of this goal (UUID or name).')
    parser.add_argument(
        '-e', '--exclude-orphans', action='store_true',
        dest='exclude_orphans', default=False,
        help='Keep live objects whose parent is deleted.')
    parser.add_argument(
        '--dry-run', action='store_true', dest='dry_run', default=False,
        help='Only report what would be deleted.')
    parser.set_defaults(func=do_purge)


command_opt = cfg.SubCommandOpt(
    'command', title='Command', help='Available commands',
    handler=add_command_parsers)


def main(argv=None):
    CONF.register_cli_opt(command_opt)
    cmd.parse_config(sys.argv if argv is None else argv)
    # alembic's plugin set-up chatter is noise for an operator
    logging.getLogger('alembic.runtime.plugins').setLevel(logging.WARNING)
    return CONF.command.func()


if __name__ == '__main__':
    sys.exit(main())
