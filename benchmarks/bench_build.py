"""Publishing benchmark: zh + en in all four formats in-process, then the command line against LibreOffice.

Run: make bench (or .venv/bin/python benchmarks/bench_build.py [--repeat 5]). Measured side by side in one run,
interleaved round by round on the same machine; the ratio is what counts, not the seconds:
- `fascicle build --lang zh --format pdf` in a fresh process, with an empty chart cache (the parsed parts cached,
  as after any earlier command) and with a warm one (every chart drawn before: matplotlib is not imported);
- LibreOffice converting our zh DOCX to PDF (`soffice --headless --convert-to pdf`), with a fresh profile in a
  temporary folder, made by one untimed conversion first (as ours gets one untimed build);
- `python -c "import fascicle.cli"` alone, the part of a build no renderer change can make faster.
The aim (issue 8): the cold PDF build at least 3 times faster than LibreOffice converting the DOCX.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from fascicle.render.publish import publish
from fascicle.source.load import load
from timing import median_time

LANGS = ("zh", "en")
AIM = 3.0


def run(command: Sequence[str], env: dict[str, str] | None = None) -> float:
    """The wall time of one command in a fresh process; it must succeed."""
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def fascicle_command() -> list[str]:
    """The installed `fascicle` script beside this interpreter, as a user runs it."""
    script = Path(sys.executable).with_name("fascicle")
    return [str(script)] if script.exists() else [shutil.which("fascicle") or "fascicle"]


def private(path: Path) -> Path:
    path.mkdir(mode=0o700, parents=True)
    return path


def charts_in(folder: Path) -> int:
    return sum(1 for entry in folder.iterdir() if entry.name.startswith("chart-"))


def main() -> None:
    """Run the benchmark and print one line per measure, then the ratios and whether the aim is met."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="Rounds of the side-by-side measures.")
    repeat = parser.parse_args().repeat
    budget = load().budget
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        # Every chart drawn each time, as before the chart cache; the user's cache folder is left alone.
        os.environ["FASCICLE_CACHE"] = "0"
        publish(budget, LANGS, ("html", "pdf", "docx", "xlsx"), out / "warm", draft=True)  # fonts
        everything = median_time(lambda: publish(budget, LANGS, ("html", "pdf", "docx", "xlsx"), out / "all",
                                                 draft=True), 3)
        print(f"build zh+en, html+pdf+docx+xlsx (8 files, in-process, no chart cache): {everything:.2f} s")
        cold_vs_libreoffice(out, repeat)


def cold_vs_libreoffice(out: Path, repeat: int) -> None:
    fascicle = fascicle_command()
    base = {key: value for key, value in os.environ.items() if key != "FASCICLE_CACHE"}

    def build(cache: Path, target: str, formats: str = "pdf") -> float:
        return run([*fascicle, "build", "--lang", "zh", "--format", formats, "--out", str(out / target)],
                   {**base, "FASCICLE_CACHE_DIR": str(cache)})

    # The parsed parts cached but no chart: what a first build after `fascicle validate` finds (every format
    # draws charts now, the workbook too, so the parts are cached by validating).
    parts = private(out / "cache-parts")
    run([*fascicle, "validate"], {**base, "FASCICLE_CACHE_DIR": str(parts)})
    assert charts_in(parts) == 0
    warm = private(out / "cache-warm")
    shutil.copytree(parts, warm, dirs_exist_ok=True)
    build(warm, "first")  # draws and keeps the charts; also the untimed first run (disk, fonts)
    docx = out / "docx"
    run([*fascicle, "build", "--lang", "zh", "--format", "docx", "--out", str(docx)],
        {**base, "FASCICLE_CACHE_DIR": str(warm)})
    source = docx / "zh" / "fascicle.docx"
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    profile = out / "lo-profile"

    def libreoffice(index: int) -> float:
        assert soffice is not None
        target = out / "lo" / str(index)
        took = run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(target), str(source)])
        assert (target / "fascicle.pdf").stat().st_size > 0
        return took

    if soffice is not None:
        libreoffice(-1)  # makes the fresh profile, untimed
    times: dict[str, list[float]] = {"empty": [], "warm": [], "import": [], "libreoffice": []}
    redrawn = 0
    for index in range(repeat):
        empty = out / f"cache-empty-{index}"
        shutil.copytree(parts, private(empty), dirs_exist_ok=True)
        times["empty"].append(build(empty, f"empty-{index}"))
        before = charts_in(warm)
        times["warm"].append(build(warm, f"warm-{index}"))
        redrawn += charts_in(warm) - before
        times["import"].append(run([sys.executable, "-c", "import fascicle.cli"]))
        if soffice is not None:
            times["libreoffice"].append(libreoffice(index))
    median = {name: statistics.median(values) for name, values in times.items() if values}
    print(f"cold `fascicle build --lang zh --format pdf`, fresh process, median of {repeat}: "
          f"empty chart cache {median['empty']:.2f} s; warm chart cache {median['warm']:.2f} s"
          + (f" (the code changed meanwhile: {redrawn} chart(s) redrawn)" if redrawn else ""))
    print(f"  of which starting Python and `import fascicle.cli` alone: {median['import']:.2f} s")
    if soffice is None:
        print("LibreOffice is not installed (make setup): no ratio")
        return
    theirs = median["libreoffice"]
    print(f"LibreOffice zh DOCX -> PDF (soffice --headless --convert-to pdf, fresh process): {theirs:.2f} s")
    ratio = theirs / median["warm"]
    print(f"LibreOffice / ours = {ratio:.1f} with the warm chart cache, {theirs / median['empty']:.1f} with an "
          f"empty one; the aim, {AIM:.0f}x with the warm cache: {'met' if ratio >= AIM else 'NOT met'}")


if __name__ == "__main__":
    main()
