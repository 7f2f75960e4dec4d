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

"""Schema management with alembic (the ``sqlalchemy`` migration backend).

Every function takes an optional ``engine``; without it the engine of
``[database] connection`` is used.
"""
import contextlib

from alembic import command as alembic_command
from alembic import config as alembic_config
from alembic import migration as alembic_migration
from alembic import script as alembic_script

from watcher.db.sqlalchemy import api as sqla_api
from watcher.db.sqlalchemy import models

SCRIPT_LOCATION = 'watcher.db.sqlalchemy:alembic'


def _engine(engine):
    return engine if engine is not None else sqla_api.get_engine()


def alembic_config_for(connection=None):
    """An alembic Config pointing at watcher's migrations."""
    config = alembic_config.Config()
    config.set_main_option('script_location', SCRIPT_LOCATION)
    if connection is not None:
        config.attributes['connection'] = connection
    return config


@contextlib.contextmanager
def _config(engine=None):
    with _engine(engine).begin() as connection:
        yield alembic_config_for(connection)


def version(engine=None):
    """The current revision of the database (None when unversioned)."""
    with _engine(engine).connect() as connection:
        context = alembic_migration.MigrationContext.configure(connection)
        return context.get_current_revision()


def head():
    """The newest revision of the migration scripts."""
    return alembic_script.ScriptDirectory.from_config(
        alembic_config_for()).get_current_head()


def upgrade(revision='head', engine=None):
    """Upgrade the schema to ``revision`` (default: the newest)."""
    with _config(engine) as config:
        alembic_command.upgrade(config, revision or 'head')


def downgrade(revision='base', engine=None):
    """Downgrade the schema to ``revision`` (default: empty database)."""
    with _config(engine) as config:
        alembic_command.downgrade(config, revision or 'base')


def stamp(revision='head', engine=None):
    """Record ``revision`` as current without running any migration."""
    with _config(engine) as config:
        alembic_command.stamp(config, revision or 'head')


def revision(message=None, autogenerate=False, engine=None):
    """Write a new migration script (compared with the models if asked)."""
    with _config(engine) as config:
        return alembic_command.revision(config, message=message,
                                        autogenerate=autogenerate)


def create_schema(engine=None):
    """Create every table from the models and stamp the newest revision.

    For a brand-new database only; existing ones use ``upgrade``.
    """
    engine = _engine(engine)
    models.Base.metadata.create_all(engine)
    stamp('head', engine=engine)
