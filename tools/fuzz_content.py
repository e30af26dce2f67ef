"""Long-running mutation fuzz of deck and plan parsing and of every command (issue 14).

    .venv/bin/python tools/fuzz_content.py --seconds 300 [--seed 1] [--out fuzz-findings]

Two loops, interleaved: (1) in-process, a mutated bundled deck or plan goes through `parse_deck` /
`parse_plan` (an exception is a crash, more than --hang seconds a hang); (2) every --every inputs,
a folder of mutated files goes through every command form in a fresh process (exit 70 is a crash,
a timeout a hang; output must hold no ESC/C1/bidi character). Failing inputs are saved to --out.
Prints inputs tried, crashes, hangs and peak memory (this process and the worst child).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fuzzing import mutate, seeds  # noqa: E402
from tests.hostile import FORBIDDEN  # noqa: E402
from tests.hostile import READ_ONLY_COMMANDS as COMMANDS  # noqa: E402

from studycli.decks import parse_deck  # noqa: E402
from studycli.plans import parse_plan  # noqa: E402


class Hang(Exception):
    pass


def _alarm(*_: object) -> None:
    raise Hang


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--every", type=int, default=400, help="parse inputs between command rounds")
    parser.add_argument("--hang", type=int, default=10, help="seconds after which a parse is a hang")
    parser.add_argument("--out", type=Path, default=ROOT / "fuzz-findings")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    decks, plans = seeds()
    signal.signal(signal.SIGALRM, _alarm)
    stats = {"parse_inputs": 0, "command_runs": 0, "command_inputs": 0, "crashes": 0, "hangs": 0, "leaks": 0}
    slowest = 0.0
    deadline = time.monotonic() + args.seconds
    work = Path(tempfile.mkdtemp(prefix="studyfuzz-"))

    def save(kind: str, text: str, detail: str) -> None:
        args.out.mkdir(parents=True, exist_ok=True)
        n = stats["crashes"] + stats["hangs"] + stats["leaks"]
        (args.out / f"{n:04d}-{kind}.txt").write_bytes(text.encode("utf-8", "surrogatepass"))
        (args.out / f"{n:04d}-{kind}.why").write_text(detail)

    round_no = 0
    while time.monotonic() < deadline:
        for _ in range(args.every):
            is_plan = rng.random() < 0.3
            text = mutate(rng.choice(plans if is_plan else decks), rng)
            stats["parse_inputs"] += 1
            started = time.monotonic()
            signal.alarm(args.hang)
            try:
                if is_plan:
                    parse_plan(text, "fuzz", "fuzz.yaml", known_topics={"foundations/probability"})
                else:
                    parse_deck(text, "fuzz/deck", "fuzz.md")
            except Hang:
                stats["hangs"] += 1
                save("parse-hang", text, "no result within the limit")
            except Exception:
                stats["crashes"] += 1
                save("parse-crash", text, traceback.format_exc())
            finally:
                signal.alarm(0)
            slowest = max(slowest, time.monotonic() - started)
            if time.monotonic() >= deadline:
                break
        round_no += 1
        shutil.rmtree(work, ignore_errors=True)
        (work / "decks" / "f").mkdir(parents=True)
        (work / "plans").mkdir(parents=True)
        files: dict[str, str] = {}
        for n in range(10):
            files[f"decks/f/d{n}.md"] = mutate(rng.choice(decks), rng)
        for n in range(3):
            files[f"plans/p{n}.yaml"] = mutate(rng.choice(plans), rng)
        for rel, text in files.items():
            (work / rel).write_bytes(text.encode("utf-8", "surrogatepass"))
        stats["command_inputs"] += len(files)
        env = {
            **os.environ,
            "STUDY_HOME": str(work / "home"),
            "STUDY_DECKS": str(work / "decks"),
            "STUDY_PLANS": str(work / "plans"),
            "STUDY_TODAY": "2026-03-02",
            "NO_COLOR": "1",
        }
        runs = [["plan", "--use", f"p{round_no % 3}"], *COMMANDS, ["check", "--size", "4"]]
        for command in runs:
            stats["command_runs"] += 1
            try:
                done = subprocess.run(
                    [sys.executable, "-m", "studycli", *command],
                    env=env,
                    input=b"\n4\na\n\n3\nb\n\n2\n",
                    capture_output=True,
                    timeout=60,
                )
            except subprocess.TimeoutExpired:
                stats["hangs"] += 1
                save("command-hang", json.dumps(files), " ".join(command))
                continue
            output = (done.stdout + done.stderr).decode("utf-8", "replace")
            if done.returncode == 70 or done.returncode < 0:
                stats["crashes"] += 1
                save("command-crash", json.dumps(files), f"{command} -> {done.returncode}\n{output}")
            elif any(c in output for c in FORBIDDEN):
                stats["leaks"] += 1
                save("command-leak", json.dumps(files), f"{command}\n{output}")
    shutil.rmtree(work, ignore_errors=True)
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    summary = {
        **stats,
        "seconds": args.seconds,
        "seed": args.seed,
        "slowest_parse_s": round(slowest, 3),
        "peak_rss_fuzzer_mib": round(self_kb / 1024, 1),
        "peak_rss_command_mib": round(child_kb / 1024, 1),
    }
    print(json.dumps(summary, indent=2))
    return 1 if stats["crashes"] or stats["hangs"] or stats["leaks"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
