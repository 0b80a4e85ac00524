// A C# program as a user builds it against the Etna NuGet package, restored from a local folder
// feed (tests/install/consumers.rs): Consumer.csproj references Etna.dll from the package and
// imports its build/Etna.targets. Runs under Mono without LD_LIBRARY_PATH. Logs in as
// ETNA_USERNAME, places a market order for ETNA_QUANTITY shares of ETNA_SYMBOL on account
// ETNA_ACCOUNT, waits for its fill.
using System;
using System.Globalization;
using System.Reflection;

public static class Consumer
{
    static string Need(string name)
    {
        string v = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrEmpty(v))
        {
            Console.Error.WriteLine(name + " is not set");
            Environment.Exit(2);
        }
        return v;
    }

    public static int Main()
    {
        var assembly = typeof(Etna.Session).Assembly;
        var informational = (AssemblyInformationalVersionAttribute)Attribute.GetCustomAttribute(
            assembly, typeof(AssemblyInformationalVersionAttribute));
        Console.WriteLine("Etna.dll " + (informational == null ? "?" : informational.InformationalVersion)
                          + " from " + assembly.Location);
        try
        {
            long account = long.Parse(Need("ETNA_ACCOUNT"), CultureInfo.InvariantCulture);
            using (var session = new Etna.Session(Need("ETNA_BASE_URL"), Need("ETNA_APP_KEY")))
            {
                if (session.Login(Need("ETNA_USERNAME"), Need("ETNA_PASSWORD")) != Etna.AuthState.Authenticated)
                {
                    Console.Error.WriteLine("login wants a code or a PIN");
                    return 1;
                }
                Console.WriteLine("logged in as " + Need("ETNA_USERNAME"));
                long id = session.PlaceSimpleOrder(account, Need("ETNA_SYMBOL"), "Buy", "Market",
                                                   double.Parse(Need("ETNA_QUANTITY"), CultureInfo.InvariantCulture));
                Etna.Order o = session.WaitForOrder(account, id, TimeSpan.FromSeconds(20));
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "order {0}: {1} {2} at {3}",
                                                o.Id, o.StatusText, o.ExecutedQuantity, o.AveragePrice));
                session.Logout();
                Console.WriteLine("logged out");
            }
        }
        catch (Etna.EtnaException e)
        {
            Console.Error.WriteLine("failed: code " + (int)e.Code + ": " + e.Message);
            return 1;
        }
        return 0;
    }
}
