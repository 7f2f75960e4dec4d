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

"""How long each string column may be, read from the table definitions.

The one source of truth for length limits: the objects check values
against it before writing, so that every backend gives the same answer
(SQLite would store anything; MariaDB and PostgreSQL refuse).
"""
import functools

import sqlalchemy as sa

from watcher.db.sqlalchemy import models


@functools.lru_cache(maxsize=None)
def string_lengths(model_name):
    """``{column: max characters}`` of the model class ``model_name``
    (e.g. ``'AuditTemplate'``); empty for an unknown model.
    """
    model = getattr(models, model_name, None)
    table = getattr(model, '__table__', None)
    if table is None:
        return {}
    lengths = {}
    for column in table.columns:
        kind = column.type
        impl = getattr(kind, 'impl', kind)
        length = getattr(impl, 'length', None)
        if isinstance(impl, sa.String) and length:
            lengths[column.name] = length
    return lengths
