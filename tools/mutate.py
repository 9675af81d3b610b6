"""Mutation testing of the checks, computations and loader with the fast test suite.

Each mutant replaces the exact source span of one AST node (the rest of the file stays byte-identical),
is compiled, deduplicated and run in a worker copy of the repository: `src/` and `tests/` are copied into a
temporary directory and pytest runs there with PYTHONPATH=<copy>/src, so the editable install of the real
`src/` is never imported. Decorated functions (every @check) are mutated like any other code.

    python tools/mutate.py [--package checks] [--module compute/posts.py] [--limit N] [--workers 2]

Operators: comparisons, arithmetic, and/or, dropping or adding `not`, integers ±1, True/False, numeric
strings ÷10, ROUND_HALF_UP/EVEN, min/max, any/all, deleting a yield / call statement / augmented assignment /
raise / continue / break / bare return, `return X` → `return None`; other strings → "XX…XX", counted apart as
string mutants. Docstrings, annotations, imports, type aliases and the inside of f-strings are left alone.
Mutants listed in tools/equivalent-mutants.txt (by id) are run but subtracted from the score.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("checks", "compute", "source")
# Left out of the run: the publishing tests (about 20 s, and the renderers are not mutated) and the fuzz test
# (about 20 s of corrupted YAML for the loader's one promise not to crash), which would triple the run.
SLOW_TESTS = ("test_publish.py", "test_printed_tables.py", "test_injection.py", "test_outputs.py", "test_fuzz.py")
EQUIVALENT_FILE = Path(__file__).resolve().parent / "equivalent-mutants.txt"

COMPARE_SWAPS: dict[type[ast.cmpop], tuple[type[ast.cmpop], ...]] = {
    ast.Eq: (ast.NotEq,), ast.NotEq: (ast.Eq,),
    ast.Lt: (ast.LtE, ast.GtE), ast.LtE: (ast.Lt, ast.Gt),
    ast.Gt: (ast.GtE, ast.LtE), ast.GtE: (ast.Gt, ast.Lt),
    ast.In: (ast.NotIn,), ast.NotIn: (ast.In,), ast.Is: (ast.IsNot,), ast.IsNot: (ast.Is,),
}
COMPARE_TEXT: dict[type[ast.cmpop], str] = {
    ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
    ast.In: "in", ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not",
}
COMPARE_PATTERN: dict[type[ast.cmpop], str] = {
    ast.Eq: r"==", ast.NotEq: r"!=", ast.Lt: r"<(?!=)", ast.LtE: r"<=", ast.Gt: r">(?!=)", ast.GtE: r">=",
    ast.In: r"\bin\b", ast.NotIn: r"\bnot\s+in\b", ast.Is: r"\bis\b", ast.IsNot: r"\bis\s+not\b",
}
BINOP_SWAPS: dict[type[ast.operator], tuple[str, str, str]] = {
    # operator type: (pattern in the gap, its text, replacement)
    ast.Add: (r"\+", "+", "-"), ast.Sub: (r"-", "-", "+"), ast.Mult: (r"\*", "*", "/"),
    ast.Div: (r"/", "/", "*"), ast.BitOr: (r"\|", "|", "&"), ast.BitAnd: (r"&", "&", "|"),
}
AUG_SWAPS: dict[type[ast.operator], tuple[str, str]] = {ast.Add: ("+=", "-="), ast.Sub: ("-=", "+=")}
NAME_SWAPS = {"ROUND_HALF_UP": "ROUND_HALF_EVEN", "ROUND_HALF_EVEN": "ROUND_HALF_UP", "min": "max", "max": "min",
              "any": "all", "all": "any"}


@dataclass(frozen=True)
class Mutant:
    """One mutation of one file."""

    module: str  # e.g. "checks/posts.py"
    line: int
    qualname: str
    operator: str  # comparison, arithmetic, boolean, negation, constant, name, statement, return, string
    original: str
    replacement: str
    start: int  # byte offsets of the replaced span
    end: int

    @property
    def package(self) -> str:
        return self.module.split("/")[0]

    @property
    def is_string(self) -> bool:
        return self.operator == "string"

    @property
    def id(self) -> str:
        """A name that survives edits elsewhere in the file: module, function, and the text replaced."""
        return f"{self.module}::{self.qualname}::{_short(self.original)} -> {_short(self.replacement)}"

    def describe(self) -> str:
        return f"{self.module}:{self.line}: [{self.operator}] {_short(self.original)} → {_short(self.replacement)}"


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


class _Generator:
    """Walk one module and collect (span, replacement, operator) edits."""

    def __init__(self, module: str, source: bytes) -> None:
        self.module = module
        self.source = source
        self.tree = ast.parse(source)
        self.line_starts = [0]
        for line in source.splitlines(keepends=True):
            self.line_starts.append(self.line_starts[-1] + len(line))
        self.skip: set[int] = set()  # ids of nodes never to mutate (and whose children are skipped)
        self.edits: list[Mutant] = []

    # -- positions -------------------------------------------------------------------------------------------
    def offset(self, line: int, column: int) -> int:
        return self.line_starts[line - 1] + column

    def span(self, node: ast.AST) -> tuple[int, int]:
        start = self.offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]
        end = self.offset(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
        return start, end

    def text(self, start: int, end: int) -> str:
        return self.source[start:end].decode("utf-8")

    def add(self, node: ast.AST, qualname: str, operator: str, start: int, end: int, replacement: str) -> None:
        original = self.text(start, end)
        if original == replacement:
            return
        self.edits.append(Mutant(self.module, node.lineno, qualname, operator,  # type: ignore[attr-defined]
                                 original, replacement, start, end))

    # -- walking ---------------------------------------------------------------------------------------------
    def run(self) -> list[Mutant]:
        self._body(self.tree.body, "<module>", module_level=True)
        return self.edits

    def _body(self, body: list[ast.stmt], qualname: str, module_level: bool = False) -> None:
        for statement in body:
            self._statement(statement, qualname, module_level)

    def _statement(self, node: ast.stmt, qualname: str, module_level: bool) -> None:
        if isinstance(node, ast.Import | ast.ImportFrom) or _is_docstring(node):
            return  # imports, docstrings and attribute docstrings
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            name = node.name if qualname == "<module>" else f"{qualname}.{node.name}"
            for decorator in node.decorator_list:
                self._expression(decorator, name)
            for default in [*node.args.defaults, *node.args.kw_defaults]:
                if default is not None:
                    self._expression(default, name)
            self._body(node.body, name)
            return
        if isinstance(node, ast.ClassDef):
            name = node.name if qualname == "<module>" else f"{qualname}.{node.name}"
            for decorator in node.decorator_list:
                self._expression(decorator, name)
            self._body(node.body, name)
            return
        if isinstance(node, ast.AnnAssign):
            if node.value is not None:
                self._expression(node.value, qualname)
            return
        if module_level and isinstance(node, ast.Assign) and _is_type_alias(node.value):
            return
        self._statement_mutants(node, qualname)
        for _, value in ast.iter_fields(node):
            if isinstance(value, list):
                if value and isinstance(value[0], ast.stmt):
                    for statement in value:
                        self._statement(statement, qualname, False)
                else:
                    for item in value:
                        self._child(item, qualname, node)
            else:
                self._child(value, qualname, node)

    def _child(self, value: object, qualname: str, parent: ast.AST) -> None:
        if isinstance(value, ast.stmt):
            self._statement(value, qualname, False)
        elif isinstance(value, ast.expr):
            self._expression(value, qualname)
        elif isinstance(value, ast.ExceptHandler):
            if value.type is not None:
                self._expression(value.type, qualname)
            self._body(value.body, qualname)
        elif isinstance(value, ast.comprehension):
            self._expression(value.iter, qualname)
            for condition in value.ifs:
                self._negate(condition, qualname)
                self._expression(condition, qualname)
        elif isinstance(value, ast.withitem):
            self._expression(value.context_expr, qualname)
        elif isinstance(value, ast.match_case):
            self._body(value.body, qualname)

    def _statement_mutants(self, node: ast.stmt, qualname: str) -> None:
        start, end = self.span(node)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Yield | ast.YieldFrom | ast.Call | ast.Await):
            self.add(node, qualname, "statement", start, end, "pass")
        elif isinstance(node, ast.AugAssign):
            self.add(node, qualname, "statement", start, end, "pass")
            if type(node.op) in AUG_SWAPS:
                old, new = AUG_SWAPS[type(node.op)]
                gap_start, gap_end = self.span(node.target)[1], self.span(node.value)[0]
                gap = self.text(gap_start, gap_end)
                if old in gap:
                    self.add(node, qualname, "arithmetic", gap_start, gap_end, gap.replace(old, new, 1))
        elif isinstance(node, ast.Raise | ast.Continue | ast.Break):
            self.add(node, qualname, "statement", start, end, "pass")
        elif isinstance(node, ast.Return):
            if node.value is None:
                self.add(node, qualname, "statement", start, end, "pass")
            elif not (isinstance(node.value, ast.Constant) and node.value.value is None):
                value_start, value_end = self.span(node.value)
                self.add(node, qualname, "return", value_start, value_end, "None")
        elif isinstance(node, ast.If | ast.While):
            self._negate(node.test, qualname)

    def _negate(self, test: ast.expr, qualname: str) -> None:
        if isinstance(test, ast.Compare | ast.BoolOp) or (
                isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)):
            return  # a bare condition only: comparisons, and/or and `not` have their own mutants
        start, end = self.span(test)
        self.add(test, qualname, "negation", start, end, f"not ({self.text(start, end)})")

    def _expression(self, node: ast.expr, qualname: str) -> None:
        if isinstance(node, ast.JoinedStr):
            return  # message text; positions inside f-strings are unreliable in 3.11
        self._expression_mutants(node, qualname)
        for _, value in ast.iter_fields(node):
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, ast.expr):
                    self._expression(item, qualname)
                elif isinstance(item, ast.comprehension):
                    self._child(item, qualname, node)
                elif isinstance(item, ast.keyword):
                    self._expression(item.value, qualname)
                elif isinstance(item, ast.arguments):
                    for default in [*item.defaults, *item.kw_defaults]:
                        if default is not None:
                            self._expression(default, qualname)

    def _gap(self, left: ast.AST, right: ast.AST) -> tuple[int, int, str]:
        start, end = self.span(left)[1], self.span(right)[0]
        return start, end, self.text(start, end)

    def _expression_mutants(self, node: ast.expr, qualname: str) -> None:
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for index, op in enumerate(node.ops):
                start, end, gap = self._gap(operands[index], operands[index + 1])
                match = re.search(COMPARE_PATTERN[type(op)], gap)
                if match is None:
                    continue
                for swapped in COMPARE_SWAPS[type(op)]:
                    text = gap[: match.start()] + COMPARE_TEXT[swapped] + gap[match.end():]
                    self.add(node, qualname, "comparison", start, end, text)
        elif isinstance(node, ast.BinOp) and type(node.op) in BINOP_SWAPS:
            pattern, _, other = BINOP_SWAPS[type(node.op)]
            start, end, gap = self._gap(node.left, node.right)
            found = re.search(pattern, gap)
            if found is not None:
                self.add(node, qualname, "arithmetic", start, end, gap[: found.start()] + other + gap[found.end():])
        elif isinstance(node, ast.BoolOp):
            old, replaced = ("and", "or") if isinstance(node.op, ast.And) else ("or", "and")
            pieces = []
            start = self.span(node.values[0])[0]
            cursor = start
            for left, right in zip(node.values, node.values[1:], strict=False):
                gap_start, gap_end, gap = self._gap(left, right)
                pieces.append(self.text(cursor, gap_start))
                pieces.append(re.sub(rf"\b{old}\b", replaced, gap, count=1))
                cursor = gap_end
            end = self.span(node.values[-1])[1]
            pieces.append(self.text(cursor, end))
            self.add(node, qualname, "boolean", start, end, "".join(pieces))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            start, end = self.span(node)
            operand_start, operand_end = self.span(node.operand)
            self.add(node, qualname, "negation", start, end, f"({self.text(operand_start, operand_end)})")
        elif isinstance(node, ast.IfExp):
            self._negate(node.test, qualname)
        elif isinstance(node, ast.Constant):
            self._constant(node, qualname)
        elif isinstance(node, ast.Name) and node.id in NAME_SWAPS:
            start, end = self.span(node)
            self.add(node, qualname, "name", start, end, NAME_SWAPS[node.id])
        elif isinstance(node, ast.Attribute) and node.attr in NAME_SWAPS and node.attr.startswith("ROUND_"):
            start, end = self.span(node)
            self.add(node, qualname, "name", start, end,
                     self.text(start, end).removesuffix(node.attr) + NAME_SWAPS[node.attr])

    def _constant(self, node: ast.Constant, qualname: str) -> None:
        start, end = self.span(node)
        value = node.value
        if isinstance(value, bool):
            self.add(node, qualname, "constant", start, end, repr(not value))
        elif isinstance(value, int):
            self.add(node, qualname, "constant", start, end, repr(value + 1))
            self.add(node, qualname, "constant", start, end, repr(value - 1))
        elif isinstance(value, str):
            if _numeric(value):
                self.add(node, qualname, "constant", start, end, repr(str(Decimal(value) / 10)))
            else:
                self.add(node, qualname, "string", start, end, repr(f"XX{value}XX"))


def _numeric(text: str) -> bool:
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return False
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True


def _is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _is_type_alias(value: ast.expr) -> bool:
    """A module-level `X = tuple[...]`, `X = dict[...] | None`: a type, not a value."""
    if isinstance(value, ast.Subscript):
        return True
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.BitOr):
        return _is_type_alias(value.left) or _is_type_alias(value.right)
    return False


def generate(root: Path, packages: tuple[str, ...], module: str | None) -> list[Mutant]:
    """Every compiling, distinct mutant of the chosen modules, in file order."""
    mutants: list[Mutant] = []
    base = root / "src" / "fascicle"
    for package in packages:
        for file in sorted((base / package).glob("*.py")):
            name = f"{package}/{file.name}"
            if module is not None and name != module and file.name != module:
                continue
            source = file.read_bytes()
            seen = {hashlib.sha256(source).hexdigest()}
            for mutant in _Generator(name, source).run():
                mutated = apply(source, mutant)
                digest = hashlib.sha256(mutated).hexdigest()
                if digest in seen:
                    continue
                try:
                    compile(mutated, name, "exec")
                except SyntaxError:
                    continue
                seen.add(digest)
                mutants.append(mutant)
    return mutants


def apply(source: bytes, mutant: Mutant) -> bytes:
    return source[: mutant.start] + mutant.replacement.encode("utf-8") + source[mutant.end:]


# -- running ---------------------------------------------------------------------------------------------------

def fast_tests(root: Path, exclude: tuple[str, ...] = SLOW_TESTS) -> list[str]:
    return sorted(f"tests/{p.name}" for p in (root / "tests").glob("test_*.py") if p.name not in exclude)


def make_worker(root: Path, parent: Path, index: int) -> Path:
    """A copy of src/, tests/ and pyproject.toml where the tests run against the copied src/."""
    worker = parent / f"worker-{index}"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    shutil.copytree(root / "src", worker / "src", ignore=ignore)
    shutil.copytree(root / "tests", worker / "tests", ignore=ignore)
    shutil.copy2(root / "pyproject.toml", worker / "pyproject.toml")
    return worker


def run_tests(worker: Path, tests: list[str], timeout: float) -> tuple[str, float]:
    """'survived', 'killed' or 'timeout' for the suite in `worker`, and the seconds it took."""
    shutil.rmtree(worker / ".hypothesis", ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(worker / "src"), "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "--hypothesis-seed=0", *tests]
    began = time.monotonic()
    try:
        done = subprocess.run(command, cwd=worker, env=env, stdout=subprocess.DEVNULL,  # noqa: S603
                              stderr=subprocess.DEVNULL, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return "timeout", time.monotonic() - began
    return ("survived" if done.returncode == 0 else "killed"), time.monotonic() - began


def run_mutant(worker: Path, mutant: Mutant, tests: list[str], timeout: float) -> str:
    file = worker / "src" / "fascicle" / mutant.module
    original = file.read_bytes()
    try:
        file.write_bytes(apply(original, mutant))
        return run_tests(worker, tests, timeout)[0]
    finally:
        file.write_bytes(original)


def load_equivalents(path: Path) -> dict[str, str]:
    """Mutant id → reason, from lines `id | reason`; blank lines and lines starting with # are comments."""
    found: dict[str, str] = {}
    if not path.exists():
        return found
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, _, reason = line.partition(" | ")
        found[key.strip()] = reason.strip()
    return found


def _score(killed: int, total: int) -> str:
    return f"{100 * killed / total:5.1f} %" if total else "    —  "


def report(results: list[tuple[Mutant, str]], equivalents: dict[str, str]) -> str:
    """Killed/survived per module and package: all mutants, without strings, and without strings or equivalents."""
    rows: dict[str, list[tuple[Mutant, str]]] = defaultdict(list)
    for mutant, outcome in results:
        rows[mutant.module].append((mutant, outcome))
        rows[mutant.package + "/"].append((mutant, outcome))
        rows["overall"].append((mutant, outcome))
    header = (f"{'module':<26} {'mutants':>7} {'killed':>6} {'surv':>5} {'score':>8} │ {'no str':>6} {'killed':>6} "
              f"{'score':>8} │ {'equiv':>5} {'score*':>8}")
    lines = [header, "─" * len(header)]
    order = sorted(rows, key=lambda k: (k == "overall", k.split("/")[0], not k.endswith("/"), k))
    for key in order:
        entries = rows[key]
        killed = sum(outcome != "survived" for _, outcome in entries)
        plain = [(m, o) for m, o in entries if not m.is_string]
        plain_killed = sum(o != "survived" for _, o in plain)
        equivalent = [(m, o) for m, o in plain if m.id in equivalents]
        counted = [(m, o) for m, o in plain if m.id not in equivalents]
        counted_killed = sum(o != "survived" for _, o in counted)
        label = key if key.endswith("/") or key == "overall" else "  " + key
        lines.append(f"{label:<26} {len(entries):>7} {killed:>6} {len(entries) - killed:>5} "
                     f"{_score(killed, len(entries)):>8} │ {len(plain):>6} {plain_killed:>6} "
                     f"{_score(plain_killed, len(plain)):>8} │ {len(equivalent):>5} "
                     f"{_score(counted_killed, len(counted)):>8}")
    lines.append("score* = killed / (non-string mutants − equivalent mutants listed in tools/equivalent-mutants.txt)")
    timeouts = sum(outcome == "timeout" for _, outcome in results)
    if timeouts:
        lines.append(f"{timeouts} mutants timed out (counted as killed)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--package", action="append", choices=PACKAGES, help="mutate only this package (repeatable)")
    parser.add_argument("--module", help="mutate only this module, e.g. compute/posts.py")
    parser.add_argument("--limit", type=int, help="run only the first N mutants (after --package/--module)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=0, help="seconds per mutant (default: 10 × the clean run)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the repository to mutate (default: this one)")
    parser.add_argument("--survivors", type=Path, default=Path("build/mutation/survivors.txt"))
    parser.add_argument("--equivalents", type=Path, default=EQUIVALENT_FILE)
    parser.add_argument("--exclude", action="append",
                        help=f"leave out this test file (default: {', '.join(SLOW_TESTS)})")
    parser.add_argument("--list", action="store_true", help="print the mutants and exit without running them")
    args = parser.parse_args(argv)

    root = args.root.resolve()
    mutants = generate(root, tuple(args.package or PACKAGES), args.module)
    if args.limit is not None:
        mutants = mutants[: args.limit]
    if args.list:
        for mutant in mutants:
            print(f"{mutant.describe()}\n    id: {mutant.id}")
        print(f"{len(mutants)} mutants")
        return 0
    equivalents = load_equivalents(args.equivalents)
    tests = fast_tests(root, tuple(args.exclude) if args.exclude else SLOW_TESTS)
    print(f"{len(mutants)} mutants of {root}, {args.workers} workers; tests: {' '.join(tests)}", flush=True)

    with tempfile.TemporaryDirectory(prefix="fascicle-mutants-") as temporary:
        workers = [make_worker(root, Path(temporary), index) for index in range(max(1, args.workers))]
        for worker in workers:
            imported = subprocess.run(
                [sys.executable, "-c", "import fascicle; print(fascicle.__file__)"], cwd=worker, check=True,
                env={**os.environ, "PYTHONPATH": str(worker / "src"), "PYTHONDONTWRITEBYTECODE": "1"},
                capture_output=True, text=True).stdout.strip()
            if not imported.startswith(str(worker)):
                print(f"the worker imports {imported}, not its copy; mutants would not be tested", file=sys.stderr)
                return 2
        outcome, seconds = run_tests(workers[0], tests, timeout=600)
        if outcome != "survived":
            print("the unmutated suite does not pass in the worker copy; fix that first", file=sys.stderr)
            return 2
        timeout = args.timeout or max(60.0, 10 * seconds)
        print(f"clean run {seconds:.1f} s; timeout per mutant {timeout:.0f} s", flush=True)

        free: queue.Queue[Path] = queue.Queue()
        for worker in workers:
            free.put(worker)
        lock = threading.Lock()
        done: list[tuple[Mutant, str]] = []
        began = time.monotonic()

        def one(mutant: Mutant) -> tuple[Mutant, str]:
            worker = free.get()
            try:
                result = run_mutant(worker, mutant, tests, timeout)
            finally:
                free.put(worker)
            with lock:
                done.append((mutant, result))
                if result == "survived":
                    print(f"  survived: {mutant.describe()}", flush=True)
                if len(done) % 25 == 0:
                    print(f"[{len(done)}/{len(mutants)}] {time.monotonic() - began:.0f} s", flush=True)
            return mutant, result

        with ThreadPoolExecutor(max_workers=len(workers)) as pool:
            results = list(pool.map(one, mutants))

    print(report(results, equivalents))
    print(f"{time.monotonic() - began:.0f} s for {len(results)} mutants")
    survivors = [m for m, outcome in results if outcome == "survived"]
    args.survivors.parent.mkdir(parents=True, exist_ok=True)
    with args.survivors.open("w", encoding="utf-8") as out:
        for mutant in survivors:
            tag = " (equivalent: " + equivalents[mutant.id] + ")" if mutant.id in equivalents else ""
            out.write(f"{mutant.describe()}{tag}\n    id: {mutant.id}\n")
    print(f"{len(survivors)} survivors written to {args.survivors}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
