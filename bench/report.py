#!/usr/bin/env python3
"""Turns the RESULT lines of one bench/run.sh run into the markdown table.

    report.py RAW_RESULTS      (metadata from the BENCH_META_* / BENCH_SO_* environment)

Each contender's figure is the median over the rounds, with the spread [min-max] over the
rounds. Ratios are computed round by round (libetna against the other contender of the same
round), then summarised the same way; a target passes when the median ratio meets it.

The TLS figures (fig=tls_*) sit beside their plain counterparts, under the same number. A group
of figures that did not run (BENCH_FIGURES) leaves no row and no target.
"""
import os
import statistics
import sys
from collections import defaultdict

WHO = ["libetna", "libcurl", "python", "raw"]
HEADS = {"libetna": "libetna (C ABI)", "libcurl": "libcurl",
         "python": "Python requests (7: websocket-client)",
         "raw": "raw socket floor (7, 8, 8b: tungstenite floor; 8c: that floor typing each quote)"}
# The streaming figures' floor (bench/floor) prints who=floor; it sits in the raw floor's column.
ALIAS = {"floor": "raw"}


def load(path):
    rows = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if not parts or parts[0] != "RESULT":
                continue
            row = {}
            for kv in parts[1:]:
                k, v = kv.split("=", 1)
                try:
                    row[k] = float(v)
                except ValueError:
                    row[k] = v
            row["who"] = ALIAS.get(row.get("who"), row.get("who"))
            rows.append(row)
    return rows


def by_round(rows, fig, key):
    """{who: {round: value}} for one figure and field."""
    out = defaultdict(dict)
    for r in rows:
        if r["fig"] == fig and key in r:
            out[r["who"]][int(r["round"])] = r[key]
    return out


def summary(values):
    values = sorted(values)
    if not values:
        return None
    return statistics.median(values), values[0], values[-1]


def ratio_rounds(table, a, b):
    """a/b for each round in which both ran."""
    return [table[a][r] / table[b][r] for r in sorted(table.get(a, {}))
            if r in table.get(b, {}) and table[b][r]]


def cross_ratio_rounds(num, den):
    """num[r]/den[r] for each round in which both ran (two series of {round: value})."""
    return [num[r] / den[r] for r in sorted(num) if r in den and den[r]]


def fmt_num(v, unit):
    if unit == "us":
        return f"{v / 1000:.1f}" if v < 100_000 else f"{v / 1000:.0f}"
    if unit == "ms":
        return f"{v / 1e6:.2f}"
    if unit == "req/s":
        return f"{v:,.0f}"
    if unit == "MB":
        return f"{v * 1024 / 1e6:.1f}"  # from kB (KiB) to MB
    if unit == "KiB":
        return f"{v:+.0f}"
    if unit == "ns":
        return f"{v:.1f}"
    if unit == "%":
        return f"{v:.3f}"
    return f"{v:g}"


def cell(values, unit):
    s = summary(values)
    if s is None:
        return "–"
    med, lo, hi = s
    if len(values) == 1:
        return f"{fmt_num(med, unit)}"
    return f"{fmt_num(med, unit)} [{fmt_num(lo, unit)}–{fmt_num(hi, unit)}]"


def ratio_cell(label, values):
    s = summary(values)
    if s is None:
        return f"{label}: –"
    med, lo, hi = s
    return f"{label} = **{med:.2f}** [{lo:.2f}–{hi:.2f}]"


def verdict(ok):
    if ok is None:
        return "not measured at these counts"
    return "**PASS**" if ok else "**FAIL**"


def main():
    rows = load(sys.argv[1])
    env = os.environ.get
    ran = {r["fig"] for r in rows}

    def has(fig):
        return fig in ran

    def med(values):
        return bool(values) and statistics.median(values)
    lines = []
    out = lines.append
    verdicts = []

    def target(text, ok):
        verdicts.append((text, ok))
        return f"{text}: {verdict(ok)}"

    out("| # | figure (unit) | " + " | ".join(HEADS[w] for w in WHO) +
        " | ratios, round by round: median [min–max] | target |")
    out("|---|---|" + "---:|" * len(WHO) + "---|---|")

    def row(num, name, fig, key, unit, ratios, targets):
        t = by_round(rows, fig, key)
        cells = [cell(list(t[w].values()), unit) if w in t else "–" for w in WHO]
        out(f"| {num} | {name} | " + " | ".join(cells) + f" | {'<br>'.join(ratios)} | "
            f"{'<br>'.join(targets) if targets else '–'} |")
        return t

    # 1. Round trip, plain and over TLS, and the CPU time of its requests.
    if has("rtt"):
        t = by_round(rows, "rtt", "p50_ns")
        r_curl = ratio_rounds(t, "libetna", "libcurl")
        r_raw = ratio_rounds(t, "libetna", "raw")
        r_py = ratio_rounds(t, "python", "libetna")
        row("1", "GET round trip, median per request (µs)", "rtt", "p50_ns", "us",
            [ratio_cell("libetna/libcurl", r_curl), ratio_cell("libetna/raw", r_raw),
             ratio_cell("python/libetna", r_py)],
            [target("libetna ≤ 1.10 × libcurl", bool(r_curl) and med(r_curl) <= 1.10),
             target("libetna ≤ 1.3 × raw", bool(r_raw) and med(r_raw) <= 1.3),
             target("python ≥ 5 × libetna", bool(r_py) and med(r_py) >= 5)])
    if has("tls_rtt"):
        t = by_round(rows, "tls_rtt", "p50_ns")
        r_curl = ratio_rounds(t, "libetna", "libcurl")
        plain = by_round(rows, "rtt", "p50_ns").get("libetna", {})
        r_plain = cross_ratio_rounds(t.get("libetna", {}), plain)
        row("1", "GET round trip **over TLS**, median per request (µs)", "tls_rtt", "p50_ns", "us",
            [ratio_cell("libetna/libcurl", r_curl),
             ratio_cell("python/libetna", ratio_rounds(t, "python", "libetna"))] +
            ([ratio_cell("libetna TLS/plain", r_plain)] if r_plain else []),
            [target("TLS: libetna ≤ 1.0 × libcurl", bool(r_curl) and med(r_curl) <= 1.0)])
    for fig, name in (("rtt", "GET round trip, p99 per request (µs)"),
                      ("tls_rtt", "GET round trip **over TLS**, p99 per request (µs)")):
        if has(fig):
            t99 = by_round(rows, fig, "p99_ns")
            row("1", name, fig, "p99_ns", "us",
                [ratio_cell("libetna/libcurl", ratio_rounds(t99, "libetna", "libcurl"))] +
                ([ratio_cell("libetna/raw", ratio_rounds(t99, "libetna", "raw"))]
                 if "raw" in t99 else []), [])
    for fig, name in (("cpu", "CPU time (user + system) per 10,000 GETs of the round trip (ms)"),
                      ("tls_cpu", "CPU time (user + system) per 10,000 GETs **over TLS** (ms)")):
        if has(fig):
            t = by_round(rows, fig, "cpu_ns_per_10k")
            r_curl = ratio_rounds(t, "libetna", "libcurl")
            user = summary(list(by_round(rows, fig, "user_ns_per_10k").get("libetna", {}).values()))
            sys_ = summary(list(by_round(rows, fig, "sys_ns_per_10k").get("libetna", {}).values()))
            notes = [ratio_cell("libetna/libcurl", r_curl)]
            if "raw" in t:
                notes.append(ratio_cell("libetna/raw", ratio_rounds(t, "libetna", "raw")))
            if user and sys_:
                notes.append(f"libetna: user {user[0] / 1e6:.1f} + system {sys_[0] / 1e6:.1f} ms")
            row("1", name, fig, "cpu_ns_per_10k", "ms", notes,
                [target("TLS: CPU ≤ 1.0 × libcurl", bool(r_curl) and med(r_curl) <= 1.0)]
                if fig == "tls_cpu" else [])

    # 2. Throughput.
    if has("tput"):
        t = by_round(rows, "tput", "req_per_s")
        r = ratio_rounds(t, "libetna", "libcurl")
        row("2", "throughput, 2 threads (req/s)", "tput", "req_per_s", "req/s",
            [ratio_cell("libetna/libcurl", r),
             ratio_cell("libetna/raw", ratio_rounds(t, "libetna", "raw"))],
            [target("libetna ≥ 0.95 × libcurl", bool(r) and med(r) >= 0.95)])

    # 3. Large page, plain and over TLS.
    t = by_round(rows, "page", "p50_ns")
    if has("page"):
        r = ratio_rounds(t, "libetna", "libcurl")
        pages = by_round(rows, "page_bytes", "bytes")
        nbytes = next(iter(pages.get("libetna", {}).values()), 0)
        row("3", f"5,000-order page ({nbytes / 1e6:.1f} MB) as text, median per fetch (ms)", "page",
            "p50_ns", "ms",
            [ratio_cell("libetna/libcurl", r),
             ratio_cell("libetna/raw", ratio_rounds(t, "libetna", "raw"))],
            [target("libetna ≤ 1.2 × libcurl", bool(r) and med(r) <= 1.2)])
    if has("tls_page"):
        tt = by_round(rows, "tls_page", "p50_ns")
        r = ratio_rounds(tt, "libetna", "libcurl")
        pages = by_round(rows, "tls_page_bytes", "bytes")
        nbytes = next(iter(pages.get("libetna", {}).values()), 0)
        r_plain = cross_ratio_rounds(tt.get("libetna", {}), t.get("libetna", {}))
        row("3", f"the same page ({nbytes / 1e6:.1f} MB) **over TLS**, median per fetch (ms)",
            "tls_page", "p50_ns", "ms",
            [ratio_cell("libetna/libcurl", r)] +
            ([ratio_cell("libetna TLS/plain", r_plain)] if r_plain else []),
            [target("TLS: libetna ≤ 1.1 × libcurl", bool(r) and med(r) <= 1.1)])

    # 3, typed: the same page through etna_get_orders, every order read as an EtnaOrder, against
    # libetna's own text fetch of figure 3 and libcurl's, round by round; and against what a C
    # program does without libetna: libcurl's text parsed with cJSON, the same fields read.
    if has("typed"):
        typed_all = by_round(rows, "typed", "p50_ns")
        typed = typed_all.get("libetna", {})
        r_text = cross_ratio_rounds(typed, t.get("libetna", {}))
        r_curl = cross_ratio_rounds(typed, t.get("libcurl", {}))
        r_cjson = ratio_rounds(typed_all, "libetna", "libcurl")
        sums = {r["who"]: r["checksum_per_fetch"] for r in rows if r["fig"] == "typed_orders"}
        n_orders = int(next((r["orders"] for r in rows if r["fig"] == "typed_orders"), 0))
        same = len(set(sums.values())) == 1
        row("3", f"{n_orders:,}-order page read as typed orders (fetch + convert; libcurl: + cJSON), "
            "median per fetch (ms)",
            "typed", "p50_ns", "ms",
            [ratio_cell("typed/text", r_text), ratio_cell("typed/libcurl-text", r_curl)] +
            ([ratio_cell("libetna/libcurl+cJSON", r_cjson)] if r_cjson else []) +
            ([f"same orders read (checksums {'agree' if same else 'DIFFER'})"] if len(sums) > 1 else []),
            [target("typed ≤ 1.5 × text", bool(r_text) and med(r_text) <= 1.5),
             target("typed ≤ 1.3 × libcurl text", bool(r_curl) and med(r_curl) <= 1.3)])

    # 4. Login, plain and over TLS (a full handshake, then a resumed one).
    if has("login"):
        t = by_round(rows, "login", "p50_ns")
        r = ratio_rounds(t, "libetna", "libcurl")
        row("4", "two-factor login from a fresh session, median (µs)", "login", "p50_ns", "us",
            [ratio_cell("libetna/libcurl", r),
             ratio_cell("libetna/raw", ratio_rounds(t, "libetna", "raw"))],
            [target("libetna ≤ 1.1 × libcurl", bool(r) and med(r) <= 1.1)])
    full = by_round(rows, "tls_login", "p50_ns")
    if has("tls_login"):
        r = ratio_rounds(full, "libetna", "libcurl")
        row("4", "two-factor login from a fresh session **over TLS, full handshake** (a server "
            "that never resumes), median (µs)", "tls_login", "p50_ns", "us",
            [ratio_cell("libetna/libcurl", r),
             ratio_cell("python/libetna", ratio_rounds(full, "python", "libetna"))],
            [target("TLS full handshake: libetna ≤ 1.0 × libcurl", bool(r) and med(r) <= 1.0)])
    if has("tls_login_resumed"):
        t = by_round(rows, "tls_login_resumed", "p50_ns")
        r_own = cross_ratio_rounds(t.get("libetna", {}), full.get("libetna", {}))
        r_curl_own = cross_ratio_rounds(t.get("libcurl", {}), full.get("libcurl", {}))
        row("4", "the same login **over TLS, resumed** (a server that resumes; libcurl: handles "
            "sharing sessions through a CURLSH), median (µs)", "tls_login_resumed", "p50_ns", "us",
            [ratio_cell("libetna resumed/full", r_own),
             ratio_cell("libcurl resumed/full", r_curl_own),
             ratio_cell("libetna/libcurl", ratio_rounds(t, "libetna", "libcurl"))],
            [target("TLS resumed: libetna ≤ 0.7 × its full handshake",
                    bool(r_own) and med(r_own) <= 0.7)])

    # 5. Memory.
    if has("sessions"):
        t = by_round(rows, "sessions", "hwm_kb")
        n_sessions = int(next((r["n"] for r in rows if r["fig"] == "sessions"), 0))
        etna_hwm = summary(list(t.get("libetna", {}).values()))
        row("5", f"peak RSS holding {n_sessions:,} logged-in sessions (MB)", "sessions", "hwm_kb",
            "MB", [ratio_cell("libetna/libcurl", ratio_rounds(t, "libetna", "libcurl"))],
            [target("libetna ≤ 50 MB", None if n_sessions < 1000 else
                    etna_hwm is not None and etna_hwm[0] * 1024 <= 50e6)])
    if has("tls_sessions"):
        t = by_round(rows, "tls_sessions", "hwm_kb")
        n_sessions = int(next((r["n"] for r in rows if r["fig"] == "tls_sessions"), 0))
        r = ratio_rounds(t, "libetna", "libcurl")
        row("5", f"peak RSS holding {n_sessions:,} logged-in sessions **over TLS**, each with its "
            "TLS connection (MB)", "tls_sessions", "hwm_kb", "MB",
            [ratio_cell("libetna/libcurl", r),
             ratio_cell("python/libetna", ratio_rounds(t, "python", "libetna"))],
            [target("TLS: libetna ≤ 1.0 × libcurl", bool(r) and med(r) <= 1.0)])
    if has("growth"):
        t = by_round(rows, "growth", "growth_kb")
        n_growth = int(next((r["n"] for r in rows if r["fig"] == "growth"), 0))
        etna_growth = summary(list(t.get("libetna", {}).values()))
        row("5", f"RSS growth over {n_growth:,} requests on one session, after the first tenth "
            "(KiB)", "growth", "growth_kb", "KiB", [],
            [target("libetna: no growth (≤ 64 KiB)", None if n_growth < 100_000 else
                    etna_growth is not None and etna_growth[2] <= 64)])
    so = int(env("BENCH_SO_BYTES", "0"))
    so_raw = int(env("BENCH_SO_RAW_BYTES", "0"))
    if so:
        ok = so <= 4_000_000
        verdicts.append(("stripped libetna.so ≤ 4 MB", ok))
        out(f"| 5 | size of the stripped libetna.so (MB) | {so / 1e6:.2f} | – | – | – | "
            f"unstripped: {so_raw / 1e6:.2f} MB | stripped libetna.so ≤ 4 MB: {verdict(ok)} |")

    # 6. FFI.
    if has("ffi"):
        t = by_round(rows, "ffi", "ns_per_call")
        ffi = summary(list(t.get("libetna", {}).values()))
        row("6", "trivial call through the C ABI, etna_session_auth_state (ns)", "ffi", "ns_per_call",
            "ns", [], [target("≤ 50 ns", ffi is not None and ffi[0] <= 50)])

    # 7. Streaming: quotes per second from the simulator's firehose.
    if has("stream_rate"):
        t = by_round(rows, "stream_rate", "quotes_per_s")
        r_floor = ratio_rounds(t, "libetna", "raw")
        r_py = ratio_rounds(t, "libetna", "python")
        etna_rate = summary(list(t.get("libetna", {}).values()))
        received = by_round(rows, "stream_rate", "received_per_s").get("libetna", {})
        read = summary(list(received.values()))
        conflated = [r["conflated"] / (r["conflated"] + r["n"]) for r in rows
                     if r["fig"] == "stream_rate" and r["who"] == "libetna" and "conflated" in r]
        asked = float(env("BENCH_STREAM_RATE", "0") or 0)
        notes = [ratio_cell("libetna/floor", r_floor), ratio_cell("libetna/python", r_py)]
        if read:
            notes.append(f"libetna's stream read {read[0]:,.0f}/s; "
                         f"{100 * statistics.median(conflated):.0f}% of them conflated")
        row("7", f"quotes per second from the firehose ({asked:,.0f}/s asked), each taken by the "
            "reader (quotes/s)", "stream_rate", "quotes_per_s", "req/s", notes,
            [target("libetna ≥ 100,000/s", etna_rate is not None and etna_rate[0] >= 100_000),
             target("libetna ≥ 0.7 × floor", bool(r_floor) and med(r_floor) >= 0.7),
             target("libetna ≥ 10 × python", bool(r_py) and med(r_py) >= 10)])

    # 8. Streaming: now - SimSentNs of every quote at a steady pace; 8b the same on two cores.
    def latency_rows(number, fig, median_title, p99_title, where):
        if not has(fig):
            return
        r = ratio_rounds(by_round(rows, fig, "p50_ns"), "libetna", "raw")
        row(number, median_title, fig, "p50_ns", "us", [ratio_cell("libetna/floor", r)],
            [target(f"libetna ≤ 1.3 × floor, {where}", bool(r) and med(r) <= 1.3)])
        r99 = ratio_rounds(by_round(rows, fig, "p99_ns"), "libetna", "raw")
        row(number, p99_title, fig, "p99_ns", "us", [ratio_cell("libetna/floor", r99)], [])

    pace = float(env("BENCH_LATENCY_RATE", "0") or 0)
    latency_rows("8", "stream_latency",
                 f"quote latency at {pace:,.0f} quotes/s (simulator's send to the reader's hands), "
                 "median (µs)", f"quote latency at {pace:,.0f} quotes/s, p99 (µs)", "one shared core")
    # 8c. Figure 8's libetna runs against the floor typing each quote, between them on the same
    # simulator: what a Rust reader using the quotes' fields pays. No target of the issue's.
    if has("stream_latency_typed"):
        lib = by_round(rows, "stream_latency", "p50_ns").get("libetna", {})
        typed = by_round(rows, "stream_latency_typed", "p50_ns").get("raw", {})
        r = cross_ratio_rounds(lib, typed)
        out("| 8c | figure 8's median against a floor that types each quote (serde_json into a map of "
            "its fields, its ten numbers parsed), same simulator and minutes (µs) | "
            f"{cell(list(lib.values()), 'us')} | – | – | {cell(list(typed.values()), 'us')} | "
            f"{ratio_cell('libetna/typed floor', r)} | – |")
    latency_rows("8b", "stream_latency_apart",
                 "the same with the simulator on CPU 1 and the reader on CPU 0 (each on its own "
                 "core, as a broker on another machine), median (µs)", "the same, p99 (µs)",
                 "own cores")

    # 9. Streaming: CPU of a process whose quote stream is subscribed to nothing.
    if has("stream_idle"):
        t = by_round(rows, "stream_idle", "cpu_pct")
        idle = summary(list(t.get("libetna", {}).values()))
        secs = next((r["secs"] for r in rows if r["fig"] == "stream_idle"), 0)
        row("9", f"idle quote stream, waited on with 1 s timeouts for {secs:.0f} s: CPU (% of a core)",
            "stream_idle", "cpu_pct", "%", [],
            [target("≤ 0.5 % of a core", idle is not None and idle[0] <= 0.5)])

    failed = [text for text, ok in verdicts if ok is False]
    unmeasured = [text for text, ok in verdicts if ok is None]
    head = [
        "## libetna benchmark",
        "",
        f"Command: `{env('BENCH_META_COMMAND', 'bench/run.sh')}` · libetna {env('BENCH_META_COMMIT', '?')}"
        f" · {env('BENCH_META_ELAPSED', '?')} s of measuring",
        "",
        f"Machine: {env('BENCH_META_CPU', '?')}, Linux {env('BENCH_META_KERNEL', '?')}; load average "
        f"{env('BENCH_META_LOAD', '?')}; other processes used {env('BENCH_META_FOREIGN', '?')} and the "
        f"hypervisor stole {env('BENCH_META_STEAL', '?')} of the vCPU time while it measured. Server: nginx {env('BENCH_META_NGINX', '?')} on 127.0.0.1"
        f" (HTTPS: {env('BENCH_META_TLS', '?')}); figures 7 to 9: "
        "etna-sim (release), one for each figure of each round. "
        f"Clients: {env('BENCH_META_CURL', '?')}; {env('BENCH_META_PYTHON', '?')}; "
        f"{env('BENCH_META_RUSTC', '?')}.",
        "",
        f"Counts: {env('BENCH_META_COUNTS', '?')}. Each cell: median over the rounds [min–max over "
        "the rounds]; within a round, figures 1, 3, 4 and 8 are each run's median (or p99) per request "
        "(per fetch for the typed page, per quote for 8). "
        "Ratios are taken round by round, then summarised.",
        "",
    ]
    foreign = float(env("BENCH_META_FOREIGN_PCT", "0") or 0)
    if foreign > 10:
        head.append(f"> Warning: other processes took {foreign:.0f}% of the CPU during this run; "
                    "the figures are disturbed. Run again on a quiet machine.")
        head.append("")
    passed = len(verdicts) - len(failed) - len(unmeasured)
    tail = ["", f"**{passed} of {len(verdicts)} targets pass.**" +
            (" Failing: " + "; ".join(failed) + "." if failed else "") +
            (" Not measured at these counts: " + "; ".join(unmeasured) + "." if unmeasured else "")]
    print("\n".join(head + lines + tail))


if __name__ == "__main__":
    main()
