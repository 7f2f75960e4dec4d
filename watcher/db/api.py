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

"""Watcher's database interface: every call the objects make, in one list.

:class:`Connection` names each method with a line saying what it does; the
backend (:mod:`watcher.db.sqlalchemy.api`, the only one) implements them
all, and instantiating it fails if one is missing. The arguments shared by
the list methods (filters, paging, sorting, ``eager``, ``parents``) and the
values returned are described in that module's docstring.

``get_instance()`` returns the backend connection (one per process). Only
the objects layer (:mod:`watcher.objects`), purge and the db-manage command
call it; everything else goes through the objects.
"""
import abc
import importlib
import threading

# The implementation is named, not imported: it subclasses the interface
# below, so the interface cannot depend on it (the oslo.db ``DBAPI``
# convention of upstream OpenStack services, without its proxy).
_BACKEND = 'watcher.db.sqlalchemy.api'

_LOCK = threading.Lock()
_INSTANCE = None


def get_instance():
    """The backend connection, a :class:`Connection`."""
    global _INSTANCE
    if _INSTANCE is None:
        with _LOCK:
            if _INSTANCE is None:
                backend = importlib.import_module(_BACKEND)
                _INSTANCE = backend.get_backend()
    return _INSTANCE


class Connection(abc.ABC):
    """The database API: one method per call, per resource."""

    # --- read transactions ---------------------------------------------------

    @staticmethod
    @abc.abstractmethod
    def reader():
        """Context manager: this thread's reads inside share a transaction."""

    # --- goals ---------------------------------------------------------------

    @abc.abstractmethod
    def get_goal_list(self, context, filters=None, limit=None,
                      marker=None, sort_key=None, sort_dir=None,
                      eager=False, parents=()):
        """A page of goals (arguments: module docstring)."""

    @abc.abstractmethod
    def create_goal(self, values):
        """Insert one goal from a dict of column values."""

    @abc.abstractmethod
    def get_goal_by_id(self, context, id_, eager=False):
        """The goal with this integer id."""

    @abc.abstractmethod
    def get_goal_by_uuid(self, context, uuid, eager=False):
        """The goal with this uuid."""

    @abc.abstractmethod
    def get_goal_by_name(self, context, name, eager=False):
        """The live goal with this name."""

    @abc.abstractmethod
    def update_goal(self, id_or_uuid, values, expected_state=None):
        """Update one goal (optionally compare-and-set)."""

    @abc.abstractmethod
    def soft_delete_goal(self, id_or_uuid):
        """Mark one goal deleted."""

    @abc.abstractmethod
    def destroy_goal(self, id_or_uuid):
        """Delete one goal row for good."""

    # --- strategies ----------------------------------------------------------

    @abc.abstractmethod
    def get_strategy_list(self, context, filters=None, limit=None,
                          marker=None, sort_key=None, sort_dir=None,
                          eager=False, parents=()):
        """A page of strategies (arguments: module docstring)."""

    @abc.abstractmethod
    def create_strategy(self, values):
        """Insert one strategy from a dict of column values."""

    @abc.abstractmethod
    def get_strategy_by_id(self, context, id_, eager=False):
        """The strategy with this integer id."""

    @abc.abstractmethod
    def get_strategy_by_uuid(self, context, uuid, eager=False):
        """The strategy with this uuid."""

    @abc.abstractmethod
    def get_strategy_by_name(self, context, name, eager=False):
        """The live strategy with this name."""

    @abc.abstractmethod
    def update_strategy(self, id_or_uuid, values, expected_state=None):
        """Update one strategy (optionally compare-and-set)."""

    @abc.abstractmethod
    def soft_delete_strategy(self, id_or_uuid):
        """Mark one strategy deleted with what it owns."""

    @abc.abstractmethod
    def destroy_strategy(self, id_or_uuid):
        """Delete one strategy row for good."""

    # --- audit templates -----------------------------------------------------

    @abc.abstractmethod
    def get_audit_template_list(self, context, filters=None, limit=None,
                                marker=None, sort_key=None, sort_dir=None,
                                eager=False, parents=()):
        """A page of audit templates (arguments: module docstring)."""

    @abc.abstractmethod
    def create_audit_template(self, values):
        """Insert one audit template from a dict of column values."""

    @abc.abstractmethod
    def get_audit_template_by_id(self, context, id_, eager=False):
        """The audit template with this integer id."""

    @abc.abstractmethod
    def get_audit_template_by_uuid(self, context, uuid, eager=False):
        """The audit template with this uuid."""

    @abc.abstractmethod
    def get_audit_template_by_name(self, context, name, eager=False):
        """The live audit template with this name."""

    @abc.abstractmethod
    def update_audit_template(self, id_or_uuid, values, expected_state=None):
        """Update one audit template (optionally compare-and-set)."""

    @abc.abstractmethod
    def soft_delete_audit_template(self, id_or_uuid):
        """Mark one audit template deleted."""

    @abc.abstractmethod
    def destroy_audit_template(self, id_or_uuid):
        """Delete one audit template row for good."""

    # --- audits --------------------------------------------------------------

    @abc.abstractmethod
    def get_audit_list(self, context, filters=None, limit=None,
                       marker=None, sort_key=None, sort_dir=None,
                       eager=False, parents=()):
        """A page of audits (arguments: module docstring)."""

    @abc.abstractmethod
    def create_audit(self, values):
        """Insert one audit from a dict of column values."""

    @abc.abstractmethod
    def get_audit_by_id(self, context, id_, eager=False):
        """The audit with this integer id."""

    @abc.abstractmethod
    def get_audit_by_uuid(self, context, uuid, eager=False):
        """The audit with this uuid."""

    @abc.abstractmethod
    def get_audit_by_name(self, context, name, eager=False):
        """The live audit with this name."""

    @abc.abstractmethod
    def update_audit(self, id_or_uuid, values, expected_state=None,
                     expected=None):
        """Update one audit (optionally compare-and-set, owner included)."""

    @abc.abstractmethod
    def soft_delete_audit(self, id_or_uuid):
        """Mark one audit deleted with what it owns."""

    @abc.abstractmethod
    def destroy_audit(self, id_or_uuid):
        """Delete one audit row for good."""

    # --- action plans --------------------------------------------------------

    @abc.abstractmethod
    def get_action_plan_list(self, context, filters=None, limit=None,
                             marker=None, sort_key=None, sort_dir=None,
                             eager=False, parents=()):
        """A page of action plans (arguments: module docstring)."""

    @abc.abstractmethod
    def create_action_plan(self, values):
        """Insert one action plan from a dict of column values."""

    @abc.abstractmethod
    def get_action_plan_by_id(self, context, id_, eager=False):
        """The action plan with this integer id."""

    @abc.abstractmethod
    def get_action_plan_by_uuid(self, context, uuid, eager=False):
        """The action plan with this uuid."""

    @abc.abstractmethod
    def update_action_plan(self, id_or_uuid, values, expected_state=None):
        """Update one action plan (optionally compare-and-set)."""

    @abc.abstractmethod
    def soft_delete_action_plan(self, id_or_uuid):
        """Mark one action plan deleted with what it owns."""

    @abc.abstractmethod
    def destroy_action_plan(self, id_or_uuid):
        """Delete one action plan row for good."""

    # --- actions -------------------------------------------------------------

    @abc.abstractmethod
    def get_action_list(self, context, filters=None, limit=None,
                        marker=None, sort_key=None, sort_dir=None,
                        eager=False, parents=()):
        """A page of actions (arguments: module docstring)."""

    @abc.abstractmethod
    def create_action(self, values):
        """Insert one action from a dict of column values."""

    @abc.abstractmethod
    def get_action_by_id(self, context, id_, eager=False):
        """The action with this integer id."""

    @abc.abstractmethod
    def get_action_by_uuid(self, context, uuid, eager=False):
        """The action with this uuid."""

    @abc.abstractmethod
    def update_action(self, id_or_uuid, values, expected_state=None):
        """Update one action (optionally compare-and-set)."""

    @abc.abstractmethod
    def soft_delete_action(self, id_or_uuid):
        """Mark one action deleted."""

    @abc.abstractmethod
    def destroy_action(self, id_or_uuid):
        """Delete one action row for good."""

    # --- efficacy indicators -------------------------------------------------

    @abc.abstractmethod
    def get_efficacy_indicator_list(self, context, filters=None, limit=None,
                                    marker=None, sort_key=None, sort_dir=None,
                                    eager=False, parents=()):
        """A page of efficacy indicators (arguments: module docstring)."""

    @abc.abstractmethod
    def create_efficacy_indicator(self, values):
        """Insert one efficacy indicator from a dict of column values."""

    @abc.abstractmethod
    def get_efficacy_indicator_by_id(self, context, id_, eager=False):
        """The efficacy indicator with this integer id."""

    @abc.abstractmethod
    def get_efficacy_indicator_by_uuid(self, context, uuid, eager=False):
        """The efficacy indicator with this uuid."""

    @abc.abstractmethod
    def update_efficacy_indicator(self, id_or_uuid, values,
                                  expected_state=None):
        """Update one efficacy indicator (optionally compare-and-set)."""

    @abc.abstractmethod
    def soft_delete_efficacy_indicator(self, id_or_uuid):
        """Mark one efficacy indicator deleted."""

    @abc.abstractmethod
    def destroy_efficacy_indicator(self, id_or_uuid):
        """Delete one efficacy indicator row for good."""

    # --- scoring engines -----------------------------------------------------

    @abc.abstractmethod
    def get_scoring_engine_list(self, context, filters=None, limit=None,
                                marker=None, sort_key=None, sort_dir=None,
                                eager=False, parents=()):
        """A page of scoring engines (arguments: module docstring)."""

    @abc.abstractmethod
    def create_scoring_engine(self, values):
        """Insert one scoring engine from a dict of column values."""

    @abc.abstractmethod
    def get_scoring_engine_by_id(self, context, id_, eager=False):
        """The scoring engine with this integer id."""

    @abc.abstractmethod
    def get_scoring_engine_by_uuid(self, context, uuid, eager=False):
        """The scoring engine with this uuid."""

    @abc.abstractmethod
    def get_scoring_engine_by_name(self, context, name, eager=False):
        """The live scoring engine with this name."""

    @abc.abstractmethod
    def update_scoring_engine(self, id_or_uuid, values, expected_state=None):
        """Update one scoring engine (optionally compare-and-set)."""

    @abc.abstractmethod
    def soft_delete_scoring_engine(self, id_or_uuid):
        """Mark one scoring engine deleted."""

    @abc.abstractmethod
    def destroy_scoring_engine(self, id_or_uuid):
        """Delete one scoring engine row for good."""

    # --- services ------------------------------------------------------------

    @abc.abstractmethod
    def get_service_list(self, context, filters=None, limit=None,
                         marker=None, sort_key=None, sort_dir=None,
                         eager=False, parents=()):
        """A page of services (arguments: module docstring)."""

    @abc.abstractmethod
    def create_service(self, values):
        """Insert one service from a dict of column values."""

    @abc.abstractmethod
    def get_service_by_id(self, context, id_, eager=False):
        """The service with this integer id."""

    @abc.abstractmethod
    def get_service_by_name(self, context, name, eager=False):
        """The live service with this name."""

    @abc.abstractmethod
    def update_service(self, id_or_uuid, values, expected_state=None):
        """Update one service (optionally compare-and-set)."""

    @abc.abstractmethod
    def soft_delete_service(self, id_or_uuid):
        """Mark one service deleted."""

    @abc.abstractmethod
    def destroy_service(self, id_or_uuid):
        """Delete one service row for good."""

    # --- action descriptions -------------------------------------------------

    @abc.abstractmethod
    def get_action_description_list(self, context, filters=None, limit=None,
                                    marker=None, sort_key=None, sort_dir=None,
                                    eager=False, parents=()):
        """A page of action descriptions (arguments: module docstring)."""

    @abc.abstractmethod
    def create_action_description(self, values):
        """Insert one action description from a dict of column values."""

    @abc.abstractmethod
    def get_action_description_by_id(self, context, id_, eager=False):
        """The action description with this integer id."""

    @abc.abstractmethod
    def update_action_description(self, id_or_uuid, values,
                                  expected_state=None):
        """Update one action description (optionally compare-and-set)."""

    @abc.abstractmethod
    def soft_delete_action_description(self, id_or_uuid):
        """Mark one action description deleted."""

    @abc.abstractmethod
    def destroy_action_description(self, id_or_uuid):
        """Delete one action description row for good."""

    # --- composite calls -----------------------------------------------------

    @abc.abstractmethod
    def create_action_plan_with_children(self, plan_values, actions_values=(),
                                         indicators_values=()):
        """Insert a plan, its actions and its efficacy indicators at once."""

    @abc.abstractmethod
    def get_service_by_host_and_name(self, context, host, name):
        """The live service ``name`` running on ``host``."""

    @abc.abstractmethod
    def get_action_description_by_type(self, context, action_type):
        """The description of one action type."""
