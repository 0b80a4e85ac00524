// libetna C# price alerts example: the broker watches a price for you. Log in, read a ticker's
// last price from the quote stream, create an alert for when it rises 10 % above it, list the
// alerts, lower the alert to 5 %, pause it, delete it, and list the alerts again, printing the
// alert after each step. Every answer is a typed value (PriceAlert, Page<PriceAlert>): no JSON to
// parse.
//
//   ETNA_BASE_URL  default http://127.0.0.1:18080/api/ (the simulator: etna-sim --port 18080)
//   ETNA_APP_KEY   default sim-app-key
//   ETNA_USERNAME  default bob (the simulator's two-factor user)
//   ETNA_PASSWORD  default bob-pass
//   ETNA_SYMBOL    the ticker to watch, default AAPL
//
// Build and run (after cargo build --release), from the repository root:
//   mcs -out:price_alerts.exe bindings/csharp/Etna.cs examples/csharp/Interactive.cs examples/csharp/PriceAlerts.cs
//   LD_LIBRARY_PATH=target/release mono price_alerts.exe
using System;
using System.Collections.Generic;
using System.Globalization;
using Etna;
using static Interactive;

public static class PriceAlerts
{
    private static readonly DateTime Epoch = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static string Money(double? value)
    {
        return value.HasValue ? value.Value.ToString("F2", CultureInfo.InvariantCulture) : "-";
    }

    // alert 9001 on security 1: Last GTEQ 198.13 until 2026-12-30, New
    private static string Describe(PriceAlert a)
    {
        return string.Format(CultureInfo.InvariantCulture, "alert {0} on security {1}: {2} {3} {4} until {5}, {6}",
                             a.Id, a.SecurityId, a.Field, a.Operator, Money(a.Argument),
                             a.Expiration.HasValue ? a.Expiration.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "-",
                             a.StateText);
    }

    // The ticker's last price: the first quote with one on the quote stream.
    private static double LastPrice(Session session, string symbol)
    {
        using (Etna.Stream quotes = session.OpenStream(StreamKind.Quotes))
        {
            quotes.SubscribeQuotes(symbol);
            DateTime until = DateTime.UtcNow.AddSeconds(10);
            StreamEvent e;
            while (DateTime.UtcNow < until && quotes.TryNext(500, out e))
            {
                if (e.Quote != null && e.Quote.Last.HasValue)
                {
                    return e.Quote.Last.Value;
                }
            }
        }
        throw new InvalidOperationException("no quote of " + symbol + " within 10 s");
    }

    private static void PrintAlerts(Session session)
    {
        Page<PriceAlert> page = session.PriceAlerts(0, 100);
        Console.WriteLine("Alerts: " + page.TotalCount.ToString(CultureInfo.InvariantCulture));
        foreach (PriceAlert a in page.Items)
        {
            Console.WriteLine("  " + Describe(a));
        }
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
        Console.Error.WriteLine(line);
    }

    public static int Main()
    {
        try
        {
            string symbol = EnvOr("ETNA_SYMBOL", "AAPL");
            using (var session = new Session(EnvOr("ETNA_BASE_URL", "http://127.0.0.1:18080/api/"),
                                             EnvOr("ETNA_APP_KEY", "sim-app-key")))
            {
                Console.WriteLine("libetna " + Library.Version);
                FinishLogin(session, session.Login(EnvOr("ETNA_USERNAME", "bob"), EnvOr("ETNA_PASSWORD", "bob-pass")));
                Console.WriteLine("Logged in");

                // An alert names its security by id.
                Security security = session.Equity(symbol);
                double last = LastPrice(session, symbol);
                Console.WriteLine("{0}: security {1}, last {2}", symbol, security.Id, Money(last));

                // When the last price reaches 10 % above today's, within 30 days (ExpirationDate
                // in Unix seconds).
                long expires = (long)(DateTime.UtcNow.AddDays(30) - Epoch).TotalSeconds;
                string above = Money(Math.Round(last * 1.10, 2));
                PriceAlert alert = session.CreatePriceAlert(
                    "{\"SecurityId\":" + security.Id.ToString(CultureInfo.InvariantCulture) +
                    ",\"Field\":\"Last\",\"Operator\":\"GTEQ\",\"Argument\":" + above +
                    ",\"State\":\"New\",\"ExpirationDate\":" + expires.ToString(CultureInfo.InvariantCulture) + "}");
                Console.WriteLine("Created: " + Describe(alert));
                PrintAlerts(session);

                // Fields left out keep their values.
                string nearer = Money(Math.Round(last * 1.05, 2));
                alert = session.UpdatePriceAlert(alert.Id, "{\"Argument\":" + nearer + "}");
                Console.WriteLine("Changed: " + Describe(alert));
                alert = session.UpdatePriceAlert(alert.Id, "{\"State\":\"Stopped\"}");
                Console.WriteLine("Paused: " + Describe(alert));
                Console.WriteLine("Read back: " + Describe(session.PriceAlert(alert.Id)));

                session.DeletePriceAlert(alert.Id);
                Console.WriteLine("Deleted: alert " + alert.Id.ToString(CultureInfo.InvariantCulture));
                PrintAlerts(session);

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
