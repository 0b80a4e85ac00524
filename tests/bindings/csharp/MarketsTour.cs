// Calls every method of Etna.cs for options, equity pages, price alerts, news, account history,
// position groups, order state history and verification, sync order routes and watchlist changes
// by id once against the simulator, plus their error paths, and prints one line per step for
// tests/bindings/csharp.rs to check (the same lines as tests/bindings/cpp/markets_tour.cpp; the
// checks live in tests/bindings/support/markets_checks.rs):
//
//   <step>: <field>=<value>|...|json=<JSON>    a typed value, every field (Records.cs)
//   <step>: count=<n>...                       a list or page, then <step>[i]: <value> lines
//   <step>: ok                                 a call with no answer succeeded
//   <step>: <text>                             an id, a symbol, an exception's name
//   <step>: error code=<n> http=<h> reason=<r> the call threw EtnaException
//
// Log in with ETNA_BASE_URL, ETNA_APP_KEY, ETNA_USERNAME, ETNA_PASSWORD (a user without a second
// step with a cash and a margin account, e.g. alice). Trades in the margin account: a spread's
// short leg writes an option, which a cash account may not. Exits 0 unless something other than
// EtnaException goes wrong.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Etna;

public static class MarketsTour
{
    private const string Underlying = "AAPL";

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

    // Prints what `call` throws when it is not an EtnaException, e.g. "nul_underlying: ArgumentException".
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

    private static string Leg(string symbol, string side)
    {
        return "{\"Symbol\":\"" + symbol + "\",\"Quantity\":1,\"Side\":\"" + side + "\"}";
    }

    private static string Text(long n)
    {
        return n.ToString(CultureInfo.InvariantCulture);
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
            IReadOnlyList<Account> accounts = session.Accounts();
            Account margin = accounts.FirstOrDefault(a => a.MarginType == MarginType.Margin);
            Account cash = accounts.FirstOrDefault(a => a.MarginType == MarginType.Cash);
            if (margin == null || cash == null)
            {
                throw new InvalidOperationException("the tour wants a user with a cash and a margin account");
            }
            long account = margin.Id;
            Console.WriteLine("account: " + Text(account));
            Security underlying = session.Equity(Underlying);
            Security other = session.Equity("MSFT");

            // Options: expirations, chains (near the money, and whole), one option by symbol and by
            // id, pages of every option and every equity.
            IReadOnlyList<Expiration> expirations = session.OptionExpirations(Underlying);
            Console.WriteLine("option_expirations: " + Show.List("option_expirations", expirations, Show.Of));
            IReadOnlyList<OptionContract> near = session.OptionChain(Underlying, "Range = 1");
            Console.WriteLine("option_chain: " + Show.List("option_chain", near, Show.Of));
            Step("option_chain_all", () => Show.List("option_chain_all", session.OptionChain(Underlying), Show.Of));
            Step("option_chain_bad_filter", () => Show.List("option_chain_bad_filter",
                                                            session.OptionChain(Underlying, "Range = x"), Show.Of));
            Step("option_chain_unknown", () => Show.List("option_chain_unknown", session.OptionChain("NOSUCH"),
                                                         Show.Of));

            // The two calls of the nearest expiration around the money: a vertical spread's legs.
            List<OptionContract> calls = near
                .Where(o => o.OptionType == OptionType.Call && o.Expiration == near[0].Expiration)
                .OrderBy(o => o.Strike)
                .ToList();
            if (calls.Count < 2)
            {
                throw new InvalidOperationException("fewer than two calls near the money");
            }
            OptionContract lower = calls[0];
            OptionContract higher = calls[calls.Count - 1];
            Console.WriteLine("spread_legs: " + lower.Symbol + ";" + higher.Symbol);

            Step("option", () => Show.Of(session.Option(lower.Symbol)));
            Step("option_by_id", () => Show.Of(session.Option(lower.Id)));
            Step("option_unknown", () => Show.Of(session.Option("AAPL  200101C00001000")));
            Step("options", () => Show.Page("options", session.Options("UnderlyingAssetSymbol = 'AAPL'", 0, 5),
                                            Show.Of));
            Step("options_default", () =>
            {
                Page<OptionContract> page = session.Options();
                return "count=" + Text(page.Items.Count) + "|total=" + Text(page.TotalCount);
            });
            Step("options_bad_page", () => Show.Page("options_bad_page", session.Options(null, 0, 0), Show.Of));
            Step("equities", () => Show.Page("equities", session.Equities(null, 0, 10), Show.Of));
            Step("equities_filtered", () => Show.Page("equities_filtered", session.Equities("Symbol = 'AAPL'"),
                                                      Show.Of));
            Step("equities_second_page", () => Show.Page("equities_second_page", session.Equities(null, 1, 10),
                                                         Show.Of));

            // Option orders: a single leg previewed, placed and filled; a spread previewed and placed.
            string single = "{\"Symbol\":\"" + lower.Symbol +
                            "\",\"Type\":\"Market\",\"Side\":\"Buy\",\"Quantity\":1,\"TimeInForce\":\"Day\"}";
            Step("option_preview", () => Show.Of(session.PreviewOrder(account, single)));
            long optionOrder = -1;
            Step("option_order", () =>
            {
                Order placed = session.PlaceOrder(account, single);
                optionOrder = placed.Id;
                return Show.Of(placed);
            });
            Step("option_filled", () => Show.Of(session.WaitForOrder(account, optionOrder, TimeSpan.FromSeconds(30))));
            // Buy the lower strike, write the higher (SellShort: Sell would close a position held).
            string spread = "{\"Symbol\":\"\",\"Type\":\"Limit\",\"Price\":0.01,\"TimeInForce\":\"Day\",\"Legs\":[" +
                            Leg(lower.Symbol, "Buy") + "," + Leg(higher.Symbol, "SellShort") + "]}";
            Step("spread_preview", () => Show.Of(session.PreviewOrder(account, spread)));
            Step("spread_in_cash", () => Show.Of(session.PreviewOrder(cash.Id, spread)));
            long spreadOrder = -1;
            Step("spread_order", () =>
            {
                Order placed = session.PlaceOrder(account, spread);
                spreadOrder = placed.Id;
                return Show.Of(placed);
            });
            Step("spread_no_legs", () => Show.Of(session.PlaceOrder(
                account, "{\"Symbol\":\"\",\"Type\":\"Limit\",\"Price\":1,\"Legs\":[]}")));
            Step("spread_bad_leg", () => Show.Of(session.PreviewOrder(
                account, "{\"Symbol\":\"\",\"Type\":\"Limit\",\"Price\":1,\"Legs\":[{\"Symbol\":\"X\",\"Quantity\":0," +
                "\"Side\":\"Buy\"}]}")));

            // An order's history and the broker's verification of it.
            Step("order_details", () => Show.List("order_details", session.OrderDetails(account, optionOrder), Show.Of));
            Step("spread_details", () => Show.List("spread_details", session.OrderDetails(account, spreadOrder),
                                                   Show.Of));
            Step("order_details_unknown", () => Show.List("order_details_unknown",
                                                          session.OrderDetails(account, 987654321), Show.Of));
            Step("verified_order", () => Show.Of(session.VerifiedOrder(account, optionOrder)));
            Step("verified_unknown", () => Show.Of(session.VerifiedOrder(account, 987654321)));

            // The sync routes: an order placed and canceled through them, then the quick ones again.
            Step("sync_on", () => session.SetSyncOrders(true));
            long syncOrder = -1;
            Step("sync_order", () =>
            {
                Order placed = session.PlaceOrder(account, "{\"Symbol\":\"" + Underlying + "\",\"Type\":\"Limit\"," +
                                                  "\"Side\":\"Buy\",\"Quantity\":1,\"Price\":1.0,\"TimeInForce\":\"Day\"}");
                syncOrder = placed.Id;
                return Show.Of(placed);
            });
            Step("sync_cancel", () => session.CancelOrder(account, syncOrder));
            Step("sync_off", () => session.SetSyncOrders(false));
            Step("quick_order", () => Text(session.PlaceSimpleOrder(account, Underlying, "Buy", "Market", 2)));

            // Account history and position groups (after the fills above).
            DateTime now = DateTime.UtcNow;
            Step("account_history", () => Show.List("account_history",
                                                    session.AccountHistory(account, now.AddDays(-10), now), Show.Of));
            Step("account_history_backwards", () => Show.List("account_history_backwards",
                                                              session.AccountHistory(account, now, now.AddDays(-1)),
                                                              Show.Of));
            Step("position_groups", () => Show.List("position_groups", session.PositionGroups(account), Show.Of));

            // News and corporate actions.
            Step("news", () => Show.List("news", session.News(Underlying), Show.Of));
            Step("corporate_actions", () => Show.List("corporate_actions", session.CorporateActions(Underlying),
                                                      Show.Of));
            Step("news_unknown", () => Show.List("news_unknown", session.News("NOSUCHTICKER"), Show.Of));

            // Price alerts: create, list, read, change, stop, delete; a bad body and an unknown id.
            long expires = (long)(now.AddDays(30) - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalSeconds;
            long alert = -1;
            Step("create_price_alert", () =>
            {
                PriceAlert created = session.CreatePriceAlert(
                    "{\"SecurityId\":" + Text(underlying.Id) + ",\"Field\":\"Last\",\"Operator\":\"GTEQ\"," +
                    "\"Argument\":100000,\"State\":\"New\",\"ExpirationDate\":" + Text(expires) + "}");
                alert = created.Id;
                return Show.Of(created);
            });
            Step("price_alerts", () => Show.Page("price_alerts", session.PriceAlerts(), Show.Of));
            Step("price_alert", () => Show.Of(session.PriceAlert(alert)));
            Step("update_price_alert", () => Show.Of(session.UpdatePriceAlert(alert, "{\"Argument\":200000}")));
            Step("stop_price_alert", () => Show.Of(session.UpdatePriceAlert(alert, "{\"State\":\"Stopped\"}")));
            Step("bad_price_alert", () => Show.Of(session.CreatePriceAlert("[1]")));
            Step("delete_price_alert", () => session.DeletePriceAlert(alert));
            Step("deleted_price_alert", () => Show.Of(session.PriceAlert(alert)));
            Step("delete_again", () => session.DeletePriceAlert(alert));
            Step("price_alerts_after", () => Show.Page("price_alerts_after", session.PriceAlerts(0, 10), Show.Of));

            // Watchlists: renamed, and changed by security id.
            long listId = session.CreateWatchlist("Markets tour").Id;
            Console.WriteLine("watchlist: " + Text(listId));
            Step("rename_watchlist", () => session.RenameWatchlist(listId, "Markets tour renamed"));
            Step("rename_empty", () => session.RenameWatchlist(listId, " "));
            Step("add_by_id", () => session.AddToWatchlistById(listId, underlying.Id));
            Step("add_other_by_id", () => session.AddToWatchlistById(listId, other.Id));
            Func<string> ours = () => Show.Of(session.Watchlists().First(w => w.Id == listId));
            Step("watchlist_after_add", ours);
            Step("remove_by_id", () => session.RemoveFromWatchlistById(listId, underlying.Id));
            Step("watchlist_after_remove", ours);
            Step("add_unknown_id", () => session.AddToWatchlistById(listId, 987654321));
            session.DeleteWatchlist(listId);

            // Text with a NUL character never reaches the broker.
            Throws("nul_underlying", () => session.OptionExpirations("AA\0PL"));

            session.Logout();
            Step("after_logout", () => Show.List("after_logout", session.OptionExpirations(Underlying), Show.Of));
            session.Dispose();
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
