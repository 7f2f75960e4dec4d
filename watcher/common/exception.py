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

"""The one exception hierarchy of watcher.

Every error a person may see derives from WatcherException and carries the
HTTP status the API answers with (``code``) and a message template
(``msg_fmt``) filled from keyword arguments. Controllers and services raise
these; the API's fault hook turns them into the upstream error body.
"""
import logging

from watcher.common.i18n import _
from watcher.conf import CONF

LOG = logging.getLogger(__name__)


class WatcherException(Exception):
    msg_fmt = _('An unknown exception occurred.')
    code = 500
    headers = {}
    safe = False

    def __init__(self, message=None, **kwargs):
        self.kwargs = kwargs
        self.kwargs.setdefault('code', self.code)
        if not message:
            try:
                message = self.msg_fmt % kwargs
            except (KeyError, TypeError, ValueError):
                LOG.exception('Cannot format %s with %s',
                              type(self).__name__, kwargs)
                if CONF.fatal_exception_format_errors:
                    raise
                message = self.msg_fmt
        super().__init__(message)

    def __str__(self):
        return str(self.args[0]) if self.args else ''

    @property
    def message(self):
        return str(self)


# 400 -----------------------------------------------------------------
class Invalid(WatcherException):
    msg_fmt = _('Unacceptable parameters')
    code = 400


class InvalidParameter(Invalid):
    msg_fmt = _('%(parameter)s has to be of type %(parameter_type)s')


class InvalidParameterValue(Invalid):
    msg_fmt = _('%(err)s')


class MissingParameter(Invalid):
    msg_fmt = _('Missing parameter: %(parameter)s')


class InvalidUUID(Invalid):
    msg_fmt = _('Expected a uuid but received %(uuid)s')


class InvalidName(Invalid):
    msg_fmt = _('Expected a logical name but received %(name)s')


class InvalidUuidOrName(Invalid):
    msg_fmt = _('Expected a logical name or uuid but received %(name)s')


class FieldTooLong(Invalid):
    msg_fmt = _("'%(field)s' is too long: %(length)s characters, at most "
                "%(limit)s are accepted")


class InvalidIntervalOrCron(Invalid):
    msg_fmt = _('Expected an interval (seconds) or a cron expression but '
                'received %(name)s')


class InvalidState(Invalid):
    msg_fmt = _('The %(object)s is in state %(state)s: '
                '%(reason)s')


class IllegalStateTransition(Invalid):
    msg_fmt = _('Illegal state transition of %(object)s %(uuid)s from '
                '%(from_state)s to %(to_state)s')


class InvalidSortKey(Invalid):
    msg_fmt = _('Invalid sort key %(key)s; allowed: %(allowed)s')


class InvalidAuditType(Invalid):
    msg_fmt = _('Audit type %(audit_type)s is not valid for this request')


class InvalidGoal(Invalid):
    msg_fmt = _('Goal %(goal_id)s is invalid')


class InvalidStrategy(Invalid):
    msg_fmt = _('Strategy %(strategy_id)s is invalid')


class InvalidAuditParameters(Invalid):
    msg_fmt = _('Audit parameters are invalid: %(err)s')


class InvalidActionParameters(Invalid):
    msg_fmt = _('Input parameters of action %(action)s are invalid: %(err)s')


class InvalidScope(Invalid):
    msg_fmt = _('Audit scope is invalid: %(err)s')


class PatchError(Invalid):
    msg_fmt = _("Couldn't apply patch '%(patch)s'. Reason: %(reason)s")


class RequestBodyTooLarge(WatcherException):
    msg_fmt = _('Request body of %(size)s bytes is larger than the '
                'accepted %(limit)s bytes')
    code = 413


# 401/403 -------------------------------------------------------------
class NotAuthenticated(WatcherException):
    msg_fmt = _('Authentication required')
    code = 401


class NotAuthorized(WatcherException):
    msg_fmt = _('Not authorized')
    code = 403


class PolicyNotAuthorized(NotAuthorized):
    msg_fmt = _('Policy doesn\'t allow %(action)s to be performed.')


# 404 -----------------------------------------------------------------
class NotFound(WatcherException):
    msg_fmt = _('Resource could not be found.')
    code = 404


class ResourceNotFound(NotFound):
    msg_fmt = _('The %(name)s resource %(id)s could not be found')


class GoalNotFound(NotFound):
    msg_fmt = _('Goal %(goal)s could not be found')


class StrategyNotFound(NotFound):
    msg_fmt = _('Strategy %(strategy)s could not be found')


class AuditTemplateNotFound(NotFound):
    msg_fmt = _('AuditTemplate %(audit_template)s could not be found')


class AuditNotFound(NotFound):
    msg_fmt = _('Audit %(audit)s could not be found')


class ActionPlanNotFound(NotFound):
    msg_fmt = _('ActionPlan %(action_plan)s could not be found')


class ActionNotFound(NotFound):
    msg_fmt = _('Action %(action)s could not be found')


class EfficacyIndicatorNotFound(NotFound):
    msg_fmt = _('Efficacy indicator %(efficacy_indicator)s could not be '
                'found')


class ScoringEngineNotFound(NotFound):
    msg_fmt = _('ScoringEngine %(scoring_engine)s could not be found')


class ServiceNotFound(NotFound):
    msg_fmt = _('Service %(service)s could not be found')


class ActionDescriptionNotFound(NotFound):
    msg_fmt = _('The action description %(action_id)s cannot be found.')


class ComputeNodeNotFound(NotFound):
    msg_fmt = _('The compute node %(name)s could not be found')


class InstanceNotFound(NotFound):
    msg_fmt = _('The instance %(name)s could not be found')


class StorageNodeNotFound(NotFound):
    msg_fmt = _('The storage node %(name)s could not be found')


class PoolNotFound(NotFound):
    msg_fmt = _('The pool %(name)s could not be found')


class VolumeNotFound(NotFound):
    msg_fmt = _('The volume %(name)s could not be found')


class IronicNodeNotFound(NotFound):
    msg_fmt = _('The ironic node %(uuid)s could not be found')


class LoadingError(NotFound):
    msg_fmt = _('Error loading plugin %(name)s')


# 406 -----------------------------------------------------------------
class NotAcceptable(WatcherException):
    msg_fmt = _('Request not acceptable.')
    code = 406


# 409 -----------------------------------------------------------------
class Conflict(WatcherException):
    msg_fmt = _('Conflict')
    code = 409


class AuditTemplateAlreadyExists(Conflict):
    msg_fmt = _('An audit_template with UUID or name %(audit_template)s '
                'already exists')


class AuditAlreadyExists(Conflict):
    msg_fmt = _('An audit with UUID or name %(audit)s already exists')


class ActionPlanAlreadyExists(Conflict):
    msg_fmt = _('An action plan with UUID %(uuid)s already exists')


class ActionAlreadyExists(Conflict):
    msg_fmt = _('An action with UUID %(uuid)s already exists')


class GoalAlreadyExists(Conflict):
    msg_fmt = _('A goal with UUID %(uuid)s already exists')


class StrategyAlreadyExists(Conflict):
    msg_fmt = _('A strategy with UUID %(uuid)s already exists')


class ScoringEngineAlreadyExists(Conflict):
    msg_fmt = _('A scoring engine with UUID %(uuid)s already exists')


class ServiceAlreadyExists(Conflict):
    msg_fmt = _('A service with name %(name)s is already working on '
                '%(host)s.')


class EfficacyIndicatorAlreadyExists(Conflict):
    msg_fmt = _('An efficacy indicator with UUID %(uuid)s already exists')


class ActionDescriptionAlreadyExists(Conflict):
    msg_fmt = _('An action description with type %(action_type)s already '
                'exists.')


class ActionPlanIsOngoing(Conflict):
    msg_fmt = _('Action plan %(action_plan)s is ongoing.')


class ActionPlanReferenced(Conflict):
    msg_fmt = _('Action plan %(action_plan)s is referenced by one or '
                'multiple actions')


class AuditReferenced(Conflict):
    msg_fmt = _('Audit %(audit)s is referenced by one or multiple action '
                'plans')


class AuditTemplateReferenced(Conflict):
    msg_fmt = _('AuditTemplate %(audit_template)s is referenced by one or '
                'multiple audits')


# Decision engine and applier (not HTTP-facing, but typed all the same) --
class MetricNotAvailable(WatcherException):
    msg_fmt = _('Metric %(metric)s is not available from any configured '
                'datasource (tried: %(datasources)s)')


class DataSourceNotAvailable(WatcherException):
    msg_fmt = _('Datasource %(datasource)s is not available: %(reason)s')


class DataSourceConfigConflict(WatcherException):
    msg_fmt = _('Datasources %(datasource_one)s and %(datasource_two)s '
                'cannot be configured together')


class NoAvailableStrategyForGoal(WatcherException):
    msg_fmt = _('No strategy could be found to achieve the %(goal)s goal.')


class ClusterDataModelCollectionError(WatcherException):
    msg_fmt = _('The cluster data model %(cdm)s could not be built: '
                '%(reason)s')


class ClusterStateNotDefined(WatcherException):
    msg_fmt = _('The cluster state is not defined')


class ComputeResourceNotFound(WatcherException):
    msg_fmt = _('The compute resource %(name)s could not be found')


class UnsupportedDataSource(WatcherException):
    msg_fmt = _('Datasource %(datasource)s is not supported by strategy '
                '%(strategy)s')


class WorkflowExecutionException(WatcherException):
    msg_fmt = _('Workflow execution error: %(error)s')


class ActionExecutionFailure(WatcherException):
    msg_fmt = _('The action %(action_id)s execution failed.')


class ActionSkipped(WatcherException):
    msg_fmt = _('%(reason)s')


class ActionPlanCancelled(WatcherException):
    msg_fmt = _('Action plan %(uuid)s was cancelled')


class ActionPlanSuperseded(WatcherException):
    msg_fmt = _('Action plan %(uuid)s was superseded')


class ActionPlanExecutionFailed(WatcherException):
    msg_fmt = _('Action plan %(uuid)s failed: %(reason)s')


class NovaClientError(WatcherException):
    msg_fmt = _('Compute API call failed: %(reason)s')


class UnsupportedActionType(WatcherException):
    msg_fmt = _('Action type %(action_type)s is not supported')


class ServiceUnavailable(WatcherException):
    msg_fmt = _('Service %(service)s is not available: %(reason)s')
    code = 503


# Database and objects layer (appended) ---------------------------------
class InvalidMarker(Invalid):
    msg_fmt = _('Marker %(marker)s could not be found')


class InvalidFilter(Invalid):
    msg_fmt = _('Filter %(filter)s is not supported on %(resource)s; '
                'allowed: %(allowed)s')


class ObjectStateChanged(Conflict):
    msg_fmt = _('%(object)s %(uuid)s is no longer in state %(expected)s '
                '(it is %(actual)s)')


class ObjectReferenced(Conflict):
    msg_fmt = _('%(object)s %(ident)s is still referenced by other '
                'records')


class PurgeLimitExceeded(WatcherException):
    msg_fmt = _('Purge would delete %(count)s objects, more than the '
                'allowed maximum of %(max_number)s; nothing was deleted')


# Decision engine: efficacy, strategies, planners ----------------------
class InvalidIndicatorValue(WatcherException):
    msg_fmt = _('The indicator %(name)s with value %(value)s and spec type '
                '%(spec_type)s is invalid.')


class UnsupportedPlannerActionType(WatcherException):
    msg_fmt = _('The %(planner)s planner cannot schedule actions of type '
                '%(action_type)s')


class ScoringEngineError(WatcherException):
    msg_fmt = _('Scoring engine %(name)s failed: %(reason)s')


# Applier: actions (appended) -----------------------------------------
class ActionPreConditionFailed(WatcherException):
    msg_fmt = _('%(reason)s')


class ActionTimeout(WatcherException):
    msg_fmt = _('%(operation)s did not finish within %(seconds)s seconds')


class ActionAborted(WatcherException):
    msg_fmt = _('Action %(action)s was aborted')


# Added for the REST API ------------------------------------------------
class AuditTypeNotFound(Invalid):
    msg_fmt = _('Audit type %(audit_type)s could not be found')


class AuditTypeNotAllowed(Invalid):
    msg_fmt = _('Audit type %(audit_type)s is disallowed.')


class AuditStateNotAllowed(Invalid):
    msg_fmt = _('Audit state %(state)s is disallowed.')


class AuditIntervalNotSpecified(Invalid):
    msg_fmt = _('Interval of audit must be specified for %(audit_type)s.')


class AuditIntervalNotAllowed(Invalid):
    msg_fmt = _('Interval of audit must not be set for %(audit_type)s.')


class AuditStartEndTimeNotAllowed(Invalid):
    msg_fmt = _('Start or End time of audit must not be set for '
                '%(audit_type)s.')


class DeleteError(Invalid):
    msg_fmt = _("Couldn't delete when state is '%(state)s'.")


class StartError(Invalid):
    msg_fmt = _("Couldn't start when state is '%(state)s'.")


class ActionFilterCombinationProhibited(Invalid):
    msg_fmt = _('Filtering actions on both audit and action-plan is '
                'prohibited')


class DataModelTypeNotFound(NotFound):
    msg_fmt = _('The %(data_model_type)s data model could not be found')


# Cluster data model collectors and datasources -----------------------
class CloudApiError(WatcherException):
    msg_fmt = _('%(method)s %(path)s answered %(status)s: %(body)s')


class InvalidMetricMap(WatcherException):
    msg_fmt = _('The metric map %(path)s is invalid: %(reason)s')


# Audit pipeline (decision engine) ----------------------------------------
class StrategyConfigurationError(WatcherException):
    msg_fmt = _('The configuration of strategy %(strategy)s is invalid: '
                '%(reason)s')


class StrategyNotAvailable(WatcherException):
    msg_fmt = _('Strategy %(strategy)s is not installed on this decision '
                'engine')


class AuditBlockedByOngoingActionPlan(Conflict):
    msg_fmt = _('Action plan %(action_plan)s is being executed; run the '
                'audit again when it has finished, or with force=True to '
                'run it anyway')


class ClusterDataModelNotAvailable(WatcherException):
    msg_fmt = _('The %(model_type)s cluster data model needed by strategy '
                '%(strategy)s is not available: %(reason)s')


class MetricFetchFailed(WatcherException):
    msg_fmt = _('Metric %(metric)s could not be fetched for strategy '
                '%(strategy)s: %(reason)s')
