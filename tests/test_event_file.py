"""Incident and maintenance files: every rule and every error of FORMAT.md, with its line.

Most tests write a real repository (``make_repo``) and read it with the real loader, so
paths and line numbers are the ones a user sees. In the texts below, line 1 is the line
right after the opening quotes (``make_repo`` dedents the text and drops the first newline).
"""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime

import pytest

from statusgen.content.event_file import parse_event, section_starts
from statusgen.content.loader import read_site
from statusgen.core.errors import ContentError, ErrorLog
from statusgen.core.model import (
    ComponentStatus,
    Impact,
    Incident,
    IncidentStatus,
    Maintenance,
    MaintenanceStatus,
    Site,
)
from tests.conftest import RepoWriter

NAME = "2026-11-28-api.md"
PATH = f"incidents/{NAME}"

Line = int | range | None

# The frontmatter most test files share, indented like the texts it starts (make_repo
# dedents them).
API_HEADER = """
        ---
        title: API errors
        impact: major
        components: [api]
        ---"""


def api_incident(body: str) -> str:
    """The file of ``body`` under API_HEADER; ``body`` starts with the newline that ends
    the frontmatter's last line."""
    return API_HEADER + body


def load(make_repo: RepoWriter, text: str) -> tuple[Site | None, list[ContentError]]:
    return read_site(make_repo({NAME: text}))


def event_of(make_repo: RepoWriter, text: str) -> Incident | Maintenance:
    """The one event of a valid file."""
    site, errors = load(make_repo, text)
    assert errors == [], "\n".join(str(e) for e in errors)
    assert site is not None
    (event,) = site.events
    return event


def incident_of(make_repo: RepoWriter, text: str) -> Incident:
    event = event_of(make_repo, text)
    assert isinstance(event, Incident)
    return event


def maintenance_of(make_repo: RepoWriter, text: str) -> Maintenance:
    event = event_of(make_repo, text)
    assert isinstance(event, Maintenance)
    return event


def errors_of(make_repo: RepoWriter, text: str) -> list[ContentError]:
    site, errors = load(make_repo, text)
    assert site is None, "a file with errors must not be published"
    assert errors
    return errors


def assert_error(errors: list[ContentError], line: Line, *fragments: str) -> None:
    """Some error of the incident file is on ``line`` (or in a range) and has every fragment."""
    for error in errors:
        on_line = error.line in line if isinstance(line, range) else error.line == line
        if on_line and all(f in error.message for f in fragments):
            assert error.path == PATH
            return
    listing = "\n".join(f"  {e}" for e in errors)
    pytest.fail(f"no error on line {line} containing {fragments!r}; got:\n{listing}")


# --- valid files ---------------------------------------------------------------------

FORMAT_MD_EXAMPLE = """
    ---
    title: Elevated error rates on the API
    impact: major
    components:
      api: partial_outage
      webhooks: degraded_performance
    ---

    ## 2026-11-28 15:40 UTC — resolved
    Error rates are back to normal. We will publish a postmortem within five working days.

    ## 2026-11-28 14:30 UTC — identified
    A configuration change overloaded the connection pool. We are rolling it back.

    ## 2026-11-28 14:02 UTC — investigating
    We are investigating elevated error rates on the API.

    # Postmortem
    Blameless write-up: summary, impact, timeline, root cause, what went well, what we change.
    """


def test_the_format_md_example(make_repo: RepoWriter) -> None:
    event = incident_of(make_repo, FORMAT_MD_EXAMPLE)
    assert event.id == "2026-11-28-api"
    assert event.source.path == PATH
    assert event.title == "Elevated error rates on the API"
    assert event.impact is Impact.MAJOR
    assert dict(event.components) == {
        "api": ComponentStatus.PARTIAL_OUTAGE,
        "webhooks": ComponentStatus.DEGRADED_PERFORMANCE,
    }
    assert [(u.at, u.status, u.line) for u in event.updates] == [
        (datetime(2026, 11, 28, 14, 2, tzinfo=UTC), IncidentStatus.INVESTIGATING, 15),
        (datetime(2026, 11, 28, 14, 30, tzinfo=UTC), IncidentStatus.IDENTIFIED, 12),
        (datetime(2026, 11, 28, 15, 40, tzinfo=UTC), IncidentStatus.RESOLVED, 9),
    ]
    assert event.updates[0].body == "We are investigating elevated error rates on the API."
    assert event.last_update.body.startswith("Error rates are back to normal.")
    assert event.postmortem == (
        "Blameless write-up: summary, impact, timeline, root cause, what went well, what we change."
    )


@pytest.mark.parametrize(
    ("impact", "status"),
    [
        ("none", ComponentStatus.DEGRADED_PERFORMANCE),
        ("minor", ComponentStatus.DEGRADED_PERFORMANCE),
        ("major", ComponentStatus.PARTIAL_OUTAGE),
        ("critical", ComponentStatus.MAJOR_OUTAGE),
    ],
)
def test_list_components_take_their_status_from_the_impact(
    make_repo: RepoWriter, impact: str, status: ComponentStatus
) -> None:
    event = incident_of(
        make_repo,
        f"""
        ---
        title: API errors
        impact: {impact}
        components:
          - api
          - webhooks
        ---

        ## 2026-11-28 14:02 UTC — investigating
        We are investigating.
        """,
    )
    assert event.impact == Impact(impact)
    assert dict(event.components) == {"api": status, "webhooks": status}


def test_flow_list_of_components(make_repo: RepoWriter) -> None:
    event = incident_of(
        make_repo,
        """
        ---
        title: API errors
        impact: critical
        components: [api, dashboard]
        ---
        ## 2026-11-28 14:02 UTC — investigating
        """,
    )
    assert dict(event.components) == {
        "api": ComponentStatus.MAJOR_OUTAGE,
        "dashboard": ComponentStatus.MAJOR_OUTAGE,
    }


def test_components_may_be_an_empty_list_for_a_notice(make_repo: RepoWriter) -> None:
    event = incident_of(
        make_repo,
        """
        ---
        title: A notice
        impact: none
        components: []
        ---
        ## 2026-11-28 14:02 UTC — update
        Nothing is broken; this is a notice.
        """,
    )
    assert dict(event.components) == {}


@pytest.mark.parametrize("status", [s.value for s in ComponentStatus if s.value != "operational"])
def test_every_component_status_in_the_mapping(make_repo: RepoWriter, status: str) -> None:
    event = incident_of(
        make_repo,
        f"""
        ---
        title: API errors
        impact: minor
        components:
          api: {status}
        ---
        ## 2026-11-28 14:02 UTC — investigating
        """,
    )
    assert dict(event.components) == {"api": ComponentStatus(status)}


MAINTENANCE = """
    ---
    title: Database upgrade
    type: maintenance
    components: [api, webhooks]
    scheduled_start: 2026-12-01 02:00 +01:00
    scheduled_end: 2026-12-01T05:00:00Z
    ---

    ## 2026-12-01 05:00 UTC — completed
    Done.

    ## 2026-12-01 01:00 UTC — in progress
    Started.

    ## 2026-11-28 14:02 UTC — scheduled
    We will upgrade the database.
    """


def test_maintenance(make_repo: RepoWriter) -> None:
    event = maintenance_of(make_repo, MAINTENANCE)
    assert event.title == "Database upgrade"
    assert event.impact is Impact.MAINTENANCE
    assert event.scheduled_start == datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    assert event.scheduled_end == datetime(2026, 12, 1, 5, 0, tzinfo=UTC)
    assert dict(event.components) == {
        "api": ComponentStatus.UNDER_MAINTENANCE,
        "webhooks": ComponentStatus.UNDER_MAINTENANCE,
    }
    assert [u.status for u in event.updates] == [
        MaintenanceStatus.SCHEDULED,
        MaintenanceStatus.IN_PROGRESS,
        MaintenanceStatus.COMPLETED,
    ]


def test_maintenance_may_map_components_to_statuses(make_repo: RepoWriter) -> None:
    event = maintenance_of(
        make_repo,
        """
        ---
        title: Database upgrade
        type: maintenance
        components:
          api: partial_outage
        scheduled_start: 2026-12-01 02:00 UTC
        scheduled_end: 2026-12-01 04:00 UTC
        ---
        ## 2026-11-28 14:02 UTC — scheduled
        """,
    )
    assert dict(event.components) == {"api": ComponentStatus.PARTIAL_OUTAGE}


def test_type_incident_may_be_written(make_repo: RepoWriter) -> None:
    event = incident_of(
        make_repo,
        """
        ---
        title: API errors
        type: incident
        impact: minor
        components: [api]
        ---
        ## 2026-11-28 14:02 UTC — investigating
        """,
    )
    assert event.impact is Impact.MINOR


def test_values_are_text_as_written(make_repo: RepoWriter) -> None:
    # YAML would read 404 as a number and `none` as null; FORMAT.md means the text.
    event = incident_of(
        make_repo,
        """
        ---
        title: 404
        impact: none
        components: [api]
        ---
        ## 2026-11-28 14:02 UTC — investigating
        """,
    )
    assert event.title == "404"
    assert event.impact is Impact.NONE


@pytest.mark.parametrize("separator", ["—", "–", "-", "|", "·"])
def test_every_separator(make_repo: RepoWriter, separator: str) -> None:
    event = incident_of(
        make_repo,
        api_incident(f"""

        ## 2026-11-28 15:00 UTC {separator} resolved
        Fixed.

        ## 2026-11-28 14:02 -05:00 {separator} investigating
        Looking.
        """),
    )
    assert [(u.at, u.status) for u in event.updates] == [
        (datetime(2026, 11, 28, 15, 0, tzinfo=UTC), IncidentStatus.RESOLVED),
        (datetime(2026, 11, 28, 19, 2, tzinfo=UTC), IncidentStatus.INVESTIGATING),
    ]


@pytest.mark.parametrize(
    ("written", "status"),
    [
        ("Investigating", IncidentStatus.INVESTIGATING),
        ("IDENTIFIED", IncidentStatus.IDENTIFIED),
        ("Monitoring", IncidentStatus.MONITORING),
        ("update", IncidentStatus.UPDATE),
        ("ReSoLvEd", IncidentStatus.RESOLVED),
    ],
)
def test_incident_statuses_are_case_insensitive(
    make_repo: RepoWriter, written: str, status: IncidentStatus
) -> None:
    event = incident_of(
        make_repo,
        api_incident(f"""
        ## 2026-11-28 14:02 UTC — {written}
        """),
    )
    assert event.last_update.status is status


@pytest.mark.parametrize(
    ("written", "status"),
    [
        ("In Progress", MaintenanceStatus.IN_PROGRESS),
        ("in progress", MaintenanceStatus.IN_PROGRESS),
        ("in_progress", MaintenanceStatus.IN_PROGRESS),
        ("IN_PROGRESS", MaintenanceStatus.IN_PROGRESS),
        ("In_Progress", MaintenanceStatus.IN_PROGRESS),
        ("Scheduled", MaintenanceStatus.SCHEDULED),
        ("VERIFYING", MaintenanceStatus.VERIFYING),
        ("Completed", MaintenanceStatus.COMPLETED),
    ],
)
def test_maintenance_statuses_are_case_insensitive_with_spaces_or_underscores(
    make_repo: RepoWriter, written: str, status: MaintenanceStatus
) -> None:
    event = maintenance_of(
        make_repo,
        f"""
        ---
        title: Database upgrade
        type: maintenance
        components: [api]
        scheduled_start: 2026-12-01 02:00 UTC
        scheduled_end: 2026-12-01 04:00 UTC
        ---
        ## 2026-11-28 14:02 UTC — {written}
        """,
    )
    assert event.last_update.status is status


def test_updates_in_any_order_are_sorted_by_time(make_repo: RepoWriter) -> None:
    event = incident_of(
        make_repo,
        api_incident("""

        ## 2026-11-28 14:30 UTC — identified
        Second.

        ## 2026-11-28 15:40 UTC — resolved
        Fourth.

        ## 2026-11-28 14:02 UTC — investigating
        First.

        ## 2026-11-28 15:00 UTC — monitoring
        Third.
        """),
    )
    assert [u.body for u in event.updates] == ["First.", "Second.", "Third.", "Fourth."]
    assert [u.line for u in event.updates] == [13, 7, 16, 10]
    assert event.first_update.at == datetime(2026, 11, 28, 14, 2, tzinfo=UTC)


def test_updates_in_different_offsets_across_dst_are_sorted_by_instant(
    make_repo: RepoWriter,
) -> None:
    # 2026-10-25 in Paris: 02:30 happens twice, first at +02:00, then at +01:00.
    event = incident_of(
        make_repo,
        api_incident("""

        ## 2026-10-25 02:30 +01:00 — resolved
        Later (01:30 UTC).

        ## 2026-10-25 02:30 +02:00 — investigating
        Earlier (00:30 UTC).

        ## 2026-10-25 01:00 UTC — monitoring
        Between, written in UTC.
        """),
    )
    assert [(u.at, u.status) for u in event.updates] == [
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), IncidentStatus.INVESTIGATING),
        (datetime(2026, 10, 25, 1, 0, tzinfo=UTC), IncidentStatus.MONITORING),
        (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), IncidentStatus.RESOLVED),
    ]


def test_section_starts_are_the_level_1_and_2_headings_outside_code_and_comments() -> None:
    lines = [
        "## 2026-11-28 14:02 UTC — investigating",
        "### Details",
        "```",
        "## in code",
        "```",
        "<!-- ## hidden",
        "# still hidden -->",
        "#typo",
        "    ## indented code",
        "# Postmortem",
    ]
    assert list(section_starts(lines, first_line=7)) == [
        (7, "## 2026-11-28 14:02 UTC — investigating"),
        (14, "#typo"),
        (16, "# Postmortem"),
    ]


def test_level_3_headings_inside_an_update_are_text(make_repo: RepoWriter) -> None:
    event = incident_of(
        make_repo,
        api_incident("""

        ## 2026-11-28 14:02 UTC — investigating
        We are investigating.

        ### What you can do
        Retry later.

        #### Details
        ###### Deep
        """),
    )
    (update,) = event.updates
    assert "### What you can do" in update.body
    assert "#### Details" in update.body
    assert "###### Deep" in update.body


@pytest.mark.parametrize("fence", ["```", "~~~", "````"])
def test_headings_inside_fenced_code_are_text(make_repo: RepoWriter, fence: str) -> None:
    event = incident_of(
        make_repo,
        api_incident(f"""

        ## 2026-11-28 14:02 UTC — investigating
        The log said:

        {fence}
        ## not an update
        # Postmortem
        not a heading
        ---
        {fence}

        ## 2026-11-28 15:00 UTC — resolved
        Fixed.
        """),
    )
    assert [u.status for u in event.updates] == [
        IncidentStatus.INVESTIGATING,
        IncidentStatus.RESOLVED,
    ]
    assert "## not an update" in event.first_update.body
    assert "# Postmortem" in event.first_update.body
    assert event.postmortem is None


def test_a_longer_fence_is_not_closed_by_a_shorter_one(make_repo: RepoWriter) -> None:
    event = incident_of(
        make_repo,
        api_incident("""
        ## 2026-11-28 14:02 UTC — investigating
        ````markdown
        ```
        ## 2026-11-28 14:30 UTC — identified
        ```
        ````
        """),
    )
    (update,) = event.updates
    assert "## 2026-11-28 14:30 UTC — identified" in update.body


def test_indented_code_is_text(make_repo: RepoWriter) -> None:
    event = incident_of(
        make_repo,
        api_incident("""
        ## 2026-11-28 14:02 UTC — investigating
        Example:

            ## not a heading
            # neither
        """),
    )
    assert "    ## not a heading" in event.first_update.body


def test_horizontal_rule_after_a_blank_line_is_text(make_repo: RepoWriter) -> None:
    event = incident_of(
        make_repo,
        api_incident("""
        ## 2026-11-28 14:02 UTC — investigating
        Part one.

        ---

        Part two.
        """),
    )
    assert event.first_update.body == "Part one.\n\n---\n\nPart two."


def test_postmortem_ends_the_updates(make_repo: RepoWriter) -> None:
    event = incident_of(
        make_repo,
        api_incident("""

        ## 2026-11-28 15:00 UTC — resolved
        Fixed.

        ## 2026-11-28 14:02 UTC — investigating
        Looking.

        # Postmortem
        Summary of what happened.

        ## Timeline
        - 14:02 alert

        ## 2026-11-28 16:00 UTC — not an update here
        # Another level-1 heading in the postmortem
        """),
    )
    assert len(event.updates) == 2
    assert event.last_update.body == "Fixed."
    assert event.first_update.body == "Looking."
    assert event.postmortem is not None
    assert event.postmortem.startswith("Summary of what happened.")
    assert "## Timeline" in event.postmortem
    assert "## 2026-11-28 16:00 UTC — not an update here" in event.postmortem
    assert event.postmortem.endswith("# Another level-1 heading in the postmortem")


def test_no_postmortem(make_repo: RepoWriter) -> None:
    event = incident_of(
        make_repo,
        api_incident("""
        ## 2026-11-28 14:02 UTC — investigating
        """),
    )
    assert event.postmortem is None


def test_title_whitespace_is_collapsed(make_repo: RepoWriter) -> None:
    event = incident_of(
        make_repo,
        """
        ---
        title: >
          Elevated error rates
          on the API
        impact: major
        components: [api]
        ---
        ## 2026-11-28 14:02 UTC — investigating
        """,
    )
    assert event.title == "Elevated error rates on the API"


# --- decisions of docs/format.md where FORMAT.md is silent ---------------------------


def test_type_impact_and_component_statuses_are_case_insensitive(make_repo: RepoWriter) -> None:
    event = incident_of(
        make_repo,
        """
        ---
        title: API errors
        type: Incident
        impact: Major
        components:
          api: Partial Outage
          webhooks: DEGRADED_PERFORMANCE
        ---
        ## 2026-11-28 14:02 UTC — investigating
        """,
    )
    assert event.impact is Impact.MAJOR
    assert dict(event.components) == {
        "api": ComponentStatus.PARTIAL_OUTAGE,
        "webhooks": ComponentStatus.DEGRADED_PERFORMANCE,
    }


def test_components_may_be_an_empty_mapping(make_repo: RepoWriter) -> None:
    event = incident_of(
        make_repo,
        """
        ---
        title: A notice
        impact: none
        components: {}
        ---
        ## 2026-11-28 14:02 UTC — update
        """,
    )
    assert dict(event.components) == {}


def test_html_comments_are_allowed_anywhere_and_hide_headings(make_repo: RepoWriter) -> None:
    event = incident_of(
        make_repo,
        api_incident("""
        <!-- Draft: check with the on-call team before merging. -->

        <!--
        ## 2026-11-28 13:00 UTC — investigating
        # Postmortem
        -->
        ## 2026-11-28 14:02 UTC — investigating
        Looking. <!-- an inline note -->
        <!-- a note
        ## not a heading
        -->
        """),
    )
    (update,) = event.updates
    assert update.at == datetime(2026, 11, 28, 14, 2, tzinfo=UTC)
    # Comments are taken out of the text (never published) and kept for reviewers.
    assert update.body == "Looking."
    assert event.postmortem is None
    assert [(c.line, c.text) for c in event.comments] == [
        (6, "Draft: check with the on-call team before merging."),
        (8, "## 2026-11-28 13:00 UTC — investigating\n# Postmortem"),
        (13, "an inline note"),
        (14, "a note\n## not a heading"),
    ]


def test_comments_in_code_stay_and_comments_in_the_postmortem_go(make_repo: RepoWriter) -> None:
    event = incident_of(
        make_repo,
        api_incident("""
        ## 2026-11-28 14:02 UTC — resolved <!-- in the heading -->
        Fixed <!-- spanning
        two lines --> for good.
        ```html
        <!-- an example, in code -->
        ```

        # Postmortem
        Cause <!-- internal ticket OPS-1234 -->found.
        ```
        <!-- code in the postmortem -->
        ```
        """),
    )
    (update,) = event.updates
    assert update.body == "Fixed \n for good.\n```html\n<!-- an example, in code -->\n```"
    assert event.postmortem == "Cause found.\n```\n<!-- code in the postmortem -->\n```"
    assert "OPS-1234" in event.comments[-1].text


def test_an_unclosed_comment_in_the_postmortem_is_an_error(make_repo: RepoWriter) -> None:
    root = make_repo(
        {
            "2026-11-28-api.md": "---\ntitle: A\nimpact: minor\ncomponents: [api]\n---\n"
            "## 2026-11-28 14:02 UTC — resolved\nFixed.\n\n# Postmortem\nText <!-- open\n"
        }
    )
    _, errors = read_site(root)
    assert [str(e) for e in errors] == [
        "incidents/2026-11-28-api.md:10: this HTML comment is never closed: "
        "add a line '-->' where it ends"
    ]


def test_heading_without_space_after_hashes_counts_as_a_heading(make_repo: RepoWriter) -> None:
    # Python-Markdown renders '##Next steps' as a level-2 heading.
    errors = errors_of(
        make_repo,
        api_incident("""
        ## 2026-11-28 14:02 UTC — investigating
        ##Next steps
        """),
    )
    assert_error(errors, 7, "'## Next steps' is not an update")


def test_heading_without_space_can_be_an_update(make_repo: RepoWriter) -> None:
    event = incident_of(
        make_repo,
        api_incident("""
        ##2026-11-28 14:02 UTC — investigating
        """),
    )
    assert event.first_update.status is IncidentStatus.INVESTIGATING


@pytest.mark.parametrize("heading", ["# postmortem", "# POSTMORTEM", "# Postmortem #"])
def test_postmortem_heading_is_case_insensitive(make_repo: RepoWriter, heading: str) -> None:
    event = incident_of(
        make_repo,
        api_incident(f"""
        ## 2026-11-28 14:02 UTC — resolved
        {heading}
        It was DNS.
        """),
    )
    assert event.postmortem == "It was DNS."


# --- errors, one rule at a time ------------------------------------------------------

# (text, line, fragments). ``line`` is counted by hand in the text (line 1 is '---');
# a range is used for a missing key, which has no line of its own: the error must then
# point into the frontmatter.
ERROR_CASES = [
    pytest.param(
        """
        ---
        title: API errors
        impact: major
        components: [api]
        componets: [webhooks]
        ---

        ## 2026-11-28 14:02 UTC — investigating
        We are investigating.
        """,
        5,
        ("unknown key 'componets'", "(did you mean 'components'?)"),
        id="unknown-frontmatter-key",
    ),
    pytest.param(
        """
        ---
        titel: API errors
        impact: major
        components: [api]
        ---
        ## 2026-11-28 14:02 UTC — investigating
        """,
        2,
        ("unknown key 'titel'", "(did you mean 'title'?)"),
        id="misspelt-title",
    ),
    pytest.param(
        """
        ---
        impact: major
        components: [api]
        ---
        ## 2026-11-28 14:02 UTC — investigating
        """,
        range(1, 5),
        ("missing required key 'title'",),
        id="missing-title",
    ),
    pytest.param(
        """
        ---
        title: "  "
        impact: major
        components: [api]
        ---
        ## 2026-11-28 14:02 UTC — investigating
        """,
        2,
        ("'title' is empty",),
        id="empty-title",
    ),
    pytest.param(
        """
        ---
        title: [API, errors]
        impact: major
        components: [api]
        ---
        ## 2026-11-28 14:02 UTC — investigating
        """,
        2,
        ("'title' must be text, not a list",),
        id="title-not-text",
    ),
    pytest.param(
        """
        ---
        title: API errors
        components: [api]
        ---
        ## 2026-11-28 14:02 UTC — investigating
        """,
        range(1, 5),
        ("missing required key 'impact'", "'none', 'minor', 'major' or 'critical'"),
        id="missing-impact",
    ),
    pytest.param(
        """
        ---
        title: API errors
        impact: major
        ---
        ## 2026-11-28 14:02 UTC — investigating
        """,
        range(1, 5),
        ("missing required key 'components'",),
        id="missing-components",
    ),
    pytest.param(
        """
        ---
        title: API errors
        impact: major
        components:
        ---
        ## 2026-11-28 14:02 UTC — investigating
        """,
        4,
        ("'components' is empty", "components: []"),
        id="components-null",
    ),
    pytest.param(
        """
        ---
        title: API errors
        impact: major
        components: api
        ---
        ## 2026-11-28 14:02 UTC — investigating
        """,
        4,
        ("'components' must be a list of component ids or a mapping", "not 'api'"),
        id="components-scalar",
    ),
    pytest.param(
        """
        ---
        title: API errors
        impact: severe
        components: [api]
        ---
        ## 2026-11-28 14:02 UTC — investigating
        """,
        3,
        ("unknown impact 'severe'", "'none', 'minor', 'major' or 'critical'"),
        id="unknown-impact",
    ),
    pytest.param(
        """
        ---
        title: API errors
        impact: maintenance
        components: [api]
        ---
        ## 2026-11-28 14:02 UTC — investigating
        """,
        3,
        ("unknown impact 'maintenance'",),
        id="impact-maintenance-on-incident",
    ),
    pytest.param(
        """
        ---
        title: API errors
        impact: ~
        components: [api]
        ---
        ## 2026-11-28 14:02 UTC — investigating
        """,
        3,
        ("'impact' must be one of", "not empty"),
        id="impact-null",
    ),
    pytest.param(
        """
        ---
        title: API errors
        type: outage
        impact: major
        components: [api]
        ---
        ## 2026-11-28 14:02 UTC — investigating
        """,
        3,
        ("unknown type 'outage'", "'incident' or 'maintenance'"),
        id="unknown-type",
    ),
    pytest.param(
        """
        ---
        title: API errors
        impact: major
        components: [apii]
        ---
        ## 2026-11-28 14:02 UTC — investigating
        """,
        4,
        ("unknown component 'apii'", "(did you mean 'api'?)", "components.yml"),
        id="unknown-component-in-list",
    ),
    pytest.param(
        """
        ---
        title: API errors
        impact: major
        components:
          api: partial_outage
          webhoks: degraded_performance
        ---
        ## 2026-11-28 14:02 UTC — investigating
        """,
        6,
        ("unknown component 'webhoks'", "(did you mean 'webhooks'?)"),
        id="unknown-component-in-mapping",
    ),
    pytest.param(
        """
        ---
        title: API errors
        impact: major
        components:
          - api
          - api
        ---
        ## 2026-11-28 14:02 UTC — investigating
        """,
        6,
        ("component 'api' is listed twice",),
        id="component-listed-twice",
    ),
    pytest.param(
        """
        ---
        title: API errors
        impact: major
        components:
          api: partial_outage
          api: major_outage
        ---
        ## 2026-11-28 14:02 UTC — investigating
        """,
        6,
        ("duplicate key 'api'", "(already set on line 5)"),
        id="component-mapped-twice",
    ),
    pytest.param(
        """
        ---
        title: API errors
        impact: major
        components:
          api: down
        ---
        ## 2026-11-28 14:02 UTC — investigating
        """,
        5,
        ("unknown component status 'down'", "'partial_outage'"),
        id="unknown-component-status",
    ),
    pytest.param(
        """
        ---
        title: API errors
        impact: major
        components:
          api: operational
        ---
        ## 2026-11-28 14:02 UTC — investigating
        """,
        5,
        ("unknown component status 'operational'",),
        id="operational-is-not-an-affected-status",
    ),
    pytest.param(
        """
        ---
        title: API errors
        title: Another title
        impact: major
        components: [api]
        ---
        ## 2026-11-28 14:02 UTC — investigating
        """,
        3,
        ("duplicate key 'title'", "(already set on line 2)"),
        id="duplicate-frontmatter-key",
    ),
    pytest.param(
        """
        ---
        title: Database upgrade
        type: maintenance
        impact: major
        components: [api]
        scheduled_start: 2026-12-01 02:00 UTC
        scheduled_end: 2026-12-01 04:00 UTC
        ---

        ## 2026-11-28 14:02 UTC — scheduled
        """,
        4,
        ("a maintenance has no 'impact'",),
        id="impact-on-maintenance",
    ),
    pytest.param(
        """
        ---
        title: Database upgrade
        type: maintenance
        components: [api]
        scheduled_end: 2026-12-01 04:00 UTC
        ---
        ## 2026-11-28 14:02 UTC — scheduled
        """,
        range(1, 7),
        ("a maintenance needs 'scheduled_start'",),
        id="maintenance-without-scheduled-start",
    ),
    pytest.param(
        """
        ---
        title: Database upgrade
        type: maintenance
        components: [api]
        scheduled_start: 2026-12-01 02:00 UTC
        ---
        ## 2026-11-28 14:02 UTC — scheduled
        """,
        range(1, 7),
        ("a maintenance needs 'scheduled_end'",),
        id="maintenance-without-scheduled-end",
    ),
    pytest.param(
        """
        ---
        title: Database upgrade
        type: maintenance
        components: [api]
        scheduled_start: 2026-12-01 02:00 UTC
        scheduled_end: 2026-12-01 01:00 UTC
        ---
        ## 2026-11-28 14:02 UTC — scheduled
        """,
        6,
        (
            "'scheduled_end' must be after 'scheduled_start'",
            "2026-12-01 01:00 UTC is not after 2026-12-01 02:00 UTC",
        ),
        id="end-before-start",
    ),
    pytest.param(
        """
        ---
        title: Database upgrade
        type: maintenance
        components: [api]
        scheduled_start: 2026-12-01 02:00 UTC
        scheduled_end: 2026-12-01 03:00 +01:00
        ---
        ## 2026-11-28 14:02 UTC — scheduled
        """,
        6,
        ("'scheduled_end' must be after 'scheduled_start'", "2026-12-01 03:00 +01:00"),
        id="end-equals-start-in-another-offset",
    ),
    pytest.param(
        """
        ---
        title: Database upgrade
        type: maintenance
        components: [api]
        scheduled_start: 2026-12-01 02:00
        scheduled_end: 2026-12-01 04:00 UTC
        ---
        ## 2026-11-28 14:02 UTC — scheduled
        """,
        5,
        ("'scheduled_start'", "'2026-12-01 02:00' has no time zone"),
        id="naive-scheduled-start",
    ),
    pytest.param(
        """
        ---
        title: Database upgrade
        type: maintenance
        components: [api]
        scheduled_start: 2026-12-01 02:00 UTC
        scheduled_end: tomorrow
        ---
        ## 2026-11-28 14:02 UTC — scheduled
        """,
        6,
        ("'scheduled_end'", "'tomorrow' is not a timestamp"),
        id="scheduled-end-not-a-timestamp",
    ),
    pytest.param(
        """
        ---
        title: API errors
        impact: major
        components: [api]
        scheduled_start: 2026-12-01 02:00 UTC
        ---
        ## 2026-11-28 14:02 UTC — investigating
        """,
        5,
        ("'scheduled_start' is only for maintenance", "type: maintenance"),
        id="scheduled-start-on-incident",
    ),
    pytest.param(
        """
        ---
        title: API errors
        impact: major
        components: [api]
        scheduled_end: 2026-12-01 02:00 UTC
        ---
        ## 2026-11-28 14:02 UTC — investigating
        """,
        5,
        ("'scheduled_end' is only for maintenance",),
        id="scheduled-end-on-incident",
    ),
    pytest.param(
        api_incident("""

        ## 2026-11-28 14:02 UTC — investigatin
        """),
        7,
        ("unknown incident status 'investigatin'", "(did you mean 'investigating'?)"),
        id="unknown-status",
    ),
    pytest.param(
        api_incident("""

        ## 2026-11-28 14:02 UTC — In Progress
        """),
        7,
        ("status 'In Progress' is for a maintenance, not an incident", "type: maintenance"),
        id="maintenance-status-on-incident",
    ),
    pytest.param(
        """
        ---
        title: Database upgrade
        type: maintenance
        components: [api]
        scheduled_start: 2026-12-01 02:00 UTC
        scheduled_end: 2026-12-01 04:00 UTC
        ---

        ## 2026-11-28 14:02 UTC — resolved
        """,
        9,
        ("status 'resolved' is for an incident, not a maintenance", "'completed'"),
        id="incident-status-on-maintenance",
    ),
    pytest.param(
        api_incident("""

        ## 2026-11-28 14:02 — investigating
        """),
        7,
        ("'2026-11-28 14:02' has no time zone", "never guessed"),
        id="naive-timestamp",
    ),
    pytest.param(
        api_incident("""

        ## 2026-11-28 14:02 CET — investigating
        """),
        7,
        ("time zone 'CET'", "not accepted"),
        id="named-zone",
    ),
    pytest.param(
        api_incident("""

        ## 2026-11-28 16:02 +0200 — investigating
        """),
        7,
        ("offset '+0200'", "needs a colon", "+02:00"),
        id="compact-offset",
    ),
    pytest.param(
        api_incident("""

        ## 2026-02-30 14:02 UTC — investigating
        """),
        7,
        ("'2026-02-30 14:02 UTC' is not a valid time",),
        id="invalid-date",
    ),
    pytest.param(
        api_incident("""

        ## 2026-11-28 14:02 UTC
        We are investigating.
        """),
        7,
        ("'## 2026-11-28 14:02 UTC' has no status",),
        id="heading-without-status",
    ),
    pytest.param(
        api_incident("""

        ## 2026-11-28 14:02 UTC—investigating
        """),
        7,
        ("'## 2026-11-28 14:02 UTC—investigating' has no status", "spaces around"),
        id="separator-without-spaces",
    ),
    pytest.param(
        api_incident("""

        ## 2026-11-28 14:02 UTC — investigating
        We are investigating.

        ## Next steps
        We will roll back.
        """),
        10,
        ("level-2 heading '## Next steps' is not an update", "###"),
        id="level-2-heading-not-an-update",
    ),
    pytest.param(
        api_incident("""

        ## 2026-11-28 14:02 UTC — investigating
        We are investigating.

        # Timeline
        """),
        10,
        ("unexpected level-1 heading '# Timeline'", "'# Postmortem'"),
        id="level-1-heading-not-postmortem",
    ),
    pytest.param(
        api_incident("""

        ## 2026-11-28 14:02 UTC — investigating
        We are investigating.

        # Post-mortem
        It was DNS.
        """),
        10,
        ("'# Post-mortem'", "(did you mean '# Postmortem'?)"),
        id="misspelt-postmortem",
    ),
    pytest.param(
        api_incident("""

        ## 2026-11-28 14:02 UTC — investigating
        We are investigating.

        # Postmortem

        """),
        10,
        ("'# Postmortem' has no text",),
        id="empty-postmortem",
    ),
    pytest.param(
        api_incident("""

        Some context first.

        ## 2026-11-28 14:02 UTC — investigating
        """),
        7,
        ("text before the first update",),
        id="text-before-first-update",
    ),
    pytest.param(
        api_incident("""

        ## 2026-11-28 15:00 UTC — resolved
        Fixed.

        ## 2026-11-28 15:00 UTC — identified
        Found it.
        """),
        10,
        ("two updates at the same time", "2026-11-28 15:00:00 UTC", "lines 7 and 10"),
        id="duplicate-timestamp",
    ),
    pytest.param(
        api_incident("""

        ## 2026-11-28 17:00 +02:00 — resolved
        Fixed.

        ## 2026-11-28 10:00 -05:00 — identified
        Found it.

        ## 2026-11-28 15:00 UTC — monitoring
        Watching.
        """),
        10,
        ("two updates at the same time", "2026-11-28 15:00:00 UTC", "lines 7 and 10"),
        id="duplicate-instant-in-different-offsets",
    ),
    pytest.param(
        api_incident("""
        """),
        range(5, 7),
        ("no update", "## 2026-11-28 14:02 UTC — investigating"),
        id="no-update",
    ),
    pytest.param(
        api_incident("""

        ## 2026-11-28 14:02 UTC — investigating
        Root cause
        ===
        """),
        9,
        ("this line of '=' turns the line above into a level-1 heading",),
        id="setext-level-1",
    ),
    pytest.param(
        api_incident("""

        ## 2026-11-28 14:02 UTC — investigating
        We are investigating.
        Next steps
        ----------
        """),
        10,
        ("this line of '-' turns the line above into a level-2 heading",),
        id="setext-level-2",
    ),
    pytest.param(
        """
        ---
        title: API errors: now
        impact: major
        components: [api]
        ---
        ## 2026-11-28 14:02 UTC — investigating
        """,
        2,
        ("frontmatter: invalid YAML",),
        id="invalid-yaml-colon-in-value",
    ),
    pytest.param(
        """
        ---
        title: API errors
        impact: major
          components: [api]
        ---
        ## 2026-11-28 14:02 UTC — investigating
        """,
        4,
        ("frontmatter: invalid YAML",),
        id="invalid-yaml-indentation",
    ),
    pytest.param(
        """
        ---
        - title
        - impact
        ---
        ## 2026-11-28 14:02 UTC — investigating
        """,
        2,
        ("the frontmatter must be a mapping",),
        id="frontmatter-not-a-mapping",
    ),
    pytest.param(
        """
        title: API errors
        impact: major
        components: [api]

        ## 2026-11-28 14:02 UTC — investigating
        """,
        1,
        ("missing frontmatter", "'---'"),
        id="missing-frontmatter",
    ),
    pytest.param(
        """
        ---
        title: API errors
        impact: major
        components: [api]

        ## 2026-11-28 14:02 UTC — investigating
        """,
        1,
        ("the frontmatter is not closed", "'---'"),
        id="unclosed-frontmatter",
    ),
]


@pytest.mark.parametrize(("text", "line", "fragments"), ERROR_CASES)
def test_error(make_repo: RepoWriter, text: str, line: Line, fragments: tuple[str, ...]) -> None:
    assert_error(errors_of(make_repo, text), line, *fragments)


def test_every_error_of_a_file_is_reported(make_repo: RepoWriter) -> None:
    errors = errors_of(
        make_repo,
        """
        ---
        title: API errors
        impact: majr
        components: [apii]
        ---

        Intro text.

        ## 2026-11-28 14:02 — investigating

        ## 2026-11-28 15:00 UTC — resolvd
        """,
    )
    assert_error(errors, 3, "unknown impact 'majr'", "(did you mean 'major'?)")
    assert_error(errors, 4, "unknown component 'apii'")
    assert_error(errors, 7, "text before the first update")
    assert_error(errors, 9, "no time zone")
    assert_error(errors, 11, "unknown incident status 'resolvd'", "(did you mean 'resolved'?)")
    assert len(errors) == 5


def test_an_error_names_the_file_in_a_subfolder(make_repo: RepoWriter) -> None:
    root = make_repo(
        {
            "2026/11/2026-11-28-api.md": """
            ---
            title: API errors
            impact: major
            components: [apii]
            ---
            ## 2026-11-28 14:02 UTC — investigating
            """
        }
    )
    _, errors = read_site(root)
    assert [(e.path, e.line) for e in errors] == [("incidents/2026/11/2026-11-28-api.md", 4)]
    assert str(errors[0]) == (
        "incidents/2026/11/2026-11-28-api.md:4: unknown component 'apii' "
        "(did you mean 'api'?); components are declared in components.yml"
    )


def test_components_are_not_checked_without_a_catalog() -> None:
    log = ErrorLog(PATH)
    event = parse_event(
        "---\ntitle: T\nimpact: minor\ncomponents: [anything]\n---\n"
        "## 2026-11-28 14:02 UTC — investigating\n",
        "x",
        log,
        None,
    )
    assert log.errors == []
    assert event is not None
    assert dict(event.components) == {"anything": ComponentStatus.DEGRADED_PERFORMANCE}


# --- bodies that Markdown and a line scanner could read differently -------------------


def test_an_unclosed_fence_does_not_hide_later_updates(make_repo: RepoWriter) -> None:
    site, errors = load(
        make_repo,
        api_incident("""

        ## 2026-11-28 14:02 UTC — investigating
        The log said:
        ```
        connection refused

        ## 2026-11-28 15:00 UTC — resolved
        Fixed.
        """),
    )
    # Either the missing closing fence is an error, or the heading is an update.
    if site is not None:
        (event,) = site.events
        assert [u.status for u in event.updates] == [
            IncidentStatus.INVESTIGATING,
            IncidentStatus.RESOLVED,
        ]
    else:
        assert any(e.line in (9, 12) for e in errors)


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_unicode_line_separators_are_rejected_on_their_line(
    make_repo: RepoWriter, separator: str
) -> None:
    """YAML counts them as line breaks, which would shift every later line number."""
    errors = errors_of(
        make_repo,
        f'---\ntitle: "API{separator}errors"\nimpact: severe\ncomponents: [api]\n---\n'
        "## 2026-11-28 14:02 UTC — investigating\n",
    )
    assert_error(errors, 2, f"U+{ord(separator):04X}")


def test_an_unclosed_html_comment_does_not_hide_later_updates(make_repo: RepoWriter) -> None:
    site, errors = load(
        make_repo,
        api_incident("""

        ## 2026-11-28 14:02 UTC — investigating
        Looking.

        <!-- internal note

        ## 2026-11-28 15:00 UTC — resolved
        Fixed.
        """),
    )
    if site is not None:
        (event,) = site.events
        assert event.last_update.status is IncidentStatus.RESOLVED
    else:
        assert any(e.line in (10, 12) for e in errors)


@pytest.mark.parametrize(
    "before",
    [
        "<!-- note --> Read this first.",
        "<!-- a longer\nnote --> Read this first.",
    ],
)
def test_text_after_a_comment_before_the_first_update_is_an_error(
    make_repo: RepoWriter, before: str
) -> None:
    errors = errors_of(
        make_repo,
        "---\ntitle: API errors\nimpact: major\ncomponents: [api]\n---\n"
        f"{before}\n## 2026-11-28 14:02 UTC — investigating\n",
    )
    assert any("text before the first update" in e.message for e in errors)


def test_an_invisible_character_is_shown_in_the_message(make_repo: RepoWriter) -> None:
    errors = errors_of(
        make_repo,
        "---\ntitle: T\nimpact: minor\ncomponents: [a\u200bpi]\n---\n"
        "## 2026-11-28 14:02 UTC — investigating\n",
    )
    assert_error(errors, 4, "unknown component 'a<U+200B>pi'")


# --- component changes in an update (FORMAT.md v2) -----------------------------------

CHANGES_EXAMPLE = """
    ---
    title: Elevated error rates on the API
    impact: major
    components:
      api: major_outage
    ---

    ## 2026-11-28 15:40 UTC — resolved
    Back to normal.

    ## 2026-11-28 14:55 UTC — Monitoring [api: degraded_performance, webhooks: Operational]
    The API is recovering; webhooks are delivered again.

    ## 2026-11-28 14:30 UTC — update [webhooks: partial outage]
    Webhooks are delayed too.

    ## 2026-11-28 14:02 UTC — investigating
    We are investigating.
    """


def test_an_update_heading_may_end_with_component_changes(make_repo: RepoWriter) -> None:
    event = incident_of(make_repo, CHANGES_EXAMPLE)
    assert dict(event.components) == {"api": ComponentStatus.MAJOR_OUTAGE}
    assert [(u.status, dict(u.changes), u.line) for u in event.updates] == [
        (IncidentStatus.INVESTIGATING, {}, 17),
        (IncidentStatus.UPDATE, {"webhooks": ComponentStatus.PARTIAL_OUTAGE}, 14),
        (
            IncidentStatus.MONITORING,
            {
                "api": ComponentStatus.DEGRADED_PERFORMANCE,
                "webhooks": ComponentStatus.OPERATIONAL,
            },
            11,
        ),
        (IncidentStatus.RESOLVED, {}, 8),
    ]
    # The changes keep the order written; the bracket is not part of the update's text.
    assert list(event.updates[2].changes) == ["api", "webhooks"]
    assert event.updates[2].body == "The API is recovering; webhooks are delivered again."
    # A component first named in an update counts among the incident's components.
    assert event.component_ids == ("api", "webhooks")


@pytest.mark.parametrize("status", [s.value for s in ComponentStatus])
def test_every_component_status_in_a_change(make_repo: RepoWriter, status: str) -> None:
    event = incident_of(
        make_repo,
        f"""
        ---
        title: API errors
        impact: minor
        components: []
        ---
        ## 2026-11-28 14:02 UTC — identified [dashboard:{status}]
        """,
    )
    assert dict(event.updates[0].changes) == {"dashboard": ComponentStatus(status)}
    assert event.component_ids == ("dashboard",)


def test_an_update_without_a_bracket_changes_nothing(make_repo: RepoWriter) -> None:
    event = incident_of(make_repo, FORMAT_MD_EXAMPLE)
    assert all(dict(u.changes) == {} for u in event.updates)
    assert event.component_ids == ("api", "webhooks")


CHANGE_HEADER = textwrap.dedent(API_HEADER).lstrip("\n") + "\n"

CHANGE_ERROR_CASES = [
    pytest.param(
        "## 2026-11-28 14:02 UTC — identified [apii: partial_outage]",
        ("unknown component 'apii'", "(did you mean 'api'?)", "components.yml"),
        id="unknown-component",
    ),
    pytest.param(
        "## 2026-11-28 14:02 UTC — identified [api: down]",
        ("unknown component status 'down'", "'operational'", "'major_outage'"),
        id="unknown-status",
    ),
    pytest.param(
        "## 2026-11-28 14:02 UTC — identified [api: operatonal]",
        ("unknown component status 'operatonal'", "(did you mean 'operational'?)"),
        id="misspelt-status",
    ),
    pytest.param(
        "## 2026-11-28 14:02 UTC — identified [api: operational, webhooks: major_outage, "
        "api: partial_outage]",
        ("component 'api' is named twice in the bracket",),
        id="component-twice",
    ),
    pytest.param(
        "## 2026-11-28 14:02 UTC — identified []",
        ("empty bracket", "remove the brackets"),
        id="empty-bracket",
    ),
    pytest.param(
        "## 2026-11-28 14:02 UTC — identified [  ]",
        ("empty bracket",),
        id="blank-bracket",
    ),
    pytest.param(
        "## 2026-11-28 14:02 UTC — resolved [api: operational]",
        ("a 'resolved' update cannot change components", "remove the bracket"),
        id="bracket-on-resolved",
    ),
    pytest.param(
        "## 2026-11-28 14:02 UTC — identified [api operational]",
        ("component change 'api operational' must be 'component-id: status'",),
        id="entry-without-colon",
    ),
    pytest.param(
        "## 2026-11-28 14:02 UTC — identified [api: operational,]",
        ("the bracket has an empty entry",),
        id="extra-comma",
    ),
    pytest.param(
        "## 2026-11-28 14:02 UTC — identified [api: operational",
        ("one bracket at the end",),
        id="unclosed-bracket",
    ),
    pytest.param(
        "## 2026-11-28 14:02 UTC — identified [api: operational] for now",
        ("one bracket at the end",),
        id="text-after-bracket",
    ),
]


@pytest.mark.parametrize(("heading", "fragments"), CHANGE_ERROR_CASES)
def test_component_change_error(
    make_repo: RepoWriter, heading: str, fragments: tuple[str, ...]
) -> None:
    # The heading is on line 6 (line 1 is '---'), after a valid first update on line 8.
    text = CHANGE_HEADER + f"{heading}\nText.\n## 2026-11-28 13:00 UTC — investigating\n"
    assert_error(errors_of(make_repo, text), 6, *fragments)


def test_a_bracket_on_a_maintenance_update_is_an_error(make_repo: RepoWriter) -> None:
    errors = errors_of(
        make_repo,
        """
        ---
        title: Database upgrade
        type: maintenance
        components: [api]
        scheduled_start: 2026-12-01 02:00 UTC
        scheduled_end: 2026-12-01 04:00 UTC
        ---
        ## 2026-12-01 02:00 UTC — in progress [api: operational]
        """,
    )
    assert_error(errors, 8, "a maintenance update cannot change components", "remove the bracket")


def test_every_change_error_of_a_bracket_is_reported(make_repo: RepoWriter) -> None:
    errors = errors_of(
        make_repo,
        CHANGE_HEADER
        + "## 2026-11-28 14:02 UTC — identified [apii: down, webhooks: major_outage]\n",
    )
    assert_error(errors, 6, "unknown component 'apii'")
    assert_error(errors, 6, "unknown component status 'down'")
    assert len(errors) == 2
