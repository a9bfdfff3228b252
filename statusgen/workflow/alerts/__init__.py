"""``statusgen alert``: a monitoring webhook turned into a proposed change of the status
repository.

- :mod:`.alert`: one alert, whatever sent it, and the checks of its fields;
- :mod:`.alertmanager`, :mod:`.grafana`, :mod:`.generic`: one payload format each;
- :mod:`.payloads`: the JSON read and its format recognised (or checked against
  ``--source``);
- :mod:`.routing`: alerts routed to components by the ``alerts`` matchers of
  components.yml, and their severity mapped to a component status;
- :mod:`.planning`: what the routed alerts change: open an incident, add an update with
  component changes, or nothing (a replay);
- :mod:`.run`: one ``statusgen alert`` run, from the payload to a commit on
  ``status/<id>`` (or on the current branch with ``--publish``).
"""
