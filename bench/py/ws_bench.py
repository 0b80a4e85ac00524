#!/usr/bin/env python3
"""Python websocket-client reading the simulator's quote firehose, as a Python user would.

    ws_bench.py rate MS SIM_BASE_URL

Logs alice in over REST (urllib, `POST token`, password only), reads the quote streamer's address
from `GET v1.0/streamers`, opens the WebSocket with the login form
(`websocket.create_connection(...CreateSession.txt?User=alice&Password=alice-pass...)`, the
library's defaults otherwise), subscribes AAPL, MSFT and NVDA (security ids 1, 2 and 6), reads
for BENCH_STREAM_WARMUP_MS (default 1000) uncounted, then counts the text frames `ws.recv()`
returns over MS milliseconds, reading each as JSON (`json.loads`, its `Bid`), as a Python program
using the quotes would. Prints one RESULT line in the format of bench/c/common.h.
"""
import json
import os
import sys
import time
import urllib.request

import websocket

APP_KEY = "sim-app-key"
LOGIN = "alice"
PASSWORD = "alice-pass"
KEYS = "1;2;6"  # AAPL, MSFT, NVDA


def connect(base):
    common = {"Et-App-Key": APP_KEY, "Accept": "application/json"}
    req = urllib.request.Request(base + "token", method="POST", data=b"",
                                 headers={**common, "Username": LOGIN, "Password": PASSWORD})
    token = json.load(urllib.request.urlopen(req))["Token"]
    req = urllib.request.Request(base + "v1.0/streamers",
                                 headers={**common, "Authorization": "Bearer " + token})
    url = json.load(urllib.request.urlopen(req))["QuoteAddresses"][0]["Url"].rstrip("/")
    ws = websocket.create_connection(
        f"{url}/CreateSession.txt?User={LOGIN}&Password={PASSWORD}&HttpClientType=WebSocket")
    first = json.loads(ws.recv())
    if first.get("StatusCode") != "Ok":
        sys.exit(f"CreateSession.txt: {first}")
    ws.send(json.dumps({"Cmd": "Subscribe.txt", "SessionId": first["SessionId"], "Keys": KEYS,
                        "EntityType": "Quote", "HttpClientType": "WebSocket"}))
    return ws


def main():
    if len(sys.argv) != 4 or sys.argv[1] != "rate":
        sys.exit("usage: ws_bench.py rate MS SIM_BASE_URL")
    ms = int(sys.argv[2])
    ws = connect(sys.argv[3])
    now = time.monotonic
    until = now() + int(os.environ.get("BENCH_STREAM_WARMUP_MS", "1000")) / 1000
    while now() < until:
        ws.recv()
    n = 0
    bids = 0.0
    start = now()
    end = start + ms / 1000
    while True:
        msg = json.loads(ws.recv())
        if msg.get("EntityType") == "Quote":
            bids += float(msg["Bid"])
            n += 1
        if now() >= end:
            break
    secs = now() - start
    print(f"RESULT fig=stream_rate who=python n={n} secs={secs:.4f} quotes_per_s={n / secs:.0f} "
          f"mean_bid={bids / max(n, 1):.4f} websocket_client={websocket.__version__}", flush=True)
    ws.close()


if __name__ == "__main__":
    main()
