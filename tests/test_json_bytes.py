"""The JSON outputs' encoder (statusgen.render.context.json_bytes): the bytes of
``json.dumps(indent=2, ensure_ascii=False)`` plus a newline, for any document made of the
values the outputs hold, and for the real API documents of a site."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from statusgen.content.config import read_site_config
from statusgen.content.loader import load_site
from statusgen.render.context import json_bytes
from statusgen.render.statuspage import API_PATHS, StatuspageDocuments
from statusgen.state.page import derive
from tests.conftest import RepoWriter

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def standard(document: object) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()


# Every character but lone surrogates (content is decoded UTF-8, which has none), so
# control characters, quotes, backslashes, U+2028, '</script>' and astral characters.
TEXT = st.text(st.characters(exclude_categories=["Cs"]))
SCALARS = st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1) | TEXT
DOCUMENTS = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=500)
@given(DOCUMENTS)
def test_any_document_gives_the_standard_librarys_bytes(document: object) -> None:
    assert json_bytes(document) == standard(document)


def test_special_characters_and_empty_containers() -> None:
    document = {
        "text": "".join(map(chr, range(0x30))) + '"\\/\x7f\u2028\u2029é😀</script>',
        "empty": [[], {}, ""],
        "nested": {"a": {"b": [None, True, False, 0, -1]}},
    }
    assert json_bytes(document) == standard(document)
    assert json_bytes([]) == b"[]\n"


def test_the_api_documents_of_a_site(make_repo: RepoWriter) -> None:
    root = make_repo(
        {
            "2026-11-20-db.md": """
                ---
                title: Database "slow" \\ é
                impact: major
                components:
                  api: major_outage
                ---

                ## 2026-11-20 10:00 UTC · Investigating

                Queries <b>time</b> out: `\\n` « ü ».

                ## 2026-11-20 11:00 UTC · Resolved

                Fixed.
                """
        }
    )
    documents = StatuspageDocuments(derive(load_site(root), NOW), read_site_config(root))
    assert documents.document("api/v2/incidents.json")["incidents"]
    for path in API_PATHS:  # one at a time, as render_api makes them
        document = documents.document(path)
        assert json_bytes(document) == standard(document)
