"""Telling subscribers, on their channels, exactly once.

- :mod:`.messages`: what a notice says (title and Markdown body);
- :mod:`.targets`: the targets, read from the environment (a secret, never the repository);
- :mod:`.channels`: sending to a target (apprise, or a Statuspage subscriber webhook);
- :mod:`.ledger`: what was delivered to whom, kept in git;
- :mod:`.run`: one ``statusgen notify`` run, from two revisions to a saved ledger.
"""
