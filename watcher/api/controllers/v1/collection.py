"""Collection documents: ``{"<plural>": [...], "next": "<url>"}``."""
from urllib import parse

from watcher.api.controllers import link


def next_url(resource_url, limit, marker, params=None):
    """Full URL of the next page: the same query plus limit and marker."""
    query = [(k, v) for k, v in (params or {}).items()
             if v is not None and k not in ('limit', 'marker')]
    query += [('limit', limit), ('marker', marker)]
    return '%s/v1/%s?%s' % (link.base_url(), resource_url,
                            parse.urlencode(query))


def page(plural, items, resource_url, limit, marker_of, params=None,
         has_more=False):
    """The collection document of one page.

    ``items`` are the views of the page; ``has_more`` says whether rows
    remain after it (the controller fetched one row more than ``limit``).
    """
    document = {plural: items}
    if has_more and items:
        document['next'] = next_url(resource_url, limit,
                                    marker_of(items[-1]), params)
    return document
