"""The knowledge base configuration (`kb.yaml`) as a frozen, typed object, and finding the root.

A knowledge base is a folder holding `kb.yaml`. Like git, `kb` looks for it from the current
directory upwards, accepting either the folder itself or a `kb/` folder inside an ancestor.
Every configuration error is collected and raised together in one `ConfigError`.
"""

from __future__ import annotations

import functools
import os
import dataclasses
from dataclasses import dataclass
from pathlib import Path

from .problems import Code, Problem, problem
from .records import frontmatter, schema
from .records.messages import check_document

CONFIG_NAME = "kb.yaml"
ENV_ROOT = "KB_ROOT"


class ConfigError(Exception):
    """Processing cannot start: the configuration is missing or wrong. Holds every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.path}:{p.line}: {p.message}" for p in problems))


@dataclass(frozen=True)
class SiteConfig:
    title: dict[str, str]
    organization: dict[str, str]
    base_url: str
    locales: dict[str, str] = dataclasses.field(default_factory=dict)  # language -> regional format
    license: dict[str, str] = dataclasses.field(default_factory=dict)
    repository: str = ""

    def text(self, field: str, lang: str, default: str) -> str:
        """A localized setting in `lang`, else in the default language."""
        values = getattr(self, field)
        return values.get(lang) or values.get(default, "")

    def locale(self, lang: str) -> str:
        return self.locales.get(lang, lang)


@dataclass(frozen=True)
class Config:
    """Settings of one knowledge base. Paths are absolute."""

    root: Path
    site: SiteConfig
    languages: tuple[str, ...]
    default_language: str
    vocabularies_dir: Path
    build_dir: Path

    def display(self, path: Path) -> str:
        """A path as shown in messages, cheaply for the many files below the root."""
        text, root = str(path), str(self.root)
        if text.startswith(root + os.sep):
            return self._root_display + text[len(root):]
        return _display(path)

    @functools.cached_property
    def _root_display(self) -> str:
        return _display(self.root)

    @property
    def other_languages(self) -> tuple[str, ...]:
        return tuple(lang for lang in self.languages if lang != self.default_language)


class NotFoundError(ConfigError):
    """No knowledge base around the starting folder: a usage error, not a content problem."""


def find_root(start: Path | None = None) -> Path:
    """The knowledge base root for `start` (default: $KB_ROOT or the current directory)."""
    if start is None:
        env = os.environ.get(ENV_ROOT)
        start = Path(env) if env else Path.cwd()
    try:
        start = start.resolve()
        for folder in (start, *start.parents):
            if (folder / CONFIG_NAME).is_file():
                return folder
            if (folder / "kb" / CONFIG_NAME).is_file():
                return folder / "kb"
    except OSError as exc:  # a path too long, or a folder that cannot be read
        raise NotFoundError([problem(Code.CONFIG, str(start)[:200], 0, 0,
                                     f"cannot look for a knowledge base there ({exc.strerror or exc})")]) from None
    raise NotFoundError([problem(Code.CONFIG, str(start), 0, 0,
                               f"no knowledge base found: neither this folder nor any parent holds "
                               f"{CONFIG_NAME} or kb/{CONFIG_NAME}")])


def load(root: Path | None = None) -> Config:
    """Find and read `kb.yaml`. Raises `ConfigError` listing every problem at once."""
    root = find_root(root)
    path = root / CONFIG_NAME
    display = _display(path)
    text, problems = frontmatter.read_text(path, display, root)
    if text is None:
        raise ConfigError(problems)
    fm, problems = frontmatter.parse_yaml(text, display, offset=0)
    if fm is None:
        raise ConfigError(problems)
    problems += check_document(schema.config_fast(), schema.config_schema, fm.meta, fm, display)
    data = fm.meta
    raw_languages = data.get("languages")
    languages = tuple(raw_languages) if isinstance(raw_languages, list) and all(
        isinstance(lang, str) for lang in raw_languages) else ()  # the schema reports other shapes
    default = data.get("default_language")
    if isinstance(default, str) and languages and default not in languages:
        line, col = fm.locate(("default_language",))
        problems.append(problem(Code.CONFIG, display, line, col,
                                f"default_language '{default}' is not one of languages {list(languages)}"))
    site = data.get("site") if isinstance(data.get("site"), dict) else {}
    for key in ("title", "organization", "license"):
        value = site.get(key)
        if isinstance(value, dict):
            for lang in languages:
                if lang not in value:
                    line, col = fm.locate(("site", key))
                    problems.append(problem(Code.CONFIG, display, line, col,
                                            f"site.{key} has no text for language '{lang}'"))
    vocab_dir = root / str(data.get("vocabularies") or "vocabularies")
    if not problems and not vocab_dir.is_dir():
        line, col = fm.locate(("vocabularies",))
        problems.append(problem(Code.CONFIG, display, line, col,
                                f"the vocabularies folder {_display(vocab_dir)} does not exist"))
    build_dir = (root / str(data.get("build_dir") or "../build")).resolve()
    why = _unsafe_build_dir(build_dir, root.resolve(), vocab_dir.resolve())
    if why:
        line, col = fm.locate(("build_dir",))
        problems.append(problem(Code.CONFIG, display, line, col,
                                f"build_dir {_display(build_dir)} {why}: kb replaces what it builds there; "
                                f"use a folder of its own, e.g. build_dir: ../build"))
    if problems:
        raise ConfigError(problems)
    return Config(
        root=root,
        site=SiteConfig(dict(site["title"]), dict(site["organization"]), site["base_url"],
                        dict(site.get("locales") or {}), dict(site.get("license") or {}),
                        site.get("repository") or ""),
        languages=languages,
        default_language=default,
        vocabularies_dir=vocab_dir,
        build_dir=build_dir,
    )


def _unsafe_build_dir(build_dir: Path, root: Path, vocabularies: Path) -> str | None:
    """Why `build_dir` may not hold kb's output, or None."""
    if build_dir == root:
        return "is the knowledge base itself"
    if build_dir == Path(build_dir.anchor):
        return "is the root of the file system"
    if build_dir in root.parents:
        return "contains the knowledge base"
    if build_dir == vocabularies or vocabularies in build_dir.parents or build_dir in vocabularies.parents:
        return "overlaps the vocabularies folder"
    for collection in _collections():
        folder = root / collection
        if build_dir == folder or folder in build_dir.parents:
            return f"is inside the {collection} collection"
    return None


def _collections() -> list[str]:
    return [type_schema.collection for type_schema in schema.types().values()]


def _display(path: Path) -> str:
    """A path as shown to people: relative to the current directory when it is below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)

