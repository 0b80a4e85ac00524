// The session lifecycle and fault handling of Etna.cs against the simulator: the session setters,
// the auth callback, export and import, Cancel from another thread during WaitForOrder,
// FindOrderByClientId and EtnaException.ClientId. Prints one line per step for
// tests/bindings/csharp.rs to check (the same lines as tests/bindings/cpp/session_tour.cpp; the
// checks live in tests/bindings/support/session_checks.rs):
//
//   <step>: <field>=<value>|...|json=<JSON>                  a typed value (Records.cs)
//   <step>: count=<n>, then <step>[i]: <value>               a list
//   <step>: <JSON answer>                                    an exported session
//   <step>: ok                                               a call with no answer succeeded
//   <step>: <text>                                           a number, a list, "none"
//   <step>: error code=<n> http=<h> client=<id> reason=<r>   the call threw EtnaException
//                                                            (client "-" when it carries none)
//
// Log in with ETNA_BASE_URL, ETNA_APP_KEY, ETNA_USERNAME, ETNA_PASSWORD and, when asked, the
// verification code read from stdin (bob). ETNA_CA_FILE names a PEM file with a CA certificate.
// Exits 0 unless something other than EtnaException goes wrong.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using Etna;

public static class SessionTour
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
            Console.WriteLine("{0}: error code={1} http={2} client={3} reason={4}", name, (int)e.Code, e.HttpStatus,
                              e.ClientId ?? "-", e.ApiReason ?? "");
            return "";
        }
    }

    private static void Step(string name, Action call)
    {
        Step(name, () => { call(); return ""; });
    }

    // The order found by its ClientId, or "none".
    private static string Found(Order order)
    {
        return order == null ? "none" : Show.Of(order);
    }

    // The login states an auth callback saw, in order; callbacks may come from any thread.
    private sealed class States
    {
        private readonly List<int> seen = new List<int>();

        public void Add(AuthState state)
        {
            lock (seen)
            {
                seen.Add((int)state);
            }
        }

        public string Text()
        {
            lock (seen)
            {
                return seen.Count == 0 ? "none" : string.Join(",", seen);
            }
        }
    }

    private static long Millis(long fromTicks, long toTicks)
    {
        return (toTicks - fromTicks) * 1000 / Stopwatch.Frequency;
    }

    public static int Main()
    {
        try
        {
            string baseUrl = Env("ETNA_BASE_URL");
            string appKey = Env("ETNA_APP_KEY");

            // Log in (two-factor for bob), watched by an auth callback.
            var states = new States();
            var session = new Session(baseUrl, appKey);
            session.SetAuthCallback(states.Add);
            AuthState state = session.Login(Env("ETNA_USERNAME"), Env("ETNA_PASSWORD"));
            Console.WriteLine("login: " + (int)state);
            if (state == AuthState.VerificationRequired)
            {
                string code = Console.ReadLine();
                if (code == null)
                {
                    throw new InvalidOperationException("no verification code on stdin");
                }
                state = session.Verify(code);
                Console.WriteLine("verify: " + (int)state);
            }
            Console.WriteLine("auth_states: " + states.Text());

            // The setters, and what they refuse.
            Step("retry_policy", () => session.SetRetryPolicy(2, TimeSpan.FromMilliseconds(20),
                                                              TimeSpan.FromMilliseconds(200)));
            Step("bad_retry_policy", () => session.SetRetryPolicy(0, TimeSpan.FromMilliseconds(20),
                                                                  TimeSpan.FromMilliseconds(200)));
            Step("max_response_bytes", () => session.SetMaxResponseBytes(1 << 20));
            Step("bad_max_response_bytes", () => session.SetMaxResponseBytes(0));
            Step("auto_relogin", () => session.SetAutoRelogin(true));
            Step("ca_file_missing", () => session.SetCaFile("/no/such/dir/etna-ca.pem"));
            Step("ca_file", () => session.SetCaFile(Env("ETNA_CA_FILE")));
            Step("bad_proxy", () => session.SetProxy("::not a proxy::"));
            Step("bad_log_level", () =>
            {
                try
                {
                    session.SetLogCallback((level, message) => { }, (LogLevel)0);
                }
                catch (EtnaException e)
                {
                    Console.WriteLine("bad_log_level_message: " + e.Message); // libetna's own words
                    throw;
                }
            });
            Step("dead_proxy", () => session.SetProxy("http://127.0.0.1:9"));
            Step("via_dead_proxy", () => Show.List("via_dead_proxy", session.Accounts(), Show.Of));
            Step("proxy_from_environment", () => session.SetProxy(null));
            long account = -1;
            Step("accounts", () =>
            {
                IReadOnlyList<Account> accounts = session.Accounts();
                account = accounts[0].Id;
                return Show.List("accounts", accounts, Show.Of);
            });

            // Export, import into a new session: no new /token call (the simulator's log tells).
            string exported = Step("export", () => session.ExportSession());
            var importedStates = new States();
            var imported = new Session(baseUrl, appKey);
            imported.SetAuthCallback(importedStates.Add);
            Step("import", () => imported.ImportSession(exported));
            Console.WriteLine("imported_state: " + (int)imported.State);
            Console.WriteLine("imported_auth_states: " + importedStates.Text());
            Step("imported_user_info", () => Show.Of(imported.UserInfo()));

            // Edited text is refused; a session never logged in has nothing to export. Its
            // exceptions carry a ClientId only for an order; a throwing auth callback harms nothing.
            var other = new Session(baseUrl, appKey);
            other.SetAuthCallback(s => { throw new InvalidOperationException("listener failed"); });
            Step("export_logged_out", () => other.ExportSession());
            string userField = "\"Username\":\"" + Env("ETNA_USERNAME") + "\"";
            if (exported.IndexOf(userField, StringComparison.Ordinal) < 0)
            {
                throw new InvalidOperationException("no " + userField + " in the exported text");
            }
            string tampered = exported.Replace(userField, "\"Username\":\"mallory\"");
            Step("tampered", () => other.ImportSession(tampered));
            Step("malformed", () => other.ImportSession("{not json"));
            Console.WriteLine("tampered_state: " + (int)other.State);
            Step("unsent_order", () => Show.Of(other.PlaceOrder(
                account, "{\"Symbol\":\"AAPL\",\"Type\":\"Limit\",\"Side\":\"Buy\",\"Quantity\":1,\"Price\":1.0," +
                         "\"TimeInForce\":\"Day\",\"ClientId\":\"session-tour-unsent\"}")));
            Step("no_client_id", () => Show.List("no_client_id", other.Accounts(), Show.Of));
            Step("throwing_callback_import", () => other.ImportSession(exported));

            // A resting order: waiting for it is interrupted by Cancel from another thread.
            long orderId = -1;
            Step("placed", () =>
            {
                Order placed = session.PlaceOrder(
                    account, "{\"Symbol\":\"AAPL\",\"Type\":\"Limit\",\"Side\":\"Buy\",\"Quantity\":1,\"Price\":1.0," +
                             "\"TimeInForce\":\"Day\",\"ClientId\":\"session-tour-wait\"}");
                orderId = placed.Id;
                return Show.Of(placed);
            });
            Step("wait_open", () => Show.Of(session.WaitForOrder(account, orderId, TimeSpan.FromMilliseconds(50))));
            long cancelledAt = 0;
            var canceller = new Thread(() =>
            {
                Thread.Sleep(300);
                cancelledAt = Stopwatch.GetTimestamp();
                session.Cancel();
            });
            canceller.Start();
            long waitStarted = Stopwatch.GetTimestamp();
            Step("cancelled_wait", () => Show.Of(session.WaitForOrder(account, orderId, TimeSpan.FromSeconds(20))));
            long waitEnded = Stopwatch.GetTimestamp();
            canceller.Join();
            Console.WriteLine("cancel_latency_ms: " + Millis(cancelledAt, waitEnded));
            Console.WriteLine("wait_ms: " + Millis(waitStarted, waitEnded));
            Step("after_cancel", () => Show.Of(session.Order(account, orderId)));

            // Found by its ClientId; an unknown one is null.
            Step("found", () => Found(session.FindOrderByClientId(account, "session-tour-wait")));
            Step("find_unknown", () => Found(session.FindOrderByClientId(account, "session-tour-no-such-order")));
            Step("find_bad", () => Found(session.FindOrderByClientId(account, "it's")));

            Step("cancel_order", () => session.CancelOrder(account, orderId));
            Step("final", () => Show.Of(session.WaitForOrder(account, orderId, TimeSpan.FromSeconds(20))));

            // Logging out ends the token the imported session shares.
            Step("logout", () => session.Logout());
            Console.WriteLine("auth_states_end: " + states.Text());
            Step("imported_after_logout", () => Show.Of(imported.UserInfo()));

            // null removes the callback (libetna frees its GCHandle).
            Step("auth_callback_off", () => imported.SetAuthCallback(null));

            imported.Dispose();
            try
            {
                imported.Cancel();
                Console.WriteLine("disposed_cancel: no exception");
            }
            catch (ObjectDisposedException)
            {
                Console.WriteLine("disposed_cancel: ObjectDisposedException");
            }
            other.Dispose();
            session.Dispose();
            Console.WriteLine("done");
            return 0;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine("session tour failed: " + e);
            return 1;
        }
    }
}
