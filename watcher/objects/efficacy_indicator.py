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

"""EfficacyIndicator: one measured outcome of an action plan."""
from watcher.objects import base
from watcher.objects import fields as wfields


@base.WatcherObjectRegistry.register
class EfficacyIndicator(base.WatcherPersistentObject):
    # Version 1.0: Initial version
    VERSION = '1.0'

    DB = base.DbCalls(
        get_list=lambda db: db.get_efficacy_indicator_list,
        create=lambda db: db.create_efficacy_indicator,
        get_by_id=lambda db: db.get_efficacy_indicator_by_id,
        get_by_uuid=lambda db: db.get_efficacy_indicator_by_uuid,
        update=lambda db: db.update_efficacy_indicator,
        soft_delete=lambda db: db.soft_delete_efficacy_indicator,
        destroy=lambda db: db.destroy_efficacy_indicator)
    EAGER = {'action_plan': 'ActionPlan'}

    fields = dict(base.WatcherPersistentObject.fields, **{
        'id': wfields.IntegerField(),
        'uuid': wfields.UUIDField(),
        'action_plan_id': wfields.IntegerField(),
        'name': wfields.StringField(),
        'description': wfields.StringField(nullable=True),
        'unit': wfields.StringField(nullable=True),
        'value': wfields.NumericField(nullable=True),
        'action_plan': wfields.ObjectField('ActionPlan', nullable=True),
    })
