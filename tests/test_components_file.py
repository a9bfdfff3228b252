"""components.yml: every rule and every error of FORMAT.md, with its line."""

from __future__ import annotations

import textwrap
from datetime import date

import pytest

from statusgen.content.components_file import parse_components
from statusgen.content.loader import read_site
from statusgen.core.errors import ContentError, ErrorLog
from statusgen.core.model import Catalog
from tests.conftest import COMPONENTS_YML, RepoWriter

PATH = "components.yml"


def parse(text: str) -> tuple[Catalog | None, list[ContentError]]:
    """Parse components.yml text (dedented, leading newline dropped)."""
    log = ErrorLog(PATH)
    catalog = parse_components(textwrap.dedent(text).lstrip("\n"), log)
    return catalog, log.errors


def errors_of(text: str) -> list[ContentError]:
    catalog, errors = parse(text)
    assert catalog is None, "a file with errors must not give a catalog"
    assert errors
    return errors


def assert_error(errors: list[ContentError], line: int | None, *fragments: str) -> None:
    """Some error is on ``line`` of components.yml and its message contains every fragment."""
    for error in errors:
        if error.line == line and all(f in error.message for f in fragments):
            assert error.path == PATH
            return
    listing = "\n".join(f"  {e}" for e in errors)
    pytest.fail(f"no error on line {line} containing {fragments!r}; got:\n{listing}")


# --- valid files ---------------------------------------------------------------------


def test_valid_file_with_groups_descriptions_and_since() -> None:
    catalog, errors = parse(
        """
        groups:
          - id: platform
            name: Platform
            description: Core services
          - id: apps
            name: Apps
        components:
          - id: api
            name: API
            description: Public REST API
            group: platform
          - id: webhooks
            name: Webhooks
            group: platform
          - id: dashboard
            name: Dashboard
            group: apps
          - id: website
            name: Website
            since: 2024-01-01
          - id: 2fa
            name: "404"
        """
    )
    assert errors == []
    assert catalog is not None
    assert [g.id for g in catalog.groups] == ["platform", "apps"]
    assert [g.position for g in catalog.groups] == [0, 1]
    assert catalog.group("platform").name == "Platform"
    assert catalog.group("platform").description == "Core services"
    assert catalog.group("apps").description is None
    assert [c.id for c in catalog.components] == ["api", "webhooks", "dashboard", "website", "2fa"]
    assert [c.position for c in catalog.components] == [0, 1, 2, 3, 4]
    api = catalog.component("api")
    assert (api.name, api.description, api.group, api.since) == (
        "API",
        "Public REST API",
        "platform",
        None,
    )
    assert catalog.component("website").since == date(2024, 1, 1)
    assert catalog.component("website").group is None
    assert catalog.component("2fa").name == "404"  # text as written, not a number
    assert [c.id for c in catalog.members("platform")] == ["api", "webhooks"]
    assert [c.id for c in catalog.members("apps")] == ["dashboard"]


def test_groups_are_optional() -> None:
    catalog, errors = parse(
        """
        components:
          - id: api
            name: API
        """
    )
    assert errors == []
    assert catalog is not None
    assert catalog.groups == ()
    assert [c.id for c in catalog.components] == ["api"]


def test_empty_groups_key_is_allowed() -> None:
    catalog, errors = parse("groups:\ncomponents:\n  - id: api\n    name: API\n")
    assert errors == []
    assert catalog is not None
    assert catalog.groups == ()


def test_conftest_components_file_is_valid() -> None:
    catalog, errors = parse(COMPONENTS_YML)
    assert errors == []
    assert catalog is not None
    assert [c.id for c in catalog.components] == ["api", "webhooks", "dashboard", "website"]


def test_components_file_is_read_by_the_loader(make_repo: RepoWriter) -> None:
    root = make_repo(components="components:\n  - id: api\n    name: API\n    nmae: x\n")
    site, errors = read_site(root)
    assert site is None
    assert [(e.path, e.line) for e in errors] == [("components.yml", 4)]
    assert "unknown key 'nmae'" in errors[0].message


# --- errors, one rule at a time ------------------------------------------------------

# (test id, text, line, fragments the message must contain). Lines are counted in the
# text as written: its first line (after the opening quotes) is line 1.
ERROR_CASES = [
    pytest.param(
        """
        components:
          - id: api
            name: API
          - id: api
            name: Another API
        """,
        4,
        ("duplicate component id 'api'", "unique"),
        id="duplicate-component-id",
    ),
    pytest.param(
        """
        groups:
          - id: platform
            name: Platform
          - id: platform
            name: Platform again
        components:
          - id: api
            name: API
        """,
        4,
        ("duplicate group id 'platform'",),
        id="duplicate-group-id",
    ),
    pytest.param(
        """
        components:
          - id: api
            name: API
          - id: API
            name: API
        """,
        4,
        ("component id 'API' is not a valid id", "lowercase", "(like 'api')"),
        id="uppercase-id",
    ),
    pytest.param(
        """
        components:
          - id: -api
            name: API
        """,
        2,
        ("component id '-api' is not a valid id", "(like 'api')"),
        id="leading-hyphen-id",
    ),
    pytest.param(
        """
        components:
          - id: my_api
            name: API
        """,
        2,
        ("component id 'my_api' is not a valid id", "(like 'my-api')"),
        id="underscore-id",
    ),
    pytest.param(
        """
        components:
          - id: public api
            name: API
        """,
        2,
        ("component id 'public api' is not a valid id", "(like 'public-api')"),
        id="space-in-id",
    ),
    pytest.param(
        """
        groups:
          - id: Core_Platform
            name: Platform
        components:
          - id: api
            name: API
        """,
        2,
        ("group id 'Core_Platform' is not a valid id", "(like 'core-platform')"),
        id="malformed-group-id",
    ),
    pytest.param(
        """
        groups:
          - id: platform
            name: Platform
        components:
          - id: api
            name: API
            group: platfrom
        """,
        7,
        ("component 'api'", "unknown group 'platfrom'", "(did you mean 'platform'?)"),
        id="unknown-group",
    ),
    pytest.param(
        """
        components:
          - id: api
            name: API
            group: platform
        """,
        4,
        ("unknown group 'platform'", "declare it under 'groups:'"),
        id="group-without-groups",
    ),
    pytest.param(
        """
        components:
          - id: api
            name: API
            descripton: Public REST API
        """,
        4,
        ("unknown key 'descripton'", "(did you mean 'description'?)", "allowed keys"),
        id="unknown-component-key",
    ),
    pytest.param(
        """
        groups:
          - id: platform
            name: Platform
            title: Core
        components:
          - id: api
            name: API
        """,
        4,
        (
            "group: unknown key 'title'",
            "allowed keys are 'id', 'name', 'description' or 'audiences'",
        ),
        id="unknown-group-key",
    ),
    pytest.param(
        """
        group:
          - id: platform
            name: Platform
        components:
          - id: api
            name: API
        """,
        1,
        ("unknown key 'group'", "(did you mean 'groups'?)"),
        id="unknown-top-level-key",
    ),
    pytest.param(
        """
        components:
          - id: api
            description: Public REST API
        """,
        2,
        ("component 'api': missing required key 'name'",),
        id="missing-name",
    ),
    pytest.param(
        """
        components:
          - id: api
            name: API
          - id: webhooks
            name:
        """,
        5,
        ("component 'webhooks'", "'name' is empty"),
        id="empty-name",
    ),
    pytest.param(
        """
        groups:
          - id: platform
        components:
          - id: api
            name: API
        """,
        2,
        ("group 'platform': missing required key 'name'",),
        id="missing-group-name",
    ),
    pytest.param(
        """
        components:
          - id: api
            name: API
          - name: Webhooks
            group: platform
        """,
        4,
        ("missing required key 'id'",),
        id="missing-id",
    ),
    pytest.param(
        """
        components:
          - id: [api]
            name: API
        """,
        2,
        ("'id' must be text, not a list",),
        id="id-not-text",
    ),
    pytest.param(
        """
        groups:
          - id: platform
            name: Platform
        components:
          - id: platform
            name: Platform
        """,
        5,
        ("component id 'platform' is already a group id",),
        id="component-id-equals-group-id",
    ),
    pytest.param(
        """
        components:
          - id: api
            name: API
            since: 2024-13-01
        """,
        4,
        ("component 'api'", "'since'", "'2024-13-01' is not a valid date"),
        id="since-invalid-date",
    ),
    pytest.param(
        """
        components:
          - id: api
            name: API
            since: last year
        """,
        4,
        ("component 'api'", "'since'", "'last year' is not a date", "YYYY-MM-DD"),
        id="since-not-a-date",
    ),
    pytest.param(
        """
        components:
          - id: api
            name: API
            since: 2024-01-01 12:00 UTC
        """,
        4,
        ("'since'", "'2024-01-01 12:00 UTC' is not a date"),
        id="since-with-time",
    ),
    pytest.param(
        """
        components:
          - id: api
            name: API
            name: Public API
        """,
        4,
        ("duplicate key 'name'", "(already set on line 3)"),
        id="duplicate-yaml-key-in-component",
    ),
    pytest.param(
        """
        components:
          - id: api
            name: API
        components:
          - id: webhooks
            name: Webhooks
        """,
        4,
        ("duplicate key 'components'", "(already set on line 1)"),
        id="duplicate-top-level-key",
    ),
    pytest.param(
        """
        components: []
        """,
        1,
        ("'components' is empty",),
        id="empty-components-list",
    ),
    pytest.param(
        """
        components: api
        """,
        1,
        ("'components' must be a list, not 'api'",),
        id="components-not-a-list",
    ),
    pytest.param(
        """
        components:
          - api
          - webhooks
        """,
        2,
        ("each item of 'components' must be a mapping", "not 'api'"),
        id="component-not-a-mapping",
    ),
    pytest.param(
        """
        - id: api
          name: API
        """,
        1,
        ("expected a mapping with 'components:'",),
        id="top-level-list",
    ),
    pytest.param(
        """
        just some text
        """,
        1,
        ("expected a mapping with 'components:'",),
        id="top-level-scalar",
    ),
    pytest.param(
        """
        components:
          - id: api
            name: [API
          - id: webhooks
            name: Webhooks
        """,
        4,
        ("invalid YAML",),
        id="invalid-yaml-unclosed-bracket",
    ),
    pytest.param(
        """
        components:
          - id: api
            name: API
           description: misindented
        """,
        4,
        ("invalid YAML",),
        id="invalid-yaml-indentation",
    ),
]


@pytest.mark.parametrize(("text", "line", "fragments"), ERROR_CASES)
def test_error(text: str, line: int, fragments: tuple[str, ...]) -> None:
    assert_error(errors_of(text), line, *fragments)


def test_invalid_yaml_with_a_tab_has_a_line() -> None:
    errors = errors_of("components:\n  - id: api\n\tname: API\n")
    assert_error(errors, 3, "invalid YAML")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("groups:\n  - id: platform\n    name: Platform\n", id="only-groups"),
        pytest.param("# nothing yet\ngroups: []\n", id="comment-and-groups"),
    ],
)
def test_missing_components_key(text: str) -> None:
    assert_error(errors_of(text), None, "missing required key 'components'")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("\n\n   \n", id="blank-lines"),
        pytest.param("# only a comment\n", id="comment"),
        pytest.param("~\n", id="null"),
    ],
)
def test_empty_file(text: str) -> None:
    errors = errors_of(text)
    assert_error(errors, None, "the file is empty", "components:")
    assert len(errors) == 1


def test_every_error_of_a_file_is_reported() -> None:
    errors = errors_of(
        """
        groups:
          - id: platform
            name: Platform
        components:
          - id: API
            name: API
          - id: webhooks
            group: platfrm
          - id: website
            name: Website
            since: someday
            colour: red
        """
    )
    assert_error(errors, 5, "'API' is not a valid id")
    assert_error(errors, 7, "component 'webhooks': missing required key 'name'")
    assert_error(errors, 8, "unknown group 'platfrm'", "(did you mean 'platform'?)")
    assert_error(errors, 11, "'someday' is not a date")
    assert_error(errors, 12, "unknown key 'colour'")
    assert len(errors) == 5


LINE_SEPARATORS = ["\u2028", "\u2029", "\x85"]


@pytest.mark.parametrize("separator", LINE_SEPARATORS)
def test_unicode_line_separators_are_rejected_on_their_line(
    make_repo: RepoWriter, separator: str
) -> None:
    """YAML counts them as line breaks, which would shift every later line number:
    the loader rejects them where they are, before YAML sees them."""
    components = f'components:\n  - id: api\n    name: "API{separator}v2"\n    nmae: x\n'
    _, errors = read_site(make_repo(components=components))
    assert [(e.path, e.line) for e in errors] == [(PATH, 3)]
    assert f"U+{ord(separator):04X}" in errors[0].message


@pytest.mark.parametrize(
    "text",
    [
        "components:\n  - id: api\n    name: API\n  oops",
        "components:\n  - id: api\n    name: API\n    description: [Public",
    ],
)
def test_yaml_error_at_the_end_of_a_file_without_final_newline_is_inside_it(text: str) -> None:
    errors = errors_of(text)
    assert all(e.line is not None and 1 <= e.line <= 4 for e in errors), errors
