"""The benchmark's tables, printed from the children's results (plain data: no Django here).

Targets are shown beside the figures and the ones missed are marked; a missed target is a
measurement, not a failure.
"""

from collections import Counter
from collections.abc import Callable

# Issue 12's load-run targets (50 users for 60 s on this 2-core machine).
LOAD_AUTOSAVE_P95_MS, LOAD_PAGE_P95_MS = 300, 1000

BELOW = "below target"
OVER_KB = "over {:.0f} KB"


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}" + ("" if number == 1 else "s")


def _fmt(value, spec: str, width: int) -> str:
    return f"{value:>{width}{spec}}" if isinstance(value, int | float) else f"{'–':>{width}}"


def pages_table(large: dict, small: dict, write: Callable[[str], None]) -> None:
    """Per page: median and p95 ms, the ratio to the bare view and its target, the median and
    ratio drawn (the page cache off), the HTML size, the query count (drawn) on the large and
    on the small data set."""
    header = (
        f"{'page':<28} {'median ms':>9} {'p95 ms':>8} {'ratio':>6} {'target':>7} "
        f"{'drawn ms':>8} {'ratio':>6} {'KB':>6} {'queries':>7} {'small':>5}  notes"
    )
    write(header)
    write("-" * len(header))
    for name, result in large.items():
        other = small.get(name, {})
        if "error" in result:
            write(f"{name:<28} {result['error']}")
            continue
        notes = []
        ratio = result.get("ratio")
        if ratio is not None and ratio < result["target"]:
            notes.append(BELOW)
        if result.get("max_kb") and result["kilobytes"] > result["max_kb"]:
            notes.append(OVER_KB.format(result["max_kb"]))
        small_queries = other.get("queries", other.get("error", "–"))
        write(
            f"{name:<28} {_fmt(result.get('median'), '.1f', 9)} "
            f"{_fmt(result.get('p95'), '.1f', 8)} "
            f"{_fmt(ratio, '.2f', 6)} {'≥ ' + format(result['target'], '.2f'):>7} "
            f"{_fmt(result.get('drawn'), '.1f', 8)} {_fmt(result.get('drawn_ratio'), '.2f', 6)} "
            f"{result['kilobytes']:>6.1f} {result['queries']:>7} {small_queries:>5}  "
            + "; ".join(notes)
        )
    bare = [r["bare"] for r in large.values() if "bare" in r]
    if bare:
        bare.sort()
        write(
            f"The bare view: {bare[len(bare) // 2]:.1f} ms (median of the pages' medians; "
            f"{bare[0]:.1f}–{bare[-1]:.1f} ms). Ratio = bare view median / page median, both "
            "from the same turns: 1.0 is as fast as the bare view. Drawn: the same page with "
            "the page cache off, as after every change of what it shows."
        )


def theme_indicator_lines(large: dict, small: dict, write: Callable[[str], None]) -> None:
    """Issue 11: what the theme indicators add to the report and record pages (median with −
    median without, in turns; queries of one request each way) beside the target."""
    measured = {name: r["theme_indicators"] for name, r in large.items() if "theme_indicators" in r}
    if not measured:
        return
    for name, figures in measured.items():
        if "error" in figures:
            write(f"Theme indicators, {name}: {figures['error']}")
            continue
        other = small.get(name, {}).get("theme_indicators", {})
        small_added = other.get("added_queries")
        queries = (
            f"{figures['with_queries']} queries with, {figures['without_queries']} without "
            f"({figures['added_queries']:+d}"
            + (f"; small {small_added:+d}" if small_added is not None else "")
            + ")"
        )
        target = f"target < {figures['max_ms']} ms"
        if "added_ms" in figures:
            note = BELOW if figures["added_ms"] >= figures["max_ms"] else ""
            write(
                f"Theme indicators add {figures['added_ms']:+.1f} ms to {name} "
                f"({figures['with_median']:.1f} ms with {figures['indicators']} theme "
                f"indicators, {figures['without_median']:.1f} ms without, medians in turns), "
                f"{queries}; {target}" + (f"  {note}" if note else "")
            )
        else:
            write(f"Theme indicators, {name}: {queries}; {target}")


def usage_log_line(log: dict | None, requests: int, write: Callable[[str], None]) -> None:
    if not log:
        return
    write(
        f"Usage log: record page {log['with_log']:.1f} ms with the log, "
        f"{log['without_log']:.1f} ms without it (median of {requests} in turns, "
        f"{log['with_log'] - log['without_log']:+.1f} ms); the INSERT alone "
        f"{log['insert']:.2f} ms; {log['inserts_per_request']} INSERT per request; "
        f"{log['entries']:,} entries in the log after the run."
    )


def pdfs_table(large: dict, small: dict, constants: dict, write: Callable[[str], None]) -> None:
    if not large:
        return
    write(
        f"PDFs: {constants['pdf_requests']} downloads of the record, "
        f"{constants['round_pdf_requests']} of the round, after {constants['pdf_warm_up']} "
        "warm-up, in turns with as many renders of the same HTML (rendered once beforehand) by "
        "WeasyPrint alone; peak memory traced with tracemalloc (Python allocations) during one "
        "download. median ms: the whole download; WeasyPrint ms: WeasyPrint alone on the same "
        "HTML; HTML ms: building that HTML (queries and template), which is what the project adds."
    )
    header = (
        f"{'document':<12} {'median ms':>10} {'WeasyPrint ms':>14} {'HTML ms':>8} "
        f"{'adds':>6} {'peak MB':>8} {'pages':>6} {'kB':>6} {'queries':>8} {'small':>6}"
    )
    write(header)
    write("-" * len(header))
    for name, result in large.items():
        other = small.get(name, {})
        if "error" in result:
            write(f"{name:<12} {result['error']}")
            continue
        if "median" not in result:
            write(
                f"{name:<12} {'':>10} {'':>14} {'':>8} {'':>6} {'':>8} {'':>6} "
                f"{result['kilobytes']:>6.0f} {result['queries']:>8}"
            )
            continue
        added = result["html"] / result["weasyprint"] * 100
        write(
            f"{name:<12} {result['median']:>10.0f} {result['weasyprint']:>14.0f} "
            f"{result['html']:>8.0f} {added:>5.1f}% {result['peak_mb']:>8.1f} "
            f"{result['pages']:>6} {result['kilobytes']:>6.0f} {result['queries']:>8} "
            f"{other.get('queries', other.get('error', '?')):>6}"
        )


def served_table(served: dict | None, write: Callable[[str], None]) -> None:
    """Per page over HTTP: requests/s with the clients in closed loop, p50 and p95 ms, the ratio
    to the bare view's requests/s in the blocks beside it (and each round's), its target."""
    if not served:
        return
    clients = served["clients"]
    write(
        f"Served (gunicorn, {_count(served['workers'], 'worker')} × "
        f"{_count(served['threads'], 'thread')}, the production settings, {clients} clients): "
        f"every page for {_count(served['rounds'], 'block')} of {served['seconds']:g} s, each "
        "between two blocks of the bare view (the same middleware and signed-in sessions), "
        f"all {clients} clients in closed loop over loopback, after {served['warm_up']:g} s of "
        f"warm-up; {served['blocks']} blocks in {served['elapsed']:.0f} s. Ratio = the page's "
        "requests/s / the bare view's in the blocks beside it; rounds: each block's ratio."
    )
    header = (
        f"{'page':<28} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'ratio':>6} {'target':>7} "
        f"{'rounds':>11}  notes"
    )
    write(header)
    write("-" * len(header))
    for name, figures in served["pages"].items():
        notes = []
        ratio = figures.get("ratio")
        if ratio is not None and figures["target"] is not None and ratio < figures["target"]:
            notes.append(BELOW)
        if figures["errors"]:
            notes.append(f"{figures['errors']} errors: {figures['error_kinds']}")
        rounds = figures.get("round_ratios") or []
        spread = (
            f"{min(rounds):.2f}–{max(rounds):.2f}" if len(rounds) > 1 else _fmt(ratio, ".2f", 0)
        )
        target = "" if figures["target"] is None else f"≥ {figures['target']:.2f}"
        write(
            f"{name:<28} {_fmt(figures['per_second'], '.1f', 7)} "
            f"{_fmt(figures['p50'], '.1f', 7)} {_fmt(figures['p95'], '.1f', 7)} "
            f"{_fmt(ratio, '.2f', 6)} {target:>7} {spread if rounds else '':>11}  "
            + "; ".join(notes)
        )
    notes = []
    if served["worker_restarts"]:
        notes.append(
            f"{_count(served['worker_restarts'], 'worker restart')} during the run "
            "(gunicorn.conf.py's max_requests)"
        )
    if served["server_tracebacks"]:
        notes.append(f"{served['server_tracebacks']} tracebacks in gunicorn's log")
    if notes:
        write("; ".join(notes) + ".")
    _saves_lines(served, write)


def _saves_lines(run: dict, write: Callable[[str], None]) -> None:
    if run["problems"]:
        write(f"SAVES MISSING: {len(run['problems'])} problems with the saved autosaves:")
        for problem in run["problems"][:20]:
            write(f"  {problem}")
    else:
        write(
            f'Every autosave that answered "saved" is in the database: {run["saved"]} saves, '
            "each section at its version before the run plus its saves, with the last save's "
            "texts in the section and in its history."
        )


def think_label(think) -> str:
    """The think time in words: "0.5–1.5 s (uniform)", "1 s" or "none"."""
    low, high = think
    if high == 0:
        return "none"
    return f"{low:g} s" if low == high else f"{low:g}–{high:g} s (uniform)"


def load_table(load: dict | None, write: Callable[[str], None]) -> None:
    if not load:
        return
    think = load.get("think", [0, 0])
    people = think[1] > 0
    write(
        f"Load run: {load['clients']} client threads for {load['seconds']:.1f} s over loopback "
        f"(after {load['warm_up']:.0f} s of warm-up), "
        f"gunicorn with the production settings ({_count(load['workers'], 'worker')} × "
        f"{_count(load['threads'], 'thread')}), reads and autosaves mixed "
        f"({load['sections']} sections written in, each client its own), "
        + (
            f"each client thinking {think_label(think)} after each answer (people)."
            if people
            else "no think time: each client sends its next request when the last answered "
            "(closed loop, the server's capacity)."
        )
    )
    marks = []
    if load["errors"]:
        marks.append(BELOW + " (0 errors)")
    write(
        f"{load['requests']:,} requests, {load['per_second']:.1f} requests/s"
        + ("" if people else " (capacity)")
        + f", {load['errors']} errors"
        + (f": {load['error_kinds']}" if load["errors"] else "")
        + (f"  {'; '.join(marks)}" if marks else "")
    )
    _kinds_table(load, write)
    capacity = load.get("capacity")
    if capacity:
        write(
            f"Capacity: the same {capacity['clients']} clients with no think time (closed loop) "
            f"for {capacity['seconds']:.1f} s on the same server: {capacity['requests']:,} "
            f"requests, {capacity['per_second']:.1f} requests/s, {capacity['errors']} errors"
            + (f": {capacity['error_kinds']}" if capacity["errors"] else "")
        )
        _kinds_table(capacity, write, targets=False)
    outcomes = Counter(load["outcomes"])
    if capacity:
        outcomes.update(capacity["outcomes"])
    write(
        "Autosave answers"
        + (" (both runs)" if capacity else "")
        + ": "
        + ", ".join(f"{outcomes.get(k, 0)} {k}" for k in ("saved", "conflict", "error"))
        + (
            f"; {load['server_tracebacks']} tracebacks in gunicorn's log"
            if load["server_tracebacks"]
            else ""
        )
    )
    _saves_lines(load, write)


def _kinds_table(load: dict, write: Callable[[str], None], *, targets: bool = True) -> None:
    header = (
        f"{'kind':<10} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'target':>12}  notes"
    )
    write(header)
    write("-" * len(header))
    limits = {"page": LOAD_PAGE_P95_MS, "autosave": LOAD_AUTOSAVE_P95_MS}
    for kind, figures in load["kinds"].items():
        p95 = figures["p95"]
        target = f"p95 < {limits[kind]}" if targets else ""
        note = BELOW if targets and p95 is not None and p95 >= limits[kind] else ""
        write(
            f"{kind:<10} {figures['requests']:>8} {_fmt(figures['p50'], '.0f', 8)} "
            f"{_fmt(p95, '.0f', 8)} {_fmt(figures['p99'], '.0f', 8)} "
            f"{target:>12}  {note}"
        )


def print_report(
    outcome: dict, sizes: list[str], args, write: Callable[[str], None] = print
) -> int:
    """Every table; 1 when an autosave (served or in the load run) that answered "saved" is
    missing from the database
    (a lost save is a bug, unlike a missed target), else 0."""
    timed_size = sizes[-1]
    timed = outcome[timed_size]
    small = outcome[sizes[0]] if len(sizes) > 1 else {}
    write("")
    write(
        f"Database: {timed['database']} (a throw-away database, removed), the production "
        f"settings (DEBUG off), Python {timed['python']}, Django {timed['django']}, "
        f"{timed['cpus']} CPUs"
    )
    for size in sizes:
        spec = outcome[size]["constants"]["spec"]
        counts = ", ".join(f"{count:,} {name}" for name, count in outcome[size]["counts"].items())
        write(
            f"Data set {size}: {spec['rounds']} rounds × {spec['regions']} regions × "
            f"{spec['themes']} themes, {spec['actions']} actions per negotiation, "
            f"~{spec['words']} words per text (built in {outcome[size]['build_seconds']:.1f} s): "
            f"{counts}"
        )
    if "pages" in timed:
        write(
            f"{timed['requests']} requests per page after {timed['constants']['warm_up']} warm-up, "
            "signed in (the situation report as its region's preparer, the rest as a ministry "
            "official), each after a request of the bare view with the same session; "
            f"timings on the {timed_size} data set, queries of one request"
            + (f" (small: the {sizes[0]} data set)." if small else ".")
        )
        write("")
        pages_table(timed["pages"], small.get("pages", {}), write)
        write("")
        theme_indicator_lines(timed["pages"], small.get("pages", {}), write)
        usage_log_line(timed.get("usage_log"), timed["requests"], write)
    if timed.get("served"):
        write("")
        served_table(timed["served"], write)
    if timed.get("pdfs"):
        write("")
        pdfs_table(timed["pdfs"], small.get("pdfs", {}), timed["constants"], write)
    if timed.get("load"):
        write("")
        load_table(timed["load"], write)
    lost = any(timed.get(run) and timed[run]["problems"] for run in ("served", "load"))
    return 1 if lost else 0
