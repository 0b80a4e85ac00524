#!/usr/bin/env python3
"""Python requests.Session doing what the broker's own sample does: the /token dance, then
authenticated GETs with the same headers as the C contenders, on a keep-alive connection.

    requests_bench.py MODE COUNT BASE_URL     modes as bench/c/etna_bench.c (no ffi)

Prints RESULT lines in the format of bench/c/common.h. Against an https:// BASE_URL each session
verifies with the CA in BENCH_CA (verify=) and figures print as tls_<figure>. There is no
login_resumed: requests has no way to resume a TLS session in a new Session.
"""
import os
import resource
import sys
import threading
import time

import requests

# Must match bench/c/common.h and bench/nginx.conf.in.
APP_KEY = "bench-app-key-7f3a9c"
USERNAME = "bench-user"
PASSWORD = "bench-pass"
VCODE = "123456"
INFO_PATH = "v1.0/users/@me/info"
ORDERS_PATH = "v1.0/accounts/1/orders?pageNumber=0&pageSize=5000"
BENCH_UA = "etnabench/1.0"

now_ns = time.perf_counter_ns
TLS = False
CA = None


def fig(name):
    return ("tls_" if TLS else "") + name


def verify():
    """The test CA, given with every request (a Session's own verify= gives way to
    REQUESTS_CA_BUNDLE from the environment)."""
    return CA or True


def new_session():
    s = requests.Session()
    # Exactly the headers the others send (requests would add Accept-Encoding and Connection).
    s.headers.clear()
    s.headers.update({"User-Agent": BENCH_UA, "Accept": "application/json", "Et-App-Key": APP_KEY})
    return s


def login(s, base):
    creds = {"Username": USERNAME, "Password": PASSWORD}
    r = s.post(base + "token", headers=creds, verify=verify())
    if r.status_code != 202:
        sys.exit(f"POST token: {r.status_code}")
    interim = r.json()["Token"]
    r = s.post(base + "token",
               headers={**creds, "Authorization": "Bearer " + interim, "VerificationCode": VCODE},
               verify=verify())
    if r.status_code != 200:
        sys.exit(f"POST token (code): {r.status_code}")
    s.headers["Authorization"] = "Bearer " + r.json()["Token"]


def logged_in(base):
    s = new_session()
    login(s, base)
    return s


def get(s, url):
    r = s.get(url, verify=verify())
    if r.status_code != 200:
        sys.exit(f"GET {url}: {r.status_code}")
    return r.text  # the body handed over as text (str)


def report_latency(name, ns):
    ns.sort()
    n = len(ns)
    print(f"RESULT fig={fig(name)} who=python n={n} p50_ns={ns[(n - 1) // 2]} "
          f"p99_ns={ns[int((n - 1) * 0.99)]} mean_ns={sum(ns) / n:.0f} min_ns={ns[0]} max_ns={ns[-1]}",
          flush=True)


def status_kb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return -1


def mode_rtt(n, base):
    s = logged_in(base)
    url = base + INFO_PATH
    for _ in range(n // 10 + 1):
        get(s, url)
    ns = []
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    for _ in range(n):
        t0 = now_ns()
        get(s, url)
        ns.append(now_ns() - t0)
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    per = 1e9 * 10000 / n
    user, sys_ = (r1.ru_utime - r0.ru_utime) * per, (r1.ru_stime - r0.ru_stime) * per
    print(f"RESULT fig={fig('cpu')} who=python n={n} user_ns_per_10k={user:.0f} "
          f"sys_ns_per_10k={sys_:.0f} cpu_ns_per_10k={user + sys_:.0f}", flush=True)
    report_latency("rtt", ns)


def mode_tput(n, base):
    threads = 2
    url = base + INFO_PATH
    start = threading.Barrier(threads + 1)

    def work(s):
        for _ in range(200):
            get(s, url)
        start.wait()
        for _ in range(n // threads):
            get(s, url)

    workers = [threading.Thread(target=work, args=(logged_in(base),)) for _ in range(threads)]
    for w in workers:
        w.start()
    start.wait()
    t0 = now_ns()
    for w in workers:
        w.join()
    secs = (now_ns() - t0) / 1e9
    done = (n // threads) * threads
    print(f"RESULT fig={fig('tput')} who=python n={done} threads={threads} secs={secs:.4f} "
          f"req_per_s={done / secs:.0f}", flush=True)


def mode_page(n, base):
    s = logged_in(base)
    url = base + ORDERS_PATH
    nbytes = len(get(s, url).encode())
    ns = []
    for _ in range(n):
        t0 = now_ns()
        text = get(s, url)
        ns.append(now_ns() - t0)
        if not text.endswith("}"):
            sys.exit("orders page: truncated")
    print(f"RESULT fig={fig('page_bytes')} who=python bytes={nbytes}", flush=True)
    report_latency("page", ns)


def mode_login(n, base):
    for _ in range(5):
        logged_in(base).close()
    ns = []
    for _ in range(n):
        t0 = now_ns()
        s = logged_in(base)
        ns.append(now_ns() - t0)
        s.close()
    report_latency("login", ns)


def mode_sessions(n, base):
    before = status_kb("VmRSS")
    sessions = []
    for _ in range(n):
        s = logged_in(base)
        get(s, base + INFO_PATH)
        sessions.append(s)
    print(f"RESULT fig={fig('sessions')} who=python n={n} rss_before_kb={before} rss_kb={status_kb('VmRSS')} "
          f"hwm_kb={status_kb('VmHWM')}", flush=True)


def mode_growth(n, base):
    s = logged_in(base)
    url = base + INFO_PATH
    step = n // 10
    rss = []
    for _ in range(10):
        for _ in range(step):
            get(s, url)
        rss.append(status_kb("VmRSS"))
    print(f"RESULT fig={fig('growth')} who=python n={step * 10} rss_first_kb={rss[0]} rss_last_kb={rss[-1]} "
          f"rss_max_kb={max(rss)} growth_kb={rss[-1] - rss[0]} hwm_kb={status_kb('VmHWM')}",
          flush=True)


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: requests_bench.py rtt|tput|page|login|sessions|growth COUNT BASE_URL")
    mode, n, base = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    global TLS, CA
    TLS = base.startswith("https://")
    if TLS:
        CA = os.environ.get("BENCH_CA") or sys.exit("an https:// base URL needs BENCH_CA")
    if mode == "sessions":
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    modes = {"rtt": mode_rtt, "tput": mode_tput, "page": mode_page, "login": mode_login,
             "sessions": mode_sessions, "growth": mode_growth}
    if mode not in modes:
        sys.exit("unknown mode")
    modes[mode](n, base)


if __name__ == "__main__":
    main()
