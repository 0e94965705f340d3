import logging
import os

from celery import Celery
from celery.contrib.django.task import DjangoTask
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdesk.settings")

logger = logging.getLogger("factdesk.tasks")

# What publishing raises with the broker down: kombu wraps most connection errors, but a
# connection that dies under a publish can surface as Redis's own error or a socket's (a drill
# once answered one POST of twenty with a 500 while Redis was stopped).
BrokerUnavailable = (OperationalError, RedisError, OSError)


class FactDeskTask(DjangoTask):
    """A task whose enqueueing never fails the caller: with the broker down, the row the task
    would work on is already stored, and the sweep (or beat's next tick) enqueues it again.

    Without this, a document stored while Redis is down turned into a 500 after its commit.
    """

    def apply_async(self, args=None, kwargs=None, **options):
        try:
            return super().apply_async(args, kwargs, **options)
        except BrokerUnavailable as error:
            logger.error(
                "Could not enqueue %s%s: the broker is unreachable (%s); the sweep will retry",
                self.name,
                tuple(args or ()),
                error,
            )
            return None


app = Celery("factdesk", task_cls=FactDeskTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
if app.conf.task_always_eager and not app.conf.broker_url:
    # The embedded default runs tasks in-process, yet Celery still takes a producer for each:
    # from an in-memory transport, not from a broker with no host (a kombu warning per task).
    app.conf.broker_url = "memory://localhost/"
app.autodiscover_tasks()
