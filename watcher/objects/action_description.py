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

"""ActionDescription: the human text of an action type."""
from watcher.db import api as db_api
from watcher.objects import base
from watcher.objects import fields as wfields


@base.WatcherObjectRegistry.register
class ActionDescription(base.WatcherPersistentObject):
    # Version 1.0: Initial version
    VERSION = '1.0'

    DB = base.DbCalls(
        get_list=lambda db: db.get_action_description_list,
        create=lambda db: db.create_action_description,
        get_by_id=lambda db: db.get_action_description_by_id,
        update=lambda db: db.update_action_description,
        soft_delete=lambda db: db.soft_delete_action_description,
        destroy=lambda db: db.destroy_action_description)
    HAS_UUID = False

    fields = dict(base.WatcherPersistentObject.fields, **{
        'id': wfields.IntegerField(),
        'action_type': wfields.StringField(),
        'description': wfields.StringField(),
    })

    @classmethod
    def get_by_type(cls, context, action_type):
        db_obj = db_api.get_instance().get_action_description_by_type(
            context, action_type)
        return cls._from_db_object(cls(context), db_obj)
