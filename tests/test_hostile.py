"""The hostile corpus: what careless or malicious contributors and unlucky operators do, each case
with its expected problem (code, file, line) or message and exit code, and a time bound.

Each `tests/fixtures/hostile/*.yaml` file lists cases. A case copies `hostile/base/` (a valid
one-language knowledge base) and the fixture vocabularies into `tmp_path/kb/`, then changes it:

    - name: alias-bomb                     # unique id
      why: what a contributor or operator did
      files: {lessons/x.en.md: "---\\n..."}  # written (YAML escapes allow \\x00, \\u2028...); or a
                                           # mapping {head, repeat, times, tail}: repeat.format(i=...) x times
      bytes: {lessons/y.en.md: "hex"}      # written from hex, for invalid UTF-8
      links: {lessons/z.en.md: /dev/zero}  # symbolic links (targets as written)
      fifos: [lessons/pipe.en.md]
      remove: [lessons/listen.en.md]
      kb_yaml: "..."                       # replaces kb/kb.yaml
      env: {KB_ROOT: ...}                  # extra environment ({tmp} is tmp_path)
      args: [validate, --format, json]     # the default; {kb}, {tmp}, {long}, {word900} are replaced
      expect:
        exit: 1                            # the exit code
        problems: [[lessons/x.en.md, 3, yaml-alias]]  # each must be reported (path below kb/)
        message: a sentence that must be printed (stdout or stderr)
      seconds: 10                          # the bound (default 20)

The command runs in a separate process (`python -m experience_kb`) with a memory limit, so a
case that would hang or eat all memory fails on its bound instead of taking the machine down.
Every case also checks that no traceback is printed.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES

HOSTILE = FIXTURES / "hostile"
MEMORY_LIMIT = 3 << 30  # bytes of address space per case


def _cases() -> list:
    cases = []
    for path in sorted(HOSTILE.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            cases.append(pytest.param(case, id=f"{path.stem}:{case['name']}"))
    return cases


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def prepare(case: dict, tmp_path: Path) -> Path:
    """The case's knowledge base in tmp_path/kb."""
    root = tmp_path / "kb"
    shutil.copytree(HOSTILE / "base", root, symlinks=True)
    shutil.copytree(FIXTURES / "vocabularies", root / "vocabularies")
    for name in case.get("remove", ()):
        (root / name).unlink()
    for name, text in (case.get("files") or {}).items():
        if isinstance(text, dict):
            text = text.get("head", "") + "".join(text["repeat"].format(i=i) for i in range(text["times"])) \
                + text.get("tail", "")
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8", "surrogatepass"))
    for name, hexdata in (case.get("bytes") or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(bytes.fromhex(hexdata))
    for name, target in (case.get("links") or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target.replace("{tmp}", str(tmp_path)), root / name)
    for name in case.get("fifos", ()):
        os.mkfifo(root / name)
    if "kb_yaml" in case:
        (root / "kb.yaml").write_text(case["kb_yaml"], encoding="utf-8")
    return root


def _expand(text: str, root: Path, tmp_path: Path) -> str:
    """{kb}, {tmp}, {long} (100,000 letters) and {word900} (900) in a case's arguments."""
    return (text.replace("{kb}", str(root)).replace("{tmp}", str(tmp_path)).replace("{long}", "a" * 100_000)
            .replace("{word900}", "q" * 900))


def run_kb(args: list[str], tmp_path: Path, env: dict | None = None, seconds: float = 20):
    environment = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "experience_kb", *args], cwd=tmp_path, env=environment,
                          capture_output=True, text=True, timeout=seconds, preexec_fn=_limit_memory)


@pytest.mark.parametrize("case", _cases())
def test_hostile_case(case, tmp_path):
    root = prepare(case, tmp_path)
    args = [_expand(arg, root, tmp_path) for arg in case.get("args", ["--kb", "{kb}", "validate", "--format", "json"])]
    env = {key: _expand(str(value), root, tmp_path) for key, value in (case.get("env") or {}).items()}
    seconds = case.get("seconds", 20)
    try:
        result = run_kb(args, tmp_path, env, seconds)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{case['name']}: still running after {seconds} s ({case.get('why', '')})")
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output[-3000:]
    expect = case["expect"]
    assert result.returncode == expect["exit"], f"exit {result.returncode}, expected {expect['exit']}\n{output[-3000:]}"
    if "message" in expect:
        assert expect["message"] in output, output[-3000:]
    if expect.get("problems"):
        found = {(Path(p["path"]).as_posix().removeprefix("kb/"), p["line"], p["code"])
                 for p in json.loads(result.stdout)["problems"]}
        for path, line, code in expect["problems"]:
            assert (path, line, code) in found, f"missing [{path}:{line} {code}] in {sorted(found)}"
