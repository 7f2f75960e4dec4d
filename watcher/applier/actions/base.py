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

"""What every action plugin of the applier is.

An action plugin (entry point namespace ``watcher_actions``) is one kind of
change the applier can make to the cloud: move a server, disable a compute
service, power a node off...  The workflow engine drives every action through
the same life:

1. :meth:`BaseAction.validate_parameters` checks ``input_parameters``
   against the class's JSON :attr:`BaseAction.schema` before anything else;
2. :meth:`BaseAction.pre_condition` looks at the cloud and decides whether
   the action still makes sense.  It raises
   :class:`~watcher.common.exception.ActionSkipped` when the action is
   pointless (the server is gone, it is already where it should be) and any
   other exception when the action cannot be done;
3. :meth:`BaseAction.execute` makes the change and waits until the cloud
   reports it done (returning ``False`` counts as a failure);
4. :meth:`BaseAction.post_condition` checks the result;
5. :meth:`BaseAction.revert` undoes a successful :meth:`execute` when the
   plan is rolled back;
6. :meth:`BaseAction.abort` is called from another thread while
   :meth:`execute` runs, when the plan is cancelled.  It answers ``True``
   when the change was stopped (the action ends CANCELLED) and ``False``
   when it cannot be stopped (the action runs to its end).

Cloud access
------------
Actions reach Nova, Cinder and Ironic only through an openstacksdk
``Connection``.  By default it is the process-wide one of
:func:`watcher.common.clients.get_connection`; a connection given to the
constructor wins, and :func:`set_connection_provider` replaces the default
for a whole process (tests point it at the simulated cloud that way).

Waiting
-------
Long operations are polled with :meth:`BaseAction.wait_until`, which sleeps
on an event that :meth:`abort` sets, so an abort interrupts a wait at once.
"""
import abc
import threading
import time

import jsonschema
import openstack.exceptions as sdk_exc
from oslo_log import log

from watcher.common import clients
from watcher.common import exception
from watcher.conf import CONF

LOG = log.getLogger(__name__)

UUID_PATTERN = ('^([a-fA-F0-9]{8}-?[a-fA-F0-9]{4}-?[a-fA-F0-9]{4}-?'
                '[a-fA-F0-9]{4}-?[a-fA-F0-9]{12})$')

_provider_lock = threading.Lock()
_connection_provider = None


def set_connection_provider(provider):
    """Make ``provider()`` the connection every action uses by default.

    ``None`` goes back to :func:`watcher.common.clients.get_connection`.
    Returns the provider that was in place, so callers can restore it.
    """
    global _connection_provider
    with _provider_lock:
        previous = _connection_provider
        _connection_provider = provider
    return previous


def get_connection():
    provider = _connection_provider
    if provider is not None:
        return provider()
    return clients.get_connection()


def is_not_found(exc):
    return isinstance(exc, (sdk_exc.NotFoundException,
                            sdk_exc.ResourceNotFound))


def sdk_message(exc):
    """A short human message out of an openstacksdk error."""
    details = getattr(exc, 'details', None)
    if details:
        return str(details)
    return str(exc) or type(exc).__name__


class BaseAction(metaclass=abc.ABCMeta):
    """An action of an action plan, as the applier runs it."""

    #: JSON schema of ``input_parameters`` (draft 4)
    schema = {'type': 'object', 'properties': {},
              'additionalProperties': True}

    #: What the action does, in the words recorded as its description.
    description = ''

    #: The action type (the entry point name in ``watcher_actions``).
    name = None

    RESOURCE_ID = 'resource_id'
    RESOURCE_NAME = 'resource_name'

    def __init__(self, input_parameters=None, connection=None,
                 context=None, action_uuid=None, config=None):
        self.input_parameters = dict(input_parameters or {})
        self.context = context
        self.action_uuid = action_uuid
        self.config = config if config is not None else CONF
        self._connection = connection
        self._aborted = threading.Event()

    # -- description and parameters -------------------------------------
    @classmethod
    def get_description(cls):
        return cls.description

    @classmethod
    def get_schema(cls):
        return cls.schema

    @property
    def action_type(self):
        return self.name or type(self).__name__

    def validate_parameters(self):
        """Check ``input_parameters`` against :attr:`schema`.

        :raises InvalidActionParameters: with the first problem found.
        """
        validator = jsonschema.Draft4Validator(self.schema)
        errors = sorted(validator.iter_errors(self.input_parameters),
                        key=lambda err: list(err.absolute_path))
        if errors:
            err = errors[0]
            where = '.'.join(str(p) for p in err.absolute_path)
            text = '%s: %s' % (where, err.message) if where else err.message
            raise exception.InvalidActionParameters(
                action=self.action_type, err=text)
        self.check_parameters()
        return True

    def check_parameters(self):
        """Checks the schema cannot say (override when needed)."""

    @property
    def resource_id(self):
        return self.input_parameters.get(self.RESOURCE_ID)

    @property
    def resource_name(self):
        return self.input_parameters.get(self.RESOURCE_NAME)

    # -- cloud access ---------------------------------------------------
    @property
    def conn(self):
        if self._connection is None:
            self._connection = get_connection()
        return self._connection

    # -- life cycle -------------------------------------------------------
    def pre_condition(self):
        """ActionSkipped when pointless, another error when impossible."""

    @abc.abstractmethod
    def execute(self):
        """Make the change; return ``False`` or raise when it failed."""

    def post_condition(self):
        """Check the outcome of :meth:`execute`; raise when it is wrong."""

    def revert(self):
        """Undo a successful :meth:`execute` (default: nothing to undo)."""
        LOG.info('Action %s (%s) has nothing to revert',
                 self.action_uuid, self.action_type)

    def abort(self):
        """Stop :meth:`execute` from another thread.

        Returns ``True`` when the change was stopped, ``False`` when it
        cannot be and will run to its end.  The default cannot stop.
        """
        return False

    # -- helpers for subclasses ---------------------------------------------
    @property
    def aborted(self):
        return self._aborted.is_set()

    def _mark_aborted(self):
        self._aborted.set()

    def wait(self, seconds):
        """Sleep, but wake up when aborted; True when aborted."""
        return self._aborted.wait(max(0.0, seconds))

    def wait_until(self, check, interval, retries, operation):
        """Call ``check()`` until it returns something other than None.

        ``check`` is called at once, then every ``interval`` seconds, at most
        ``retries`` more times.  Returns what ``check`` returned.  Raises
        :class:`ActionAborted` when aborted, :class:`ActionTimeout` when out
        of retries.
        """
        started = time.monotonic()
        for attempt in range(retries + 1):
            result = check()
            if result is not None:
                return result
            if attempt == retries:
                break
            if self.wait(interval):
                raise exception.ActionAborted(action=self.action_uuid
                                              or self.action_type)
        raise exception.ActionTimeout(
            operation=operation,
            seconds=round(max(interval * retries,
                              time.monotonic() - started), 1))

    def skip(self, reason):
        raise exception.ActionSkipped(reason=reason)

    def fail(self, reason):
        raise exception.ActionPreConditionFailed(reason=reason)

    def __repr__(self):
        return '<%s %s %s>' % (type(self).__name__, self.action_uuid,
                               self.input_parameters)
