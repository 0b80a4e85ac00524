// The streams of Etna.cs against the simulator: a quote stream (typed quotes, counters, timing,
// errors, Events ended by a CancellationToken, a reader waiting in Events on another thread woken
// by Close, a disposed Stream) and a data stream (an order's events to its fill, its position, the
// account's and the user's balances, watchlist events, the end of a closed stream). Prints one
// line per step for tests/bindings/csharp.rs to check, in the format of the trading tour
// (Records.cs); the same lines as tests/bindings/cpp/stream_tour.cpp, checked by
// tests/bindings/support/stream_checks.rs.
//
// Log in with ETNA_BASE_URL, ETNA_APP_KEY, ETNA_USERNAME, ETNA_PASSWORD (a user without a second
// step, e.g. alice). Exits 0 unless something other than EtnaException goes wrong.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using Etna;

public static class StreamTour
{
    private static string Env(string name)
    {
        string value = Environment.GetEnvironmentVariable(name);
        if (value == null)
        {
            throw new InvalidOperationException(name + " is not set");
        }
        return value;
    }

    // Runs `call` and prints its answer ("ok" when empty), or the EtnaException it threw.
    private static void Step(string name, Func<string> call)
    {
        try
        {
            string answer = call();
            Console.WriteLine("{0}: {1}", name, string.IsNullOrEmpty(answer) ? "ok" : answer);
        }
        catch (EtnaException e)
        {
            Console.WriteLine("{0}: error code={1} http={2} reason={3}", name, (int)e.Code, e.HttpStatus,
                              e.ApiReason ?? "");
        }
    }

    private static void Step(string name, Action call)
    {
        Step(name, () => { call(); return ""; });
    }

    // Prints what `call` throws when it is not an EtnaException, e.g. "disposed: ObjectDisposedException".
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

    // Hands events to `done` until it says so (true) or `limitMs` passes (false).
    private static bool ReadUntil(Etna.Stream stream, int limitMs, Func<StreamEvent, bool> done)
    {
        Stopwatch clock = Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < limitMs)
        {
            StreamEvent e;
            if (stream.TryNext(100, out e) && done(e))
            {
                return true;
            }
        }
        return false;
    }

    // Takes events until none comes for 300 ms: a subscription reaches the streamer a moment after
    // Subscribe returns, and this is that moment.
    private static void Settle(Etna.Stream stream)
    {
        StreamEvent e;
        for (int i = 0; i < 30 && stream.TryNext(300, out e); i++)
        {
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
            User user = session.UserInfo();
            long account = session.Accounts()[0].Id;
            var kinds = new SortedDictionary<string, int>(StringComparer.Ordinal); // each sort of event's kind

            // ---- The quote stream ----
            Etna.Stream quotes = session.OpenStream(StreamKind.Quotes);
            StreamEvent first;
            if (!quotes.TryNext(10000, out first) || first.State == null)
            {
                throw new InvalidOperationException("a stream's first event is its state");
            }
            kinds["stream_state"] = (int)first.Kind;
            Console.WriteLine("connected: " + Show.Of(first.State));
            Step("subscribe_quotes", () => quotes.SubscribeQuotes("AAPL", "MSFT"));
            Step("unknown_ticker", () => quotes.SubscribeQuotes("NOSUCHTICKER"));
            Step("wrong_stream", () => quotes.Subscribe("Order", account));
            Step("bad_entity", () => quotes.Subscribe("Teleport", "1"));
            Throws("nul_keys", () => quotes.Subscribe("Quote", "1\0;2"));

            var bySymbol = new Dictionary<string, Quote>();
            ReadUntil(quotes, 10000, e =>
            {
                if (e.Quote != null)
                {
                    kinds["quote"] = (int)e.Kind;
                    if (!bySymbol.ContainsKey(e.Quote.Symbol))
                    {
                        bySymbol[e.Quote.Symbol] = e.Quote;
                    }
                }
                return bySymbol.Count >= 2;
            });
            foreach (string symbol in new[] { "AAPL", "MSFT" })
            {
                Console.WriteLine("quote_" + symbol + ": " + (bySymbol.ContainsKey(symbol) ? Show.Of(bySymbol[symbol]) : "none"));
            }
            Step("quote_stats", () => Show.Of(quotes.Stats()));
            Step("set_timing", () => quotes.SetTiming(TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(250),
                                                      TimeSpan.FromSeconds(30)));
            Step("bad_timing", () => quotes.SetTiming(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(250),
                                                      TimeSpan.FromSeconds(30)));
            Step("unsubscribe", () => quotes.Unsubscribe(
                "Quote", string.Join(";", bySymbol.Values.Select(q => q.SecurityId.ToString(CultureInfo.InvariantCulture)))));
            // With nothing subscribed, a wait runs out: TryNext is false.
            Step("quiet", () =>
            {
                StreamEvent e;
                for (int i = 0; i < 20; i++)
                {
                    if (!quotes.TryNext(300, out e))
                    {
                        return e == null ? "none" : "an event with false";
                    }
                }
                return "events go on";
            });
            Throws("negative_timeout", () => { StreamEvent e; quotes.TryNext(-2, out e); });

            // Events with a CancellationToken: cancelled, the enumeration ends without an exception,
            // and the stream stays open.
            using (Etna.Stream more = session.OpenStream(StreamKind.Quotes))
            {
                more.SubscribeQuotes("AAPL");
                int events = 0;
                Stopwatch clock = Stopwatch.StartNew();
                using (var cancel = new CancellationTokenSource(700))
                {
                    foreach (StreamEvent e in more.Events(cancel.Token))
                    {
                        events++;
                    }
                }
                long endedMs = clock.ElapsedMilliseconds;
                StreamEvent after;
                bool open = more.TryNext(5000, out after);
                Console.WriteLine("events_cancelled: events={0}|ended_ms={1}|still_open={2}", events, endedMs,
                                  open ? 1 : 0);
            }

            // A reader waits in Events on another thread, until Close here wakes it: the enumeration
            // ends after the Closed state, and reading on throws Cancelled.
            {
                int lastState = -1;
                int code = 0;
                long endedAt = 0;
                Stopwatch clock = Stopwatch.StartNew();
                var reader = new Thread(() =>
                {
                    foreach (StreamEvent e in quotes.Events())
                    {
                        if (e.State != null)
                        {
                            lastState = (int)e.State.State;
                        }
                    }
                    endedAt = clock.ElapsedMilliseconds;
                    try
                    {
                        StreamEvent e;
                        quotes.TryNext(0, out e);
                    }
                    catch (EtnaException e)
                    {
                        code = (int)e.Code;
                    }
                });
                reader.Start();
                Thread.Sleep(300);
                long closedAt = clock.ElapsedMilliseconds;
                quotes.Close();
                quotes.Close(); // again: nothing happens
                reader.Join();
                Console.WriteLine("blocked_next: last_state={0}|code={1}|woken_ms={2}", lastState, code,
                                  endedAt - closedAt);
            }
            Step("after_close_next", () => { StreamEvent e; return quotes.TryNext(0, out e) ? "event" : "none"; });
            Step("after_close_subscribe", () => quotes.Subscribe("Quote", "1"));
            quotes.Dispose();
            quotes.Dispose(); // again: nothing happens
            Throws("disposed", () => { StreamEvent e; quotes.TryNext(0, out e); });
            Throws("close_after_dispose", () => quotes.Close());

            // ---- The data stream ----
            using (var data = new Etna.Stream(session, StreamKind.Data))
            {
                StreamEvent connected;
                if (!data.TryNext(10000, out connected) || connected.State == null)
                {
                    throw new InvalidOperationException("a stream's first event is its state");
                }
                Step("data_subscribe", () =>
                {
                    data.Subscribe("Order", account);
                    data.Subscribe("Position", account);
                    data.Subscribe("AccountBalance", account);
                    data.Subscribe("UserBalance", user.Id);
                    data.Subscribe("Watchlist", user.Id);
                });
                Step("data_wrong_stream", () => data.Subscribe("Quote", "1"));
                Settle(data);

                Order placed = session.PlaceOrder(
                    account, "{\"Symbol\":\"AAPL\",\"Type\":\"Market\",\"Side\":\"Buy\",\"Quantity\":5,\"ClientId\":\"stream-tour\"}");
                Console.WriteLine("placed: " + placed.Id.ToString(CultureInfo.InvariantCulture));
                var orderEvents = new List<Order>();
                Position position = null;
                Balances balances = null;
                Balances userBalance = null;
                ReadUntil(data, 30000, e =>
                {
                    if (e.Order != null)
                    {
                        kinds["order"] = (int)e.Kind;
                        if (e.Order.ClientId == "stream-tour")
                        {
                            orderEvents.Add(e.Order);
                        }
                    }
                    else if (e.Position != null)
                    {
                        kinds["position"] = (int)e.Kind;
                        position = position ?? e.Position;
                    }
                    else if (e.Balances != null && e.Kind == EventKind.UserBalance)
                    {
                        kinds["user_balance"] = (int)e.Kind;
                        userBalance = userBalance ?? e.Balances;
                    }
                    else if (e.Balances != null)
                    {
                        kinds["balances"] = (int)e.Kind;
                        balances = balances ?? e.Balances;
                    }
                    return orderEvents.Count > 0 && orderEvents[orderEvents.Count - 1].IsFinal && position != null &&
                           balances != null && userBalance != null;
                });
                Console.WriteLine("order_events: " + Show.List("order_events", orderEvents, Show.Of));
                Console.WriteLine("position_event: " + (position != null ? Show.Of(position) : "none"));
                Console.WriteLine("balances_event: " + (balances != null ? Show.Of(balances) : "none"));
                GC.Collect(); // the Balances keeps its result alive: Value still works
                GC.WaitForPendingFinalizers();
                Step("balances_event_cash", () => balances != null && balances.Value("cash").HasValue
                                                  ? Show.Number(balances.Value("cash")) : "none");
                Console.WriteLine("user_balance_event: " + (userBalance != null ? Show.Of(userBalance) : "none"));

                Watchlist list = session.CreateWatchlist("Stream list");
                Watchlist created = null;
                ReadUntil(data, 10000, e =>
                {
                    if (e.Watchlist != null && e.Watchlist.Id == list.Id)
                    {
                        kinds["watchlist"] = (int)e.Kind;
                        created = e.Watchlist;
                    }
                    return created != null;
                });
                Console.WriteLine("watchlist_event: " + (created != null ? Show.Of(created) : "none"));
                data.Subscribe("WatchlistContent", list.Id);
                Settle(data);
                session.AddToWatchlist(list.Id, "AAPL");
                WatchlistContent content = null;
                ReadUntil(data, 10000, e =>
                {
                    if (e.WatchlistContent != null)
                    {
                        kinds["watchlist_content"] = (int)e.Kind;
                        content = e.WatchlistContent;
                    }
                    return content != null;
                });
                Console.WriteLine("watchlist_content_event: " + (content != null ? Show.Of(content) : "none"));
                session.DeleteWatchlist(list.Id);

                var seen = new Record();
                foreach (KeyValuePair<string, int> k in kinds)
                {
                    seen.Id(k.Key, k.Value);
                }
                Console.WriteLine("kinds: " + seen);
                Step("data_stats", () => Show.Of(data.Stats()));

                // Closed, the stream hands out what it still holds, ending with its Closed state.
                data.Close();
                Step("data_end", () =>
                {
                    StreamEvent last = null;
                    foreach (StreamEvent e in data.Events())
                    {
                        last = e;
                    }
                    return last != null && last.EndsStream ? Show.Of(last.State) : "no end";
                });
                Step("data_after_end", () => { StreamEvent e; return data.TryNext(-1, out e) ? "event" : "none"; });
            }

            session.Logout();
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
