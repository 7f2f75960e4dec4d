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

"""Alembic environment of watcher's database.

The connection comes from ``config.attributes['connection']`` when the
caller (watcher.db.sqlalchemy.migration) hands one over, else from
``[database] connection``.
"""
from alembic import context

from watcher.db.sqlalchemy import api as sqla_api
from watcher.db.sqlalchemy import models

config = context.config
target_metadata = models.Base.metadata


def _run(connection):
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == 'sqlite',
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    connection = config.attributes.get('connection')
    if connection is not None:
        _run(connection)
        return
    with sqla_api.get_engine().connect() as connection:
        _run(connection)


if context.is_offline_mode():
    raise SystemExit('watcher migrations run online only')
run_migrations_online()
