"""Moving in: other status pages' history written as a statusgen repository.

Each source (:mod:`.statuspage`, :mod:`.statuspage_csv`, :mod:`.cstate`,
:mod:`.statusfy`) reads what it is given into a :class:`~.draft.Draft`, the neutral
description of a page; :mod:`.writer` turns a draft into FORMAT.md files, validates them
with the same loader as everything else and only then writes them.
"""

READ_TIMEOUT = 60.0
"""Seconds to wait for each answer of a server; here rather than in :mod:`.documents` so
that the command line can show it as a default without importing requests."""
