"""Helpers of bench/run.sh.

  report.py criterion TARGET/criterion TAG   # criterion medians as FIGURE lines
  report.py summary FIGURES_FILE             # the BENCHMARKS.md table
"""
import json
import os
import statistics
import sys


def criterion(root, tag):
    for group in sorted(os.listdir(root)):
        gdir = os.path.join(root, group)
        if not os.path.isdir(gdir) or group == "report":
            continue
        for bench in sorted(os.listdir(gdir)):
            est = os.path.join(gdir, bench, "new", "estimates.json")
            if os.path.exists(est):
                e = json.load(open(est))["median"]
                print(f"FIGURE crit_{group}_{bench}_ns_{tag} {e['point_estimate']:.1f}")


def load(path):
    figs = {}
    for line in open(path):
        if line.startswith("FIGURE "):
            parts = line.split("#")[0].split()
            figs[parts[1]] = parts[2:]
    return figs


def summary(path):
    f = load(path)
    num = lambda k, i=0: float(f[k][i])  # noqa: E731
    runs = sorted({int(k.rsplit("_", 1)[1]) for k in f if k.startswith("crit_id_token_parse_hash_rust_ns_")})
    ossl = [num(f"openssl_rsa2048_verify_per_s_{i}") for i in range(1, len(runs) + 2)]
    rows = []

    def row(name, value, ratio, target, ok, spread=""):
        rows.append((name, value, ratio, target, "pass" if ok else "MISS", spread))

    def per_run(bench):
        return [num(f"crit_id_token_{bench}_ns_{i}") for i in runs]

    def vs_openssl(bench):
        # each run against the mean of the openssl runs before and after it
        r = [1e9 / ns / ((ossl[i - 1] + ossl[i]) / 2) for i, ns in zip(runs, per_run(bench))]
        return statistics.median(r), min(r), max(r)

    ossl_med = statistics.median(ossl)
    for bench, label in [("parse_hash_rust", "parseHash, Rust (caller state/nonce)"),
                         ("parse_hash_recorded_rust", "parseHash, Rust (recorded transaction)"),
                         ("validate_id_token_rust", "validateIdToken, Rust"),
                         ("aws_lc_rsa2048_verify", "(reference) aws-lc RSA-2048 verify alone")]:
        m, lo, hi = vs_openssl(bench)
        per_s = 1e9 / statistics.median(per_run(bench))
        row(label, f"{per_s:,.0f}/s", f"{m:.2f}x openssl ({ossl_med:,.0f} verify/s)", ">= 0.9x",
            m >= 0.9, f"runs {lo:.2f}-{hi:.2f}")
    for rust, c, label in [("parse_hash_rust", "parse_hash_c", "parseHash, C API"),
                           ("parse_hash_recorded_rust", "parse_hash_recorded_c", "parseHash, C API (recorded)"),
                           ("validate_id_token_rust", "validate_id_token_c", "validateIdToken, C API")]:
        r = [a / b for a, b in zip(per_run(rust), per_run(c))]
        m = statistics.median(r)
        row(label, f"{1e9 / statistics.median(per_run(c)):,.0f}/s", f"{m:.3f}x Rust", ">= 0.95x", m >= 0.95,
            f"runs {min(r):.3f}-{max(r):.3f}")
    if "python_parse_vs_pyjwt" in f:
        p = num("python_native_parse_per_s")
        path = " ".join(f.get("python_auth0_native_path_parse", ["?"]))
        row("parseHash, Python", f"{p:,.0f}/s", f"{num('python_parse_vs_pyjwt'):.2f}x PyJWT", ">= 3x", num("python_parse_vs_pyjwt") >= 3,
            f"PyJWT {num('python_pyjwt_parse_per_s'):,.0f}/s; via {path}")
        row("parseHash, Python vs openssl", f"{p:,.0f}/s", f"{p / ossl_med:.2f}x openssl", ">= 0.75x", p / ossl_med >= 0.75)
        v = num("python_native_validate_per_s")
        row("validateIdToken, Python", f"{v:,.0f}/s", f"{num('python_validate_vs_pyjwt'):.2f}x PyJWT", ">= 3x",
            num("python_validate_vs_pyjwt") >= 3, f"PyJWT {num('python_pyjwt_validate_per_s'):,.0f}/s; {v / ossl_med:.2f}x openssl")
    if "login_userinfo_ratio_median" in f:
        m = num("login_userinfo_ratio_median")
        row("login + userInfo, Rust, one handle", f"{num('login_userinfo_native_us') / 1e3:.2f} ms",
            f"{m:.3f}x bare reqwest ({num('login_userinfo_bare_us') / 1e3:.2f} ms)", "<= 1.1x", m <= 1.1,
            f"interleaved rounds p10-p90 {f['login_userinfo_ratio_p10_p90'][0]}-{f['login_userinfo_ratio_p10_p90'][1]}")
    if "python_login_vs_auth0_python" in f:
        a, r = num("python_login_vs_auth0_python"), num("python_login_vs_requests_session")
        row("login + userInfo, Python", f"{num('python_login_userinfo_native_ms'):.2f} ms",
            f"{a:.2f}x auth0-python ({num('python_login_userinfo_auth0_python_ms'):.2f} ms)", ">= 2x", a >= 2)
        row("login + userInfo, Python", f"{num('python_login_userinfo_native_ms'):.2f} ms",
            f"{r:.2f}x requests.Session ({num('python_login_userinfo_requests_session_ms'):.2f} ms)", ">= 1.3x", r >= 1.3)
    if "tcp_connections_1000_calls" in f:
        n = int(num("tcp_connections_1000_calls"))
        row("TCP connections, 1000 sequential calls", str(n), "-", "1", n == 1)
    ab = [(num(f"crit_build_authorize_url_c_ns_{i}") - num(f"crit_build_authorize_url_rust_ns_{i}")) / 1e3 for i in runs]
    m = statistics.median(ab)
    row("C API + JSON overhead per call (buildAuthorizeUrl)", f"{m:.2f} us",
        f"C {statistics.median([num(f'crit_build_authorize_url_c_ns_{i}') for i in runs]) / 1e3:.2f} us vs Rust "
        f"{statistics.median([num(f'crit_build_authorize_url_rust_ns_{i}') for i in runs]) / 1e3:.2f} us", "<= 5 us", m <= 5)
    if "python_threads_2_vs_1" in f:
        t = num("python_threads_2_vs_1")
        row("Python, 2 threads vs 1, one handle (userInfo + validate)", f"{t:.2f}x", "-", ">= 1.7x", t >= 1.7,
            f"{f.get('python_cpu_count', ['?'])[0]} CPUs shared with the dev tenant")
    if "python_threads_2_vs_1_validate_only" in f:
        t = num("python_threads_2_vs_1_validate_only")
        row("Python, 2 threads vs 1, one handle (validate only)", f"{t:.2f}x", "-", ">= 1.7x", t >= 1.7,
            "CPU only: the GIL-release check")
    if "coldstart_process_ms" in f:
        c = num("coldstart_process_ms")
        row("cold start (process: exec, dlopen, handle, first URL)", f"{c:.2f} ms",
            f"empty process {num('coldstart_empty_process_ms'):.2f} ms", "<= 20 ms", c <= 20,
            f"in-process {num('coldstart_in_process_total_us') / 1e3:.2f} ms (dlopen {num('coldstart_in_process_load_us') / 1e3:.2f} ms)")
    s = num("so_stripped_bytes")
    row("stripped release libauth0_native.so", f"{s / 1e6:.2f} MB ({s / 2**20:.2f} MiB)", "-", "<= 5.5 MB", s <= 5.5e6)
    if "peak_rss_100_handles_kb" in f:
        row("peak RSS, 100 handles (each logged in)", f"{num('peak_rss_100_handles_kb') / 1024:.1f} MiB",
            f"base {num('rss_base_kb') / 1024:.1f} MiB", "report", True)
        g = num("rss_growth_10000_calls_kb")
        row("RSS growth over 10k calls (after 1k warm-up)", f"{g:.0f} KiB", "-", "no growth", g <= 256)
    if "instructions_per_call_verify" in f:
        ins = {k[len("instructions_per_call_"):]: num(k) for k in f if k.startswith("instructions_per_call_")}
        for op in ("validate", "parse_hash", "parse_hash_c"):
            r = ins["verify"] / ins[op]
            row(f"instructions: {op} vs RSA verify alone", f"{ins[op]:,.0f}", f"{r:.3f}x (verify {ins['verify']:,.0f})",
                "(noise-free view)", True)
        row("instructions: parseHash C vs Rust", f"{ins['parse_hash_c']:,.0f}", f"{ins['parse_hash'] / ins['parse_hash_c']:.3f}x",
            ">= 0.95x", ins["parse_hash"] / ins["parse_hash_c"] >= 0.95)
        row("instructions: buildAuthorizeUrl C - Rust", f"{ins['url_c'] - ins['url']:,.0f}",
            f"C {ins['url_c']:,.0f} vs Rust {ins['url']:,.0f}", "(noise-free view)", True)
    w = [max(len(r[i]) for r in rows) for i in range(6)]
    head = ("figure", "measured", "ratio", "target", "result", "spread / note")
    print(" | ".join(h.ljust(n) for h, n in zip(head, w)))
    for r in rows:
        print(" | ".join(c.ljust(n) for c, n in zip(r, w)))


if __name__ == "__main__":
    if sys.argv[1] == "criterion":
        criterion(sys.argv[2], sys.argv[3])
    else:
        summary(sys.argv[2])
