"""Generate a synthetic, valid, bilingual knowledge base for benchmarks and tests.

    python -m kb_bench.corpus OUT --records 10000 [--stakeholders N] [--seed 0] [--body-words 600] [--kb PATH]

Every record type is present, every record is written in Spanish and English, every field of
each schema is used at a realistic rate, and every link points at an existing record of the
right type. The output depends only on the arguments and the vocabularies (one seeded
`random.Random`).

The vocabularies are those of a knowledge base (`--kb PATH`; default: the one `kb` finds, from
$KB_ROOT or from the current folder upwards), copied into the corpus. Wherever the generator
names a vocabulary value (tables.py), it uses only values that exist there, falling back to any
value of the vocabulary, and it never uses relations whose meaning (`means`) sets rules random
links would break. So the corpus validates with any vocabulary set that has the same files.
"""

from __future__ import annotations

import argparse
import random
import shutil
import struct
import zlib
import time
from pathlib import Path

from .records import RecordWriter
from .tables import KB_YAML
from .text import body, emit
from .generator import LANGS
from .vocab import add_kb_option, default_vocabularies, find_kb, kb_config, load_vocabularies  # noqa: F401
COLLECTIONS = {"stakeholder": "stakeholders", "resolution": "resolutions", "workshop": "workshops",
               "lesson": "lessons", "milestone": "milestones", "glossary": "glossary",
               "booklet": "booklets", "practice": "practices", "document": "documents"}


def plan_counts(n_records: int, n_stakeholders: int | None = None) -> dict[str, int]:
    """How many records of each type a corpus of `n_records` gets."""
    counts = {"stakeholder": n_stakeholders if n_stakeholders is not None else max(20, n_records // 20),
              "milestone": max(2, n_records // 25), "glossary": max(2, n_records // 20),
              "booklet": max(1, n_records // 400), "practice": 1, "document": max(1, n_records // 50)}
    rest = n_records - sum(counts.values())
    if counts["stakeholder"] < 2 or rest < 3:
        raise ValueError(f"{n_records} records are too few for {counts['stakeholder']} stakeholders "
                         f"plus milestones, glossary and booklets; use more records or fewer stakeholders")
    counts["resolution"] = rest * 3 // 10
    counts["workshop"] = (rest - counts["resolution"]) // 2
    counts["lesson"] = rest - counts["resolution"] - counts["workshop"]
    return counts



def _png(width: int = 2, height: int = 2, rgb: tuple[int, int, int] = (29, 94, 59)) -> bytes:
    """A small one-colour PNG: the cover image of the synthetic booklets that have one."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


COVER_PNG = _png()


def generate(root: Path, n_records: int, n_stakeholders: int | None = None, seed: int = 0,
             body_words: int = 600, vocabularies: Path | None = None) -> dict[str, int]:
    """Write a valid bilingual knowledge base of `n_records` records at `root` (created if needed;
    existing collection files and vocabularies are replaced). Returns counts: records, files and
    one per type.

    `vocabularies` is the vocabularies folder whose files are copied into the corpus and whose
    values the records use (default: that of the knowledge base `kb` finds from here). Raises
    ValueError when the numbers or the vocabularies cannot make a valid corpus.
    """
    root = Path(root)
    counts = plan_counts(n_records, n_stakeholders)
    folder = Path(vocabularies) if vocabularies is not None else default_vocabularies()
    if not folder.is_dir():
        raise ValueError(f"the vocabularies folder {folder} does not exist")
    # Read before writing: `root` may be where the vocabularies come from.
    sources = {path.name: path.read_bytes() for path in sorted(folder.glob("*.yaml"))}
    rng = random.Random(seed)
    generator = RecordWriter(rng, load_vocabularies(folder), counts)
    root.mkdir(parents=True, exist_ok=True)
    (root / "kb.yaml").write_text(KB_YAML.format(seed=seed), encoding="utf-8")
    target = root / "vocabularies"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir()
    for name, data in sources.items():
        (target / name).write_bytes(data)
    for collection in COLLECTIONS.values():
        folder = root / collection
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir()
    media = root / "media"  # the cover image some booklets name
    media.mkdir(exist_ok=True)
    (media / "cover.png").write_bytes(COVER_PNG)
    generator.plan_ids()
    files = 0
    for kind, rid, fields in generator.records():
        heading = rng.randrange(100)
        folder = root / COLLECTIONS[kind]
        for lang in LANGS:
            words = max(20, int(body_words * rng.uniform(0.8, 1.2)))
            text = f"---\n{emit(fields, lang)}---\n\n{body(rng, lang, words, heading)}"
            (folder / f"{rid}.{lang}.md").write_text(text, encoding="utf-8")
            files += 1
    return {"records": n_records, "files": files, **counts}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kb_bench.corpus", description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the knowledge base folder to write (kb.yaml goes here)")
    parser.add_argument("--records", type=int, default=1000, help="how many record ids (default 1000)")
    parser.add_argument("--stakeholders", type=int, default=None,
                        help="how many of them are stakeholders (default max(20, records // 20))")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--body-words", type=int, default=600, help="about how many words per body")
    add_kb_option(parser)
    args = parser.parse_args(argv)
    vocabularies = kb_config(parser, args.kb).vocabularies_dir
    started = time.perf_counter()
    try:
        counts = generate(args.out, args.records, args.stakeholders, args.seed, args.body_words, vocabularies)
    except ValueError as exc:
        parser.error(str(exc))
    elapsed = time.perf_counter() - started
    per_type = ", ".join(f"{kind} {counts[kind]}" for kind in COLLECTIONS)
    print(f"wrote {counts['records']:,} records ({counts['files']:,} files) to {args.out} in {elapsed:.2f} s")
    print(f"  {per_type}")
    print(f"  vocabularies from {vocabularies}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
