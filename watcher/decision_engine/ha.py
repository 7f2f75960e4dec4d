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

"""High availability of decision engines and appliers (active-active).

Several decision engines (and appliers) may run at once against one
database and one message bus. The rules, as upstream's active-active and
background-jobs-HA designs lay them down:

* An RPC cast (``trigger_audit``, ``launch_action_plan``) is consumed by
  exactly one live service of the topic.
* A CONTINUOUS audit belongs to the decision engine whose host is recorded
  in ``audits.hostname``; only that engine runs it. When the owner's
  heartbeat is older than ``[DEFAULT] service_down_time`` (it is FAILED),
  another engine takes the audit over with a compare-and-set on
  ``hostname``, so two survivors never both take it.
* Scheduler jobs persisted in ``apscheduler_jobs`` carry the ``service_id``
  of the service that runs them (:class:`ServiceJobStore` only sees its own
  rows); :func:`take_over_jobs` moves a dead service's rows to a live one.
* On start, a decision engine fails the EVENT audits it left ONGOING
  (:func:`settle_decision_engine`; the next trigger runs them again); its
  ONESHOT ones, like those of a dead peer, are re-run by the sweep of
  :mod:`watcher.decision_engine.audit.recovery` (the applier's counterpart
  is ``watcher.applier.action_plan.recovery.settle_orphans``).
* Every change of an audit's owner is the audit event ``claim`` (a
  compare-and-set on its state and on the owner seen), fired through the
  audit object like any state change.

Primitives for the continuous-audit handler
-------------------------------------------
``claim_continuous_audit(context, audit, host=None) -> bool``
    Call before each run of a continuous audit: True when this engine owns
    the audit now (it already did, the audit had no owner, or the owner is
    dead and this engine won the takeover); False means "another live
    engine runs it: skip".
``owner_is_alive(context, hostname) -> bool``, ``live_hosts(context,
name)``, ``claim_audit(context, audit_uuid, host, expected=...)`` (the
compare-and-set on the owner), ``orphaned_continuous_audits(context)``.
``ServiceJobStore(service_id, tag=None)``
    An APScheduler job store on ``apscheduler_jobs`` scoped to one service.
"""
import pickle

from apscheduler.jobstores import base as aps_base
from apscheduler.jobstores import sqlalchemy as aps_sqlalchemy
from apscheduler import util as aps_util
from oslo_config import cfg
from oslo_log import log
import sqlalchemy as sa

from watcher.common import context as watcher_context
from watcher.common import exception
from watcher.common import utils
from watcher.db.sqlalchemy import api as sqla_api
from watcher.db.sqlalchemy import models
from watcher import objects
from watcher.objects import states

LOG = log.getLogger(__name__)
CONF = cfg.CONF

DECISION_ENGINE = 'watcher-decision-engine'
APPLIER = 'watcher-applier'

#: states in which a continuous audit is still scheduled
ACTIVE_CONTINUOUS_STATES = ('PENDING', 'ONGOING')


def _admin():
    return watcher_context.get_admin_context()


# --- liveness ---------------------------------------------------------------

def is_alive(service, now=None):
    return objects.Service.status_of(service, now=now) == \
        objects.service.ServiceStatus.ACTIVE


def live_hosts(context=None, name=DECISION_ENGINE, now=None):
    """Hosts whose ``name`` service heartbeat is fresh."""
    services = objects.Service.list(context or _admin(),
                                    filters={'name': name})
    return {svc.host for svc in services if is_alive(svc, now=now)}


def owner_is_alive(context, hostname, name=DECISION_ENGINE, now=None):
    if not hostname:
        return False
    return hostname in live_hosts(context, name, now=now)


# --- audit ownership --------------------------------------------------------

def _engine():
    return sqla_api.get_engine()


def claim_audit(context, audit_uuid, host, expected=None,
                actor=states.ENGINE):
    """Fire the audit's ``claim``: its owner goes from ``expected`` to
    ``host``.

    ``expected`` None means "the audit has no owner". Returns True when this
    call changed the owner (this engine won), False otherwise (another
    owner, or the audit is not PENDING or ONGOING any more).
    """
    try:
        audit = objects.Audit.get_by_uuid(context or _admin(), audit_uuid)
        audit.fire('claim', actor, expected={'hostname': expected},
                   hostname=host)
    except (exception.AuditNotFound, exception.ObjectStateChanged,
            exception.IllegalStateTransition) as exc:
        LOG.debug('Audit %s not claimed by %s: %s', audit_uuid, host, exc)
        return False
    LOG.info('Audit %s now belongs to %s (was %s)', audit_uuid, host,
             expected)
    return True


def claim_continuous_audit(context, audit, host=None):
    """Whether this engine (``host``) may run ``audit`` now; takes it when
    it has no owner or its owner's heartbeat stopped.
    """
    host = host or CONF.host
    owner = audit.hostname
    if owner == host:
        return True
    if owner is None:
        won = claim_audit(context, audit.uuid, host, expected=None)
    elif owner_is_alive(context, owner):
        return False
    else:
        LOG.warning('Decision engine %s is down; taking over continuous '
                    'audit %s', owner, audit.uuid)
        won = claim_audit(context, audit.uuid, host, expected=owner,
                          actor=states.TAKEOVER)
    if won:
        audit.hostname = host
        try:
            audit.obj_reset_changes(['hostname'])
        except Exception:
            pass
    return won


def orphaned_continuous_audits(context=None, now=None):
    """Active continuous audits whose owner is not a live decision engine
    (or that have no owner).
    """
    ctx = context or _admin()
    alive = live_hosts(ctx, DECISION_ENGINE, now=now)
    audits = objects.Audit.list(ctx, filters={
        'audit_type': 'CONTINUOUS',
        'state__in': list(ACTIVE_CONTINUOUS_STATES)})
    return [a for a in audits if a.hostname not in alive]


# --- restart settlement -----------------------------------------------------

def settle_decision_engine(context=None, host=None):
    """Settle the EVENT audits this host left ONGOING: they become FAILED,
    so that the next webhook call triggers them again. Continuous ones stay
    ONGOING (the engine resumes them); ONESHOT ones are run again by the
    recovery sweep (:mod:`watcher.decision_engine.audit.recovery`). Returns
    the settled audit uuids.
    """
    ctx = context or _admin()
    host = host or CONF.host
    settled = []
    audits = objects.Audit.list(ctx, filters={
        'hostname': host, 'state': objects.audit.State.ONGOING,
        'audit_type': objects.audit.AuditType.EVENT})
    for audit in audits:
        try:
            audit.fire('fail', states.ENGINE, expected={'hostname': host},
                       status_message=utils.truncate(
                           'Interrupted: the decision engine on %s '
                           'restarted while it ran; the next event triggers '
                           'it again' % host))
            settled.append(audit.uuid)
        except Exception:
            LOG.exception('Cannot settle audit %s left ONGOING', audit.uuid)
    if settled:
        LOG.warning('Settled audits left ONGOING by a previous run: %s',
                    ', '.join(settled))
    return settled


class ServiceJobStore(aps_sqlalchemy.SQLAlchemyJobStore):
    """APScheduler job store on ``apscheduler_jobs`` for one service.

    Rows carry ``service_id`` (and ``tag`` = ``{"host", "name"}``); this
    store reads, updates and removes only the rows of its service.
    """

    def __init__(self, service_id, tag=None, engine=None):
        super().__init__(engine=engine or _engine())
        self.jobs_t = models.APSchedulerJob.__table__
        self.service_id = service_id
        self.tag = tag

    def start(self, scheduler, alias):
        # the schema belongs to watcher-db-manage; do not create tables
        aps_sqlalchemy.BaseJobStore.start(self, scheduler, alias)

    def _mine(self):
        return self.jobs_t.c.service_id == self.service_id

    def lookup_job(self, job_id):
        stmt = sa.select(self.jobs_t.c.job_state).where(
            self.jobs_t.c.id == job_id, self._mine())
        with self.engine.begin() as conn:
            state = conn.execute(stmt).scalar()
        return self._reconstitute_job(state) if state else None

    def get_due_jobs(self, now):
        timestamp = aps_util.datetime_to_utc_timestamp(now)
        return self._get_jobs(self.jobs_t.c.next_run_time <= timestamp)

    def get_next_run_time(self):
        stmt = (sa.select(self.jobs_t.c.next_run_time)
                .where(self.jobs_t.c.next_run_time.is_not(None),
                       self._mine())
                .order_by(self.jobs_t.c.next_run_time).limit(1))
        with self.engine.begin() as conn:
            value = conn.execute(stmt).scalar()
        return aps_util.utc_timestamp_to_datetime(value)

    def add_job(self, job):
        values = {
            'id': job.id,
            'next_run_time': aps_util.datetime_to_utc_timestamp(
                job.next_run_time),
            'job_state': pickle.dumps(job.__getstate__(),
                                      self.pickle_protocol),
            'service_id': self.service_id,
            'tag': self.tag,
        }
        with self.engine.begin() as conn:
            try:
                conn.execute(self.jobs_t.insert().values(**values))
            except sa.exc.IntegrityError:
                raise aps_base.ConflictingIdError(job.id)

    def update_job(self, job):
        stmt = self.jobs_t.update().where(
            self.jobs_t.c.id == job.id, self._mine()).values(
            next_run_time=aps_util.datetime_to_utc_timestamp(
                job.next_run_time),
            job_state=pickle.dumps(job.__getstate__(), self.pickle_protocol))
        with self.engine.begin() as conn:
            if conn.execute(stmt).rowcount == 0:
                raise aps_base.JobLookupError(job.id)

    def remove_job(self, job_id):
        stmt = self.jobs_t.delete().where(self.jobs_t.c.id == job_id,
                                          self._mine())
        with self.engine.begin() as conn:
            if conn.execute(stmt).rowcount == 0:
                raise aps_base.JobLookupError(job_id)

    def remove_all_jobs(self):
        with self.engine.begin() as conn:
            conn.execute(self.jobs_t.delete().where(self._mine()))

    def shutdown(self):
        # the engine is watcher's own: do not dispose of it
        pass

    def _get_jobs(self, *conditions):
        jobs = []
        stmt = (sa.select(self.jobs_t.c.id, self.jobs_t.c.job_state)
                .where(self._mine(), *conditions)
                .order_by(self.jobs_t.c.next_run_time))
        broken = set()
        with self.engine.begin() as conn:
            for row in conn.execute(stmt):
                try:
                    jobs.append(self._reconstitute_job(row.job_state))
                except BaseException:
                    LOG.exception('Cannot restore scheduler job %s; '
                                  'removing it', row.id)
                    broken.add(row.id)
            if broken:
                conn.execute(self.jobs_t.delete().where(
                    self.jobs_t.c.id.in_(broken)))
        return jobs


def take_over_jobs(new_service_id, dead_service_ids=None, name=None,
                   now=None):
    """Give the scheduler jobs of dead services to ``new_service_id``.

    Without ``dead_service_ids``, every service of ``name`` (default: the
    new service's name) whose heartbeat is stale is considered dead.
    Returns the number of rows moved. Each row moves once (the UPDATE is
    conditional on the old owner), so two survivors never both get it.
    """
    ctx = _admin()
    if dead_service_ids is None:
        me = objects.Service.get_by_id(ctx, new_service_id)
        services = objects.Service.list(ctx, filters={
            'name': name or me.name})
        dead_service_ids = [s.id for s in services
                            if s.id != new_service_id and
                            not is_alive(s, now=now)]
    if not dead_service_ids:
        return 0
    table = models.APSchedulerJob.__table__
    me = objects.Service.get_by_id(ctx, new_service_id)
    stmt = table.update().where(
        table.c.service_id.in_(list(dead_service_ids))).values(
        service_id=new_service_id, tag={'host': me.host, 'name': me.name})
    with _engine().begin() as conn:
        moved = conn.execute(stmt).rowcount
    if moved:
        LOG.warning('Took over %d scheduler jobs of dead services %s',
                    moved, dead_service_ids)
    return moved
