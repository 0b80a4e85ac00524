// libetna C# quickstart: log in (password, then a verification code or PIN when the broker asks
// for one), print the user and the accounts (typed values: no JSON to parse), log out.
//
//   ETNA_BASE_URL  default http://127.0.0.1:18080/api/ (the simulator: etna-sim --port 18080)
//   ETNA_APP_KEY   default sim-app-key
//   ETNA_USERNAME  default bob (the simulator's two-factor user)
//   ETNA_PASSWORD  default bob-pass
//   ETNA_LOG       set to anything to print libetna's log lines (debug and above) to stderr
//
// Build and run (after cargo build --release), from the repository root:
//   mcs -out:quickstart.exe bindings/csharp/Etna.cs examples/csharp/Interactive.cs examples/csharp/Quickstart.cs
//   LD_LIBRARY_PATH=target/release mono quickstart.exe
using System;
using Etna;
using static Interactive;

public static class Quickstart
{
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
            using (var session = new Session(EnvOr("ETNA_BASE_URL", "http://127.0.0.1:18080/api/"),
                                             EnvOr("ETNA_APP_KEY", "sim-app-key")))
            {
                Console.WriteLine("libetna " + Library.Version);
                if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ETNA_LOG")))
                {
                    Action<LogLevel, string> printLine =
                        (level, message) => Console.Error.WriteLine("[etna {0}] {1}", (int)level, message);
                    session.SetLogCallback(printLine, LogLevel.Debug);
                }

                AuthState state =
                    session.Login(EnvOr("ETNA_USERNAME", "bob"), EnvOr("ETNA_PASSWORD", "bob-pass"));
                FinishLogin(session, state);
                Console.WriteLine("Logged in; the token expires at {0} (Unix time)",
                                  session.TokenExpiresAt);

                User user = session.UserInfo();
                Console.WriteLine("User: {0} (id {1})", user.Login, user.Id);
                foreach (Account account in session.Accounts())
                {
                    Console.WriteLine("Account {0}: {1} ({2})", account.Id, account.Alias, account.MarginTypeText);
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
