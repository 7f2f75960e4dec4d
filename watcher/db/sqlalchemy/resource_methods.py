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

"""The per-resource methods of :class:`watcher.db.sqlalchemy.api.Connection`,
written out one by one (each a call into the generic helpers of
``Connection``): ``get_<res>_list``, ``create_<res>``, ``get_<res>_by_id``,
``get_<res>_by_uuid``, ``get_<res>_by_name``, ``update_<res>``,
``soft_delete_<res>`` and ``destroy_<res>``, as
:class:`watcher.db.api.Connection` declares them.
"""
from watcher.db.sqlalchemy import resources

RESOURCES = resources.RESOURCES


class ResourceMethods:
    """Mixed into ``Connection``, which provides ``_get_list``,
    ``_get_one``, ``_create``, ``_update``, ``_soft_delete`` and
    ``_destroy``.
    """

    # --- goals ---------------------------------------------------------------

    def get_goal_list(self, context, filters=None, limit=None,
                      marker=None, sort_key=None, sort_dir=None,
                      eager=False, parents=()):
        res = RESOURCES['goal']
        return self._get_list(context, res, filters, limit, marker,
                              sort_key, sort_dir, eager, tuple(parents))

    def create_goal(self, values):
        return self._create(RESOURCES['goal'], values)

    def get_goal_by_id(self, context, id_, eager=False):
        return self._get_one(context, RESOURCES['goal'], 'id', id_, eager)

    def get_goal_by_uuid(self, context, uuid, eager=False):
        return self._get_one(context, RESOURCES['goal'], 'uuid', uuid, eager)

    def get_goal_by_name(self, context, name, eager=False):
        res = RESOURCES['goal']
        return self._get_one(context, res, res.name_col, name, eager)

    def update_goal(self, id_or_uuid, values, expected_state=None):
        res = RESOURCES['goal']
        return self._update(res, id_or_uuid, values, expected_state)

    def soft_delete_goal(self, id_or_uuid):
        return self._soft_delete(RESOURCES['goal'], id_or_uuid)

    def destroy_goal(self, id_or_uuid):
        return self._destroy(RESOURCES['goal'], id_or_uuid)

    # --- strategies ----------------------------------------------------------

    def get_strategy_list(self, context, filters=None, limit=None,
                          marker=None, sort_key=None, sort_dir=None,
                          eager=False, parents=()):
        res = RESOURCES['strategy']
        return self._get_list(context, res, filters, limit, marker,
                              sort_key, sort_dir, eager, tuple(parents))

    def create_strategy(self, values):
        return self._create(RESOURCES['strategy'], values)

    def get_strategy_by_id(self, context, id_, eager=False):
        return self._get_one(context, RESOURCES['strategy'], 'id', id_, eager)

    def get_strategy_by_uuid(self, context, uuid, eager=False):
        res = RESOURCES['strategy']
        return self._get_one(context, res, 'uuid', uuid, eager)

    def get_strategy_by_name(self, context, name, eager=False):
        res = RESOURCES['strategy']
        return self._get_one(context, res, res.name_col, name, eager)

    def update_strategy(self, id_or_uuid, values, expected_state=None):
        res = RESOURCES['strategy']
        return self._update(res, id_or_uuid, values, expected_state)

    def soft_delete_strategy(self, id_or_uuid):
        res = RESOURCES['strategy']
        return self._soft_delete(res, id_or_uuid, self._cascade_strategy)

    def destroy_strategy(self, id_or_uuid):
        return self._destroy(RESOURCES['strategy'], id_or_uuid)

    # --- audit templates -----------------------------------------------------

    def get_audit_template_list(self, context, filters=None, limit=None,
                                marker=None, sort_key=None, sort_dir=None,
                                eager=False, parents=()):
        res = RESOURCES['audit_template']
        return self._get_list(context, res, filters, limit, marker,
                              sort_key, sort_dir, eager, tuple(parents))

    def create_audit_template(self, values):
        return self._create(RESOURCES['audit_template'], values)

    def get_audit_template_by_id(self, context, id_, eager=False):
        res = RESOURCES['audit_template']
        return self._get_one(context, res, 'id', id_, eager)

    def get_audit_template_by_uuid(self, context, uuid, eager=False):
        res = RESOURCES['audit_template']
        return self._get_one(context, res, 'uuid', uuid, eager)

    def get_audit_template_by_name(self, context, name, eager=False):
        res = RESOURCES['audit_template']
        return self._get_one(context, res, res.name_col, name, eager)

    def update_audit_template(self, id_or_uuid, values, expected_state=None):
        res = RESOURCES['audit_template']
        return self._update(res, id_or_uuid, values, expected_state)

    def soft_delete_audit_template(self, id_or_uuid):
        return self._soft_delete(RESOURCES['audit_template'], id_or_uuid)

    def destroy_audit_template(self, id_or_uuid):
        return self._destroy(RESOURCES['audit_template'], id_or_uuid)

    # --- audits --------------------------------------------------------------

    def get_audit_list(self, context, filters=None, limit=None,
                       marker=None, sort_key=None, sort_dir=None,
                       eager=False, parents=()):
        res = RESOURCES['audit']
        return self._get_list(context, res, filters, limit, marker,
                              sort_key, sort_dir, eager, tuple(parents))

    def create_audit(self, values):
        return self._create(RESOURCES['audit'], values)

    def get_audit_by_id(self, context, id_, eager=False):
        return self._get_one(context, RESOURCES['audit'], 'id', id_, eager)

    def get_audit_by_uuid(self, context, uuid, eager=False):
        return self._get_one(context, RESOURCES['audit'], 'uuid', uuid, eager)

    def get_audit_by_name(self, context, name, eager=False):
        res = RESOURCES['audit']
        return self._get_one(context, res, res.name_col, name, eager)

    def update_audit(self, id_or_uuid, values, expected_state=None,
                     expected=None):
        res = RESOURCES['audit']
        return self._update(res, id_or_uuid, values, expected_state,
                            expected)

    def soft_delete_audit(self, id_or_uuid):
        res = RESOURCES['audit']
        return self._soft_delete(res, id_or_uuid, self._cascade_audit)

    def destroy_audit(self, id_or_uuid):
        return self._destroy(RESOURCES['audit'], id_or_uuid)

    # --- action plans --------------------------------------------------------

    def get_action_plan_list(self, context, filters=None, limit=None,
                             marker=None, sort_key=None, sort_dir=None,
                             eager=False, parents=()):
        res = RESOURCES['action_plan']
        return self._get_list(context, res, filters, limit, marker,
                              sort_key, sort_dir, eager, tuple(parents))

    def create_action_plan(self, values):
        return self._create(RESOURCES['action_plan'], values)

    def get_action_plan_by_id(self, context, id_, eager=False):
        res = RESOURCES['action_plan']
        return self._get_one(context, res, 'id', id_, eager)

    def get_action_plan_by_uuid(self, context, uuid, eager=False):
        res = RESOURCES['action_plan']
        return self._get_one(context, res, 'uuid', uuid, eager)

    def update_action_plan(self, id_or_uuid, values, expected_state=None):
        res = RESOURCES['action_plan']
        return self._update(res, id_or_uuid, values, expected_state)

    def soft_delete_action_plan(self, id_or_uuid):
        res = RESOURCES['action_plan']
        return self._soft_delete(res, id_or_uuid, self._cascade_action_plan)

    def destroy_action_plan(self, id_or_uuid):
        res = RESOURCES['action_plan']
        return self._destroy(res, id_or_uuid, self._destroy_plan_children)

    # --- actions -------------------------------------------------------------

    def get_action_list(self, context, filters=None, limit=None,
                        marker=None, sort_key=None, sort_dir=None,
                        eager=False, parents=()):
        res = RESOURCES['action']
        return self._get_list(context, res, filters, limit, marker,
                              sort_key, sort_dir, eager, tuple(parents))

    def create_action(self, values):
        return self._create(RESOURCES['action'], values)

    def get_action_by_id(self, context, id_, eager=False):
        return self._get_one(context, RESOURCES['action'], 'id', id_, eager)

    def get_action_by_uuid(self, context, uuid, eager=False):
        return self._get_one(context, RESOURCES['action'], 'uuid', uuid, eager)

    def update_action(self, id_or_uuid, values, expected_state=None):
        res = RESOURCES['action']
        return self._update(res, id_or_uuid, values, expected_state)

    def soft_delete_action(self, id_or_uuid):
        return self._soft_delete(RESOURCES['action'], id_or_uuid)

    def destroy_action(self, id_or_uuid):
        return self._destroy(RESOURCES['action'], id_or_uuid)

    # --- efficacy indicators -------------------------------------------------

    def get_efficacy_indicator_list(self, context, filters=None, limit=None,
                                    marker=None, sort_key=None, sort_dir=None,
                                    eager=False, parents=()):
        res = RESOURCES['efficacy_indicator']
        return self._get_list(context, res, filters, limit, marker,
                              sort_key, sort_dir, eager, tuple(parents))

    def create_efficacy_indicator(self, values):
        return self._create(RESOURCES['efficacy_indicator'], values)

    def get_efficacy_indicator_by_id(self, context, id_, eager=False):
        res = RESOURCES['efficacy_indicator']
        return self._get_one(context, res, 'id', id_, eager)

    def get_efficacy_indicator_by_uuid(self, context, uuid, eager=False):
        res = RESOURCES['efficacy_indicator']
        return self._get_one(context, res, 'uuid', uuid, eager)

    def update_efficacy_indicator(self, id_or_uuid, values,
                                  expected_state=None):
        res = RESOURCES['efficacy_indicator']
        return self._update(res, id_or_uuid, values, expected_state)

    def soft_delete_efficacy_indicator(self, id_or_uuid):
        return self._soft_delete(RESOURCES['efficacy_indicator'], id_or_uuid)

    def destroy_efficacy_indicator(self, id_or_uuid):
        return self._destroy(RESOURCES['efficacy_indicator'], id_or_uuid)

    # --- scoring engines -----------------------------------------------------

    def get_scoring_engine_list(self, context, filters=None, limit=None,
                                marker=None, sort_key=None, sort_dir=None,
                                eager=False, parents=()):
        res = RESOURCES['scoring_engine']
        return self._get_list(context, res, filters, limit, marker,
                              sort_key, sort_dir, eager, tuple(parents))

    def create_scoring_engine(self, values):
        return self._create(RESOURCES['scoring_engine'], values)

    def get_scoring_engine_by_id(self, context, id_, eager=False):
        res = RESOURCES['scoring_engine']
        return self._get_one(context, res, 'id', id_, eager)

    def get_scoring_engine_by_uuid(self, context, uuid, eager=False):
        res = RESOURCES['scoring_engine']
        return self._get_one(context, res, 'uuid', uuid, eager)

    def get_scoring_engine_by_name(self, context, name, eager=False):
        res = RESOURCES['scoring_engine']
        return self._get_one(context, res, res.name_col, name, eager)

    def update_scoring_engine(self, id_or_uuid, values, expected_state=None):
        res = RESOURCES['scoring_engine']
        return self._update(res, id_or_uuid, values, expected_state)

    def soft_delete_scoring_engine(self, id_or_uuid):
        return self._soft_delete(RESOURCES['scoring_engine'], id_or_uuid)

    def destroy_scoring_engine(self, id_or_uuid):
        return self._destroy(RESOURCES['scoring_engine'], id_or_uuid)

    # --- services ------------------------------------------------------------

    def get_service_list(self, context, filters=None, limit=None,
                         marker=None, sort_key=None, sort_dir=None,
                         eager=False, parents=()):
        res = RESOURCES['service']
        return self._get_list(context, res, filters, limit, marker,
                              sort_key, sort_dir, eager, tuple(parents))

    def create_service(self, values):
        return self._create(RESOURCES['service'], values)

    def get_service_by_id(self, context, id_, eager=False):
        return self._get_one(context, RESOURCES['service'], 'id', id_, eager)

    def get_service_by_name(self, context, name, eager=False):
        res = RESOURCES['service']
        return self._get_one(context, res, res.name_col, name, eager)

    def update_service(self, id_or_uuid, values, expected_state=None):
        res = RESOURCES['service']
        return self._update(res, id_or_uuid, values, expected_state)

    def soft_delete_service(self, id_or_uuid):
        return self._soft_delete(RESOURCES['service'], id_or_uuid)

    def destroy_service(self, id_or_uuid):
        return self._destroy(RESOURCES['service'], id_or_uuid)

    # --- action descriptions -------------------------------------------------

    def get_action_description_list(self, context, filters=None, limit=None,
                                    marker=None, sort_key=None, sort_dir=None,
                                    eager=False, parents=()):
        res = RESOURCES['action_description']
        return self._get_list(context, res, filters, limit, marker,
                              sort_key, sort_dir, eager, tuple(parents))

    def create_action_description(self, values):
        return self._create(RESOURCES['action_description'], values)

    def get_action_description_by_id(self, context, id_, eager=False):
        res = RESOURCES['action_description']
        return self._get_one(context, res, 'id', id_, eager)

    def update_action_description(self, id_or_uuid, values,
                                  expected_state=None):
        res = RESOURCES['action_description']
        return self._update(res, id_or_uuid, values, expected_state)

    def soft_delete_action_description(self, id_or_uuid):
        return self._soft_delete(RESOURCES['action_description'], id_or_uuid)

    def destroy_action_description(self, id_or_uuid):
        return self._destroy(RESOURCES['action_description'], id_or_uuid)
