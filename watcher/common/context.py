"""Request context of watcher (oslo.context with watcher's fields)."""
from oslo_context import context


class RequestContext(context.RequestContext):
    """Who is asking, and how deleted rows are treated."""

    def __init__(self, show_deleted=False, **kwargs):
        kwargs.setdefault('is_admin', False)
        super().__init__(**kwargs)
        self.show_deleted = show_deleted

    def to_dict(self):
        values = super().to_dict()
        values['show_deleted'] = self.show_deleted
        return values

    @classmethod
    def from_dict(cls, values, **kwargs):
        kwargs.setdefault('show_deleted', values.get('show_deleted', False))
        return super().from_dict(values, **kwargs)


def make_context(*args, **kwargs):
    return RequestContext(*args, **kwargs)


def get_admin_context(show_deleted=False):
    """A context for services acting on their own behalf."""
    return RequestContext(is_admin=True, show_deleted=show_deleted,
                          roles=['admin'], overwrite=False)
