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

"""[database] options beyond oslo.db's own."""
from oslo_config import cfg
from oslo_db import options as db_options

GROUP = cfg.OptGroup('database', title='Database options')

OPTS = [
    cfg.StrOpt('mysql_engine', default='InnoDB',
               help='MySQL engine used for new tables.'),
]

_DEFAULT_CONNECTION = 'sqlite:///watcher.sqlite'


def register_opts(conf):
    db_options.set_defaults(conf, connection=_DEFAULT_CONNECTION)
    conf.register_opts(OPTS, group=GROUP)


def list_opts():
    return [(GROUP, OPTS)]
