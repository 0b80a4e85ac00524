// libetna for C#: a P/Invoke binding of the C ABI in include/etna.h.
//
// Works on Mono, .NET Framework and .NET (C# 6): strings cross as NUL-terminated UTF-8 that this
// file encodes and decodes itself, so nothing relies on UnmanagedType.LPUTF8Str. The native
// library is found as "etna" (libetna.so on Linux: put its directory on LD_LIBRARY_PATH).
//
//   using (var session = new Etna.Session("https://pub-api-et-demo-prod.etnasoft.us/api/", appKey))
//   {
//       if (session.Login(user, password) == Etna.AuthState.VerificationRequired)
//           session.Verify(codeFromTheUser);
//       Console.WriteLine(session.UserInfo());
//       long id = session.PlaceSimpleOrder(accountId, "AAPL", "Buy", "Market", 10);
//       Console.WriteLine(session.WaitForOrder(accountId, id, TimeSpan.FromSeconds(30)));
//       session.Logout();
//   }
//
// Every call that can fail throws EtnaException. A Session may be used from several threads;
// Cancel, from any of them, stops the calls in flight.
//
// Compile this file with your program (mcs -out:app.exe bindings/csharp/Etna.cs App.cs). Its
// [DllImport] declarations and enums are checked against etna.h by tests/bindings/header.rs.
using System;
using System.Runtime.InteropServices;
using System.Text;

namespace Etna
{
    /// <summary>Where a login stands (ETNA_AUTH_*).</summary>
    public enum AuthState
    {
        None = 0,
        VerificationRequired = 1,
        PinRequired = 2,
        Authenticated = 3,
    }

    /// <summary>The status codes of etna.h (ETNA_OK, ETNA_ERR_*). Numbers are stable.</summary>
    public enum StatusCode
    {
        Ok = 0,
        NullArgument = 1,
        InvalidUtf8 = 2,
        InvalidArgument = 3,
        InvalidState = 4,
        Network = 10,
        Timeout = 11,
        Tls = 12,
        Cancelled = 13,
        InvalidAppKey = 20,
        InvalidCredentials = 21,
        InvalidVerificationCode = 22,
        InvalidPin = 23,
        PasswordExpired = 24,
        PinNotSet = 25,
        NotAuthenticated = 26,
        Http = 30,
        RateLimited = 31,
        Protocol = 32,
        OutcomeUnknown = 33,
        Rejected = 34,
        NotFound = 35,
        Panic = 99,
    }

    /// <summary>Severity of a log line (ETNA_LOG_*), most severe first.</summary>
    public enum LogLevel
    {
        Error = 1,
        Warn = 2,
        Info = 3,
        Debug = 4,
        Trace = 5,
    }

    /// <summary>Owns an EtnaSession*; releasing it calls etna_session_free.</summary>
    public sealed class SessionHandle : SafeHandle
    {
        /// <summary>An empty handle; the marshaller fills it from etna_session_new.</summary>
        public SessionHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        protected override bool ReleaseHandle()
        {
            Native.etna_session_free(handle);
            return true;
        }
    }

    /// <summary>Why a call failed: code, message, and the broker's answer when there was one.</summary>
    public sealed class EtnaException : Exception
    {
        /// <summary>One of the ETNA_ERR_* codes.</summary>
        public StatusCode Code { get; private set; }
        /// <summary>HTTP status of the broker's answer; 0 when there was no answer.</summary>
        public int HttpStatus { get; private set; }
        /// <summary>The broker's own words; null when it gave none.</summary>
        public string ApiReason { get; private set; }
        /// <summary>The broker's raw answer (tokens redacted); null when there was none.</summary>
        public string Body { get; private set; }
        /// <summary>For RateLimited: how long the broker asked to wait (ms); 0 when it did not say.</summary>
        public ulong RetryAfterMs { get; private set; }
        /// <summary>For errors of order placement: the order's ClientId, the key for
        /// Session.FindOrderByClientId (above all after OutcomeUnknown, before sending the order
        /// again); null for other errors.</summary>
        public string ClientId { get; private set; }

        /// <summary>Takes the EtnaError* `err` (may be zero) and frees it.</summary>
        internal EtnaException(int status, IntPtr err)
            : base(err != IntPtr.Zero ? Utf8.Read(Native.etna_error_message(err)) : StatusText(status))
        {
            try
            {
                Code = (StatusCode)(err != IntPtr.Zero ? Native.etna_error_code(err) : status);
                HttpStatus = Native.etna_error_http_status(err);
                ApiReason = Utf8.Read(Native.etna_error_api_reason(err));
                Body = Utf8.Read(Native.etna_error_body(err));
                RetryAfterMs = Native.etna_error_retry_after_ms(err);
                ClientId = Utf8.Read(Native.etna_error_client_id(err));
            }
            finally
            {
                Native.etna_error_free(err);
            }
        }

        /// <summary>A static description of any status code.</summary>
        public static string StatusText(int status)
        {
            return Utf8.Read(Native.etna_status_str(status));
        }

        /// <summary>Throws unless `status` is ETNA_OK, taking and freeing `err`.</summary>
        internal static void Check(int status, IntPtr err)
        {
            if (status != (int)StatusCode.Ok)
            {
                throw new EtnaException(status, err);
            }
        }
    }

    /// <summary>A successful (2xx) answer.</summary>
    public sealed class Response
    {
        public int Status { get; private set; }
        /// <summary>UTF-8 JSON text, decoded; "" for 204.</summary>
        public string Body { get; private set; }

        internal Response(int status, string body)
        {
            Status = status;
            Body = body;
        }
    }

    /// <summary>A connection to one broker for one user. Dispose frees it without logging out
    /// (call Logout first).</summary>
    public sealed class Session : IDisposable
    {
        private readonly SessionHandle handle;

        /// <summary>A session for the broker at `baseUrl` with application key `appKey`; no request
        /// is made. Throws EtnaException (InvalidArgument for a bad URL or key).</summary>
        public Session(string baseUrl, string appKey)
        {
            IntPtr err;
            int status = Native.etna_session_new(Utf8.Arg(baseUrl, "baseUrl"), Utf8.Arg(appKey, "appKey"),
                                                 out handle, out err);
            EtnaException.Check(status, err);
        }

        /// <summary>Step one of a login: Authenticated, or the step the broker wants next
        /// (VerificationRequired: call Verify; PinRequired: call Pin).</summary>
        public AuthState Login(string username, string password)
        {
            int state;
            IntPtr err;
            int status = Native.etna_login(handle, Utf8.Arg(username, "username"),
                                           Utf8.Arg(password, "password"), out state, out err);
            EtnaException.Check(status, err);
            return (AuthState)state;
        }

        /// <summary>The two-factor code the broker sent. InvalidVerificationCode leaves the
        /// session waiting for a code while the broker allows (see State).</summary>
        public AuthState Verify(string code)
        {
            int state;
            IntPtr err;
            int status = Native.etna_login_verify(handle, Utf8.Arg(code, "code"), out state, out err);
            EtnaException.Check(status, err);
            return (AuthState)state;
        }

        /// <summary>The account's security PIN. InvalidPin leaves the session waiting for a PIN
        /// while the broker allows (see State).</summary>
        public AuthState Pin(string pin)
        {
            int state;
            IntPtr err;
            int status = Native.etna_login_pin(handle, Utf8.Arg(pin, "pin"), out state, out err);
            EtnaException.Check(status, err);
            return (AuthState)state;
        }

        /// <summary>Revokes the token. The session is logged out even when this throws, which then
        /// says only that the broker was not told.</summary>
        public void Logout()
        {
            IntPtr err;
            int status = Native.etna_logout(handle, out err);
            EtnaException.Check(status, err);
        }

        /// <summary>Where the login stands.</summary>
        public AuthState State
        {
            get { return (AuthState)Native.etna_session_auth_state(handle); }
        }

        /// <summary>When the token expires, in Unix seconds; 0 when not logged in.</summary>
        public long TokenExpiresAt
        {
            get { return Native.etna_session_token_expires_at(handle); }
        }

        /// <summary>Limits for connecting and for a whole request (each 1 ms to 600 s).</summary>
        public void SetTimeouts(TimeSpan connect, TimeSpan request)
        {
            IntPtr err;
            int status = Native.etna_session_set_timeouts(handle, Millis(connect, "connect"),
                                                          Millis(request, "request"), out err);
            EtnaException.Check(status, err);
        }

        /// <summary>How GETs are retried (POST, PUT and DELETE never are): `maxAttempts` in all (1
        /// to 10; 1 = never retry; default 3), pauses growing from `baseDelay` to at most
        /// `maxDelay` (at most 60 s) with jitter, never shorter than the broker's Retry-After; all
        /// attempts stay within the request timeout. InvalidArgument when out of range.</summary>
        public void SetRetryPolicy(int maxAttempts, TimeSpan baseDelay, TimeSpan maxDelay)
        {
            if (maxAttempts < 0)
            {
                throw new ArgumentOutOfRangeException("maxAttempts");
            }
            IntPtr err;
            int status = Native.etna_session_set_retry_policy(handle, (uint)maxAttempts, Millis(baseDelay, "baseDelay"),
                                                              Millis(maxDelay, "maxDelay"), out err);
            EtnaException.Check(status, err);
        }

        /// <summary>The largest answer body accepted (default 64 MiB, at least 1); a larger one
        /// throws Protocol. InvalidArgument for 0.</summary>
        public void SetMaxResponseBytes(long maxBytes)
        {
            if (maxBytes < 0)
            {
                throw new ArgumentOutOfRangeException("maxBytes");
            }
            IntPtr err;
            int status = Native.etna_session_set_max_response_bytes(handle, (ulong)maxBytes, out err);
            EtnaException.Check(status, err);
        }

        /// <summary>Auto re-login (off by default): when on, the session keeps the user name and
        /// password of the next successful login (zeroed on logout, when turned off, or when the
        /// session is freed) and logs in again, once, when the token expires or is refused; a GET
        /// that failed for it is repeated. When logging in again needs a code or PIN, the call
        /// throws NotAuthenticated and the auth callback is told (see SetAuthCallback).</summary>
        public void SetAutoRelogin(bool enabled)
        {
            IntPtr err;
            int status = Native.etna_session_set_auto_relogin(handle, enabled ? 1 : 0, out err);
            EtnaException.Check(status, err);
        }

        /// <summary>Trusts the CA certificates in the PEM file at `pemPath` as well as the built-in
        /// roots (a private broker, a corporate TLS proxy). Verification cannot be turned off.
        /// InvalidArgument for a missing or unreadable file, or one with no certificate.</summary>
        public void SetCaFile(string pemPath)
        {
            IntPtr err;
            int status = Native.etna_session_set_ca_file(handle, Utf8.Arg(pemPath, "pemPath"), out err);
            EtnaException.Check(status, err);
        }

        /// <summary>Sends requests through the proxy at `url`, e.g. "http://proxy.example:3128";
        /// null (the default) means the environment's HTTPS_PROXY / HTTP_PROXY / ALL_PROXY with
        /// NO_PROXY. InvalidArgument for a URL that is not an HTTP proxy URL (SOCKS is not
        /// supported).</summary>
        public void SetProxy(string url)
        {
            IntPtr err;
            int status = Native.etna_session_set_proxy(handle, url == null ? null : Utf8.Arg(url, "url"), out err);
            EtnaException.Check(status, err);
        }

        /// <summary>Interrupts the calls in flight on this session, from any thread: each throws
        /// Cancelled promptly (a request, its retries, WaitForOrder). The session stays usable;
        /// calls that start afterwards run normally.</summary>
        public void Cancel()
        {
            Check(Native.etna_session_cancel(handle));
        }

        /// <summary>The logged-in session as sealed text for ImportSession in another Session or
        /// process, so a restart needs no new two-factor login. It holds the token (never the
        /// password or app key): keep it like a password. InvalidState when not logged in.</summary>
        public string ExportSession()
        {
            return TakeJson((out IntPtr json, out IntPtr err) => Native.etna_session_export(handle, out json, out err));
        }

        /// <summary>Restores a session from ExportSession text without a /token call; State becomes
        /// Authenticated. InvalidArgument for malformed or edited text or text for another base URL
        /// or app key; NotAuthenticated when its token has expired.</summary>
        public void ImportSession(string text)
        {
            IntPtr err;
            int status = Native.etna_session_import(handle, Utf8.Arg(text, "text"), out err);
            EtnaException.Check(status, err);
        }

        /// <summary>Calls any endpoint: `method` "GET", "POST", "PUT", "DELETE" or "PATCH"; `path`
        /// relative to the base URL with its query already encoded; `jsonBody` null or JSON text.
        /// Throws EtnaException for anything but a 2xx answer (Http carries status, reason, body).</summary>
        public Response Request(string method, string path, string jsonBody)
        {
            byte[] json = jsonBody == null ? null : Utf8.Arg(jsonBody, "jsonBody");
            ushort httpStatus;
            IntPtr body;
            IntPtr err;
            int status = Native.etna_request(handle, Utf8.Arg(method, "method"), Utf8.Arg(path, "path"),
                                             json, out httpStatus, out body, out err);
            EtnaException.Check(status, err);
            try
            {
                return new Response(httpStatus, Utf8.Read(body) ?? "");
            }
            finally
            {
                Native.etna_string_free(body);
            }
        }

        /// <summary>Request("GET", path, null).</summary>
        public Response Get(string path)
        {
            return Request("GET", path, null);
        }

        /// <summary>Sends log lines of `minLevel` and above to `callback` (null turns logging off),
        /// replacing any earlier one. It runs on the thread making the call being logged, several
        /// at once if the session is shared; whatever it throws is swallowed. Throws
        /// EtnaException (InvalidArgument for a level outside Error..Trace).</summary>
        public void SetLogCallback(Action<LogLevel, string> callback, LogLevel minLevel)
        {
            IntPtr err;
            if (callback == null)
            {
                int off = Native.etna_session_set_log_callback(handle, null, IntPtr.Zero, null,
                                                               (int)LogLevel.Error, out err);
                EtnaException.Check(off, err);
                return;
            }
            GCHandle data = GCHandle.Alloc(callback);
            int status = Native.etna_session_set_log_callback(handle, Trampoline, GCHandle.ToIntPtr(data),
                                                              FreeData, (int)minLevel, out err);
            if (status != (int)StatusCode.Ok)
            {
                data.Free(); // on failure libetna took nothing
                EtnaException.Check(status, err);
            }
        }

        /// <summary>Calls `callback` with the new state on every change of the login state: each
        /// login step, Logout, ImportSession, and when auto re-login finds the broker wants a code
        /// or PIN (a person must then call Verify or Pin). Replaces any earlier callback; null
        /// removes it. It runs on the thread whose call made the change; whatever it throws is
        /// swallowed.</summary>
        public void SetAuthCallback(Action<AuthState> callback)
        {
            IntPtr err;
            if (callback == null)
            {
                int off = Native.etna_session_set_auth_callback(handle, null, IntPtr.Zero, null, out err);
                EtnaException.Check(off, err);
                return;
            }
            GCHandle data = GCHandle.Alloc(callback);
            int status = Native.etna_session_set_auth_callback(handle, AuthTrampoline, GCHandle.ToIntPtr(data),
                                                               FreeData, out err);
            if (status != (int)StatusCode.Ok)
            {
                data.Free(); // on failure libetna took nothing
                EtnaException.Check(status, err);
            }
        }

        // The trading API. Each method is one C function of etna.h: it throws EtnaException as
        // Request does, and JSON answers come back as the broker's text (parse it with any JSON
        // library). Paging: pageNumber from 0, pageSize 1 to 100 (1 to 99 for positions, the
        // broker's limit); follow NextPageLink for more. Orders are checked before anything
        // is sent: a bad one throws InvalidArgument and reaches no broker.

        /// <summary>The logged-in user: UserInfoModel JSON.</summary>
        public string UserInfo()
        {
            return TakeJson((out IntPtr json, out IntPtr err) => Native.etna_get_user_info(handle, out json, out err));
        }

        /// <summary>The user's accounts: a JSON array of UserAccountModel; each Id is an account id.</summary>
        public string Accounts()
        {
            return TakeJson((out IntPtr json, out IntPtr err) => Native.etna_get_accounts(handle, out json, out err));
        }

        /// <summary>An account's balances: a flat JSON object of camelCase numbers (cash, netCash, ...).</summary>
        public string AccountInfo(long accountId)
        {
            return TakeJson((out IntPtr json, out IntPtr err) =>
                            Native.etna_get_account_info(handle, accountId, out json, out err));
        }

        /// <summary>One page of the account's positions: {Result, NextPageLink, PreviousPageLink,
        /// TotalCount}.</summary>
        public string Positions(long accountId, int pageNumber = 0, int pageSize = 50)
        {
            return TakeJson((out IntPtr json, out IntPtr err) =>
                            Native.etna_get_positions(handle, accountId, pageNumber, pageSize, out json, out err));
        }

        /// <summary>The account's position in one ticker: a JSON array, empty when there is none.</summary>
        public string Position(long accountId, string symbol)
        {
            byte[] s = Utf8.Arg(symbol, "symbol");
            return TakeJson((out IntPtr json, out IntPtr err) =>
                            Native.etna_get_position(handle, accountId, s, out json, out err));
        }

        /// <summary>One page of the account's transactions, newest first (fills are
        /// "OrderExecution").</summary>
        public string Transactions(long accountId, int pageNumber = 0, int pageSize = 50)
        {
            return TakeJson((out IntPtr json, out IntPtr err) =>
                            Native.etna_get_transactions(handle, accountId, pageNumber, pageSize, out json, out err));
        }

        /// <summary>One page of the account's orders; `filter` null or the broker's filter
        /// expression, e.g. "Status in (0,1)" (encoded by the library).</summary>
        public string Orders(long accountId, string filter = null, int pageNumber = 0, int pageSize = 50)
        {
            byte[] f = filter == null ? null : Utf8.Arg(filter, "filter");
            return TakeJson((out IntPtr json, out IntPtr err) =>
                            Native.etna_get_orders(handle, accountId, f, pageNumber, pageSize, out json, out err));
        }

        /// <summary>The order with this ClientId (OrderResource JSON), or null when the broker has
        /// none: then it was never accepted and may be sent again. Use it after an EtnaException
        /// whose ClientId is set (OutcomeUnknown above all) instead of placing the order twice.
        /// InvalidArgument for an empty id or one with quotes.</summary>
        public string FindOrderByClientId(long accountId, string clientId)
        {
            byte[] id = Utf8.Arg(clientId, "clientId");
            IntPtr json;
            IntPtr err;
            int status = Native.etna_find_order_by_client_id(handle, accountId, id, out json, out err);
            if (status == (int)StatusCode.NotFound)
            {
                Native.etna_error_free(err);
                return null;
            }
            EtnaException.Check(status, err);
            try
            {
                return Utf8.Read(json) ?? "";
            }
            finally
            {
                Native.etna_string_free(json);
            }
        }

        /// <summary>One order: OrderResource JSON.</summary>
        public string Order(long accountId, long orderId)
        {
            return TakeJson((out IntPtr json, out IntPtr err) =>
                            Native.etna_get_order(handle, accountId, orderId, out json, out err));
        }

        /// <summary>Places an order from CreateOrderResource JSON, e.g.
        /// {"Symbol":"AAPL","Type":"Limit","Side":"Buy","Quantity":10,"Price":180,"TimeInForce":"Day"}.
        /// Returns the broker's OrderResource (Id; Status starts at PendingNew: follow it with Order
        /// or WaitForOrder). Every order carries a ClientId (yours, or a new one); never retried.
        /// OutcomeUnknown means it may have reached the broker: the exception's ClientId is the key
        /// for FindOrderByClientId before sending it again.</summary>
        public string PlaceOrder(long accountId, string orderJson)
        {
            byte[] order = Utf8.Arg(orderJson, "orderJson");
            return TakeJson((out IntPtr json, out IntPtr err) =>
                            Native.etna_place_order(handle, accountId, order, out json, out err));
        }

        /// <summary>What an order would cost, without placing it. A business reject throws
        /// Rejected, whose ApiReason is the broker's ErrorDescription.</summary>
        public string PreviewOrder(long accountId, string orderJson)
        {
            byte[] order = Utf8.Arg(orderJson, "orderJson");
            return TakeJson((out IntPtr json, out IntPtr err) =>
                            Native.etna_preview_order(handle, accountId, order, out json, out err));
        }

        /// <summary>Changes an open order with ModifyOrderResource JSON, e.g. {"Price":181.5} (Id
        /// is filled in). Throws Rejected for a business reject, Http with HttpStatus 409 when the
        /// order can no longer change.</summary>
        public string ReplaceOrder(long accountId, long orderId, string changesJson)
        {
            byte[] changes = Utf8.Arg(changesJson, "changesJson");
            return TakeJson((out IntPtr json, out IntPtr err) =>
                            Native.etna_replace_order(handle, accountId, orderId, changes, out json, out err));
        }

        /// <summary>Cancels an open order. A finished one throws Http with HttpStatus 409.</summary>
        public void CancelOrder(long accountId, long orderId)
        {
            IntPtr err;
            int status = Native.etna_cancel_order(handle, accountId, orderId, out err);
            EtnaException.Check(status, err);
        }

        /// <summary>Blocks until the order is Filled, Canceled, Rejected, Expired, DoneForDay, Error
        /// or Replaced (final for this id: the order lives on under the id ReplaceOrder answered)
        /// and returns it (OrderResource JSON; read its Status). Throws Timeout if it is still open
        /// after `timeout`, Cancelled when Cancel interrupts it.</summary>
        public string WaitForOrder(long accountId, long orderId, TimeSpan timeout)
        {
            uint ms = Millis(timeout, "timeout");
            return TakeJson((out IntPtr json, out IntPtr err) =>
                            Native.etna_wait_for_order(handle, accountId, orderId, ms, out json, out err));
        }

        /// <summary>Places the common equity order and returns its id. `side` ("Buy", "Sell",
        /// "SellShort", "BuyToCover"), `type` ("Market", "Limit", "Stop", "StopLimit", ...) and
        /// `timeInForce` ("Day", "GoodTillCancel", ...; null means "Day") are the broker's names;
        /// `price` counts only for Limit and StopLimit, `stopPrice` only for Stop and StopLimit. Its
        /// exceptions carry the order's new ClientId, as PlaceOrder's do.</summary>
        public long PlaceSimpleOrder(long accountId, string symbol, string side, string type, double quantity,
                                     double price = 0, double stopPrice = 0, string timeInForce = null)
        {
            long orderId;
            IntPtr err;
            int status = Native.etna_place_simple_order(
                handle, accountId, Utf8.Arg(symbol, "symbol"), Utf8.Arg(side, "side"), Utf8.Arg(type, "type"),
                quantity, price, stopPrice, timeInForce == null ? null : Utf8.Arg(timeInForce, "timeInForce"),
                out orderId, out err);
            EtnaException.Check(status, err);
            return orderId;
        }

        /// <summary>One equity by ticker: EquityResource JSON. An unknown ticker throws Http (404).</summary>
        public string Equity(string symbol)
        {
            byte[] s = Utf8.Arg(symbol, "symbol");
            return TakeJson((out IntPtr json, out IntPtr err) => Native.etna_get_equity(handle, s, out json, out err));
        }

        /// <summary>Up to `count` (>= 1) equities matching `mask`: a JSON array of EquityResource.</summary>
        public string LookupEquities(string mask, int count = 10)
        {
            byte[] m = Utf8.Arg(mask, "mask");
            return TakeJson((out IntPtr json, out IntPtr err) =>
                            Native.etna_lookup_equities(handle, m, count, out json, out err));
        }

        /// <summary>Candles for a ChartHistoryRequestModel (see etna_get_price_history). No data
        /// throws Http (409).</summary>
        public string PriceHistory(string requestJson)
        {
            byte[] request = Utf8.Arg(requestJson, "requestJson");
            return TakeJson((out IntPtr json, out IntPtr err) =>
                            Native.etna_get_price_history(handle, request, out json, out err));
        }

        /// <summary>The quote and data streamer addresses: {"QuoteAddresses":[...],"DataAddresses":[...]}.</summary>
        public string Streamers()
        {
            return TakeJson((out IntPtr json, out IntPtr err) => Native.etna_get_streamers(handle, out json, out err));
        }

        /// <summary>The user's watchlists with their securities: a JSON array of WatchlistModel.</summary>
        public string Watchlists()
        {
            return TakeJson((out IntPtr json, out IntPtr err) => Native.etna_get_watchlists(handle, out json, out err));
        }

        /// <summary>Creates an empty watchlist and returns it (its Id is what the calls below
        /// take). A name already in use throws Http (409).</summary>
        public string CreateWatchlist(string name)
        {
            byte[] n = Utf8.Arg(name, "name");
            return TakeJson((out IntPtr json, out IntPtr err) =>
                            Native.etna_create_watchlist(handle, n, out json, out err));
        }

        /// <summary>Deletes a watchlist. A read-only one throws Http (409).</summary>
        public void DeleteWatchlist(long watchlistId)
        {
            IntPtr err;
            int status = Native.etna_delete_watchlist(handle, watchlistId, out err);
            EtnaException.Check(status, err);
        }

        /// <summary>Adds the security with ticker `symbol` to a watchlist.</summary>
        public void AddToWatchlist(long watchlistId, string symbol)
        {
            IntPtr err;
            int status = Native.etna_add_to_watchlist(handle, watchlistId, Utf8.Arg(symbol, "symbol"), out err);
            EtnaException.Check(status, err);
        }

        /// <summary>Removes the security with ticker `symbol` from a watchlist.</summary>
        public void RemoveFromWatchlist(long watchlistId, string symbol)
        {
            IntPtr err;
            int status = Native.etna_remove_from_watchlist(handle, watchlistId, Utf8.Arg(symbol, "symbol"),
                                                           out err);
            EtnaException.Check(status, err);
        }

        /// <summary>The C handle, still owned by this Session, for calls this file does not wrap.</summary>
        public SessionHandle Handle
        {
            get { return handle; }
        }

        public void Dispose()
        {
            handle.Dispose();
        }

        // A C call that hands back JSON in its next-to-last parameter.
        private delegate int JsonCall(out IntPtr json, out IntPtr err);

        // Makes the call, throws unless it succeeded, and returns the JSON (freeing libetna's copy).
        private static string TakeJson(JsonCall call)
        {
            IntPtr json;
            IntPtr err;
            int status = call(out json, out err);
            EtnaException.Check(status, err); // on failure libetna wrote no JSON
            try
            {
                return Utf8.Read(json) ?? "";
            }
            finally
            {
                Native.etna_string_free(json);
            }
        }

        // etna_session_cancel reports failure by status only (it has no EtnaError).
        private static void Check(int status)
        {
            EtnaException.Check(status, IntPtr.Zero);
        }

        private static uint Millis(TimeSpan t, string name)
        {
            double ms = t.TotalMilliseconds;
            if (ms < 0 || ms > uint.MaxValue)
            {
                throw new ArgumentOutOfRangeException(name);
            }
            return (uint)ms;
        }

        // Static, so the function pointers libetna holds stay valid for the life of the process.
        private static readonly Native.LogCallback Trampoline = OnLog;
        private static readonly Native.FreeUserData FreeData = OnFree;
        private static readonly Native.AuthCallback AuthTrampoline = OnAuth;

        private static void OnLog(IntPtr userData, int level, IntPtr message)
        {
            try
            {
                var callback = (Action<LogLevel, string>)GCHandle.FromIntPtr(userData).Target;
                callback((LogLevel)level, Utf8.Read(message) ?? "");
            }
            catch (Exception)
            {
                // An exception must not unwind into libetna; a failing logger loses its line.
            }
        }

        private static void OnAuth(IntPtr userData, int state)
        {
            try
            {
                var callback = (Action<AuthState>)GCHandle.FromIntPtr(userData).Target;
                callback((AuthState)state);
            }
            catch (Exception)
            {
                // An exception must not unwind into libetna; a failing listener misses this change.
            }
        }

        private static void OnFree(IntPtr userData)
        {
            GCHandle.FromIntPtr(userData).Free();
        }
    }

    /// <summary>The library's version and other static facts.</summary>
    public static class Library
    {
        /// <summary>The library's version, e.g. "0.1.0".</summary>
        public static string Version
        {
            get { return Utf8.Read(Native.etna_version()); }
        }
    }

    /// <summary>NUL-terminated UTF-8 both ways, by hand (no LPUTF8Str on Mono/.NET Framework).</summary>
    internal static class Utf8
    {
        // Throws on lone surrogates instead of sending U+FFFD.
        private static readonly Encoding Strict = new UTF8Encoding(false, true);

        /// <summary>`s` as NUL-terminated UTF-8; throws for null or an embedded NUL.</summary>
        internal static byte[] Arg(string s, string name)
        {
            if (s == null)
            {
                throw new ArgumentNullException(name);
            }
            if (s.IndexOf('\0') >= 0)
            {
                throw new ArgumentException("holds a NUL character", name);
            }
            byte[] bytes = new byte[Strict.GetByteCount(s) + 1];
            Strict.GetBytes(s, 0, s.Length, bytes, 0);
            return bytes; // the last byte stays 0
        }

        /// <summary>The NUL-terminated UTF-8 string at `p`, copied; null for a zero pointer.</summary>
        internal static string Read(IntPtr p)
        {
            if (p == IntPtr.Zero)
            {
                return null;
            }
            int length = 0;
            while (Marshal.ReadByte(p, length) != 0)
            {
                length++;
            }
            byte[] bytes = new byte[length];
            Marshal.Copy(p, bytes, 0, length);
            return Encoding.UTF8.GetString(bytes);
        }
    }

    /// <summary>The C functions, declared as in etna.h. Strings in are byte[] (NUL-terminated
    /// UTF-8); strings out are IntPtr.</summary>
    internal static class Native
    {
        private const string Lib = "etna";

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate void LogCallback(IntPtr userData, int level, IntPtr message);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate void FreeUserData(IntPtr userData);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate void AuthCallback(IntPtr userData, int state);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_session_new(byte[] baseUrl, byte[] appKey, out SessionHandle session,
                                                    out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void etna_session_free(IntPtr session);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_session_set_timeouts(SessionHandle session, uint connectMs,
                                                             uint requestMs, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_session_set_retry_policy(SessionHandle session, uint maxAttempts,
                                                                 uint baseDelayMs, uint maxDelayMs, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_session_set_max_response_bytes(SessionHandle session, ulong maxBytes,
                                                                       out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_session_cancel(SessionHandle session);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_session_set_auto_relogin(SessionHandle session, int enabled,
                                                                 out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_session_set_ca_file(SessionHandle session, byte[] pemPath, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_session_set_proxy(SessionHandle session, byte[] url, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_session_export(SessionHandle session, out IntPtr json, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_session_import(SessionHandle session, byte[] json, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_session_auth_state(SessionHandle session);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern long etna_session_token_expires_at(SessionHandle session);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_login(SessionHandle session, byte[] username, byte[] password,
                                              out int state, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_login_verify(SessionHandle session, byte[] code, out int state,
                                                     out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_login_pin(SessionHandle session, byte[] pin, out int state,
                                                  out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_logout(SessionHandle session, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_request(SessionHandle session, byte[] method, byte[] path,
                                                byte[] jsonBody, out ushort httpStatus, out IntPtr body,
                                                out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void etna_string_free(IntPtr s);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_user_info(SessionHandle session, out IntPtr json, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_accounts(SessionHandle session, out IntPtr json, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_account_info(SessionHandle session, long accountId, out IntPtr json,
                                                         out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_positions(SessionHandle session, long accountId, int pageNumber,
                                                      int pageSize, out IntPtr json, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_position(SessionHandle session, long accountId, byte[] symbol,
                                                     out IntPtr json, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_transactions(SessionHandle session, long accountId, int pageNumber,
                                                         int pageSize, out IntPtr json, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_orders(SessionHandle session, long accountId, byte[] filter,
                                                   int pageNumber, int pageSize, out IntPtr json, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_find_order_by_client_id(SessionHandle session, long accountId,
                                                                byte[] clientId, out IntPtr json, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_order(SessionHandle session, long accountId, long orderId,
                                                  out IntPtr json, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_place_order(SessionHandle session, long accountId, byte[] orderJson,
                                                    out IntPtr json, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_preview_order(SessionHandle session, long accountId, byte[] orderJson,
                                                      out IntPtr json, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_replace_order(SessionHandle session, long accountId, long orderId,
                                                      byte[] orderJson, out IntPtr json, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_cancel_order(SessionHandle session, long accountId, long orderId,
                                                     out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_wait_for_order(SessionHandle session, long accountId, long orderId,
                                                       uint timeoutMs, out IntPtr json, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_place_simple_order(SessionHandle session, long accountId, byte[] symbol,
                                                           byte[] side, byte[] type, double quantity, double price,
                                                           double stopPrice, byte[] timeInForce, out long orderId,
                                                           out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_equity(SessionHandle session, byte[] symbol, out IntPtr json,
                                                   out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_lookup_equities(SessionHandle session, byte[] mask, int count,
                                                        out IntPtr json, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_price_history(SessionHandle session, byte[] requestJson,
                                                          out IntPtr json, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_streamers(SessionHandle session, out IntPtr json, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_watchlists(SessionHandle session, out IntPtr json, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_create_watchlist(SessionHandle session, byte[] name, out IntPtr json,
                                                         out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_delete_watchlist(SessionHandle session, long watchlistId, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_add_to_watchlist(SessionHandle session, long watchlistId, byte[] symbol,
                                                         out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_remove_from_watchlist(SessionHandle session, long watchlistId,
                                                              byte[] symbol, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_session_set_log_callback(SessionHandle session,
                                                                 LogCallback callback, IntPtr userData,
                                                                 FreeUserData freeUserData, int minLevel,
                                                                 out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_session_set_auth_callback(SessionHandle session,
                                                                  AuthCallback callback, IntPtr userData,
                                                                  FreeUserData freeUserData, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_error_code(IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr etna_error_message(IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern ushort etna_error_http_status(IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr etna_error_api_reason(IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr etna_error_body(IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern ulong etna_error_retry_after_ms(IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr etna_error_client_id(IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void etna_error_free(IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr etna_status_str(int code);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr etna_version();
    }
}
