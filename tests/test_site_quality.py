"""The bundled knowledge base's website, checked with the real tools.

The site is built once per session from a copy of kb/, served over HTTP from a thread, and read
by the Nu Html Checker (every page), axe-core in Chromium (light and dark, both languages), a link
and anchor walk, a reader's path (search, a record, the language switch, a backlink) on a desktop
and a phone, and checks that no request leaves the machine, that a record page stays light, that
the interface of a page is in the page's language, that the copy opened from files says search
needs the published site, and that the root chooser works with and without JavaScript.

The tools come from `.ci/install-tools` (see tests/sitetools.py); a missing one fails the test.
Screenshots of the reader's path go to a temporary folder, and to $KB_SCREENSHOTS when set.
"""

from __future__ import annotations

import functools
import html.parser
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup, NavigableString

import sitetools
from conftest import BUNDLED

LANGS = ("es", "en")
# Every record type's folder in a language's sub-site; test_the_record_collections_are_these
# fails when the site gains one, so that no type escapes the checks below.
COLLECTIONS = ("booklets", "resolutions", "workshops", "lessons", "stakeholders", "milestones", "glossary", "practices",
               "documents")
SEARCH = {"es": "salvaguardas", "en": "safeguards"}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WEIGHT_LIMIT = 150 * 1024  # bytes of HTML, CSS, JS and fonts on a record page's first visit
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT = 15_000  # ms, for anything the browser waits for


# --- the site, built once, and its server ---------------------------------------------------

@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """build/site/ of a copy of kb/ (its kb.yaml puts build/ beside the copy, never in the repo)."""
    from experience_kb.pipeline import stages
    from experience_kb.project import Project

    work = tmp_path_factory.mktemp("site-quality")
    root = work / "kb"
    shutil.copytree(BUNDLED, root)
    project = Project(root)
    booklets = stages.build(project, only="booklets")  # the site publishes their PDFs
    assert booklets and booklets[0].ok, [str(p) for p in booklets[0].report.problems]
    results = stages.build(project, only="site")
    failed = [r for r in results if not r.ok]
    problems = [str(p) for r in failed if r.report for p in r.report.problems]
    assert results and not failed, f"the site did not build: {problems[:20]}"
    built = work / "build" / "site"
    assert (built / "index.html").is_file()
    return built


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="session")
def origin(site) -> str:
    """http://127.0.0.1:<free port>, serving the built site from a background thread."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def html_files(site: Path) -> list[Path]:
    """Every HTML page of the site: the root pages and both sub-sites, not Pagefind's own files."""
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.relative_to(site).parts)


def first_record(site: Path, lang: str, collection: str) -> str:
    """`<collection>/<id>.html` of the collection's first page, by name."""
    pages = sorted((site / lang / collection).glob("*.html"))
    assert pages, f"{lang}/{collection}/ holds no page"
    return f"{collection}/{pages[0].name}"


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


# --- the browser -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    """One Chromium for this module. Module-scoped, not session-scoped: Playwright's sync API runs
    an event loop while it is started, and another module's `sync_playwright()` (test_site_safety)
    refuses to start inside it."""
    from playwright.sync_api import sync_playwright

    executable = sitetools.chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable,
                                              args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        yield launched
        launched.close()


class Tab:
    """A browser context with one page whose every request is routed: requests to any host but
    the local server are recorded and aborted. `check()` asserts that none happened, and that no
    script failed, since the last check."""

    def __init__(self, browser, origin: str, **options):
        self.origin = origin
        self.context = browser.new_context(**options)
        self.context.set_default_timeout(TIMEOUT)
        self.external: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _route(self, route):
        url = route.request.url
        if url.startswith((self.origin + "/", "data:", "blob:", "file:")):
            route.continue_()
        else:
            self.external.append(url)
            route.abort()

    def url(self, path: str) -> str:
        return f"{self.origin}/{path}"

    def visit(self, path: str):
        self.page.goto(self.url(path))
        self.check()
        return self.page

    def check(self) -> None:
        external, self.external = self.external, []
        errors, self.errors = self.errors, []
        where = self.page.url
        assert external == [], f"{where} requested other hosts (aborted): {external[:10]}"
        assert errors == [], f"{where} raised script errors: {errors[:5]}"

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def tabs(browser, origin):
    """Tabs kept for the module, one per set of context options, so that pages are reused."""
    opened: dict[str, Tab] = {}

    def tab(name: str, **options) -> Tab:
        if name not in opened:
            opened[name] = Tab(browser, origin, **options)
        return opened[name]

    yield tab
    for each in opened.values():
        each.close()


def wait_for_results(page, query: str) -> None:
    """Pagefind's results for `query` are on the page (its message names the query) and loaded
    (no placeholder left)."""
    page.wait_for_function(
        """query => {
             const message = document.querySelector('.pagefind-ui__message');
             return message && message.textContent.includes(query)
                    && document.querySelectorAll('.pagefind-ui__result-link').length > 0
                    && document.querySelectorAll('.pagefind-ui__loading').length === 0;
           }""", arg=query)


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory):
    """save(page, name): a PNG into a temporary folder, and into $KB_SCREENSHOTS when set."""
    folders = [tmp_path_factory.mktemp("screenshots")]
    if os.environ.get("KB_SCREENSHOTS"):
        folders.append(Path(os.environ["KB_SCREENSHOTS"]))
        folders[-1].mkdir(parents=True, exist_ok=True)

    def save(page, name: str) -> None:
        data = page.screenshot()
        for folder in folders:
            (folder / f"{name}.png").write_bytes(data)

    return save


# --- the Nu Html Checker -----------------------------------------------------------------------

def test_every_page_is_valid_html(site):
    java, jar = sitetools.java(), sitetools.vnu_jar()
    pages = html_files(site)
    assert len(pages) > 2 * len(COLLECTIONS)
    done = subprocess.run([java, "-jar", str(jar), "--errors-only", "--format", "json", *map(str, pages)],
                          capture_output=True, text=True, timeout=600)
    try:  # vnu writes its JSON report to stderr
        messages = json.loads(done.stderr or done.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"the Nu Html Checker gave no JSON report (exit {done.returncode}): {done.stderr[-2000:]}")
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    shown = [f"{urlsplit(m.get('url', '')).path.removeprefix(site.as_posix() + '/')}:{m.get('lastLine', '?')}: "
             f"{m.get('message')} [{m.get('extract', '').strip()[:80]}]" for m in errors[:20]]
    assert errors == [], "\n".join([f"{len(errors)} HTML errors in {len(pages)} pages:", *shown])
    assert done.returncode == 0, done.stderr[-2000:]


# --- axe-core ----------------------------------------------------------------------------------

AXE_PAGES = ["index.html", *[f"record:{c}" for c in COLLECTIONS], "list/type-resolution.html", "glossary.html",
             "timeline.html", "search.html"]


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(sitetools.axe_js()))
    result = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})""",
        AXE_TAGS)
    return [v for v in result["violations"] if v.get("impact") in ("serious", "critical")]


def describe_violations(where: str, violations: list[dict]) -> str:
    lines = [f"{where}: {len(violations)} serious or critical axe violations"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:3]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:120]} -- {summary[:240]}")
        if len(violation["nodes"]) > 3:
            lines.append(f"    … and {len(violation['nodes']) - 3} more elements")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("which", AXE_PAGES)
def test_no_serious_accessibility_violation(site, tabs, screenshots, scheme, lang, which):
    sitetools.axe_js()  # fails at once, naming the install command, when axe-core is missing
    tab = tabs(f"axe-{scheme}", color_scheme=scheme, viewport=DESKTOP)
    if which.startswith("record:"):
        path = first_record(site, lang, which.removeprefix("record:"))
    elif which == "search.html":
        path = f"search.html?q={SEARCH[lang]}"
    else:
        path = which
    page = tab.visit(f"{lang}/{path}")
    if which == "search.html":
        wait_for_results(page, SEARCH[lang])
    page.evaluate("document.fonts.ready.then(() => true)")
    violations = axe_violations(page)
    tab.check()
    screenshots(page, f"axe-{lang}-{scheme}-{re.sub(r'[^a-z0-9]+', '-', which)}")
    assert violations == [], describe_violations(f"{lang}/{path} ({scheme})", violations)


# --- links and anchors -------------------------------------------------------------------------

LINK_ATTRIBUTES = ("href", "src", "action", "srcset", "xlink:href", "poster")


class Page(html.parser.HTMLParser):
    """One HTML page's ids, references (tag, attribute, value) and links (href of every <a>).
    The standard library's parser, without a tree: all the site's pages parse in a few seconds."""

    def __init__(self, path: Path):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str, str]] = []
        self.anchors: list[str] = []
        self.feed(path.read_text(encoding="utf-8"))
        self.close()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            elif name == "srcset":
                self.refs.extend((tag, name, part.split()[0]) for part in value.split(",") if part.strip())
            elif name in LINK_ATTRIBUTES:
                self.refs.append((tag, name, value.strip()))
                if tag == "a" and name == "href":
                    self.anchors.append(value.strip())

    handle_startendtag = handle_starttag


@pytest.fixture(scope="session")
def pages(site) -> dict[Path, Page]:
    """Every HTML page of the site, parsed once."""
    return {path: Page(path) for path in html_files(site)}


def base_url() -> str:
    """Where kb.yaml says the site is published: canonical and hreflang links start with it."""
    config = yaml.safe_load((BUNDLED / "kb.yaml").read_text(encoding="utf-8"))
    return config["site"]["base_url"].rstrip("/") + "/"


def resolve(site: Path, page: Path, reference: str, published: str | None = None) -> tuple[Path, str] | None:
    """(file, fragment) a reference from `page` points at, reading addresses under `published` as
    files of the site; None for other hosts and schemes."""
    if published and reference.startswith(published):
        reference = "/" + reference.removeprefix(published)
    parts = urlsplit(reference)
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if not path:
        target = page
    elif path.startswith("/"):
        target = site / path.lstrip("/")
    else:
        target = page.parent / path
    target = Path(os.path.normpath(target))
    if target.is_dir():
        target = target / "index.html"
    return target, unquote(parts.fragment)


def test_every_internal_reference_and_anchor_exists(site, pages):
    """Relative and root-relative references, and canonical and hreflang addresses on the
    published site, point at files that exist, and their fragments at ids in those files."""
    published, broken = base_url(), []
    for path, page in pages.items():
        where = path.relative_to(site).as_posix()
        for tag, attribute, value in page.refs:
            resolved = resolve(site, path, value, published)
            if resolved is None:
                continue
            target, fragment = resolved
            if not target.is_relative_to(site) or not target.is_file():
                broken.append(f"{where}: <{tag} {attribute}=\"{value}\">: no file {target}")
            elif fragment and target.suffix == ".html" and fragment not in pages[target].ids:
                broken.append(f"{where}: <{tag} {attribute}=\"{value}\">: no id \"{fragment}\" in "
                              f"{target.relative_to(site).as_posix()}")
    assert broken == [], f"{len(broken)} broken references:\n" + "\n".join(broken[:30])


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_is_reachable_from_its_home(site, pages, lang):
    home = site / lang / "index.html"
    seen, queue = {home}, [home]
    while queue:
        current = queue.pop()
        for href in pages[current].anchors:
            resolved = resolve(site, current, href)
            if resolved is None:
                continue
            target = resolved[0]
            if target in pages and target not in seen and target.is_relative_to(site / lang):
                seen.add(target)
                queue.append(target)
    # a 404 page is what the server answers for a missing address; nothing links to it
    everything = {p for p in pages if p.is_relative_to(site / lang) and p.name != "404.html"}
    unreachable = sorted(p.relative_to(site).as_posix() for p in everything - seen)
    assert unreachable == [], f"{len(unreachable)} of {len(everything)} pages cannot be reached from " \
                              f"{lang}/index.html: {unreachable[:30]}"


def test_the_root_links_each_language_home(site, pages):
    targets = {resolve(site, site / "index.html", href)[0] for href in pages[site / "index.html"].anchors
               if resolve(site, site / "index.html", href)}
    for lang in LANGS:
        assert site / lang / "index.html" in targets, f"index.html has no link to {lang}/index.html"


def test_every_booklet_page_offers_its_pdfs_in_its_language(site):
    """The bundled booklets exist in both languages: each page offers its own language's PDF and
    imposed PDF (the same bytes as build/booklets/), never a file of another language."""
    from bs4 import BeautifulSoup

    for lang in LANGS:
        booklet_pages = sorted((site / lang / "booklets").glob("*.html"))
        assert len(booklet_pages) >= 3
        for page in booklet_pages:
            links = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("ul.kb-downloads a")
            assert [a["href"] for a in links] == [f"{page.stem}.{lang}.pdf", f"{page.stem}.{lang}.imposed.pdf"], page
            for a in links:
                assert (page.parent / a["href"]).read_bytes() == (site.parent / "booklets" / a["href"]).read_bytes()


def test_the_record_collections_are_these(site):
    for lang in LANGS:
        folders = {p.parent.name for p in (site / lang).glob("*/*.html")} - {"list"}
        assert folders == set(COLLECTIONS), f"{lang}/: the record folders changed; update COLLECTIONS"


# --- a reader's path ---------------------------------------------------------------------------

def open_navigation_if_hidden(page) -> None:
    """On a phone the sidebar (and its search box) is a drawer behind the menu button."""
    box = page.locator("form[role=search] input[name=q]").first
    if not box.is_visible():
        page.locator("header.mobile-header label.nav-overlay-icon").click()
        box.wait_for(state="visible")


def has_backlinks(site: Path, href: str) -> bool:
    """Whether the page at `href` (a path from the site root) lists links to it from other records."""
    path = site / urlsplit(href).path.lstrip("/")
    section = path.is_file() and soup_of(path).select_one("section#linked-from")
    return bool(section and section.select("a[href]:not(.headerlink)"))


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_reader_searches_opens_a_record_switches_language_and_follows_a_backlink(site, tabs, screenshots, size):
    if size == "phone":
        tab = tabs("phone", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    else:
        tab = tabs("desktop", viewport=DESKTOP)
    page = tab.visit("es/index.html")
    screenshots(page, f"{size}-1-home-es")

    open_navigation_if_hidden(page)
    box = page.locator("form[role=search] input[name=q]").first
    box.fill("salvaguardas")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/es/search\.html\?q=salvaguardas$"))
    wait_for_results(page, "salvaguardas")
    tab.check()
    screenshots(page, f"{size}-2-search-salvaguardas")

    # without the accent, through Pagefind's own box on the search page
    page.locator(".pagefind-ui__search-input").fill("amazonica")
    wait_for_results(page, "amazonica")
    texts = page.locator(".pagefind-ui__result").all_inner_texts()
    assert any("amazónic" in text.lower() for text in texts), f"no result for 'amazonica' says amazónica/o: {texts}"
    tab.check()
    screenshots(page, f"{size}-3-search-amazonica")

    # open a record from the results: the first one that other records link to
    links = page.locator(".pagefind-ui__result-link")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    records = [h for h in hrefs if re.search(rf"/es/({'|'.join(COLLECTIONS)})/[^/]+\.html$", urlsplit(h).path)]
    chosen = next((h for h in records if has_backlinks(site, h.replace("/es/", "/en/", 1))), None)
    assert chosen, f"no record among the results for 'amazonica' has backlinks: {hrefs}"
    page.locator(f".pagefind-ui__result-link[href='{chosen}']").first.click()
    page.wait_for_url(re.compile(re.escape(urlsplit(chosen).path) + "$"))
    page.locator("dl.kb-fields").first.wait_for()
    assert page.locator("html").get_attribute("lang") == "es"
    tab.check()
    screenshots(page, f"{size}-4-record-es")

    switch = page.locator("nav.kb-language-switch a").first
    assert switch.inner_text().strip() == "Read in English"
    switch.click()
    english = urlsplit(chosen).path.replace("/es/", "/en/", 1)
    page.wait_for_url(re.compile(re.escape(english) + "$"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("nav.kb-language-switch a").first.inner_text().strip() == "Leer en español"
    tab.check()
    screenshots(page, f"{size}-5-record-en")

    backlink = page.locator("section#linked-from a[href]:not(.headerlink)").first
    target = backlink.get_attribute("href")
    backlink.scroll_into_view_if_needed()
    screenshots(page, f"{size}-6-backlinks-en")
    backlink.click()
    page.wait_for_url(lambda url: urlsplit(url).path != english)
    landed = urlsplit(page.url).path
    assert re.fullmatch(rf"/en/({'|'.join(COLLECTIONS)})/[^/]+\.html", landed), f"{target} led to {page.url}"
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator("dl.kb-fields").first.wait_for()
    tab.check()
    screenshots(page, f"{size}-7-backlink-target-en")


# --- weight ------------------------------------------------------------------------------------

PAGEFIND_INDEX = re.compile(r"/pagefind/.*\.(pf_meta|pf_index|pf_fragment|pf_filter|pagefind)$|pagefind-entry\.json$")


def heaviest_record(site: Path) -> str:
    pages = [p for c in COLLECTIONS for p in (site / "es" / c).glob("*.html")]
    return max(pages, key=lambda p: p.stat().st_size).relative_to(site / "es").as_posix()


@pytest.mark.parametrize("which", ["first", "heaviest"])
def test_a_record_page_first_visit_is_light(site, browser, origin, which):
    path = first_record(site, "es", "resolutions") if which == "first" else heaviest_record(site)
    tab = Tab(browser, origin, viewport=DESKTOP)  # a new context: nothing cached
    try:
        responses = []
        tab.page.on("response", lambda response: responses.append(response))
        tab.visit(f"es/{path}")
        tab.page.wait_for_load_state("networkidle")
        counted = {}
        for response in responses:
            kind = response.request.resource_type
            if kind in ("document", "stylesheet", "script", "font") and not PAGEFIND_INDEX.search(response.url):
                counted[response.url.removeprefix(origin)] = len(response.body())
        tab.check()
    finally:
        tab.close()
    total = sum(counted.values())
    detail = ", ".join(f"{url} {size / 1024:.1f}" for url, size in sorted(counted.items(), key=lambda i: -i[1]))
    print(f"es/{path}: {total / 1024:.1f} KB on the first visit: {detail}")  # shown with -s or -rP
    assert any(url.endswith(path) for url in counted), f"the page itself was not measured: {detail}"
    assert total <= WEIGHT_LIMIT, f"es/{path}: {total / 1024:.1f} KB on the first visit " \
                                  f"(limit {WEIGHT_LIMIT // 1024} KB): {detail}"


# --- the interface speaks the page's language --------------------------------------------------

CHROME_PAGES = ["index.html", "record", "list/type-resolution.html", "glossary.html", "timeline.html",
                "search.html", "about.html"]
SHOWN_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
LETTER = re.compile(r"[^\W\d_]")


def is_hidden(element) -> bool:
    style = (element.get("style") or "").replace(" ", "").lower()
    return element.name in ("script", "style", "template") or element.has_attr("hidden") \
        or "display:none" in style


def chrome_strings(path: Path) -> set[str]:
    """Every string the page shows or reads out outside article[role=main]: text, aria-label,
    title, placeholder and alt values (in <head> too), skipping what is never rendered."""
    soup = soup_of(path)
    for article in soup.select("article[role=main]"):
        article.decompose()
    found = set()

    def walk(element) -> None:
        if is_hidden(element):
            return
        for attribute in SHOWN_ATTRIBUTES:
            if element.get(attribute):
                found.add(" ".join(element[attribute].split()))
        for child in element.children:
            if type(child) is NavigableString:  # not comments, doctypes, CDATA
                text = " ".join(child.split())
                if text:
                    found.add(text)
            elif child.name:
                walk(child)

    walk(soup.html)
    return found


@pytest.fixture(scope="session")
def neutral() -> set[str]:
    """Strings that may be the same in both languages: the site's and the organization's names
    when kb.yaml gives them the same in every language."""
    config = yaml.safe_load((BUNDLED / "kb.yaml").read_text(encoding="utf-8"))
    same = set()
    for value in config.get("site", {}).values():
        if isinstance(value, dict) and len(set(value.values())) == 1:
            same.update(value.values())
    return same


@pytest.mark.parametrize("which", CHROME_PAGES)
def test_the_interface_of_a_spanish_page_is_not_in_english(site, neutral, which):
    path = first_record(site, "es", "resolutions") if which == "record" else which
    spanish, english = chrome_strings(site / "es" / path), chrome_strings(site / "en" / path)
    assert spanish and english
    shared = sorted(s for s in spanish & english if LETTER.search(s) and s not in neutral)
    assert shared == [], f"es/{path} and en/{path} share interface strings (untranslated?): {shared}"


# --- the copy opened from files, and the root chooser -------------------------------------------

def test_search_opened_from_files_says_it_needs_the_published_site(site, tabs, screenshots):
    tab = tabs("files", viewport=DESKTOP)
    page = tab.page
    page.goto((site / "es" / "search.html").as_uri() + "?q=agua")
    offline = page.locator(".kb-search-offline")
    offline.wait_for(state="visible")
    page.wait_for_timeout(500)  # give a stuck "Buscando…" time to show
    assert offline.is_visible()
    assert "Buscando" not in page.locator("body").inner_text()
    screenshots(page, "files-search-es")
    tab.check()


def test_the_root_without_javascript_links_each_language(tabs, origin):
    tab = tabs("no-js", java_script_enabled=False, locale="en-US")
    page = tab.visit("index.html")
    for lang in LANGS:
        link = page.locator(f"a[href='{lang}/index.html']")
        assert link.count() == 1 and link.is_visible(), f"no visible link to {lang}/index.html"
    assert page.url == tab.url("index.html")


def test_the_root_follows_the_browser_language_once(tabs):
    tab = tabs("en-US", locale="en-US")
    page = tab.visit("index.html")
    page.wait_for_url(tab.url("en/index.html"))
    assert page.locator("html").get_attribute("lang") == "en"
    tab.visit("index.html")  # back to the chooser in the same session: no second redirect
    page.wait_for_timeout(700)
    assert page.url == tab.url("index.html"), f"the chooser redirected again, to {page.url}"
    assert page.locator("a[href='es/index.html']").is_visible()
    tab.check()
