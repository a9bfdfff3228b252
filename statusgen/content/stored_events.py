"""Parsed event files kept between runs, so that ``validate`` and ``build`` parse only
the files that changed.

A file's parse depends on its path, its bytes, the declared components and audiences,
and the code and libraries that parse it; all of them are in the key
(:class:`~statusgen.core.stored.StoredTexts`) or, for the bytes, checked against the
hash stored with the event, so a stored event is exactly what parsing the file again
would give. Only files without any error or warning are kept: what a
file with errors reports depends on the files before it, and is said anew each time.

Events are stored as JSON built from the model's own field types (no pickle: what is
read back can only ever be model objects, made by their own constructors).
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import operator
import sys
import types
import typing
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import frontmatter
import orjson
import yaml

from statusgen.core.model import EVERYONE, Incident, Maintenance
from statusgen.core.stored import StoredTexts, cache_file

_Convert = Callable[[Any], Any]


def events_cache_file(root: Path) -> Path:
    """Where runs on the repository at ``root`` keep its parsed files."""
    return cache_file("events", root)


class CacheOption(Protocol):
    """The plugin's options (``site.options.PluginOptions``), as far as the parse cache
    reads them."""

    @property
    def cache(self) -> bool: ...


def events_cache(root: Path, options: CacheOption) -> Path | None:
    """The parse cache that runs on the repository at ``root`` use, given the plugin's
    options: its file, or None (every file parsed) under ``cache: false``. The one place
    ``validate``, the plugin and ``serve`` decide it."""
    return events_cache_file(root) if options.cache else None


class StoredEvents:
    """The parsed files of one repository, under its declared components and audiences.

    A file is stored by its path, with the hash of the bytes it had: an edited file
    replaces its entry rather than adding one. ``paths`` are the files a run will ask
    for, in that order; their entries are read a batch at a time, so that a run never
    holds every stored event's text at once (30,000 of them are 45 MB).
    """

    BATCH = 500
    """Files whose entries one query reads."""

    def __init__(
        self,
        path: Path,
        component_ids: Collection[str] | None,
        audiences: object,
        paths: Sequence[str],
    ) -> None:
        declared = None if component_ids is None else sorted(component_ids)
        self._texts = StoredTexts(path, repr([_code_version(), declared, audiences]))
        self._paths = paths
        self._position = {p: number for number, p in enumerate(paths)}
        self._batch: dict[str, str | None] = {}

    def get(self, path: str, data: bytes) -> Incident | Maintenance | None:
        """The event that ``data``, the content of ``path``, parses to, if it is stored."""
        if path not in self._batch:
            start = self._position.get(path)
            batch = [path] if start is None else self._paths[start : start + self.BATCH]
            self._batch = dict(zip(batch, self._texts.fetch(batch), strict=True))
        stored = self._batch.pop(path)
        digest = _digest(data)
        if stored is None or not stored.startswith(digest):
            return None
        try:
            return decode_event(stored[len(digest) :])
        # A stored value that does not decode (a file from another tool, a disk fault) is
        # a miss, never an error: the file is parsed again.
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            return None

    def add(self, path: str, data: bytes, event: Incident | Maintenance) -> None:
        """Keep what ``data`` (the content of ``path``, without errors) parses to."""
        self._texts.add(path, _digest(data) + encode_event(event))

    def save(self) -> None:
        """Keep the new events, and forget those of files no recent run read (each run
        reads every file)."""
        self._texts.save(prune=True)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def encode_event(event: Incident | Maintenance) -> str:
    """The stored form of an event: JSON, each model object as the list of its fields."""
    return orjson.dumps(_ENCODE_EVENT(event)).decode()


def decode_event(stored: str) -> Incident | Maintenance:
    """The event of a stored form, made by the model's constructors.

    :raises ValueError: (or TypeError, KeyError, IndexError, AttributeError) for a text
        that is not the stored form of an event.
    """
    event: Incident | Maintenance = _DECODE_EVENT(orjson.loads(stored))
    return event


@functools.cache
def _code_version() -> str:
    """What parsing depends on besides its inputs: the code of the content and core
    packages and of python-frontmatter, PyYAML's version (and whether it uses libyaml)
    and Python's."""
    statusgen = Path(__file__).parent.parent
    folders = [statusgen / "content", statusgen / "core", Path(frontmatter.__file__).parent]
    digest = hashlib.sha256()
    for folder in folders:
        for module in sorted(folder.rglob("*.py")):
            digest.update(module.read_bytes())
    libyaml = getattr(yaml, "__with_libyaml__", False)
    return f"{digest.hexdigest()} PyYAML {yaml.__version__} {libyaml} Python {sys.version}"


def _same(value: Any) -> Any:
    return value


def _codec(hint: Any) -> tuple[_Convert, _Convert]:
    """How to turn a value of the type ``hint`` into JSON values, and back (``_same``
    when nothing needs converting: the callers skip those)."""
    origin, arguments = typing.get_origin(hint), typing.get_args(hint)
    if hint in (str, int, bool):
        return _same, _same
    if hint is datetime:
        return datetime.isoformat, datetime.fromisoformat
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        members = {member.value: member for member in hint}
        return operator.attrgetter("value"), members.__getitem__
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _dataclass_codec(hint)
    if origin is tuple and len(arguments) == 2 and arguments[1] is Ellipsis:
        encode, decode = _codec(arguments[0])
        if decode is _same:
            return list, tuple
        return (lambda items: list(map(encode, items))), (lambda items: tuple(map(decode, items)))
    if origin is frozenset:
        encode, decode = _codec(arguments[0])
        # An empty set is the model's one empty set, as the parser gives it.
        return (lambda items: sorted(map(encode, items))), (
            lambda items: frozenset(map(decode, items)) if items else EVERYONE
        )
    if origin is Mapping and arguments[0] is str:
        encode, decode = _codec(arguments[1])
        return (lambda items: {k: encode(v) for k, v in items.items()}), (
            lambda items: {k: decode(v) for k, v in items.items()}
        )
    if origin in (typing.Union, types.UnionType):
        return _union_codec(arguments)
    raise TypeError(f"no stored form for {hint!r}")


def _dataclass_codec(cls: type) -> tuple[_Convert, _Convert]:
    """A model class as the list of its fields' values, in declaration order."""
    hints = typing.get_type_hints(cls)
    names = tuple(f.name for f in dataclasses.fields(cls) if f.init)
    codecs = {name: _codec(hints[name]) for name in names}
    encoders = [(i, encode) for i, (encode, _) in enumerate(codecs.values()) if encode is not _same]
    decoders = {i: decode for i, (_, decode) in enumerate(codecs.values()) if decode is not _same}
    positional = not any(f.kw_only for f in dataclasses.fields(cls) if f.init)

    def encode(value: Any) -> list[Any]:
        values = [getattr(value, name) for name in names]
        for i, convert in encoders:
            values[i] = convert(values[i])
        return values

    return encode, _compiled_decoder(cls, names, decoders, positional)


def _compiled_decoder(
    cls: type, names: tuple[str, ...], decoders: dict[int, _Convert], positional: bool
) -> _Convert:
    """The decoder of a model class, compiled once as a function of its own (as
    ``dataclasses`` makes ``__init__``): ``values`` unpacked in one step, each field
    converted inline. A loaded site decodes about eight objects per event, so a generic
    loop over the fields cost a third of a warm ``validate``."""
    parameters = [f"v{i}" for i in range(len(names))]
    arguments = [f"c{i}({p})" if i in decoders else p for i, p in enumerate(parameters)]
    if not positional:
        arguments = [f"{name}={a}" for name, a in zip(names, arguments, strict=True)]
    unpacked = "".join(f"{p}, " for p in parameters)
    source = (
        "def decode(values):\n"
        f"    {unpacked}= values\n"  # a ValueError unless there are as many values
        f"    return cls({', '.join(arguments)})\n"
    )
    namespace: dict[str, Any] = {"cls": cls, **{f"c{i}": c for i, c in decoders.items()}}
    exec(source, namespace)  # the source is made above from the field names alone
    decode: _Convert = namespace["decode"]
    return decode


def _union_codec(arguments: tuple[Any, ...]) -> tuple[_Convert, _Convert]:
    """``X | None`` as the value or null; a union of classes (model classes, enums) as
    ``[class name, value]``."""
    others = [a for a in arguments if a is not type(None)]
    if len(others) == 1:
        encode, decode = _codec(others[0])
        return (lambda v: None if v is None else encode(v)), (
            lambda v: None if v is None else decode(v)
        )
    if not all(isinstance(a, type) for a in others):
        raise TypeError(f"no stored form for a union of {arguments!r}")
    codecs = {a.__name__: _codec(a) for a in others}

    def encode_tagged(value: Any) -> list[Any]:
        name = type(value).__name__
        return [name, codecs[name][0](value)]

    decoders = {name: decode for name, (_, decode) in codecs.items()}

    def decode_tagged(value: list[Any]) -> Any:
        name, stored = value
        return decoders[name](stored)

    return encode_tagged, decode_tagged


_ENCODE_EVENT, _DECODE_EVENT = _codec(Incident | Maintenance)
