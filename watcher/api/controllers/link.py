"""Self and bookmark links of API resources."""
import pecan


def base_url():
    return pecan.request.application_url


def build_url(collection, ident='', base=None, bookmark=False):
    base = base if base is not None else base_url()
    if bookmark:
        return '%s/%s/%s' % (base, collection, ident)
    return '%s/v1/%s/%s' % (base, collection, ident)


def make_links(collection, ident, base=None):
    """[self, bookmark] links of one resource (or collection if no ident)."""
    base = base if base is not None else base_url()
    return [
        {'href': '%s/v1/%s/%s' % (base, collection, ident), 'rel': 'self'},
        {'href': '%s/%s/%s' % (base, collection, ident), 'rel': 'bookmark'},
    ]
