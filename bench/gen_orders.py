#!/usr/bin/env python3
"""Writes the orders page nginx serves for figure 3: a PagingResult[OrderResource] of 5,000
orders (about 4 MB), with the fields the broker documents for an OrderResource, in its style
(ASP.NET: PascalCase, ISO dates with 7 fractional digits, enums as strings). Deterministic: the same seed gives the same bytes.

    gen_orders.py OUT.json [COUNT]
"""
import json
import random
import sys

SYMBOLS = ["AAPL", "MSFT", "AMZN", "GOOGL", "META", "TSLA", "NVDA", "JPM", "V", "JNJ", "WMT",
           "PG", "XOM", "BAC", "KO", "PFE", "DIS", "CSCO", "INTC", "ORCL"]
STATUSES = ["New", "PartiallyFilled", "Filled", "Canceled", "Rejected", "Expired", "PendingNew"]
TYPES = ["Market", "Limit", "Stop", "StopLimit"]
SIDES = ["Buy", "Sell", "SellShort", "BuyToCover"]
TIFS = ["Day", "GoodTillCancel", "ImmediateOrCancel"]


def stamp(rng, day):
    return (f"2025-11-{day:02d}T{rng.randrange(13, 21):02d}:{rng.randrange(60):02d}:"
            f"{rng.randrange(60):02d}.{rng.randrange(10**7):07d}Z")


def order(rng, i):
    qty = float(rng.choice([1, 5, 10, 25, 50, 100, 200, 500]))
    status = rng.choice(STATUSES)
    executed = qty if status == "Filled" else (qty / 2 if status == "PartiallyFilled" else 0.0)
    price = round(rng.uniform(10, 900), 2)
    typ = rng.choice(TYPES)
    day = rng.randrange(1, 28)
    return {
        "Id": 900000 + i,
        "SecurityId": 1000 + rng.randrange(len(SYMBOLS)),
        "Symbol": rng.choice(SYMBOLS),
        "Quantity": qty,
        "Price": price if typ in ("Limit", "StopLimit") else 0.0,
        "StopPrice": round(price * 0.97, 2) if typ in ("Stop", "StopLimit") else 0.0,
        "ClientId": f"etna-{rng.getrandbits(64):016x}-{i}",
        "ExecutedQuantity": executed,
        "LastPrice": price if executed else 0.0,
        "LastQuantity": executed,
        "LeavesQuantity": qty - executed if status in ("New", "PartiallyFilled", "PendingNew") else 0.0,
        "AveragePrice": price if executed else 0.0,
        "Side": rng.choice(SIDES),
        "Date": stamp(rng, day),
        "TransactionDate": stamp(rng, day),
        "SettDate": f"2025-11-{min(day + 1, 28):02d}T00:00:00Z",
        "Status": status,
        "ExecutionStatus": status,
        "Type": typ,
        "RequestStatus": "Complete",
        "Target": "Execution" if executed else "New",
        "Description": "Expired by OMS" if status == "Expired" else "",
        "Comment": "",
        "TimeInForce": rng.choice(TIFS),
        "ExecInst": "None",
        "ExpireDate": "0001-01-01T00:00:00Z",
        "AccountId": 1,
        "UserId": 42,
        "RequestId": 5000000 + i,
        "StateId": 7000000 + i,
        "ParentId": -1,
        "Legs": [],
        "Exchange": "XNAS",
        "IsExternal": False,
        "ExecBrocker": "SIM",
        "ExecutionInstructions": {"PerTradeCommission": "1"},
        "TransType": "New",
        "ValidationsToBypass": 0,
    }


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: gen_orders.py OUT.json [COUNT]")
    count = int(sys.argv[2]) if len(sys.argv) == 3 else 5000
    rng = random.Random(20251127)
    page = {
        "Result": [order(rng, i) for i in range(count)],
        "NextPageLink": "",
        "PreviousPageLink": "",
        "TotalCount": count,
    }
    text = json.dumps(page, separators=(",", ":"))
    with open(sys.argv[1], "w") as f:
        f.write(text)
    print(f"gen_orders: {count} orders, {len(text)} bytes -> {sys.argv[1]}")


if __name__ == "__main__":
    main()
