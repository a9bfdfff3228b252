"""Nothing from outside the repository is read or published: symbolic links may point
anywhere (``/proc/self/environ`` holds the build's secrets), so ``validate`` reports each
link that leaves the repository and ``build`` refuses it. The real commands, real links."""

from __future__ import annotations

from pathlib import Path

import pytest

from statusgen.site.serve import Preview
from tests.conftest import RepoWriter, statusgen
from tests.test_site import INCIDENT, make_site

NOW = "2026-11-30 12:00 UTC"
OUTSIDE_MESSAGE = "outside the repository: statusgen publishes nothing from outside it"


@pytest.fixture
def repo(make_repo: RepoWriter, tmp_path: Path) -> Path:
    root = make_site(make_repo, {"2026-11-28-api.md": INCIDENT})
    (root / "mkdocs.yml").write_text(
        (root / "mkdocs.yml")
        .read_text()
        .replace("  name: material\n", "  name: material\n  custom_dir: theme\n")
    )
    (root / "theme").mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI\n")
    return root


def secret_file(root: Path) -> Path:
    return root.parent / "secret.txt"


@pytest.mark.parametrize(
    ("link", "target"),
    [
        ("incidents/2026-11-29-env.md", "/proc/self/environ"),
        ("incidents/2026-11-29-secret.md", "secret"),
        ("incidents/archive", "folder"),
        ("pages/notes.txt", "secret"),
        ("pages/etc", "/etc"),
        ("theme/extra.css", "secret"),
        ("theme/assets", "folder"),
    ],
)
def test_a_link_out_of_the_repository_is_an_error(repo: Path, link: str, target: str) -> None:
    folder = secret_file(repo).parent / "elsewhere"
    folder.mkdir(exist_ok=True)
    (folder / "2026-11-29-x.md").write_text(INCIDENT)
    destination = {"secret": secret_file(repo), "folder": folder}.get(target, Path(target))
    (repo / link).symlink_to(destination)

    validated = statusgen("validate", "--root", repo)
    assert validated.returncode == 1
    assert f"{link}: " in validated.stdout
    assert OUTSIDE_MESSAGE in validated.stdout
    built = statusgen("build", "--root", repo, "--now", NOW)
    assert built.returncode == 1
    assert f"{link}: " in built.stderr
    assert "Traceback" not in validated.stderr + built.stderr
    assert not (repo / "site").exists()
    assert "wJalrXUtnFEMI" not in validated.stdout + built.stderr


def test_a_linked_components_file_is_an_error(repo: Path) -> None:
    outside = secret_file(repo).parent / "components.yml"
    (repo / "components.yml").rename(outside)
    (repo / "components.yml").symlink_to(outside)
    result = statusgen("validate", "--root", repo)
    assert result.returncode == 1
    assert f"components.yml: cannot be read: it is a link to {outside}, {OUTSIDE_MESSAGE}" in (
        result.stdout
    )


def test_links_inside_the_repository_are_fine(repo: Path) -> None:
    (repo / "pages" / "shared.css").write_text("p { margin: 0 }\n")
    (repo / "theme" / "extra.css").symlink_to(repo / "pages" / "shared.css")
    (repo / "incidents" / "2026-11-28-api-copy.md").symlink_to(
        repo / "incidents" / "2026-11-28-api.md"
    )
    result = statusgen("validate", "--root", repo)
    assert result.returncode == 0, result.stdout
    assert "OK: 4 components, 2 incidents" in result.stderr


def test_the_preview_serves_no_file_through_a_link_out(repo: Path) -> None:
    (repo / "theme" / "leak.txt").symlink_to(secret_file(repo))
    (repo / "pages" / "fine.txt").write_text("fine\n")
    (repo / "theme" / "leak.txt").unlink()
    preview = Preview(repo)
    assert preview.respond("/fine.txt")[0] == 200
    (repo / "pages" / "leak.txt").symlink_to(secret_file(repo))
    status, _, body = preview.respond("/leak.txt")
    assert status in (404, 500)
    assert b"wJalrXUtnFEMI" not in body


def test_the_preview_answers_a_name_too_long_for_the_file_system(repo: Path) -> None:
    preview = Preview(repo)
    status, _, _ = preview.respond("/" + "a" * 300 + "/x.css")
    assert status == 404
