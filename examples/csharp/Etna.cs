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
//       Console.WriteLine(session.Get("v1.0/users/@me/info").Body);
//       session.Logout();
//   }
//
// Every call that can fail throws EtnaException. A Session may be used from several threads.
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
        /// at once if the session is shared; whatever it throws is swallowed.</summary>
        public void SetLogCallback(Action<LogLevel, string> callback, LogLevel minLevel)
        {
            if (callback == null)
            {
                int off = Native.etna_session_set_log_callback(handle, null, IntPtr.Zero, null,
                                                               (int)LogLevel.Error);
                Check(off);
                return;
            }
            GCHandle data = GCHandle.Alloc(callback);
            int status = Native.etna_session_set_log_callback(handle, Trampoline, GCHandle.ToIntPtr(data),
                                                              FreeData, (int)minLevel);
            if (status != (int)StatusCode.Ok)
            {
                data.Free(); // on failure libetna took nothing
                Check(status);
            }
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

        // etna_session_set_log_callback reports failure by status only (no EtnaError).
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

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_session_new(byte[] baseUrl, byte[] appKey, out SessionHandle session,
                                                    out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void etna_session_free(IntPtr session);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_session_set_timeouts(SessionHandle session, uint connectMs,
                                                             uint requestMs, out IntPtr err);

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
        internal static extern int etna_session_set_log_callback(SessionHandle session,
                                                                 LogCallback callback, IntPtr userData,
                                                                 FreeUserData freeUserData, int minLevel);

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
        internal static extern void etna_error_free(IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr etna_status_str(int code);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr etna_version();
    }
}
