"""Where the documents of an import come from: a folder, or a web server.

Remote documents are fetched with requests, with a connect and a read timeout and a
few retries (urllib3's ``Retry``: backoff, ``Retry-After`` honoured) for the errors that
pass (connection resets, 429 and 5xx); a 404 means the document is not there. Every
document is read up to a size limit, so that a wrong URL cannot fill the memory.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ReadTimeoutError
from urllib3.util.retry import Retry

from statusgen.workflow.importers import READ_TIMEOUT
from statusgen.workflow.importers.draft import SourceError

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
CONNECT_TIMEOUT = 10.0
RETRIES = 3
API_PATH = "api/v2/"

Progress = Callable[[str], None]
"""Called with each document's name once it has been read."""


class Documents(Protocol):
    def describe(self) -> str:
        """Where, in words: a folder or a URL."""
        ...

    def where(self, name: str) -> str:
        """The path or URL of one document, for messages."""
        ...

    def get(self, name: str) -> bytes | None:
        """The bytes of a document; None when the source does not have it.

        :raises SourceError: when it exists but cannot be read.
        """
        ...


class FolderDocuments:
    """Documents saved in a folder (``summary.json``, ``components.json``, …)."""

    def __init__(self, root: Path) -> None:
        if not root.is_dir():
            raise SourceError(f"{root}: not a folder (give the folder that holds the documents)")
        self.root = root

    def describe(self) -> str:
        return str(self.root)

    def where(self, name: str) -> str:
        return str(self.root / name)

    def get(self, name: str) -> bytes | None:
        path = self.root / name
        try:
            with path.open("rb") as file:
                data = file.read(MAX_DOCUMENT_BYTES + 1)
        except FileNotFoundError:
            return None
        except OSError as error:
            raise SourceError(f"{path}: cannot be read: {error.strerror or error}") from None
        if len(data) > MAX_DOCUMENT_BYTES:
            raise SourceError(f"{path}: larger than {MAX_DOCUMENT_BYTES // 2**20} MB")
        return data


class WebDocuments:
    """Documents under a base URL, fetched once each."""

    def __init__(
        self, base_url: str, progress: Progress | None = None, timeout: float = READ_TIMEOUT
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SourceError(
                f"'{base_url}' is neither a folder nor an http(s) URL: give the page's API "
                "address, like https://status.example.com/api/v2/"
            )
        base_url = base_url if base_url.endswith("/") else base_url + "/"
        # The page's own address leads to the documents: they are under api/v2/.
        self.base_url = base_url if base_url.endswith(API_PATH) else base_url + API_PATH
        self.progress = progress
        self.timeout = timeout
        self.session = requests.Session()
        retry = Retry(
            total=RETRIES,
            backoff_factor=0.5,
            status_forcelist=(429, 500, 502, 503, 504),
            allowed_methods=("GET",),
            respect_retry_after_header=True,
        )
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers["User-Agent"] = "statusgen import"

    def describe(self) -> str:
        return self.base_url

    def where(self, name: str) -> str:
        return urljoin(self.base_url, name)

    def get(self, name: str) -> bytes | None:
        url = self.where(name)
        try:
            with self.session.get(
                url, timeout=(min(CONNECT_TIMEOUT, self.timeout), self.timeout), stream=True
            ) as response:
                if response.status_code == 404:
                    self._done(name)
                    return None
                if response.status_code != 200:
                    raise SourceError(
                        f"{url}: the server answered {response.status_code} "
                        f"{response.reason or ''}".rstrip()
                    )
                data = b""
                for chunk in response.iter_content(64 * 1024):
                    data += chunk
                    if len(data) > MAX_DOCUMENT_BYTES:
                        raise SourceError(f"{url}: larger than {MAX_DOCUMENT_BYTES // 2**20} MB")
        except requests.exceptions.RetryError:
            raise SourceError(
                f"{url}: the server kept failing after {RETRIES} retries; try again later"
            ) from None
        except requests.exceptions.Timeout:
            raise self._timed_out(url) from None
        except requests.exceptions.ConnectionError as error:
            # Retried read timeouts end as a connection error whose reason says so.
            if isinstance(getattr(error.args[0], "reason", None), ReadTimeoutError):
                raise self._timed_out(url) from None
            raise SourceError(
                f"{url}: cannot connect to {urlsplit(url).netloc} (is the address right, and "
                "the network up?)"
            ) from None
        except requests.exceptions.ChunkedEncodingError:
            raise SourceError(f"{url}: the download was cut off; try again") from None
        self._done(name)
        return data

    def _timed_out(self, url: str) -> SourceError:
        return SourceError(
            f"{url}: no answer within {self.timeout:g} s ({RETRIES} retries): try again "
            "later, or give a longer --timeout"
        )

    def _done(self, name: str) -> None:
        if self.progress is not None:
            self.progress(name)


def open_documents(
    source: str, progress: Progress | None = None, timeout: float = READ_TIMEOUT
) -> Documents:
    """A folder if ``source`` is one, else a URL."""
    if "://" not in source:
        return FolderDocuments(Path(source))
    return WebDocuments(source, progress, timeout)
