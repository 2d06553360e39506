"""Reloading the browser before MkDocs' preview server has finished a build.

MkDocs' live-reload server shows a new version of the site only once its builder
returns, and holds every page request until then.  A preview writes the edited
bulletin's page first, a fraction of the whole build: `show_now` lets the browser
reload it at once.  MkDocs has no public call for this; this function is the one place
that touches the server's (private) epochs, and does nothing when they are not there.
"""
from __future__ import annotations


def show_now(server) -> bool:
    """Mark the build under way as visible: waiting browsers reload, page requests are answered.

    Returns False when the server is not MkDocs' (or has changed), and nothing is done."""
    cond = getattr(server, "_epoch_cond", None)
    if cond is None or not hasattr(server, "_wanted_epoch") or not hasattr(server, "_visible_epoch"):
        return False
    with cond:
        server._visible_epoch = server._wanted_epoch
        cond.notify_all()
    return True
