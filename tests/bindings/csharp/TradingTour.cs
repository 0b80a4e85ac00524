// Calls every trading method of Etna.cs once against the simulator, plus the error paths, and
// prints one line per step for tests/bindings/csharp.rs to check (the same lines as
// tests/bindings/cpp/trading_tour.cpp; the checks live in
// tests/bindings/support/trading_checks.rs):
//
//   <step>: <JSON answer>                      the call succeeded
//   <step>: ok                                 a call with no answer succeeded
//   <step>: <number>                           an order id
//   <step>: error code=<n> http=<h> reason=<r> the call threw EtnaException
//
// Log in with ETNA_BASE_URL, ETNA_APP_KEY, ETNA_USERNAME, ETNA_PASSWORD (a user without a second
// step, e.g. alice). Exits 0 unless something other than EtnaException goes wrong.
using System;
using System.Globalization;
using Etna;

public static class TradingTour
{
    private const string Symbol = "AAPL";

    private static string Env(string name)
    {
        string value = Environment.GetEnvironmentVariable(name);
        if (value == null)
        {
            throw new InvalidOperationException(name + " is not set");
        }
        return value;
    }

    // Runs `call` and prints its answer, or the EtnaException it threw; returns the answer (""
    // for an exception).
    private static string Step(string name, Func<string> call)
    {
        try
        {
            string answer = call();
            Console.WriteLine("{0}: {1}", name, string.IsNullOrEmpty(answer) ? "ok" : answer);
            return answer ?? "";
        }
        catch (EtnaException e)
        {
            Console.WriteLine("{0}: error code={1} http={2} reason={3}", name, (int)e.Code, e.HttpStatus,
                              e.ApiReason ?? "");
            return "";
        }
    }

    private static void Step(string name, Action call)
    {
        Step(name, () => { call(); return ""; });
    }

    // The number after the first "name": in `json`; 0 when there is none.
    private static long Number(string json, string name)
    {
        int at = json.IndexOf("\"" + name + "\"", StringComparison.Ordinal);
        at = at < 0 ? -1 : json.IndexOf(':', at);
        if (at < 0)
        {
            return 0;
        }
        int start = at + 1;
        while (start < json.Length && char.IsWhiteSpace(json[start]))
        {
            start++;
        }
        int end = start;
        while (end < json.Length && (char.IsDigit(json[end]) || (end == start && json[end] == '-')))
        {
            end++;
        }
        return long.Parse(json.Substring(start, end - start), CultureInfo.InvariantCulture);
    }

    public static int Main()
    {
        try
        {
            var session = new Session(Env("ETNA_BASE_URL"), Env("ETNA_APP_KEY"));
            if (session.Login(Env("ETNA_USERNAME"), Env("ETNA_PASSWORD")) != AuthState.Authenticated)
            {
                throw new InvalidOperationException("the tour wants a user who logs in with a password alone");
            }
            Step("user_info", () => session.UserInfo());
            string accounts = session.Accounts();
            Console.WriteLine("accounts: " + accounts);
            long account = Number(accounts, "Id");
            Step("account_info", () => session.AccountInfo(account));

            Step("lookup", () => session.LookupEquities("A", 10));
            Step("equity", () => session.Equity(Symbol));
            Step("unknown_equity", () => session.Equity("NOSUCHTICKER"));

            string limit = "{\"Symbol\":\"" + Symbol + "\",\"Type\":\"Limit\",\"Side\":\"Buy\",\"Quantity\":1," +
                           "\"Price\":1.0,\"TimeInForce\":\"Day\",\"ClientId\":\"tour-limit\"}";
            Step("preview", () => session.PreviewOrder(account, limit));
            Step("preview_rejected", () => session.PreviewOrder(
                account, "{\"Symbol\":\"" + Symbol + "\",\"Type\":\"Market\",\"Side\":\"Buy\",\"Quantity\":100000000}"));

            // An open order: read, list, change (which may give it a new id), wait for (in vain),
            // cancel twice.
            string placed = session.PlaceOrder(account, limit);
            Console.WriteLine("place_order: " + placed);
            long limitId = Number(placed, "Id");
            Step("order", () => session.Order(account, limitId));
            Step("orders", () => session.Orders(account));
            Step("orders_filtered", () => session.Orders(account, "Side = 'Buy'", 0, 10));
            string replaced = Step("replace_order", () => session.ReplaceOrder(account, limitId, "{\"Price\":1.05}"));
            long openId = replaced == "" ? limitId : Number(replaced, "Id");
            Step("wait_open", () => session.WaitForOrder(account, openId, TimeSpan.FromMilliseconds(50)));
            Step("cancel_order", () => session.CancelOrder(account, openId));
            Step("cancel_again", () => session.CancelOrder(account, openId));
            Step("replace_canceled", () => session.ReplaceOrder(account, openId, "{\"Price\":1.10}"));

            // Bad arguments: refused before any request.
            Step("bad_simple", () =>
                 session.PlaceSimpleOrder(account, Symbol, "Buy", "Market", -5).ToString(CultureInfo.InvariantCulture));
            Step("bad_json", () => session.PlaceOrder(
                account, "{\"Symbol\":\"AAPL\",\"Type\":\"Market\",\"Side\":\"Buy\",\"Quantity\":-1}"));
            Step("bad_preview", () => session.PreviewOrder(
                account, "{\"Symbol\":\"AAPL\",\"Type\":\"Limit\",\"Side\":\"Buy\",\"Quantity\":1}"));
            Step("bad_page", () => session.Positions(account, 0, 0));
            try
            {
                session.Equity("AA\0PL");
                Console.WriteLine("nul_symbol: no exception");
            }
            catch (ArgumentException)
            {
                Console.WriteLine("nul_symbol: ArgumentException");
            }
            try
            {
                session.WaitForOrder(account, limitId, TimeSpan.FromMilliseconds(-1));
                Console.WriteLine("bad_wait: no exception");
            }
            catch (ArgumentOutOfRangeException)
            {
                Console.WriteLine("bad_wait: ArgumentOutOfRangeException");
            }

            // A Market order fills and makes a position.
            long marketId = session.PlaceSimpleOrder(account, Symbol, "Buy", "Market", 5);
            Console.WriteLine("market_order: " + marketId.ToString(CultureInfo.InvariantCulture));
            Step("filled", () => session.WaitForOrder(account, marketId, TimeSpan.FromSeconds(30)));
            Step("position", () => session.Position(account, Symbol));
            Step("positions", () => session.Positions(account));
            Step("transactions", () => session.Transactions(account, 0, 20));

            Step("price_history", () => session.PriceHistory(
                "{\"Security\":{\"Symbol\":\"" + Symbol + "\"},\"SecurityHistorySettings\":{\"StartDate\":1764000000," +
                "\"EndDate\":1764086400,\"CandlesCount\":-1,\"Period\":\"1h\",\"Interval\":0," +
                "\"IncludeNonMarketData\":false},\"IndicatorsHistorySettings\":[]}"));
            Step("streamers", () => session.Streamers());

            string list = session.CreateWatchlist("Tour list");
            Console.WriteLine("create_watchlist: " + list);
            long listId = Number(list, "Id");
            Step("duplicate_watchlist", () => session.CreateWatchlist("Tour list"));
            Step("add_to_watchlist", () => session.AddToWatchlist(listId, Symbol));
            Step("watchlists", () => session.Watchlists());
            Step("remove_from_watchlist", () => session.RemoveFromWatchlist(listId, Symbol));
            Step("delete_watchlist", () => session.DeleteWatchlist(listId));
            Step("watchlists_after", () => session.Watchlists());

            session.Logout();
            Step("after_logout", () => session.Accounts());

            session.Dispose();
            try
            {
                session.UserInfo();
                Console.WriteLine("disposed: no exception");
            }
            catch (ObjectDisposedException)
            {
                Console.WriteLine("disposed: ObjectDisposedException");
            }
            Console.WriteLine("done");
            return 0;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine("tour failed: " + e);
            return 1;
        }
    }
}
