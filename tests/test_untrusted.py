"""Untrusted decks and plans (issue 14): nothing reaches the terminal, nothing crashes, nothing hangs.

The hostile corpus (`tests/hostile.py`) is run through every output form; each must exit without
an internal error and print no ESC, C1, bidi, zero-width or BOM character; the Markdown report
must parse with no link, image or HTML node and no extra table cell.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from studycli import config, yamlsrc
from studycli.content import load_collection
from studycli.deckcache import DeckCache
from studycli.decks import parse_deck
from studycli.files import iter_content_files, read_source
from studycli.model import CardState
from studycli.textsafe import clean, json_safe, md_code, md_text

from . import hostile
from .hostile import READ_ONLY_COMMANDS as FORMS

TODAY = "2026-03-02"
# One scripted check over the hostile deck: basic answer + grade, MCQ letter, then the rest.
SCRIPT = "\n4\n\n4\nb\n\n4\n" + "\n4\n" * 6


def forbidden_in(text: str) -> list[str]:
    return sorted({repr(c) for c in hostile.FORBIDDEN if c in text})


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return hostile.build(tmp_path_factory.mktemp("hostile"))


@pytest.fixture
def hostile_home(corpus, content, home, monkeypatch) -> Path:
    """The hostile folders on top of the small test content, the hostile plan active, and progress
    that puts hostile cards and topics into every report section (leeches, calibration)."""
    decks, plans = corpus
    monkeypatch.setenv("STUDY_DECKS", str(decks))
    monkeypatch.setenv("STUDY_PLANS", str(plans))
    monkeypatch.setenv("STUDY_TODAY", TODAY)
    monkeypatch.setenv("NO_COLOR", "1")
    from studycli.store import Store

    collection = load_collection(config.content_dirs({}))
    today = date.fromisoformat(TODAY)
    store = Store(config.db_path())
    store.set_settings({config.SETTING_PLAN: "hostile", config.SETTING_PLAN_START: "2026-02-25"})
    session = store.start_session("check", today - timedelta(days=1), planned=5, plan_id="hostile")
    for deck in collection.decks:
        if not deck.id.startswith("hostile/"):
            continue
        for subtopic in deck.subtopics:
            store.record_gap_rating(
                session_id=None, day=today, deck_id=deck.id, subtopic=subtopic, rating="know"
            )
        for card in deck.cards:
            # A first sight, then four lapses: the stored state each grade starts from is passed
            # as `before`, as the strict store and its two-terminal check require.
            before: CardState | None = None
            for n in range(5):
                after = CardState(card.id, ef=1.3, interval=1, repetitions=0, due=today, lapses=4 + n)
                store.record_review(
                    session_id=session,
                    day=today - timedelta(days=1),
                    card_id=card.id,
                    deck_id=deck.id,
                    source="new" if before is None else "review",
                    quality=1,
                    seconds=1.0,
                    repeat=False,
                    before=before,
                    after=after,
                )
                before = after
    store.end_session(session, "completed")
    store.close()
    return home


def output_of(result) -> str:
    return result.stdout + (result.stderr or "")


@pytest.mark.parametrize("args", FORMS, ids=" ".join)
def test_every_output_form_is_clean_and_no_internal_error(invoke, hostile_home, args) -> None:
    result = invoke(*args)
    text = output_of(result)
    assert result.exit_code in (0, 1), text  # lint exits 1: the corpus has errors on purpose
    assert result.exit_code == (1 if args == ["lint"] else 0), text
    assert forbidden_in(text) == []
    if "--json" in args or args[-1] == "json" or args == ["export"]:
        json.loads(result.stdout)  # still valid JSON, escapes and all


def test_scripted_check_over_hostile_cards_is_clean(invoke, hostile_home) -> None:
    result = invoke("check", "--topic", "hostile/x", "--size", "4", input=SCRIPT)
    text = output_of(result)
    assert result.exit_code == 0, text
    assert forbidden_in(text) == []
    assert "evil.example/track" in text  # a link shows its address instead of hiding it
    assert "What is [image: only an image] in this question?" in text  # the words around an image stay


def test_markdown_report_has_no_link_image_or_html_and_no_extra_cell(invoke, hostile_home) -> None:
    result = invoke("report", "--format", "markdown")
    assert result.exit_code == 0
    md = result.stdout
    tokens = MarkdownIt("commonmark").enable("table").parse(md)
    kinds: set[str] = set()
    rows: list[int] = []
    for token in tokens:
        kinds.add(token.type)
        kinds.update(child.type for child in token.children or ())
        if token.type == "tr_open":
            rows.append(0)
        elif token.type in ("th_open", "td_open"):
            rows[-1] += 1
        elif token.type == "table_close":
            rows.append(-1)  # a table boundary
    assert not kinds & {"link_open", "image", "html_inline", "html_block"}, kinds
    tables: list[list[int]] = [[]]
    for n in rows:
        if n < 0:
            tables.append([])
        else:
            tables[-1].append(n)
    assert all(len(set(t)) == 1 for t in tables if t)  # every row as many cells as its header
    assert "hostile/a\\`\\|b" in md  # the id with a backtick and a pipe, escaped as text


def test_lint_names_every_hostile_field_and_file(invoke, hostile_home, corpus) -> None:
    result = invoke("lint")
    out = result.stdout
    decks, plans = corpus
    assert f"{decks}/hostile/x.md:2: warning: 'title' holds characters that are not shown" in out
    assert f"{decks}/hostile/x.md:7: warning: 'subtopics' holds" in out
    assert f"{plans}/hostile.yaml:5: warning: 'theme' holds" in out
    assert f"{plans}/hostile.yaml:7: warning: 'goals' holds" in out
    assert "its id is 'hostile/bidi': rename it" in out
    assert "its id is 'hostile/latin\ufffd': rename it" in out
    for name in hostile.BAD_VALUES:
        assert f"{decks}/bad/{name}.md:2: error:" in out
        assert f"{plans}/bad/{name}.yaml:1: error:" in out
    assert f"{decks}/bad/alias-bomb.md:3: error: invalid YAML: aliases (*a0) are not allowed" in out
    assert f"{decks}/bad/mcq27.md:7: error: multiple choice has 27 options; at most 26 (a-z)" in out
    assert f"{decks}/bad/latin1.md:2: error: not UTF-8 text" in out


def test_a_non_utf8_deck_name_can_be_graded(invoke, hostile_home) -> None:
    result = invoke("check", "--topic", "hostile/latin\ufffd", input="\n4\n")
    assert result.exit_code == 0, output_of(result)
    assert "Latin name" in result.stdout


# --- units: the sanitiser and the escapes ---------------------------------------------------------


@settings(max_examples=300, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_clean_removes_everything_forbidden_and_is_idempotent(text: str) -> None:
    once = clean(text)
    assert forbidden_in(once) == [] and "\r" not in once
    assert clean(once) == once
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in once)
    line = clean(text, line=True)
    assert "\n" not in line and "\t" not in line and forbidden_in(line) == []


@settings(max_examples=300, derandomize=True)
@given(st.text())
def test_json_safe_escapes_but_means_the_same(text: str) -> None:
    raw = json.dumps({"k": text}, ensure_ascii=False)
    for ascii_only in (False, True):
        safe = json_safe(raw, ascii_only)
        assert forbidden_in(safe) == []
        assert json.loads(safe) == {"k": text}


@settings(max_examples=300, derandomize=True)
@given(
    st.lists(st.sampled_from([*"ab |\\`*_[]()<>!&#;:/.-+=~x1\n", "http://e", "&#x202e;", "\u202e"])).map(
        "".join
    )
)
def test_markdown_escape_is_inert_one_cell_and_reads_as_the_text(text: str) -> None:
    for cell in (md_text(text), md_code(text)):
        md = f"| h | i |\n| --- | --- |\n| {cell} | z |\n"
        tokens = MarkdownIt("commonmark").enable("table").parse(md)
        children = [c for t in tokens for c in t.children or ()]
        assert not {c.type for c in children} & {"link_open", "image", "html_inline"}
        assert sum(t.type == "td_open" for t in tokens) == 2  # no extra cell
    expected = " ".join(clean(text, line=True).split())
    tokens = MarkdownIt("commonmark").parse(md_text(text) or "x")
    rendered = "".join(c.content for t in tokens for c in t.children or () if c.type == "text")
    assert rendered == (expected or "x")


# --- units: YAML, files, cache --------------------------------------------------------------------


@pytest.mark.parametrize("name", list(hostile.BAD_VALUES))
def test_every_bad_yaml_value_is_a_located_error(name: str) -> None:
    with pytest.raises(yamlsrc.YamlError) as raised:
        yamlsrc.load("x: 1\n" + hostile.BAD_VALUES[name].replace("title", "y") + "\n", first_line=5)
    assert raised.value.line in (5, 6)
    assert raised.value.message.startswith("invalid YAML: ") or "not allowed" in raised.value.message


def test_alias_bomb_is_refused_before_anything_expands() -> None:
    with pytest.raises(yamlsrc.YamlError, match=r"aliases \(\*a0\) are not allowed"):
        yamlsrc.load(hostile.alias_bomb(40))  # 9^40 strings if it were expanded


def test_nesting_far_beyond_the_cap_is_an_error_not_a_crash() -> None:
    with pytest.raises(yamlsrc.YamlError, match="nest"):
        yamlsrc.load("a: " + "[" * 100_000 + "]" * 100_000)


def test_deck_with_many_subtopics_loads(tmp_path: Path) -> None:
    subtopics = "\n".join(f"  - subtopic {i}" for i in range(20_000))
    text = f"---\ntitle: T\narea: A\nsubtopics:\n{subtopics}\n  - subtopic 7\n---\n## Q {{#q}}\nA\n"
    parsed = parse_deck(text, "big/deck")
    assert parsed.deck is not None and len(parsed.deck.subtopics) == 20_000
    assert [d.line for d in parsed.diagnostics] == [20_005]  # the duplicate, located


def test_a_folder_vanishing_mid_scan_is_a_warning(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "deck.md").write_text("x")
    real = os.scandir

    def flaky(path):
        if str(path).endswith("a"):
            raise FileNotFoundError(2, "No such file or directory")
        return real(path)

    monkeypatch.setattr(os, "scandir", flaky)
    problems: list = []
    assert [p.name for p in iter_content_files(tmp_path, (".md",), problems)] == ["deck.md"]
    assert [(p.severity, p.message) for p in problems] == [
        ("warning", "cannot read folder: No such file or directory")
    ]


@pytest.mark.skipif(os.name != "posix", reason="FIFOs")
def test_reading_a_fifo_or_a_huge_file_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "x.md"
    os.mkfifo(fifo)
    assert read_source(fifo)[1].message == "not a regular file"
    big = tmp_path / "big.md"
    big.write_text("x" * 100)
    assert read_source(big, limit=10)[1].message == "file is larger than 0 MiB; skipped"


def test_a_planted_cache_never_runs_code_and_forged_entries_are_reparsed(tmp_path: Path) -> None:
    import pickle

    from .conftest import ALPHA, write

    cache = tmp_path / "cache" / "decks.json"
    cache.parent.mkdir()
    marker = tmp_path / "pwned"
    cache.write_bytes(pickle.dumps(eval, protocol=2) + f"open({str(marker)!r}, 'w')".encode())
    write(tmp_path, "decks/t/alpha.md", ALPHA)
    dirs = config.ContentDirs(decks=((tmp_path / "decks", False),), plans=())
    first = load_collection(dirs, cache)
    assert not marker.exists() and first.deck("t/alpha") is not None
    index, _, blobs = cache.read_bytes().partition(b"\n")  # the index line, then the card blobs
    data = json.loads(index)
    data["entries"][0][6][0][0][1] = 12345  # a forged title of the wrong type
    cache.write_bytes(json.dumps(data).encode() + b"\n" + blobs)
    assert DeckCache(cache).get(tuple(data["entries"][0][:3]), tuple(data["entries"][0][3:6])) is None
    assert load_collection(dirs, cache) == first


def test_a_forged_card_blob_falls_back_to_a_parse_and_the_cache_is_rebuilt(tmp_path: Path) -> None:
    from .conftest import ALPHA, write

    cache = tmp_path / "cache" / "decks.json"
    write(tmp_path, "decks/t/alpha.md", ALPHA)
    dirs = config.ContentDirs(decks=((tmp_path / "decks", False),), plans=())
    first = load_collection(dirs, cache)
    index, _, blobs = cache.read_bytes().partition(b"\n")
    first_card, _, rest = blobs.partition(b"\n")  # one deck; its blob holds one card per line
    forged = json.loads(first_card)
    forged[1] = ["not", "text"]  # a question of the wrong type, found only when cards are read
    cache.write_bytes(index + b"\n" + json.dumps(forged).encode() + b"\n" + rest)
    again = load_collection(dirs, cache)  # the index is intact: the deck loads from the cache
    assert cache.exists()
    assert again == first  # reading the cards finds the forgery and parses the file instead
    assert not cache.exists()  # and the cache is rebuilt on the next run
    load_collection(dirs, cache)
    assert cache.exists()


# --- commands: dates, import, output ---------------------------------------------------------------


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_extreme_study_today_is_a_clear_error(invoke, content, day) -> None:
    result = invoke("report", today=day)
    assert result.exit_code == 2
    assert f"STUDY_TODAY '{day}' is out of range" in result.output


def test_import_is_bounded_and_deep_json_is_an_input_error(invoke, content, tmp_path, monkeypatch) -> None:
    from studycli.cli import data

    big = tmp_path / "big.json"
    big.write_text(" " * 5000)
    monkeypatch.setattr(data, "MAX_IMPORT_BYTES", 4096)
    result = invoke("import", str(big))
    assert result.exit_code == 2 and "is larger than 0 MiB: not a studycli export" in result.output
    if Path("/dev/zero").exists():
        result = invoke("import", "/dev/zero")
        assert result.exit_code == 2 and "larger than" in result.output
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    monkeypatch.setattr(data, "MAX_IMPORT_BYTES", 1 << 20)
    result = invoke("import", str(deep))
    assert result.exit_code == 2 and "nested too deeply" in result.output


def _study(args: list[str], env: dict[str, str], stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "studycli", *args],
        env={**os.environ, **env},
        stdout=stdout,
        stderr=subprocess.PIPE,
        timeout=60,
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_on_stdout_is_a_message_and_exit_1(home, tmp_path) -> None:
    with open("/dev/full", "w") as full:
        done = _study(["report", "--format", "json"], {"STUDY_HOME": str(home)}, stdout=full)
    assert done.returncode == 1, done.stderr
    assert b"error: cannot write the output: No space left on device" in done.stderr


def test_an_ascii_stdout_gets_replacements_and_lossless_json(home) -> None:
    env = {"STUDY_HOME": str(home), "PYTHONIOENCODING": "ascii", "STUDY_TODAY": TODAY}
    shown = _study(["plan"], env)
    assert shown.returncode == 0, shown.stderr
    as_json = _study(["check", "--preview", "--json"], env)
    assert as_json.returncode == 0, as_json.stderr
    assert as_json.stdout.isascii() and json.loads(as_json.stdout)["items"]
