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

"""State machines as tables of named events, and the one door to fire them.

Each stateful object module (audit, action_plan, action) declares a
:class:`Machine`: a list of :class:`Event` rows, each saying what happened
(``start``, ``cancel``, ``rearm``...), the states it may happen in, the
state it leads to and who may make it happen (an :data:`ACTORS` member).

Everything else is derived from that table:

* ``Machine.transitions()`` is the ``{from: {to, ...}}`` map that
  ``WatcherPersistentObject.save()`` checks every state write against;
* ``Machine.user_moves()`` / ``Machine.may(actor, event, state)`` are what
  the API asks before a PATCH, a DELETE or a webhook trigger;
* :meth:`Stateful.fire` is the door: it checks the event, the actor and the
  current state, writes the new state (plus any other fields) as one
  compare-and-set on the row's state, and the save sends the notification.
"""
import collections

from watcher.common import exception

# Who may fire an event.
USER = 'user'                    # a user through the REST API
WEBHOOK = 'webhook'              # an alarm through /v1/webhooks (1.4)
ENGINE = 'decision-engine'       # the decision engine running audits
APPLIER = 'applier'              # the applier running action plans
TAKEOVER = 'ha-takeover'         # a decision engine settling a dead peer's
ACTORS = (USER, WEBHOOK, ENGINE, APPLIER, TAKEOVER)

DELETED = 'DELETED'


#: the ``target`` of an event that changes fields but not the state
#: (``claim``: the owner changes, the audit stays where it is)
UNCHANGED = None


class Event(collections.namedtuple('Event',
                                   'name sources target actors')):
    """One row: ``name`` fired from ``sources`` leads to ``target``.

    Only ``actors`` may fire it. ``target`` :data:`UNCHANGED` leaves the
    state as it was.
    """

    def __new__(cls, name, sources, target, actors):
        unknown = set(actors) - set(ACTORS)
        if unknown:
            raise ValueError('unknown actors %s' % sorted(unknown))
        return super().__new__(cls, name, frozenset(sources), target,
                               frozenset(actors))


class Machine:
    """The events of one object type, checked for consistency up front."""

    def __init__(self, obj_name, states, events):
        self.obj_name = obj_name
        self.states = tuple(states)
        self.events = {}
        for event in events:
            if event.name in self.events:
                raise ValueError('event %s declared twice' % event.name)
            bad = ((event.sources | {event.target}) - {UNCHANGED}
                   - set(self.states))
            if bad:
                raise ValueError('event %s names unknown states %s'
                                 % (event.name, sorted(bad)))
            self.events[event.name] = event

    def event(self, name):
        return self.events[name]

    def transitions(self):
        """``{state: {states reachable by one event}}`` for every state."""
        table = {state: set() for state in self.states}
        for event in self.events.values():
            for source in event.sources:
                if event.target not in (source, UNCHANGED):
                    table[source].add(event.target)
        return table

    def may(self, actor, event_name, state):
        """May ``actor`` fire ``event_name`` while the object is ``state``?"""
        event = self.events.get(event_name)
        return (event is not None and actor in event.actors
                and state in event.sources)

    def find(self, actor, source, target):
        """The event ``actor`` may fire to go ``source`` -> ``target``."""
        for event in self.events.values():
            if (actor in event.actors and source in event.sources
                    and event.target == target):
                return event
        return None

    def user_moves(self):
        """``{(from, to)}`` a user may ask for with PATCH /state."""
        return {(source, event.target)
                for event in self.events.values() if USER in event.actors
                and event.target not in (DELETED, UNCHANGED)
                for source in event.sources if source != event.target}

    def sources(self, event_name):
        return self.events[event_name].sources

    def check(self, actor, event_name, uuid, state):
        """Refuse (IllegalStateTransition, 400) an event not allowed."""
        if not self.may(actor, event_name, state):
            event = self.events.get(event_name)
            raise exception.IllegalStateTransition(
                object=self.obj_name, uuid=uuid, from_state=state,
                to_state=(event.target or event_name) if event
                else event_name)
        return self.events[event_name]


class Stateful:
    """Mixin of the objects with a ``MACHINE``: the :meth:`fire` door."""

    MACHINE = None

    def fire(self, event_name, actor, expected=None, **changes):
        """Fire ``event_name`` as ``actor``, writing ``changes`` with it.

        One compare-and-set on the state the object was read in
        (ObjectStateChanged, 409, when someone moved it meanwhile), and on
        the ``expected`` ``{field: value}`` too (e.g. the owner a takeover
        saw: two engines taking the same audit cannot both win); the save
        notifies the change listeners. Returns the event.
        """
        current = self.state
        event = self.MACHINE.check(actor, event_name, self.uuid, current)
        for field, value in changes.items():
            setattr(self, field, value)
        if event.target == DELETED:
            self.soft_delete()
        else:
            self.state = (current if event.target is UNCHANGED
                          else event.target)
            try:
                self.save(expected_state=current, expected=expected)
            except Exception:
                # back to the state it was read in, so that the caller may
                # fire again (a transient database error) or look again
                self.state = current
                raise
        return event
