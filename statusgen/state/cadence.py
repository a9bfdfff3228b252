"""Regular updates: when an active incident's next update is due (``update_every``).

One rule, read by the pages ("Next update by …", "Update overdue" once ``now`` is past
it) and by ``statusgen remind``; the ``{next_update}`` placeholder of message templates
is the same interval after the update being written.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from statusgen.state.events import EventState


def next_update_due(state: EventState, every_minutes: int) -> datetime | None:
    """When the next update of an active incident is due: its latest published update
    plus the interval. None for a maintenance, an incident that is over, or when
    ``every_minutes`` is 0 (no promise)."""
    if every_minutes <= 0 or state.is_maintenance or not state.is_active:
        return None
    return state.updated_at + timedelta(minutes=every_minutes)
