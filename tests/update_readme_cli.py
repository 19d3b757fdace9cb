"""Rewrite the README's CLI section from each command's --help (run by `make docs`)."""

from __future__ import annotations

from click.testing import CliRunner

from experience_kb.cli import main

try:
    from test_cli import all_commands
except ImportError:  # run from the repository root
    from tests.test_cli import all_commands


def update(readme_path: str = "README.md") -> None:
    runner = CliRunner()
    readme = open(readme_path, encoding="utf-8").read()
    for path, _ in all_commands(main):
        text = runner.invoke(main, [*path, "--help"], prog_name="kb", terminal_width=100).output.strip()
        head = f"### `kb{' ' + ' '.join(path) if path else ''}`\n\n```text\n"
        if head not in readme:
            readme = readme.replace("\n## Layout", f"{head}{text}\n```\n\n## Layout")
            continue
        start = readme.index(head) + len(head)
        readme = readme[:start] + text + readme[readme.index("\n```", start):]
    open(readme_path, "w", encoding="utf-8").write(readme)


if __name__ == "__main__":
    update()
