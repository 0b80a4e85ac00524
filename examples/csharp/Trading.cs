// libetna C# trading example: log in, show the first account's balances, place a Limit buy far
// below the market, change its price, cancel it, buy a few shares at the market, wait for the
// fill, show the position, log out. Every answer is a typed value (Order, Balances, ...): no JSON
// to parse.
//
// This places real orders. So that nobody trades a real account by accident, it refuses to run
// unless ETNA_BASE_URL is on this machine (127.0.0.1, localhost: the simulator) or
// ETNA_PLACE_ORDERS=1 says you mean it.
//
//   ETNA_BASE_URL      default http://127.0.0.1:18080/api/ (the simulator: etna-sim --port 18080)
//   ETNA_APP_KEY       default sim-app-key
//   ETNA_USERNAME      default bob (the simulator's two-factor user)
//   ETNA_PASSWORD      default bob-pass
//   ETNA_PLACE_ORDERS  set to 1 to place orders at a broker that is not on this machine
//
// Build and run (after cargo build --release), from the repository root:
//   mcs -out:trading.exe bindings/csharp/Etna.cs examples/csharp/Interactive.cs examples/csharp/Trading.cs
//   LD_LIBRARY_PATH=target/release mono trading.exe
using System;
using System.Collections.Generic;
using System.Globalization;
using Etna;
using static Interactive;

public static class Trading
{
    private const string Symbol = "AAPL"; // what to trade
    private const double Shares = 5;      // how many shares the Market order buys

    // A price with two decimals; "-" when the broker sent none.
    private static string Money(double? value)
    {
        return value.HasValue ? value.Value.ToString("F2", CultureInfo.InvariantCulture) : "-";
    }

    private static string Quantity(double? value)
    {
        return value.HasValue ? value.Value.ToString(CultureInfo.InvariantCulture) : "-";
    }

    private static void PrintError(EtnaException e)
    {
        string line = string.Format("error: {0} (code {1}: {2})", e.Message, (int)e.Code,
                                    EtnaException.StatusText((int)e.Code));
        if (e.HttpStatus != 0)
        {
            line += string.Format(" [HTTP {0}]", e.HttpStatus);
        }
        if (e.ApiReason != null)
        {
            line += " broker says: " + e.ApiReason;
        }
        if (e.ClientId != null)
        {
            // Above all after OutcomeUnknown: look the order up before sending it again.
            line += " (order ClientId " + e.ClientId + ": see FindOrderByClientId)";
        }
        Console.Error.WriteLine(line);
    }

    public static int Main()
    {
        try
        {
            string baseUrl = EnvOr("ETNA_BASE_URL", "http://127.0.0.1:18080/api/");
            if (!IsLocal(baseUrl) && EnvOr("ETNA_PLACE_ORDERS", "") != "1")
            {
                Console.Error.WriteLine("refusing to place orders at " + baseUrl +
                                        ": it is not this machine. Set ETNA_PLACE_ORDERS=1 to trade on that account.");
                return 2;
            }
            using (var session = new Session(baseUrl, EnvOr("ETNA_APP_KEY", "sim-app-key")))
            {
                Console.WriteLine("libetna " + Library.Version);

                AuthState state =
                    session.Login(EnvOr("ETNA_USERNAME", "bob"), EnvOr("ETNA_PASSWORD", "bob-pass"));
                FinishLogin(session, state);
                Console.WriteLine("Logged in");

                IReadOnlyList<Account> accounts = session.Accounts();
                if (accounts.Count == 0)
                {
                    throw new InvalidOperationException("the user has no account");
                }
                long account = accounts[0].Id;
                Console.WriteLine("Account: " + account);
                Balances balances = session.AccountInfo(account);
                // The usual numbers are properties; any other the broker sends is read by its name.
                Console.WriteLine("Balances: cash {0}, stock buying power {1}, option buying power {2}",
                                  Money(balances.Cash), Money(balances.StockBuyingPower),
                                  Money(balances.Value("optionBuyingPower")));

                // A Limit buy far below the market stays open: change its price, then cancel it.
                long limitId = session.PlaceSimpleOrder(account, Symbol, "Buy", "Limit", 1, 1.00);
                Console.WriteLine("Limit order: " + limitId);
                // The broker may give the changed order a new id (the old one ends as Replaced).
                Order replaced = session.ReplaceOrder(account, limitId, "{\"Price\":1.05}");
                Console.WriteLine("Replaced: order {0} at {1}, {2}", replaced.Id, Money(replaced.Price),
                                  replaced.StatusText);
                session.CancelOrder(account, replaced.Id);
                Order canceled = session.Order(account, replaced.Id);
                Console.WriteLine("Canceled: order {0} is {1}", canceled.Id, canceled.StatusText);

                // A Market buy fills: wait for it, then look at the position it made.
                long marketId = session.PlaceSimpleOrder(account, Symbol, "Buy", "Market", Shares);
                Console.WriteLine("Market order: " + marketId);
                Order done = session.WaitForOrder(account, marketId, TimeSpan.FromSeconds(30));
                if (done.Status != OrderStatus.Filled)
                {
                    throw new InvalidOperationException("the Market order did not fill: it is " + done.StatusText);
                }
                Console.WriteLine("Order {0} is {1}: {2} at {3} on average", done.Id, done.StatusText,
                                  Quantity(done.ExecutedQuantity), Money(done.AveragePrice));
                foreach (Position position in session.Position(account, Symbol))
                {
                    Console.WriteLine("Position: {0} {1} at {2} on average", Quantity(position.Quantity),
                                      position.Symbol, Money(position.AverageOpenPrice));
                }

                session.Logout();
                Console.WriteLine("Logged out");
                return 0;
            }
        }
        catch (EtnaException e)
        {
            PrintError(e);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine("error: " + e.Message);
        }
        return 1;
    }
}
