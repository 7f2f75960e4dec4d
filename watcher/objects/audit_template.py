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

"""AuditTemplate: a saved preset (goal, strategy, scope) for audits."""
from watcher.objects import base
from watcher.objects import fields as wfields


@base.WatcherObjectRegistry.register
class AuditTemplate(base.WatcherPersistentObject):
    # Version 1.0: Initial version (with default_parameters)
    VERSION = '1.0'

    DB = base.DbCalls(
        get_list=lambda db: db.get_audit_template_list,
        create=lambda db: db.create_audit_template,
        get_by_id=lambda db: db.get_audit_template_by_id,
        get_by_uuid=lambda db: db.get_audit_template_by_uuid,
        get_by_name=lambda db: db.get_audit_template_by_name,
        update=lambda db: db.update_audit_template,
        soft_delete=lambda db: db.soft_delete_audit_template,
        destroy=lambda db: db.destroy_audit_template)
    NAME_FIELD = 'name'
    EAGER = {'goal': 'Goal', 'strategy': 'Strategy'}
    DEFAULTS = {'scope': list, 'default_parameters': dict}

    fields = dict(base.WatcherPersistentObject.fields, **{
        'id': wfields.IntegerField(),
        'uuid': wfields.UUIDField(),
        'name': wfields.StringField(),
        'description': wfields.StringField(nullable=True),
        'goal_id': wfields.IntegerField(),
        'strategy_id': wfields.IntegerField(nullable=True),
        'scope': wfields.FlexibleListOfDictField(nullable=True),
        'default_parameters': wfields.FlexibleDictField(nullable=True),
        'goal': wfields.ObjectField('Goal', nullable=True),
        'strategy': wfields.ObjectField('Strategy', nullable=True),
    })
