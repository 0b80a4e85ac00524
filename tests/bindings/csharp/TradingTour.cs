// Calls every trading method of Etna.cs once against the simulator, plus the error paths, and
// prints one line per step for tests/bindings/csharp.rs to check (the same lines as
// tests/bindings/cpp/trading_tour.cpp; the checks live in
// tests/bindings/support/trading_checks.rs):
//
//   <step>: <field>=<value>|...|json=<JSON>    a typed value, every field (Records.cs)
//   <step>: count=<n>...                       a list or page, then <step>[i]: <value> lines
//   <step>: ok                                 a call with no answer succeeded
//   <step>: <number>                           an order id, a balance
//   <step>: error code=<n> http=<h> reason=<r> the call threw EtnaException
//
// Log in with ETNA_BASE_URL, ETNA_APP_KEY, ETNA_USERNAME, ETNA_PASSWORD (a user without a second
// step, e.g. alice). Exits 0 unless something other than EtnaException goes wrong.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.InteropServices;
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

    // A balance read by name: the number, or "none".
    private static string Balance(Balances b, string name)
    {
        double? v = b.Value(name);
        return v.HasValue ? Show.Number(v) : "none";
    }

    // A record's field by name: its kind, text and number, or "none".
    private static string FieldOf(Etna.Record r, string name)
    {
        Field f = r.Find(name);
        return f == null ? "none" : "kind=" + (int)f.Kind + "|text=" + f.Text + "|number=" + Show.Number(f.Number);
    }

    // Prints what `call` throws when it is not an EtnaException, e.g. "nul_symbol: ArgumentException".
    private static void Throws(string name, Action call)
    {
        try
        {
            call();
            Console.WriteLine(name + ": no exception");
        }
        catch (EtnaException e)
        {
            Console.WriteLine(name + ": EtnaException " + e.Code);
        }
        catch (Exception e)
        {
            Console.WriteLine(name + ": " + e.GetType().Name);
        }
    }

    // An EtnaOrder as a libetna older than this binding writes it: struct_size stops before
    // Quantity, so the fields from there on (left full of values here) must read as absent.
    private static string ShortStruct()
    {
        IntPtr buffer = Marshal.AllocHGlobal(Marshal.SizeOf(typeof(EtnaOrder)));
        IntPtr symbol = Marshal.StringToHGlobalAnsi("AAPL");
        IntPtr status = Marshal.StringToHGlobalAnsi("Filled");
        IntPtr json = Marshal.StringToHGlobalAnsi("{}");
        try
        {
            var c = new EtnaOrder();
            c.StructSize = (uint)Marshal.OffsetOf(typeof(EtnaOrder), "Quantity").ToInt32();
            c.Id = 7;
            c.Symbol = symbol;
            c.Status = (int)OrderStatus.Filled;
            c.Quantity = 3;
            c.AveragePrice = 180.5;
            c.CreatedAtMs = 1764000000000;
            c.StatusText = status;
            c.Json = json;
            Marshal.StructureToPtr(c, buffer, false);
            var o = new Order(Structs.Read<EtnaOrder>(buffer));
            return new Record()
                .Id("id", o.Id)
                .Text("symbol", o.Symbol)
                .Code("status", (int)o.Status)
                .Number("quantity", o.Quantity)
                .Number("average_price", o.AveragePrice)
                .Instant("created_at_ms", o.CreatedAt)
                .Text("status_text", o.StatusText)
                .ToString();
        }
        finally
        {
            Marshal.FreeHGlobal(json);
            Marshal.FreeHGlobal(status);
            Marshal.FreeHGlobal(symbol);
            Marshal.FreeHGlobal(buffer);
        }
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
            Step("user_info", () => Show.Of(session.UserInfo()));
            IReadOnlyList<Account> accounts = session.Accounts();
            Console.WriteLine("accounts: " + Show.List("accounts", accounts, Show.Of));
            long account = accounts[0].Id;
            Step("account", () => Show.Of(session.Account(account)));
            Step("unknown_account", () => Show.Of(session.Account(999999)));
            Balances balances = session.AccountInfo(account);
            Console.WriteLine("account_info: " + Show.Of(balances));
            Step("balance_cash", () => Balance(balances, "cash"));
            Step("balance_option_buying_power", () => Balance(balances, "optionBuyingPower"));
            Step("balance_missing", () => Balance(balances, "noSuchBalance"));
            GC.Collect(); // the Balances keeps its result alive: Value still works
            GC.WaitForPendingFinalizers();
            Step("balance_copy", () => Balance(balances, "cash"));
            Throws("balance_nul", () => balances.Value("ca\0sh"));
            Step("user_balances", () => Show.Of(session.UserBalances()));

            // Records: answers the broker documents by name only.
            Etna.Record details = session.AccountDetails(account);
            Console.WriteLine("account_details: " + Show.Of(details));
            GC.Collect(); // the Record keeps its result alive: Find still works
            GC.WaitForPendingFinalizers();
            Step("account_created", () => FieldOf(details, "createdat"));
            Step("account_no_field", () => FieldOf(details, "NoSuchField"));
            Step("trading_settings", () => Show.Of(session.TradingSettings()));
            Step("set_trading_settings", () => Show.Of(session.SetTradingSettings(
                "{\"Instruments\":{\"Stocks\":{\"Quantity\":50}}}")));
            Step("stock_quantity", () => FieldOf(session.TradingSettings(), "Instruments.Stocks.Quantity"));
            Step("bad_trading_settings", () => Show.Of(session.SetTradingSettings("{\"MaxStocksQuantity\":\"lots\"}")));

            Step("lookup", () => Show.List("lookup", session.LookupEquities("A", 10), Show.Of));
            Step("equity", () => Show.Of(session.Equity(Symbol)));
            Step("unknown_equity", () => Show.Of(session.Equity("NOSUCHTICKER")));

            string limit = "{\"Symbol\":\"" + Symbol + "\",\"Type\":\"Limit\",\"Side\":\"Buy\",\"Quantity\":1," +
                           "\"Price\":1.0,\"TimeInForce\":\"Day\",\"ClientId\":\"tour-limit\"}";
            Step("preview", () => Show.Of(session.PreviewOrder(account, limit)));
            Step("preview_rejected", () => Show.Of(session.PreviewOrder(
                account, "{\"Symbol\":\"" + Symbol + "\",\"Type\":\"Market\",\"Side\":\"Buy\",\"Quantity\":100000000}")));

            // An open order: read, list, change (which may give it a new id), wait for (in vain),
            // cancel twice.
            Order placed = session.PlaceOrder(account, limit);
            Console.WriteLine("place_order: " + Show.Of(placed));
            long limitId = placed.Id;
            Step("order", () => Show.Of(session.Order(account, limitId)));
            Step("orders", () => Show.Page("orders", session.Orders(account), Show.Of));
            Step("orders_filtered", () => Show.Page("orders_filtered", session.Orders(account, "Side = 'Buy'", 0, 10),
                                                    Show.Of));
            long openId = limitId;
            Step("preview_replace", () => Show.Of(session.PreviewReplaceOrder(account, limitId, "{\"Quantity\":3}")));
            Step("replace_order", () =>
            {
                Order replaced = session.ReplaceOrder(account, limitId, "{\"Price\":1.05}");
                openId = replaced.Id;
                return Show.Of(replaced);
            });
            Step("wait_open", () => Show.Of(session.WaitForOrder(account, openId, TimeSpan.FromMilliseconds(50))));
            Step("cancel_order", () => session.CancelOrder(account, openId));
            Step("cancel_again", () => session.CancelOrder(account, openId));
            Step("replace_canceled", () => Show.Of(session.ReplaceOrder(account, openId, "{\"Price\":1.10}")));

            // Bad arguments: refused before any request.
            Step("bad_simple", () =>
                 session.PlaceSimpleOrder(account, Symbol, "Buy", "Market", -5).ToString(CultureInfo.InvariantCulture));
            Step("bad_json", () => Show.Of(session.PlaceOrder(
                account, "{\"Symbol\":\"AAPL\",\"Type\":\"Market\",\"Side\":\"Buy\",\"Quantity\":-1}")));
            Step("bad_preview", () => Show.Of(session.PreviewOrder(
                account, "{\"Symbol\":\"AAPL\",\"Type\":\"Limit\",\"Side\":\"Buy\",\"Quantity\":1}")));
            Step("bad_page", () => Show.Page("bad_page", session.Positions(account, 0, 0), Show.Of));
            Throws("nul_symbol", () => session.Equity("AA\0PL"));
            Throws("bad_wait", () => session.WaitForOrder(account, limitId, TimeSpan.FromMilliseconds(-1)));

            // A Market order fills and makes a position.
            long marketId = session.PlaceSimpleOrder(account, Symbol, "Buy", "Market", 5);
            Console.WriteLine("market_order: " + marketId.ToString(CultureInfo.InvariantCulture));
            Step("filled", () =>
            {
                Order done = session.WaitForOrder(account, marketId, TimeSpan.FromSeconds(30));
                Console.WriteLine("filled_is_final: " + (done.IsFinal ? 1 : 0));
                return Show.Of(done);
            });
            Step("position", () => Show.List("position", session.Position(account, Symbol), Show.Of));
            Step("positions", () => Show.Page("positions", session.Positions(account), Show.Of));
            Step("transactions", () => Show.Page("transactions", session.Transactions(account, 0, 20), Show.Of));

            // Every order, one to a page, following NextPage.
            Step("orders_paged", () =>
            {
                var ids = new List<string>();
                long total = -1;
                int pages = 0;
                for (int? page = 0; page.HasValue && pages < 50; pages++)
                {
                    Page<Order> one = session.Orders(account, null, page.Value, 1);
                    foreach (Order o in one.Items)
                    {
                        ids.Add(o.Id.ToString(CultureInfo.InvariantCulture));
                    }
                    total = one.TotalCount;
                    page = one.NextPage;
                }
                return "pages=" + pages + "|total=" + total + "|ids=" + string.Join(",", ids);
            });

            Step("price_history", () => Show.List("price_history", session.PriceHistory(
                "{\"Security\":{\"Symbol\":\"" + Symbol + "\"},\"SecurityHistorySettings\":{\"StartDate\":1764000000," +
                "\"EndDate\":1764086400,\"CandlesCount\":-1,\"Period\":\"1h\",\"Interval\":0," +
                "\"IncludeNonMarketData\":false},\"IndicatorsHistorySettings\":[]}"), Show.Of));
            Step("export_price_history", () =>
            {
                byte[] file = session.ExportPriceHistory(
                    "{\"Security\":{\"Symbol\":\"" + Symbol + "\"},\"SecurityHistorySettings\":{\"StartDate\":1764000000," +
                    "\"EndDate\":1764086400,\"CandlesCount\":-1,\"Period\":\"1h\",\"Interval\":0," +
                    "\"IncludeNonMarketData\":false},\"IndicatorsHistorySettings\":[]}");
                return "bytes=" + file.Length + "|starts=" + (char)file[0] + (char)file[1];
            });
            Step("compare_price_history", () => Show.List("compare_price_history", session.ComparePriceHistory(
                "{\"Securities\":[{\"Symbol\":\"" + Symbol + "\"},{\"Symbol\":\"MSFT\"}]," +
                "\"SecuritiesHistorySettings\":{\"StartDate\":1764000000,\"EndDate\":1764086400,\"CandlesCount\":-1," +
                "\"Period\":\"1h\",\"Interval\":0,\"IncludeNonMarketData\":false}}"), Show.Of));
            Step("streamers", () => Show.List("streamers", session.Streamers(), Show.Of));

            Watchlist list = session.CreateWatchlist("Tour list");
            Console.WriteLine("create_watchlist: " + Show.Of(list));
            long listId = list.Id;
            Step("duplicate_watchlist", () => Show.Of(session.CreateWatchlist("Tour list")));
            Step("add_to_watchlist", () => session.AddToWatchlist(listId, Symbol));
            Step("watchlists", () => Show.List("watchlists", session.Watchlists(), Show.Of));
            Step("watchlist", () => Show.Of(session.Watchlist(listId)));
            Step("remove_from_watchlist", () => session.RemoveFromWatchlist(listId, Symbol));
            Step("delete_watchlist", () => session.DeleteWatchlist(listId));
            Step("watchlists_after", () => Show.List("watchlists_after", session.Watchlists(), Show.Of));
            Step("deleted_watchlist", () => Show.Of(session.Watchlist(listId)));

            session.Logout();
            Step("after_logout", () => Show.List("after_logout", session.Accounts(), Show.Of));

            session.Dispose();
            Throws("disposed", () => session.UserInfo());
            Console.WriteLine("short_struct: " + ShortStruct());
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
