"""The site is safe with hostile records even when validation is skipped: nothing from a record
runs in a reader's browser, and no file of the build machine is published. Every payload of
tests/fixtures/site/hostile.yaml goes into a record of a fixture knowledge base. `kb build site`
(which does not validate) refuses to publish it, with a problem at each payload's line; the
site the builder wrote anyway (the library call, before the stage refuses it) is opened page
by page in Chromium, to prove the second lock: what the sanitizer left is harmless."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from experience_kb.cli import main
from experience_kb.project import Project
from experience_kb.site import build as site_build

PAYLOADS = yaml.safe_load((Path(__file__).parent / "fixtures" / "site" / "hostile.yaml").read_text(encoding="utf-8"))
TOKEN = "kb-secret-4f9c2e"  # the content of a file outside the knowledge base


def _record(case: dict, secret: Path) -> str:
    def fill(text: str) -> str:
        return text.replace("{SECRET}", str(secret))

    meta = {"id": f"hostile-{case['name']}", "type": "lesson", "title": case.get("title", f"Hostile {case['name']}"),
            "summary": fill(case.get("summary", "A hostile record.")), "level": "regional", "lesson_kind": "lesson",
            "sources": [{"title": "Fixture source", "page": 1}]}
    if case.get("notes"):
        meta["notes"] = fill(case["notes"])
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n" + fill(case["body"]) + "\n"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    from click.testing import CliRunner
    import shutil

    base = tmp_path_factory.mktemp("hostile-site")
    fixtures = Path(__file__).parent / "fixtures"
    shutil.copytree(fixtures / "vocabularies", base / "fixtures" / "vocabularies")
    root = base / "fixtures" / "good" / "minimal"
    shutil.copytree(fixtures / "good" / "minimal", root)
    secret = base / "secret.txt"
    secret.write_text(f"{TOKEN}\n", encoding="utf-8")
    for case in PAYLOADS:
        for lang in ("es", "en"):
            (root / "lessons" / f"hostile-{case['name']}.{lang}.md").write_text(_record(case, secret), encoding="utf-8")
    result = CliRunner().invoke(main, ["--kb", str(root), "build", "site"])
    out, work = base / "out", base / "work"
    out.mkdir()
    built = site_build.build(Project(root), out, work)
    return out, result, built


def test_no_file_of_the_build_machine_is_published(hostile_site):
    site, _, _ = hostile_site
    passwd = Path("/etc/passwd").read_text(encoding="utf-8", errors="replace").splitlines()[0]
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert TOKEN.encode() not in data, f"{path} holds the secret file's content"
            assert passwd.encode() not in data, f"{path} holds /etc/passwd"
    assert not list(site.rglob("_images/*")) and not list(site.rglob("_downloads/*")), "files were copied into the site"


def test_the_stage_refuses_to_publish_and_says_where(hostile_site):
    site, result, built = hostile_site
    assert result.exit_code == 1, result.output
    published = site.parent / "fixtures" / "good" / "build" / "site"
    assert not published.exists(), "a site with hostile content was published"
    found = {(Path(p.path).name, p.code.value) for p in built.problems}
    for case in PAYLOADS:
        if case["name"] in ("script", "event-handlers", "iframe-srcdoc", "svg-onload", "style", "hostile-fields",
                            "javascript-links"):
            # Raw HTML is text (MyST's HTML syntax is off) and markdown-it makes no link of a
            # javascript:, vbscript: or data: address: both end up as escaped text, which the
            # markup and browser tests check.
            continue
        codes = {code for name, code in found if name == f"hostile-{case['name']}.en.md"}
        assert codes & {"unsafe-html", "unsafe-directive", "image"}, f"{case['name']}: no problem reported ({codes})"
    assert ("hostile-files-as-links-and-images.en.md", "image") in found
    assert ("hostile-rst-and-directive-links.en.md", "unsafe-html") in found
    for problem in built.problems:
        assert problem.line > 0 and problem.path.endswith(".md"), problem


def test_no_markup_from_a_record_survives_in_the_html(hostile_site):
    """Parsed as a browser would: the only scripts are the site's own files, no element has an
    event handler, no link or frame leads to a script address, no meta tag redirects."""
    from bs4 import BeautifulSoup

    site, _, _ = hostile_site
    pages = sorted(site.glob("*/lessons/hostile-*.html"))
    assert len(pages) == 2 * len(PAYLOADS)
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for script in soup.find_all("script"):
            src = script.get("src", "")
            assert src.startswith(("../_static/", "../pagefind/")) or script.string and "localStorage" in script.string, \
                f"{page.name}: a script that is not the site's: {str(script)[:120]}"
        for tag in soup.find_all(True):
            if tag.find_parent("article") is None:
                continue  # the theme's own chrome (its <style>, <svg> icons and search <form>)
            handlers = [name for name in tag.attrs if name.lower().startswith("on")]
            assert not handlers, f"{page.name}: <{tag.name} {handlers}>"
            assert tag.name not in ("iframe", "object", "embed", "style", "svg", "img", "base", "form"), \
                f"{page.name}: a <{tag.name}> element"
            for attribute in ("href", "src", "action", "formaction", "srcdoc", "data"):
                value = "".join(str(tag.get(attribute, "")).split()).lower()
                assert not value.startswith(("javascript:", "vbscript:", "data:")), f"{page.name}: {attribute}={value[:60]}"
        assert not soup.find("meta", attrs={"http-equiv": True}), f"{page.name}: a meta http-equiv"


def test_short_links_of_hostile_records_hold_their_titles_as_text(hostile_site):
    from bs4 import BeautifulSoup

    site, _, _ = hostile_site
    shorts = sorted(site.glob("r/*/index.html"))
    hostile = []
    for page in shorts:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert not soup.find("script") and len(soup.find_all(True)) <= 14, page  # html head meta… body main p h1 a
        refresh = soup.find_all("meta", attrs={"http-equiv": True})
        assert len(refresh) == 1 and re.fullmatch(r"0; url=\.\./\.\./[a-z]{2}/[a-z]+/[\w.-]+\.html", refresh[0]["content"])
        if "hostile-" in refresh[0]["content"]:
            hostile.append(page)
            assert soup.h1.a.get_text() == soup.title.get_text() and soup.h1.a.get_text().strip()
    assert len(hostile) == 2 * len(PAYLOADS)


def test_no_script_from_content_runs_in_a_browser(hostile_site):
    from playwright.sync_api import sync_playwright

    site, _, _ = hostile_site
    pages = sorted(p for p in site.rglob("*.html") if "/pagefind/" not in p.as_posix())
    ran: list[str] = []
    external: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu", "--allow-file-access-from-files"])
        context = browser.new_context()

        def route(r):
            if r.request.url.startswith("file://"):
                return r.continue_()
            external.append(r.request.url)
            return r.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("dialog", lambda dialog: (ran.append(f"dialog {dialog.message}"), dialog.dismiss()))
        for path in pages:
            page.goto(path.as_uri(), wait_until="load")
            if path.relative_to(site).parts[0] == "r":  # a short link: the browser follows it to the record
                page.wait_for_url(lambda url: "/r/" not in url, wait_until="load")
                assert page.url.endswith(".html") and Path(page.url.removeprefix("file://")).is_file(), page.url
            page.mouse.move(200, 300)
            page.mouse.move(400, 500)
            value = page.evaluate("() => window.__pwned === undefined ? null : String(window.__pwned)")
            if value is not None:
                ran.append(f"{path.relative_to(site)}: {value}")
            assert "PWNED" not in page.title()
        browser.close()
    assert not ran, f"script from content ran: {json.dumps(ran[:10])}"
    assert not external, f"pages requested addresses outside the site: {external[:5]}"
