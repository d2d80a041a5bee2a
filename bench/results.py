#!/usr/bin/env python3
"""Turns JMH's JSON, the W4 output and the machine facts into bench/results.md.

Medians and ranges come from JMH's per-iteration raw data (primaryMetric.rawData), never from
its mean. Usage: results.py bench/out > results.md (reads jmh-*.json, load-*.txt, w4.txt and
machine.txt there); results.py --readme bench/out prints the README's short table of the same
run instead (one line a workload against go-libp2p, and W6).
"""
import glob
import json
import os
import re
import statistics
import sys

# go-libp2p's BasicConnMgr (v0.38.3, unmodified) run by ../shared/anchors/go-connmgr/run before
# and after our groups in the same bench/run: its POOLED lines, keyed like ours
GO_KEYS = (
    (r"^POOLED W1 N=(\d+) median_ms=([0-9.e+]+)", lambda m: f"W1-{m.group(1)}"),
    (r"^POOLED W2 G=2 N=\d+ median_ops_per_s=([0-9.e+]+)", lambda m: "W2"),
    (r"^POOLED W3 G=2 .*?median_pairs_per_s=([0-9.e+]+)", lambda m: "W3"),
    (r"^POOLED W4 tags=3 N=\d+ median_bytes_per_peer=([0-9.e+]+)", lambda m: "W4"),
    (r"^POOLED W5tick N=\d+ median_ms=([0-9.e+]+)", lambda m: "W5"),
)


def load_go(out_dir):
    """Each go figure's medians from the runs before and after ours (one or two values)."""
    go = {}
    for run in ("go-before.txt", "go-after.txt"):
        path = os.path.join(out_dir, run)
        if not os.path.exists(path):
            continue
        for line in open(path):
            for pattern, key in GO_KEYS:
                m = re.search(pattern, line)
                if m:
                    go.setdefault(key(m), []).append(float(m.group(m.lastindex)))
    return go


# the metrics parameter before it told the distributions apart (false, true)
METRICS_OF_OLD_RUNS = {"false": "none", "true": "full"}


def load_jmh(paths):
    runs = {}
    for r in (r for path in paths for r in json.load(open(path))):
        name = r["benchmark"].rsplit(".", 1)[1]
        params = dict(r.get("params") or {})
        if "metrics" in params:
            params["metrics"] = METRICS_OF_OLD_RUNS.get(params["metrics"], params["metrics"])
        raw = [v for fork in r["primaryMetric"]["rawData"] for v in fork]
        runs[(name, tuple(sorted(params.items())))] = {
            "median": statistics.median(raw), "min": min(raw), "max": max(raw),
            "unit": r["primaryMetric"]["scoreUnit"], "n": len(raw)}
    return runs


def find(runs, name, **params):
    want = tuple(sorted((k, str(v)) for k, v in params.items()))
    for (n, p), v in runs.items():
        if n == name and all(item in p for item in want):
            return v
    return None


def fmt_time(ms):
    if ms is None:
        return "n/a"
    if ms < 1:
        return f"{ms * 1000:.0f} µs"
    if ms < 10:
        return f"{ms:.2f} ms"
    return f"{ms:.1f} ms" if ms < 100 else f"{ms:.0f} ms"


def fmt_rate(v, unit):
    if v is None:
        return "n/a"
    if v >= 1e6:
        return f"{v / 1e6:.2f} M {unit}"
    return f"{v / 1e3:.0f} k {unit}"


def speed_text(x):
    return f"{x:.1f}x faster" if x >= 1 else f"{1 / x:.1f}x slower"


def speed(go_time, our_time):
    return speed_text(go_time / our_time)


def rng(lo, hi, f):
    return f"({f(lo)}–{f(hi)})"


def main():
    readme = sys.argv[1] == "--readme"
    out_dir = sys.argv[2] if readme else sys.argv[1]
    runs = load_jmh(sorted(glob.glob(os.path.join(out_dir, "jmh-*.json"))))
    w4 = None
    w4_path = os.path.join(out_dir, "w4.txt")
    if os.path.exists(w4_path):
        for line in open(w4_path):
            if line.startswith("W4 bytes_per_peer"):
                med, lo, hi = map(float, line.split()[2:5])
                w4 = (med, lo, hi)
    machine = dict(line.rstrip("\n").split("=", 1)
                   for line in open(os.path.join(out_dir, "machine.txt")) if "=" in line)

    def load(group):
        path = os.path.join(out_dir, f"load-{group}.txt")
        if not os.path.exists(path):
            return "?"
        before, after = open(path).read().split()
        return f"{before} → {after}"

    rows = []
    brief = []

    def row(workload, ours, go, target, ratio, met, group=None, short=None):
        """A row of the table; with short (the median alone), a line of the README's too."""
        rows.append(f"| {workload} | {ours} | {go} | {target} | {ratio} | {met} | "
                    f"{load(group) if group else ''} |")
        if short is not None:
            met_text = {True: "yes", False: "no", None: "–"}[met]
            brief.append(f"| {workload} | {short} | {go} | {ratio} | {target}: {met_text} |")

    # W1 and W6: the round's CPU time (trimming and callback threads) per measured round, and
    # that of the score distributions' recorder after it, printed by the benchmark
    cpu = {}
    recorder_cpu = {}
    for group in ("W1", "W6"):
        log = os.path.join(out_dir, f"jmh-{group}.log")
        if not os.path.exists(log):
            continue
        for line in open(log):
            m = re.search(r"cpu-time (\w+) n=(\d+) metrics=(\w+) ns=(\d+)(?: recorder-ns=(\d+))?",
                          line)
            if m:
                key = (m.group(1), int(m.group(2)),
                       METRICS_OF_OLD_RUNS.get(m.group(3), m.group(3)))
                cpu.setdefault(key, []).append(int(m.group(4)) / 1e6)
                if m.group(5) is not None:
                    recorder_cpu.setdefault(key, []).append(int(m.group(5)) / 1e6)

    go = load_go(out_dir)

    def go_text(key, f):
        vals = go.get(key)
        if not vals:
            return "not run"
        return " – ".join(f(v) for v in vals)

    def faster(key, ours, factor):
        """Ratio text for times (go / ours per go run) and whether every run meets factor."""
        vals = go.get(key)
        if not vals:
            return "n/a", None
        ratios = [v / ours for v in vals]
        text = " – ".join(speed_text(x) for x in ratios)
        return text, min(ratios) >= factor

    def more(key, ours, factor):
        """Ratio text for rates (ours / go per go run) and whether every run meets factor."""
        vals = go.get(key)
        if not vals:
            return "n/a", None
        ratios = [ours / v for v in vals]
        return " – ".join(f"{x:.2f}x" for x in ratios), min(ratios) >= factor

    def cpu_text(name, n, metrics):
        """The round's CPU, and with the distributions their recorder's, as table text."""
        text = ""
        c = cpu.get((name, n, metrics))
        if c:
            text += (f"; CPU of the round {fmt_time(statistics.median(c))} "
                     f"{rng(min(c), max(c), fmt_time)}")
        rc = recorder_cpu.get((name, n, metrics))
        if rc and metrics == "full":
            text += (f"; recorder's CPU after the round {fmt_time(statistics.median(rc))} "
                     f"{rng(min(rc), max(rc), fmt_time)}")
        return text

    def w1_text(r, n, metrics):
        closed = n - n // 2
        ns = r["median"] * 1e6 / closed
        return (f"{fmt_time(r['median'])} {rng(r['min'], r['max'], fmt_time)}; "
                f"{ns:.0f} ns per closed" + cpu_text("w1Trim", n, metrics))

    w1 = {}
    for n, factor in ((1000, 2), (10000, 5), (100000, 10)):
        r = find(runs, "w1Trim", n=n, metrics="none")
        w1[n] = r
        if r is None:
            continue
        ours = w1_text(r, n, "false")
        ratio, met = faster(f"W1-{n}", r["median"], factor)
        row("W1 trim, N = " + f"{n:,}".replace(",", " "), ours, go_text(f"W1-{n}", fmt_time),
            f"≥ {factor}x faster than go", ratio, met, "W1", fmt_time(r["median"]))

    # W1 at N = 1 000 once the JIT has compiled the round (SteadyTrimBenchmark, group W1S)
    r = find(runs, "w1TrimSteady", n=1000, metrics="none")
    if r is not None:
        ratio, met = faster("W1-1000", r["median"], 2)
        row("W1 trim, N = 1 000, JIT done (1 500 warm-up rounds)",
            f"{fmt_time(r['median'])} {rng(r['min'], r['max'], fmt_time)}; "
            f"{r['median'] * 1e6 / 500:.0f} ns per closed",
            go_text("W1-1000", fmt_time), "≥ 2x faster than go", ratio, met, "W1S")

    if all(w1.get(n) for n in (1000, 100000)):
        a = w1[1000]["median"] * 1e6 / 500
        b = w1[100000]["median"] * 1e6 / 50000
        row("W1 flatness: ns per closed, N = 100 000 vs 1 000", f"{b:.0f} vs {a:.0f} ns",
            "", "flat (≤ 1.5x)", f"{b / a:.2f}x", b / a <= 1.5, "W1")

    # W2, W3
    for key, name, unit, label, factor in (("W2", "w2TagChurn", "ops/s",
                                            "W2 tag churn, 2 threads", 2),
                                           ("W3", "w3ConnectDisconnect", "pairs/s",
                                            "W3 connect+disconnect pairs, 2 threads", 3)):
        group = key
        r = find(runs, name)
        if r is None:
            continue
        f = lambda v, u=unit: fmt_rate(v, u)
        ratio, met = more(key, r["median"], factor)
        row(label, f"{f(r['median'])} {rng(r['min'], r['max'], f)}", go_text(key, f),
            f"≥ {factor}x go", ratio, met, group, f(r["median"]))
        one = find(runs, name + "OneThread")
        if one:
            row(label.replace("2 threads", "1 thread (same-run baseline)"),
                f"{f(one['median'])} {rng(one['min'], one['max'], f)}", "–", "–",
                f"2 threads = {r['median'] / one['median']:.2f}x 1 thread", None, group)

    # W4
    if w4:
        vals = go.get("W4")
        ratio = " – ".join(f"{v / w4[0]:.2f}x smaller" for v in vals) if vals else "n/a"
        row("W4 retained heap per peer (1 connection, 3 tags), N = 100 000",
            f"{w4[0]:.0f} bytes ({w4[1]:.0f}–{w4[2]:.0f})",
            go_text("W4", lambda v: f"{v:.0f} bytes"), "≤ 354 bytes", ratio, w4[0] <= 354,
            "W4", f"{w4[0]:.0f} bytes")

    # W5
    r = find(runs, "w5DecayPass")
    if r:
        ratio, met = faster("W5", r["median"], 4)
        row("W5 one decay pass, 10 000 peers", f"{fmt_time(r['median'])} "
            f"{rng(r['min'], r['max'], fmt_time)}", go_text("W5", fmt_time),
            "≥ 4x faster than go", ratio, met, "W5", fmt_time(r["median"]))

    # W6
    r = find(runs, "w6TrimWithScorers", metrics="none")
    if r:
        base = w1.get(100000)
        ratio = r["median"] / base["median"] if base else None
        row("W6 = W1 at N = 100 000 + 3 scorers (ours alone)",
            f"{fmt_time(r['median'])} {rng(r['min'], r['max'], fmt_time)}", "–",
            "≤ 2x W1 at 100 000", f"{ratio:.2f}x W1" if ratio else "n/a",
            ratio is not None and ratio <= 2, "W6", fmt_time(r["median"]))

    # W7
    r = find(runs, "w7LeaseRelease")
    if r:
        f = lambda v: fmt_rate(v, "pairs/s")
        row("W7 lease/release pairs, 2 threads (ours alone)",
            f"{f(r['median'])} {rng(r['min'], r['max'], f)}", "–", "–", "–", None, "W7")

    # W1 and W6 again with the starter's metrics (issue 16): without the score distributions
    # against no metrics, then with them against without them (the target)
    def with_metrics(label, name, group, text, **params):
        runs_by = {m: find(runs, name, metrics=m, **params) for m in ("none", "counters", "full")}
        # a run from before the counters value compares the full metrics with none
        full_base = ("counters", "the run without the distributions") if runs_by["counters"] \
            else ("none", "no metrics")
        for metrics, base, what, base_what in (
                ("counters", "none", "with the starter's metrics but not the score distributions",
                 "no metrics"),
                ("full", full_base[0],
                 "with the starter's metrics and the score distributions", full_base[1])):
            with_, without = runs_by[metrics], runs_by[base]
            if not (with_ and without):
                continue
            ratio = with_["median"] / without["median"]
            target = ("no measurable cost: median within the range of " + base_what
                      if metrics == "full" else "–")
            row(f"{label}, {what}", text(with_, metrics), "–", target,
                f"{ratio:.2f}x {base_what}", with_["median"] <= without["max"]
                if metrics == "full" else None, group)

    for n in (1000, 10000, 100000):
        with_metrics("W1 trim, N = " + f"{n:,}".replace(",", " "), "w1Trim", "W1",
                     lambda r, m, n=n: w1_text(r, n, m), n=n)
    with_metrics("W6, N = 100 000, 3 scorers", "w6TrimWithScorers", "W6",
                 lambda r, m: f"{fmt_time(r['median'])} {rng(r['min'], r['max'], fmt_time)}"
                 + cpu_text("w6TrimWithScorers", 100000, m))

    if readme:
        print(f"From `bench/run` on {machine.get('date', '?')} at `{machine.get('commit', '?')}`, "
              "go-libp2p's `BasicConnMgr` run right before and right after ours on the same "
              "machine (before – after); compare ratios, not figures from another day. Every "
              "figure, the load and the misses explained: "
              "[docs/performance.md](docs/performance.md).")
        print()
        print("| workload | connmgr | go-libp2p | connmgr vs go | target: met |")
        print("| --- | --- | --- | --- | --- |")
        print("\n".join(brief))
        return

    out = []
    out.append("# Benchmark results")
    out.append("")
    out.append(f"Generated by `bench/run` on {machine.get('date', '?')} at commit "
               f"`{machine.get('commit', '?')}`. Ours: median of JMH's measured iterations "
               "(min–max in brackets); go-libp2p: BasicConnMgr v0.38.3 (Go 1.19, 2 goroutines) "
               "run by `../shared/anchors/go-connmgr/run` on the same workloads in the same "
               "`bench/run`, right before and right after our groups (its medians, before – "
               "after; the ratio against each). A target counts as met only against both go "
               "runs. Our W1 closes N/2 connections where go closes 0.4N, hence the ns per "
               "closed connection.")
    out.append("")
    out.append("| workload | connmgr median (range) | go-libp2p median, run before – after ours | target "
               "| ratio | target met | load avg (1 min) before → after |")
    out.append("| --- | --- | --- | --- | --- | --- | --- |")
    out.extend(r.replace("| True |", "| yes |").replace("| False |", "| **no** |")
               .replace("| None |", "| – |").replace("|  |", "| |") for r in rows)
    out.append("")

    sel = []
    for k in (50000, 1000):
        s = find(runs, "selectK", k=k)
        a = find(runs, "sortAllThenTakeK", k=k)
        if s and a:
            sel.append("| k = " + f"{k:,}".replace(",", " ") + " of n = 100 000 | "
                       f"{fmt_time(s['median'])} "
                       f"{rng(s['min'], s['max'], fmt_time)} | {fmt_time(a['median'])} "
                       f"{rng(a['min'], a['max'], fmt_time)} | {a['median'] / s['median']:.1f}x |")
    if sel:
        out.append("## Selection against a full sort (same run, same candidates)")
        out.append("")
        out.append("`CandidateOrder` taking the k lowest of n candidates (W1's scores and tie "
                   "keys) against `sortAll()` of the same candidates, then taking k.")
        out.append("")
        out.append(f"Load average (1 min) before → after: {load('SEL')}.")
        out.append("")
        out.append("| take | selection median (range) | full sort median (range) | "
                   "full sort / selection |")
        out.append("| --- | --- | --- | --- |")
        out.extend(sel)
        out.append("")

    out.append("## Machine")
    out.append("")
    out.append(f"- {machine.get('nproc', '?')} cores (`nproc`), {machine.get('memory', '?')} "
               f"memory, CPU: {machine.get('cpu', '?')}")
    out.append(f"- JDK: {machine.get('jdk', '?')}, JVM options `{machine.get('jvm_args', '')}`, "
               "JMH 1.37, one fork per benchmark")
    out.append("- shared with other sessions' builds and tests: the load average column says how "
               "busy it was around each group (2 means both cores taken)")
    out.append("")
    out.append("Reproduce: `bench/run` (raw JMH JSON, logs and loads in `bench/out/`).")
    print("\n".join(out))


if __name__ == "__main__":
    main()
