// What the C# examples share: settings from the environment, the guard that keeps the examples
// that place orders on this machine, and the login prompts (the broker's code or PIN from stdin).
// Compiled with each example (mcs ... examples/csharp/Interactive.cs Example.cs), which imports it
// with `using static Interactive;`; a program of your own would take what it needs.
using System;
using Etna;

internal static class Interactive
{
    internal static string EnvOr(string name, string fallback)
    {
        string value = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrEmpty(value) ? fallback : value;
    }

    // True when `url` names this machine, where orders cannot reach a real account.
    internal static bool IsLocal(string url)
    {
        Uri uri;
        if (!Uri.TryCreate(url, UriKind.Absolute, out uri) || uri.UserInfo.Length > 0)
        {
            return false;
        }
        string host = uri.Host.ToLowerInvariant();
        return host == "127.0.0.1" || host == "localhost" || host == "[::1]";
    }

    // Prints `prompt` and reads one line from stdin; throws at the end of input.
    internal static string Ask(string prompt)
    {
        Console.Write(prompt);
        Console.Out.Flush();
        string line = Console.ReadLine();
        if (line == null)
        {
            throw new InvalidOperationException("no input: login abandoned");
        }
        return line.TrimEnd('\r');
    }

    // Answers the broker's extra login steps until logged in; a wrong code or PIN is asked again.
    internal static void FinishLogin(Session session, AuthState state)
    {
        while (state == AuthState.VerificationRequired || state == AuthState.PinRequired)
        {
            try
            {
                state = state == AuthState.VerificationRequired
                    ? session.Verify(Ask("Enter the verification code: "))
                    : session.Pin(Ask("Enter your PIN: "));
            }
            catch (EtnaException e)
            {
                if (e.Code != StatusCode.InvalidVerificationCode && e.Code != StatusCode.InvalidPin)
                {
                    throw;
                }
                Console.Error.WriteLine(e.Message); // the user may try again
                state = session.State;
            }
        }
        if (state != AuthState.Authenticated)
        {
            throw new InvalidOperationException("login did not finish");
        }
    }
}
