// libetna C# example: place an order and learn of its fill from the data stream, not by asking
// the broker again and again. Log in, open the data stream, subscribe to the Order events of the
// first account, place a Market buy over REST, then read events until that order (known by its
// ClientId) is final. The events are typed values (StreamEvent with an Order): no JSON to parse.
//
// A reconnect can lose events (the stream then says so with a Gap state): the order is then read
// once over REST, which is what a program must do after any gap.
//
// This places a real order. So that nobody trades a real account by accident, it refuses to run
// unless ETNA_BASE_URL is on this machine (127.0.0.1, localhost: the simulator) or
// ETNA_PLACE_ORDERS=1 says you mean it.
//
//   ETNA_BASE_URL      default http://127.0.0.1:18080/api/ (the simulator: etna-sim --port 18080)
//   ETNA_APP_KEY       default sim-app-key
//   ETNA_USERNAME      default bob (the simulator's two-factor user)
//   ETNA_PASSWORD      default bob-pass
//   ETNA_PLACE_ORDERS  set to 1 to place the order at a broker that is not on this machine
//
// Build and run (after cargo build --release), from the repository root:
//   mcs -out:stream_fill.exe bindings/csharp/Etna.cs examples/csharp/Interactive.cs examples/csharp/StreamFill.cs
//   LD_LIBRARY_PATH=target/release mono stream_fill.exe
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using Etna;
using static Interactive;

public static class StreamFill
{
    private const string Symbol = "AAPL"; // what to buy
    private const int Shares = 5;         // how many shares

    private static string Money(double? value)
    {
        return value.HasValue ? value.Value.ToString("F2", CultureInfo.InvariantCulture) : "-";
    }

    private static string Quantity(double? value)
    {
        return value.HasValue ? value.Value.ToString(CultureInfo.InvariantCulture) : "-";
    }

    private static string StateName(StreamStateCode state)
    {
        return state.ToString().ToLowerInvariant(); // connected, reconnecting, gap, closed, ...
    }

    private static void PrintState(StreamState s)
    {
        Console.WriteLine("State: " + StateName(s.State) + (s.Reason.Length > 0 ? " (" + s.Reason + ")" : ""));
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
                FinishLogin(session, session.Login(EnvOr("ETNA_USERNAME", "bob"), EnvOr("ETNA_PASSWORD", "bob-pass")));
                Console.WriteLine("Logged in");

                IReadOnlyList<Account> accounts = session.Accounts();
                if (accounts.Count == 0)
                {
                    throw new InvalidOperationException("the user has no account");
                }
                long account = accounts[0].Id;
                Console.WriteLine("Account: " + account);

                // Subscribe first, so that no event of the order can come before the subscription.
                using (Etna.Stream events = session.OpenStream(StreamKind.Data))
                {
                    events.Subscribe("Order", account);
                    Console.WriteLine("Streaming: Order events of account " + account);
                    // The subscription reaches the streamer a moment after Subscribe returns: take what
                    // comes for a short while (the Connected state) before placing the order.
                    StreamEvent early;
                    while (events.TryNext(300, out early))
                    {
                        if (early.State != null)
                        {
                            PrintState(early.State);
                        }
                    }

                    // The ClientId tells this order's events from those of the account's other orders.
                    string clientId = "stream-fill-" + DateTime.UtcNow.Ticks.ToString(CultureInfo.InvariantCulture);
                    Order placed = session.PlaceOrder(account, "{\"Symbol\":\"" + Symbol + "\",\"Type\":\"Market\"," +
                                                      "\"Side\":\"Buy\",\"Quantity\":" + Shares +
                                                      ",\"TimeInForce\":\"Day\",\"ClientId\":\"" + clientId + "\"}");
                    Console.WriteLine("Placed: order {0} (ClientId {1})", placed.Id, clientId);

                    Order done = null;
                    string source = "from the stream";
                    // Events waits for events as they come; the token ends the wait after 30 s.
                    using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
                    {
                        foreach (StreamEvent e in events.Events(timeout.Token))
                        {
                            if (e.Order != null && e.Order.ClientId == clientId)
                            {
                                Console.WriteLine("Event: order {0} {1}, {2} of {3} filled", e.Order.Id,
                                                  e.Order.StatusText, Quantity(e.Order.ExecutedQuantity),
                                                  Quantity(e.Order.Quantity));
                                if (e.Order.IsFinal)
                                {
                                    done = e.Order;
                                    break;
                                }
                            }
                            else if (e.State != null)
                            {
                                PrintState(e.State);
                                if (e.State.State == StreamStateCode.Gap || e.State.EndsStream)
                                {
                                    // Events may have been lost: ask the broker once.
                                    Order now = session.Order(account, placed.Id);
                                    if (now.IsFinal || e.State.EndsStream)
                                    {
                                        done = now;
                                        source = "read over REST after the stream said " + StateName(e.State.State);
                                        break;
                                    }
                                }
                            }
                        }
                    }
                    if (done == null)
                    {
                        done = session.Order(account, placed.Id);
                        source = "read over REST: no final event within 30 s";
                    }
                    if (done.Status != OrderStatus.Filled)
                    {
                        throw new InvalidOperationException("the Market order did not fill: it is " + done.StatusText);
                    }
                    Console.WriteLine("Filled: order {0}, {1} {2} at {3} on average ({4})", done.Id,
                                      Quantity(done.ExecutedQuantity), done.Symbol, Money(done.AveragePrice), source);
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
