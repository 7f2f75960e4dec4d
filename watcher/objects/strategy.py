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

"""Strategy: an algorithm reaching one goal (synced from the plugins)."""
from watcher.objects import base
from watcher.objects import fields as wfields


@base.WatcherObjectRegistry.register
class Strategy(base.WatcherPersistentObject):
    # Version 1.0: Initial version
    VERSION = '1.0'

    DB = base.DbCalls(
        get_list=lambda db: db.get_strategy_list,
        create=lambda db: db.create_strategy,
        get_by_id=lambda db: db.get_strategy_by_id,
        get_by_uuid=lambda db: db.get_strategy_by_uuid,
        get_by_name=lambda db: db.get_strategy_by_name,
        update=lambda db: db.update_strategy,
        soft_delete=lambda db: db.soft_delete_strategy,
        destroy=lambda db: db.destroy_strategy)
    NAME_FIELD = 'name'
    EAGER = {'goal': 'Goal'}
    DEFAULTS = {'parameters_spec': dict}

    fields = dict(base.WatcherPersistentObject.fields, **{
        'id': wfields.IntegerField(),
        'uuid': wfields.UUIDField(),
        'name': wfields.StringField(),
        'display_name': wfields.StringField(),
        'goal_id': wfields.IntegerField(),
        'parameters_spec': wfields.FlexibleDictField(nullable=True),
        'goal': wfields.ObjectField('Goal', nullable=True),
    })
