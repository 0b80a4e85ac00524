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
//       Console.WriteLine(session.UserInfo().Login);
//       long id = session.PlaceSimpleOrder(accountId, "AAPL", "Buy", "Market", 10);
//       Etna.Order done = session.WaitForOrder(accountId, id, TimeSpan.FromSeconds(30));
//       Console.WriteLine(done.Status + " at " + done.AveragePrice);
//       session.Logout();
//   }
//
// Live quotes and order events come from streams:
//
//   using (Etna.Stream quotes = session.OpenStream(Etna.StreamKind.Quotes))
//   {
//       quotes.SubscribeQuotes("AAPL", "MSFT");
//       foreach (Etna.StreamEvent e in quotes.Events(token))
//           if (e.Quote != null)
//               Console.WriteLine(e.Quote.Symbol + " " + e.Quote.Bid + " " + e.Quote.Ask);
//   }
//
// Every call that can fail throws EtnaException. A Session may be used from several threads;
// Cancel, from any of them, stops the calls in flight. Stream.Close, from any thread, stops a
// reader.
//
// Compile this file with your program (mcs -out:app.exe bindings/csharp/Etna.cs App.cs). Its
// [DllImport] declarations, enums and struct mirrors are checked against etna.h by
// tests/bindings/header.rs.
using System;
using System.Collections.Generic;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

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

    /// <summary>An order's status, numbered as the broker numbers it (ETNA_ORDER_STATUS_*).</summary>
    public enum OrderStatus
    {
        /// <summary>A value this binding does not know (StatusText says what it was).</summary>
        Unknown = -1,
        New = 0,
        PartiallyFilled = 1,
        Filled = 2,
        DoneForDay = 3,
        Canceled = 4,
        Replaced = 5,
        PendingCancel = 6,
        Stopped = 7,
        Rejected = 8,
        Suspended = 9,
        PendingNew = 10,
        Calculated = 11,
        Expired = 12,
        AcceptedForBidding = 13,
        PendingReplace = 14,
        Error = 15,
        Held = 16,
    }

    /// <summary>An order's side (ETNA_SIDE_*).</summary>
    public enum Side
    {
        Unknown = -1,
        Buy = 0,
        Sell = 1,
        SellShort = 2,
        BuyToCover = 3,
    }

    /// <summary>An order's type (ETNA_ORDER_TYPE_*).</summary>
    public enum OrderType
    {
        Unknown = -1,
        Market = 0,
        Limit = 1,
        Stop = 2,
        StopLimit = 3,
        Pegged = 4,
        TrailingStop = 5,
        TrailingStopLimit = 6,
        OneCancelOther = 7,
        OneTriggerOther = 8,
        OneTriggerOneCancelOther = 9,
        External = 10,
        MutualFundsExchange = 11,
        StagingBlotter = 12,
    }

    /// <summary>How long an order stays working (ETNA_TIF_*).</summary>
    public enum TimeInForce
    {
        Unknown = -1,
        Day = 0,
        GoodTillCancel = 1,
        AtTheOpening = 2,
        ImmediateOrCancel = 3,
        FillOrKill = 4,
        GoodTillCrossing = 5,
        GoodTillDate = 6,
        GoodTillTime = 7,
        AtTheClose = 8,
        GoodTillCancelPlus = 9,
        GoodTillDatePlus = 10,
    }

    /// <summary>What a transaction is (ETNA_TRANSACTION_*); fills are OrderExecution.</summary>
    public enum TransactionType
    {
        Unknown = -1,
        Undefined = 0,
        Commission = 1,
        OrderExecution = 2,
        OptionExpiration = 3,
        Payment = 4,
        ManualManipulation = 5,
        Clearing = 6,
        Rpl = 7,
    }

    /// <summary>An account's margin type (ETNA_MARGIN_*).</summary>
    public enum MarginType
    {
        Unknown = -1,
        Empty = 0,
        Cash = 1,
        Margin = 2,
        DayTrader = 3,
        MarginIra = 4,
    }

    /// <summary>What the user may do with an account (ETNA_ACCESS_*).</summary>
    public enum AccessType
    {
        Unknown = -1,
        Full = 0,
        ReadOnly = 1,
        ClosePositionsOnly = 2,
        Owner = 3,
    }

    /// <summary>Who keeps a watchlist (ETNA_WATCHLIST_*).</summary>
    public enum WatchlistType
    {
        Unknown = -1,
        UserList = 0,
        SystemList = 1,
        Snapshot = 2,
    }

    /// <summary>What a record's Field holds (ETNA_FIELD_*).</summary>
    public enum FieldKind
    {
        Unknown = -1,
        Text = 0,
        Number = 1,
        Bool = 2,
        Null = 3,
    }

    /// <summary>Whether an option is a call or a put (ETNA_OPTION_*).</summary>
    public enum OptionType
    {
        Unknown = -1,
        Call = 0,
        Put = 1,
        Undefined = 2,
    }

    /// <summary>What kind of expiration an option has (ETNA_EXPIRATION_*).</summary>
    public enum ExpirationType
    {
        Unknown = -1,
        Regular = 0,
        Quarterly = 1,
        Weekly = 2,
        Flex = 3,
        Undefined = 4,
        Mini = 5,
        NonStandard = 6,
    }

    /// <summary>Where a price alert stands (ETNA_ALERT_*): New while it watches, Completed once the
    /// price reached its Argument, Expired once its expiration passed first, Stopped when
    /// paused.</summary>
    public enum AlertState
    {
        Unknown = -1,
        New = 0,
        Expired = 1,
        Completed = 2,
        Stopped = 3,
    }

    /// <summary>What the items of a result are (ETNA_KIND_*).</summary>
    internal enum ResultKind
    {
        User = 1,
        Account = 2,
        Balances = 3,
        Position = 4,
        Order = 5,
        Preview = 6,
        Transaction = 7,
        Security = 8,
        Candle = 9,
        Watchlist = 10,
        Streamer = 11,
        Quote = 12,
        StreamState = 13,
        UserBalance = 14,
        WatchlistContent = 15,
        Option = 16,
        Expiration = 17,
        PriceAlert = 18,
        News = 19,
        HistoryPoint = 20,
        PositionGroup = 21,
        OrderDetail = 22,
        Record = 23,
    }

    /// <summary>Which streamer a Stream connects to (ETNA_STREAM_*). LoginForm is added to a kind
    /// (StreamKind.Quotes | StreamKind.LoginForm) to connect with the user name and password, which
    /// needs auto re-login on, instead of the session's token.</summary>
    [Flags]
    public enum StreamKind
    {
        /// <summary>The quote streamer: Quote events.</summary>
        Quotes = 1,
        /// <summary>The data streamer: Order, Position, Balances, UserBalance, Watchlist and
        /// WatchlistContent events.</summary>
        Data = 2,
        LoginForm = 256,
    }

    /// <summary>Where a stream stands (ETNA_STREAM_STATE_*), told by StreamState events.</summary>
    public enum StreamStateCode
    {
        Unknown = -1,
        /// <summary>Connected: the first event of every stream.</summary>
        Connected = 0,
        /// <summary>The connection was lost (or found dead); the stream is reconnecting (Reason
        /// says why).</summary>
        Reconnecting = 1,
        /// <summary>Connected again, subscriptions replayed.</summary>
        Reconnected = 2,
        /// <summary>On the data stream after a reconnect: events between GapFrom and GapTo may be
        /// lost (the broker replays nothing); read orders, positions and balances again.</summary>
        Gap = 3,
        /// <summary>Closed by Stream.Close (or Dispose): the last event.</summary>
        Closed = 4,
        /// <summary>The stream cannot go on (its login is refused and no re-login is possible):
        /// the last event; the next read throws the error that ended it.</summary>
        Failed = 5,
    }

    /// <summary>What a StreamEvent carries (the ETNA_KIND_* of its result).</summary>
    public enum EventKind
    {
        /// <summary>A kind of event this binding does not know (only Json is set).</summary>
        Unknown = -1,
        Quote = (int)ResultKind.Quote,
        Order = (int)ResultKind.Order,
        Position = (int)ResultKind.Position,
        /// <summary>An account's balances.</summary>
        Balances = (int)ResultKind.Balances,
        /// <summary>The user's balances, all accounts added up.</summary>
        UserBalance = (int)ResultKind.UserBalance,
        Watchlist = (int)ResultKind.Watchlist,
        WatchlistContent = (int)ResultKind.WatchlistContent,
        StreamState = (int)ResultKind.StreamState,
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

    /// <summary>Owns an EtnaResult* (the typed answer of a trading call); releasing it calls
    /// etna_result_free. The binding reads it into the classes below and lets it go at once, except
    /// for Balances, which keeps its result for Balances.Value.</summary>
    public sealed class ResultHandle : SafeHandle
    {
        /// <summary>An empty handle; the marshaller fills it from a trading call.</summary>
        public ResultHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        protected override bool ReleaseHandle()
        {
            Native.etna_result_free(handle);
            return true;
        }
    }

    /// <summary>Owns an EtnaStream*; releasing it calls etna_stream_free (which closes the stream
    /// first). A call in flight keeps it (the marshaller counts it), so it is released only once
    /// every call on it has returned.</summary>
    public sealed class StreamHandle : SafeHandle
    {
        /// <summary>An empty handle; the marshaller fills it from etna_stream_open.</summary>
        public StreamHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        protected override bool ReleaseHandle()
        {
            Native.etna_stream_free(handle);
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

        /// <summary>An error this binding finds itself (no broker answer).</summary>
        internal EtnaException(StatusCode code, string message) : base(message)
        {
            Code = code;
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

    // ---- Typed answers ----
    //
    // Every trading method hands back these classes, read from libetna's C structs: strings ("" when
    // the broker sent none), double? (null when a number is absent), long ids (-1 when absent),
    // DateTime? in UTC (null when unset), bool? (null when the broker did not say), and enums whose
    // Unknown (-1) stands for a value this binding does not know; the broker's own spelling is
    // beside each (*Text). Every item keeps its own JSON (Json), so a field not read here is never
    // lost.

    /// <summary>The logged-in user.</summary>
    public sealed class User
    {
        internal User(EtnaUser s)
        {
            Id = s.Id;
            Login = Structs.Text(s.Login);
            FirstName = Structs.Text(s.FirstName);
            MiddleName = Structs.Text(s.MiddleName);
            LastName = Structs.Text(s.LastName);
            Email = Structs.Text(s.Email);
            Role = Structs.Text(s.Role);
            AddedAt = Structs.Instant(s.AddedAtMs);
            Json = Structs.Text(s.Json);
        }

        public long Id { get; }
        public string Login { get; }
        public string FirstName { get; }
        public string MiddleName { get; }
        public string LastName { get; }
        public string Email { get; }
        public string Role { get; }
        public DateTime? AddedAt { get; }
        public string Json { get; }
    }

    /// <summary>An account the user may trade; Id is what the trading methods take.</summary>
    public sealed class Account
    {
        internal Account(EtnaAccount s)
        {
            Id = s.Id;
            Alias = Structs.Text(s.Alias);
            ClearingAccount = Structs.Text(s.ClearingAccount);
            ClearingFirm = Structs.Text(s.ClearingFirm);
            MarginType = Structs.Code<MarginType>(s.MarginType);
            AccessType = Structs.Code<AccessType>(s.AccessType);
            Enabled = Structs.Flag(s.Enabled);
            MarginTypeText = Structs.Text(s.MarginTypeText);
            AccessTypeText = Structs.Text(s.AccessTypeText);
            OwnerType = Structs.Text(s.OwnerType);
            Currency = Structs.Text(s.Currency);
            Json = Structs.Text(s.Json);
        }

        public long Id { get; }
        public string Alias { get; }
        public string ClearingAccount { get; }
        public string ClearingFirm { get; }
        public MarginType MarginType { get; }
        public AccessType AccessType { get; }
        public bool? Enabled { get; }
        public string MarginTypeText { get; }
        public string AccessTypeText { get; }
        public string OwnerType { get; }
        public string Currency { get; }
        public string Json { get; }
    }

    /// <summary>An account's balances. The usual numbers are properties; Value reads any other
    /// number the broker sent, by its name. A Balances keeps the libetna result it was read from
    /// (for Value), which is freed when the Balances is collected.</summary>
    public sealed class Balances
    {
        private readonly ResultHandle result;
        private readonly IntPtr item;

        internal Balances(ResultHandle result, IntPtr item)
        {
            this.result = result;
            this.item = item;
            EtnaBalances s = Structs.Read<EtnaBalances>(item);
            Cash = Structs.Number(s.Cash);
            NetCash = Structs.Number(s.NetCash);
            EquityTotal = Structs.Number(s.EquityTotal);
            NetLiquidity = Structs.Number(s.NetLiquidity);
            StockBuyingPower = Structs.Number(s.StockBuyingPower);
            DayTradingBuyingPower = Structs.Number(s.DayTradingBuyingPower);
            MaintenanceMargin = Structs.Number(s.MaintenanceMargin);
            OpenPl = Structs.Number(s.OpenPl);
            MarketValue = Structs.Number(s.MarketValue);
            Json = Structs.Text(s.Json);
        }

        public double? Cash { get; }
        public double? NetCash { get; }
        public double? EquityTotal { get; }
        public double? NetLiquidity { get; }
        public double? StockBuyingPower { get; }
        public double? DayTradingBuyingPower { get; }
        public double? MaintenanceMargin { get; }
        public double? OpenPl { get; }
        public double? MarketValue { get; }
        public string Json { get; }

        /// <summary>The number the broker sent under `name`, spelled as the broker spells it
        /// ("cash", "optionBuyingPower", ...), or null when it sent none. Throws
        /// ArgumentNullException for null, ArgumentException for a name with a NUL
        /// character.</summary>
        public double? Value(string name)
        {
            byte[] key = Utf8.Arg(name, "name");
            bool added = false;
            try
            {
                result.DangerousAddRef(ref added); // the item lives as long as its result
                double value;
                IntPtr err;
                int status = Native.etna_balances_value(item, key, out value, out err);
                if (status == (int)StatusCode.NotFound)
                {
                    Native.etna_error_free(err);
                    return null;
                }
                EtnaException.Check(status, err);
                return value;
            }
            finally
            {
                if (added)
                {
                    result.DangerousRelease();
                }
            }
        }
    }

    /// <summary>A position; Quantity is negative for a short one.</summary>
    public sealed class Position
    {
        internal Position(EtnaPosition s)
        {
            Id = s.Id;
            AccountId = s.AccountId;
            SecurityId = s.SecurityId;
            Symbol = Structs.Text(s.Symbol);
            Quantity = Structs.Number(s.Quantity);
            AverageOpenPrice = Structs.Number(s.AverageOpenPrice);
            CostBasis = Structs.Number(s.CostBasis);
            RealizedProfitLoss = Structs.Number(s.RealizedProfitLoss);
            CreatedAt = Structs.Instant(s.CreatedAtMs);
            ModifiedAt = Structs.Instant(s.ModifiedAtMs);
            Json = Structs.Text(s.Json);
        }

        public long Id { get; }
        public long AccountId { get; }
        public long SecurityId { get; }
        public string Symbol { get; }
        public double? Quantity { get; }
        public double? AverageOpenPrice { get; }
        public double? CostBasis { get; }
        public double? RealizedProfitLoss { get; }
        public DateTime? CreatedAt { get; }
        public DateTime? ModifiedAt { get; }
        public string Json { get; }
    }

    /// <summary>An order, as the broker has it.</summary>
    public sealed class Order
    {
        internal Order(EtnaOrder s)
        {
            Id = s.Id;
            AccountId = s.AccountId;
            SecurityId = s.SecurityId;
            Symbol = Structs.Text(s.Symbol);
            ClientId = Structs.Text(s.ClientId);
            Side = Structs.Code<Side>(s.Side);
            Type = Structs.Code<OrderType>(s.Type);
            Status = Structs.Code<OrderStatus>(s.Status);
            TimeInForce = Structs.Code<TimeInForce>(s.TimeInForce);
            Quantity = Structs.Number(s.Quantity);
            Price = Structs.Number(s.Price);
            StopPrice = Structs.Number(s.StopPrice);
            ExecutedQuantity = Structs.Number(s.ExecutedQuantity);
            LeavesQuantity = Structs.Number(s.LeavesQuantity);
            AveragePrice = Structs.Number(s.AveragePrice);
            LastPrice = Structs.Number(s.LastPrice);
            LastQuantity = Structs.Number(s.LastQuantity);
            CreatedAt = Structs.Instant(s.CreatedAtMs);
            TransactionAt = Structs.Instant(s.TransactionAtMs);
            Description = Structs.Text(s.Description);
            SideText = Structs.Text(s.SideText);
            TypeText = Structs.Text(s.TypeText);
            StatusText = Structs.Text(s.StatusText);
            TimeInForceText = Structs.Text(s.TimeInForceText);
            Json = Structs.Text(s.Json);
        }

        public long Id { get; }
        public long AccountId { get; }
        public long SecurityId { get; }
        public string Symbol { get; }
        public string ClientId { get; }
        public Side Side { get; }
        public OrderType Type { get; }
        public OrderStatus Status { get; }
        public TimeInForce TimeInForce { get; }
        public double? Quantity { get; }
        public double? Price { get; }
        public double? StopPrice { get; }
        public double? ExecutedQuantity { get; }
        public double? LeavesQuantity { get; }
        public double? AveragePrice { get; }
        public double? LastPrice { get; }
        public double? LastQuantity { get; }
        public DateTime? CreatedAt { get; }
        public DateTime? TransactionAt { get; }
        /// <summary>Why the broker rejected or expired it, when it did.</summary>
        public string Description { get; }
        public string SideText { get; }
        public string TypeText { get; }
        public string StatusText { get; }
        public string TimeInForceText { get; }
        public string Json { get; }

        /// <summary>True when the order will not change any more (Filled, Canceled, Rejected,
        /// Expired, DoneForDay, Error, Replaced).</summary>
        public bool IsFinal
        {
            get { return Native.etna_order_status_is_final((int)Status) == 1; }
        }
    }

    /// <summary>What the broker says of an order before it is placed.</summary>
    public sealed class Preview
    {
        internal Preview(EtnaPreview s)
        {
            IsSuccessful = Structs.Flag(s.IsSuccessful);
            Commission = Structs.Number(s.Commission);
            Cost = Structs.Number(s.Cost);
            NetCost = Structs.Number(s.NetCost);
            TotalCost = Structs.Number(s.TotalCost);
            ErrorCodeText = Structs.Text(s.ErrorCodeText);
            ErrorText = Structs.Text(s.ErrorText);
            Json = Structs.Text(s.Json);
        }

        public bool? IsSuccessful { get; }
        public double? Commission { get; }
        public double? Cost { get; }
        public double? NetCost { get; }
        public double? TotalCost { get; }
        /// <summary>The broker's code for a reject; "" when none.</summary>
        public string ErrorCodeText { get; }
        public string ErrorText { get; }
        public string Json { get; }
    }

    /// <summary>A transaction; fills are TransactionType.OrderExecution.</summary>
    public sealed class Transaction
    {
        internal Transaction(EtnaTransaction s)
        {
            Id = s.Id;
            AccountId = s.AccountId;
            OrderId = s.OrderId;
            SecurityId = s.SecurityId;
            Date = Structs.Instant(s.DateMs);
            Type = Structs.Code<TransactionType>(s.Type);
            TypeText = Structs.Text(s.TypeText);
            Symbol = Structs.Text(s.Symbol);
            Quantity = Structs.Number(s.Quantity);
            Price = Structs.Number(s.Price);
            Value = Structs.Number(s.Value);
            Commission = Structs.Number(s.Commission);
            Description = Structs.Text(s.Description);
            Json = Structs.Text(s.Json);
        }

        public long Id { get; }
        public long AccountId { get; }
        /// <summary>-1 when the transaction belongs to no order.</summary>
        public long OrderId { get; }
        /// <summary>-1 for cash.</summary>
        public long SecurityId { get; }
        public DateTime? Date { get; }
        public TransactionType Type { get; }
        public string TypeText { get; }
        public string Symbol { get; }
        public double? Quantity { get; }
        public double? Price { get; }
        public double? Value { get; }
        public double? Commission { get; }
        public string Description { get; }
        public string Json { get; }
    }

    /// <summary>A security (an equity).</summary>
    public sealed class Security
    {
        internal Security(EtnaSecurity s)
        {
            Id = s.Id;
            Symbol = Structs.Text(s.Symbol);
            Description = Structs.Text(s.Description);
            Exchange = Structs.Text(s.Exchange);
            Currency = Structs.Text(s.Currency);
            TypeText = Structs.Text(s.TypeText);
            TickSize = Structs.Number(s.TickSize);
            Precision = s.Precision;
            Enabled = Structs.Flag(s.Enabled);
            AllowTrade = Structs.Flag(s.AllowTrade);
            AllowMargin = Structs.Flag(s.AllowMargin);
            AllowShort = Structs.Flag(s.AllowShort);
            Json = Structs.Text(s.Json);
        }

        public long Id { get; }
        public string Symbol { get; }
        public string Description { get; }
        /// <summary>The venue's MIC, e.g. XNAS.</summary>
        public string Exchange { get; }
        public string Currency { get; }
        /// <summary>CommonStock, ETF, ... as the broker writes it.</summary>
        public string TypeText { get; }
        public double? TickSize { get; }
        /// <summary>-1 when absent.</summary>
        public long Precision { get; }
        public bool? Enabled { get; }
        public bool? AllowTrade { get; }
        public bool? AllowMargin { get; }
        public bool? AllowShort { get; }
        public string Json { get; }
    }

    /// <summary>A price history candle.</summary>
    public sealed class Candle
    {
        internal Candle(EtnaCandle s)
        {
            Time = Structs.Instant(s.TimeMs);
            Open = Structs.Number(s.Open);
            High = Structs.Number(s.High);
            Low = Structs.Number(s.Low);
            Close = Structs.Number(s.Close);
            Volume = Structs.Number(s.Volume);
            Json = Structs.Text(s.Json);
            Series = Math.Max(s.Series, 0);
        }

        public DateTime? Time { get; }
        public double? Open { get; }
        public double? High { get; }
        public double? Low { get; }
        public double? Close { get; }
        public double? Volume { get; }
        public string Json { get; }
        /// <summary>Which security of a comparison the candle is for (0 for the first).</summary>
        public int Series { get; }
    }

    /// <summary>One value of a Record, named by its path (Instruments.Stocks.Quantity,
    /// Items[0].Name).</summary>
    public sealed class Field
    {
        internal Field(EtnaField s)
        {
            Name = Structs.Text(s.Name);
            Kind = Structs.Code<FieldKind>(s.Kind);
            Text = Structs.Text(s.Text);
            Number = Structs.Number(s.Number);
        }

        public string Name { get; }
        public FieldKind Kind { get; }
        /// <summary>Strings as sent, numbers as written, "true" or "false", "" for null.</summary>
        public string Text { get; }
        /// <summary>Numbers, numeric strings, booleans (and the broker's "True"/"False") as 1 and
        /// 0; null otherwise.</summary>
        public double? Number { get; }
    }

    /// <summary>An answer the broker documents by name only (an account's opening record,
    /// trading settings): every value under its path, in the order sent. A Record keeps the
    /// libetna result it was read from (for Find), freed when the Record is collected.</summary>
    public sealed class Record
    {
        private readonly ResultHandle result;
        private readonly IntPtr item;

        internal Record(ResultHandle result, IntPtr item)
        {
            this.result = result;
            this.item = item;
            EtnaRecord s = Structs.Read<EtnaRecord>(item);
            ulong n = (ulong)s.FieldCount;
            var fields = new Field[n];
            for (ulong i = 0; i < n; i++)
            {
                IntPtr f = Native.etna_record_field(item, new UIntPtr(i));
                if (f == IntPtr.Zero)
                {
                    throw new EtnaException(StatusCode.Protocol, "libetna lost field " + i + " of a record");
                }
                fields[i] = new Field(Structs.Read<EtnaField>(f));
            }
            Fields = fields;
            Json = Structs.Text(s.Json);
        }

        public IReadOnlyList<Field> Fields { get; }
        public string Json { get; }

        /// <summary>The field named `name` (ASCII case ignored), or null. Throws
        /// ArgumentNullException for null, ArgumentException for a name with a NUL
        /// character.</summary>
        public Field Find(string name)
        {
            byte[] key = Utf8.Arg(name, "name");
            bool added = false;
            try
            {
                result.DangerousAddRef(ref added); // the item lives as long as its result
                IntPtr f = Native.etna_record_find(item, key);
                return f == IntPtr.Zero ? null : new Field(Structs.Read<EtnaField>(f));
            }
            finally
            {
                if (added)
                {
                    result.DangerousRelease();
                }
            }
        }
    }

    /// <summary>A watchlist with the tickers of its securities.</summary>
    public sealed class Watchlist
    {
        internal Watchlist(EtnaWatchlist s)
        {
            Id = s.Id;
            Name = Structs.Text(s.Name);
            Description = Structs.Text(s.Description);
            Type = Structs.Code<WatchlistType>(s.Type);
            ReadOnly = Structs.Flag(s.ReadOnly);
            TypeText = Structs.Text(s.TypeText);
            CreatedAt = Structs.Instant(s.CreatedAtMs);
            ModifiedAt = Structs.Instant(s.ModifiedAtMs);
            // SymbolCount is the length of Symbols, which carries the tickers themselves.
            Symbols = Structs.Symbols(Structs.Text(s.Symbols));
            Json = Structs.Text(s.Json);
        }

        public long Id { get; }
        public string Name { get; }
        public string Description { get; }
        public WatchlistType Type { get; }
        public bool? ReadOnly { get; }
        public string TypeText { get; }
        public DateTime? CreatedAt { get; }
        public DateTime? ModifiedAt { get; }
        public IReadOnlyList<string> Symbols { get; }
        public string Json { get; }
    }

    /// <summary>A streamer's address.</summary>
    public sealed class Streamer
    {
        internal Streamer(EtnaStreamer s)
        {
            Url = Structs.Text(s.Url);
            Type = Structs.Text(s.Type);
            SessionId = Structs.Text(s.SessionId);
            IsQuote = s.IsQuote == 1;
            Json = Structs.Text(s.Json);
        }

        public string Url { get; }
        /// <summary>Delayed, ... as the broker writes it.</summary>
        public string Type { get; }
        public string SessionId { get; }
        /// <summary>True for a quote streamer, false for a data streamer.</summary>
        public bool IsQuote { get; }
        public string Json { get; }
    }

    /// <summary>A quote from the quote stream.</summary>
    public sealed class Quote
    {
        internal Quote(EtnaQuote s)
        {
            SecurityId = s.SecurityId;
            Symbol = Structs.Text(s.Symbol);
            Bid = Structs.Number(s.Bid);
            Ask = Structs.Number(s.Ask);
            Last = Structs.Number(s.Last);
            BidSize = Structs.Number(s.BidSize);
            AskSize = Structs.Number(s.AskSize);
            Volume = Structs.Number(s.Volume);
            Open = Structs.Number(s.Open);
            High = Structs.Number(s.High);
            Low = Structs.Number(s.Low);
            Close = Structs.Number(s.Close);
            Time = Structs.Instant(s.TimeMs);
            Json = Structs.Text(s.Json);
        }

        public long SecurityId { get; }
        /// <summary>The streamer's ticker, or the one given to Stream.SubscribeQuotes.</summary>
        public string Symbol { get; }
        public double? Bid { get; }
        public double? Ask { get; }
        public double? Last { get; }
        public double? BidSize { get; }
        public double? AskSize { get; }
        public double? Volume { get; }
        public double? Open { get; }
        public double? High { get; }
        public double? Low { get; }
        public double? Close { get; }
        /// <summary>When the quote was made, by the streamer's clock; null when it did not say.</summary>
        public DateTime? Time { get; }
        public string Json { get; }
    }

    /// <summary>A change in a stream's life.</summary>
    public sealed class StreamState
    {
        internal StreamState(EtnaStreamState s)
        {
            State = Structs.Code<StreamStateCode>(s.State);
            Reason = Structs.Text(s.Reason);
            GapFrom = Structs.Instant(s.GapFromMs);
            GapTo = Structs.Instant(s.GapToMs);
            Json = Structs.Text(s.Json);
        }

        public StreamStateCode State { get; }
        /// <summary>Why, in words (never a secret); "" when there is nothing to say.</summary>
        public string Reason { get; }
        /// <summary>For StreamStateCode.Gap: events between these instants may be lost.</summary>
        public DateTime? GapFrom { get; }
        public DateTime? GapTo { get; }
        public string Json { get; }

        /// <summary>True for the last event of a stream (Closed or Failed).</summary>
        public bool EndsStream
        {
            get { return State == StreamStateCode.Closed || State == StreamStateCode.Failed; }
        }
    }

    /// <summary>Tickers added to or removed from a watchlist.</summary>
    public sealed class WatchlistContent
    {
        internal WatchlistContent(EtnaWatchlistContent s)
        {
            WatchlistId = s.WatchlistId;
            AddedSymbols = Structs.Symbols(Structs.Text(s.AddedSymbols));
            RemovedSymbols = Structs.Symbols(Structs.Text(s.RemovedSymbols));
            Json = Structs.Text(s.Json);
        }

        public long WatchlistId { get; }
        public IReadOnlyList<string> AddedSymbols { get; }
        public IReadOnlyList<string> RemovedSymbols { get; }
        public string Json { get; }
    }

    /// <summary>An option contract. Its Symbol (the OSI symbol, e.g. "AAPL  261218C00190000") is what
    /// an order's Symbol, or a leg's, takes.</summary>
    public sealed class OptionContract
    {
        internal OptionContract(EtnaOption s)
        {
            Id = s.Id;
            Symbol = Structs.Text(s.Symbol);
            UnderlyingSymbol = Structs.Text(s.UnderlyingSymbol);
            OptionType = Structs.Code<OptionType>(s.OptionType);
            OptionTypeText = Structs.Text(s.OptionTypeText);
            Expiration = Structs.Instant(s.ExpirationMs);
            ExpirationType = Structs.Code<ExpirationType>(s.ExpirationType);
            ExpirationTypeText = Structs.Text(s.ExpirationTypeText);
            Strike = Structs.Number(s.Strike);
            ContractSize = Structs.Number(s.ContractSize);
            SeriesId = s.SeriesId;
            Json = Structs.Text(s.Json);
        }

        public long Id { get; }
        public string Symbol { get; }
        public string UnderlyingSymbol { get; }
        public OptionType OptionType { get; }
        public string OptionTypeText { get; }
        public DateTime? Expiration { get; }
        public ExpirationType ExpirationType { get; }
        public string ExpirationTypeText { get; }
        public double? Strike { get; }
        public double? ContractSize { get; }
        public long SeriesId { get; }
        public string Json { get; }
    }

    /// <summary>An expiration of an underlying's options.</summary>
    public sealed class Expiration
    {
        internal Expiration(EtnaExpiration s)
        {
            Date = Structs.Instant(s.ExpirationMs);
            ExpirationType = Structs.Code<ExpirationType>(s.ExpirationType);
            ExpirationTypeText = Structs.Text(s.ExpirationTypeText);
            SeriesId = s.SeriesId;
            SeriesType = Structs.Text(s.SeriesType);
            Json = Structs.Text(s.Json);
        }

        /// <summary>The expiration date (UTC).</summary>
        public DateTime? Date { get; }
        public ExpirationType ExpirationType { get; }
        public string ExpirationTypeText { get; }
        public long SeriesId { get; }
        public string SeriesType { get; }
        public string Json { get; }
    }

    /// <summary>A price alert: Field of security SecurityId compared by Operator with Argument
    /// until Expiration.</summary>
    public sealed class PriceAlert
    {
        internal PriceAlert(EtnaPriceAlert s)
        {
            Id = s.Id;
            SecurityId = s.SecurityId;
            Field = Structs.Text(s.Field);
            Operator = Structs.Text(s.Operator);
            Argument = Structs.Number(s.Argument);
            State = Structs.Code<AlertState>(s.State);
            StateText = Structs.Text(s.StateText);
            Expiration = Structs.Instant(s.ExpirationMs);
            Json = Structs.Text(s.Json);
        }

        public long Id { get; }
        public long SecurityId { get; }
        /// <summary>Ask, Bid or Last.</summary>
        public string Field { get; }
        /// <summary>GTEQ (at or above) or LTEQ (at or below).</summary>
        public string Operator { get; }
        public double? Argument { get; }
        public AlertState State { get; }
        public string StateText { get; }
        public DateTime? Expiration { get; }
        public string Json { get; }
    }

    /// <summary>A news story or a corporate action.</summary>
    public sealed class News
    {
        internal News(EtnaNews s)
        {
            Key = Structs.Text(s.Key);
            Date = Structs.Instant(s.DateMs);
            Source = Structs.Text(s.Source);
            Header = Structs.Text(s.Header);
            Content = Structs.Text(s.Content);
            Attachment = Structs.Text(s.Attachment);
            NewsId = Structs.Text(s.NewsId);
            Json = Structs.Text(s.Json);
        }

        public string Key { get; }
        public DateTime? Date { get; }
        public string Source { get; }
        public string Header { get; }
        public string Content { get; }
        public string Attachment { get; }
        public string NewsId { get; }
        public string Json { get; }
    }

    /// <summary>An account's value on a day.</summary>
    public sealed class HistoryPoint
    {
        internal HistoryPoint(EtnaHistoryPoint s)
        {
            Date = Structs.Instant(s.DateMs);
            Value = Structs.Number(s.Value);
            Json = Structs.Text(s.Json);
        }

        public DateTime? Date { get; }
        public double? Value { get; }
        public string Json { get; }
    }

    /// <summary>An account's market value in one asset class.</summary>
    public sealed class PositionGroup
    {
        internal PositionGroup(EtnaPositionGroup s)
        {
            Name = Structs.Text(s.Name);
            MarketValue = Structs.Number(s.MarketValue);
            Json = Structs.Text(s.Json);
        }

        /// <summary>Equity, Options, Cash, ... as the broker names it.</summary>
        public string Name { get; }
        public double? MarketValue { get; }
        public string Json { get; }
    }

    /// <summary>One state an order went through (Session.OrderDetails).</summary>
    public sealed class OrderDetail
    {
        internal OrderDetail(EtnaOrderDetail s)
        {
            Id = s.Id;
            OrderId = s.OrderId;
            Status = Structs.Code<OrderStatus>(s.Status);
            StatusText = Structs.Text(s.StatusText);
            ExecutedQuantity = Structs.Number(s.ExecutedQuantity);
            LeavesQuantity = Structs.Number(s.LeavesQuantity);
            LastPrice = Structs.Number(s.LastPrice);
            LastQuantity = Structs.Number(s.LastQuantity);
            AveragePrice = Structs.Number(s.AveragePrice);
            Date = Structs.Instant(s.DateMs);
            Description = Structs.Text(s.Description);
            Json = Structs.Text(s.Json);
        }

        public long Id { get; }
        public long OrderId { get; }
        public OrderStatus Status { get; }
        public string StatusText { get; }
        public double? ExecutedQuantity { get; }
        public double? LeavesQuantity { get; }
        public double? LastPrice { get; }
        public double? LastQuantity { get; }
        public double? AveragePrice { get; }
        public DateTime? Date { get; }
        public string Description { get; }
        public string Json { get; }
    }

    /// <summary>A stream's counters (Stream.Stats).</summary>
    public sealed class StreamStats
    {
        internal StreamStats(EtnaStreamStats s)
        {
            Received = s.Received;
            Delivered = s.Delivered;
            Conflated = s.Conflated;
            Queued = s.Queued;
            HighWater = s.HighWater;
            Reconnects = s.Reconnects;
            Gaps = s.Gaps;
            LastMessageAge = s.LastMessageAgeMs < 0 ? (TimeSpan?)null : TimeSpan.FromMilliseconds(s.LastMessageAgeMs);
        }

        /// <summary>Data messages read from the streamer.</summary>
        public ulong Received { get; }
        /// <summary>Events handed out by TryNext and Events.</summary>
        public ulong Delivered { get; }
        /// <summary>Quotes replaced by a newer one of the same security before they were read.</summary>
        public ulong Conflated { get; }
        /// <summary>Events waiting now.</summary>
        public ulong Queued { get; }
        /// <summary>The most events that ever waited.</summary>
        public ulong HighWater { get; }
        public ulong Reconnects { get; }
        public ulong Gaps { get; }
        /// <summary>How long ago the streamer last sent anything; null before its first message.</summary>
        public TimeSpan? LastMessageAge { get; }
    }

    /// <summary>One event of a stream: its Kind, and the typed value of that kind in the property
    /// of the same name (the others are null): Quote, Order, Position, Balances (for Balances and
    /// UserBalance), Watchlist, WatchlistContent or State; with the message as JSON.</summary>
    public sealed class StreamEvent
    {
        private StreamEvent() { }

        public EventKind Kind { get; private set; }
        public Quote Quote { get; private set; }
        public Order Order { get; private set; }
        public Position Position { get; private set; }
        /// <summary>An account's balances (Kind Balances) or the user's (Kind UserBalance); its
        /// Value reads any number by name.</summary>
        public Balances Balances { get; private set; }
        public Watchlist Watchlist { get; private set; }
        public WatchlistContent WatchlistContent { get; private set; }
        public StreamState State { get; private set; }
        public string Json { get; private set; }

        /// <summary>True for the last event of a stream: a State Closed or Failed.</summary>
        public bool EndsStream
        {
            get { return State != null && State.EndsStream; }
        }

        /// <summary>The event in `r`, which it takes: disposed at once, or kept by a Balances.</summary>
        internal static StreamEvent Read(ResultHandle r)
        {
            bool kept = false;
            try
            {
                var e = new StreamEvent();
                e.Json = Utf8.Read(Native.etna_result_json(r)) ?? "";
                int kind = Native.etna_result_kind(r);
                switch (kind)
                {
                    case (int)ResultKind.Quote:
                        e.Quote = Structs.One<EtnaQuote, Quote>(r, ResultKind.Quote, Native.etna_result_quote,
                                                                s => new Quote(s));
                        break;
                    case (int)ResultKind.Order:
                        e.Order = Structs.One<EtnaOrder, Order>(r, ResultKind.Order, Native.etna_result_order,
                                                                s => new Order(s));
                        break;
                    case (int)ResultKind.Position:
                        e.Position = Structs.One<EtnaPosition, Position>(r, ResultKind.Position,
                                                                         Native.etna_result_position,
                                                                         s => new Position(s));
                        break;
                    case (int)ResultKind.Balances:
                    case (int)ResultKind.UserBalance:
                        IntPtr item = Native.etna_result_balances(r, UIntPtr.Zero);
                        if (item == IntPtr.Zero)
                        {
                            throw new EtnaException(StatusCode.Protocol, "libetna lost the balances of an event");
                        }
                        e.Balances = new Balances(r, item); // keeps the result, for Balances.Value
                        kept = true;
                        break;
                    case (int)ResultKind.Watchlist:
                        e.Watchlist = Structs.One<EtnaWatchlist, Watchlist>(r, ResultKind.Watchlist,
                                                                            Native.etna_result_watchlist,
                                                                            s => new Watchlist(s));
                        break;
                    case (int)ResultKind.WatchlistContent:
                        e.WatchlistContent = Structs.One<EtnaWatchlistContent, WatchlistContent>(
                            r, ResultKind.WatchlistContent, Native.etna_result_watchlist_content,
                            s => new WatchlistContent(s));
                        break;
                    case (int)ResultKind.StreamState:
                        e.State = Structs.One<EtnaStreamState, StreamState>(r, ResultKind.StreamState,
                                                                            Native.etna_result_stream_state,
                                                                            s => new StreamState(s));
                        break;
                    default:
                        kind = (int)EventKind.Unknown; // newer than this binding: the JSON alone
                        break;
                }
                e.Kind = (EventKind)kind;
                return e;
            }
            finally
            {
                if (!kept)
                {
                    r.Dispose();
                }
            }
        }
    }

    /// <summary>A live stream from one of the broker's streamers, opened from a logged-in Session
    /// (Session.OpenStream, or this constructor): subscribe, then read events with TryNext or
    /// Events. Subscriptions are replayed after every reconnect, and reconnects arrive as State
    /// events (on the data stream followed by a Gap: the broker replays nothing, so read orders
    /// and positions again). Quotes are conflated per security when the reader falls behind
    /// (Stats counts them); other events are never dropped. The stream keeps what it needs of the
    /// session, so it may outlive the Session.
    ///
    /// Its methods may be called from several threads; Close from any of them, also while another
    /// waits in TryNext or Events, which then wake. Dispose closes the stream and frees it once no
    /// call on it is running. No delegate is ever handed to libetna: Events waits in slices when
    /// given a CancellationToken.</summary>
    public sealed class Stream : IDisposable
    {
        // How long Events waits at a time when it has a CancellationToken to watch.
        private const int Slice = 100;
        private readonly StreamHandle handle;

        /// <summary>Connects to the streamer of `kind` with the session's settings (TLS, CA file,
        /// proxy, connect timeout) and token; the first event is a State Connected. Throws
        /// EtnaException: NotAuthenticated (not logged in, or the streamer refused the session),
        /// InvalidState (LoginForm without auto re-login), InvalidArgument (neither Quotes nor
        /// Data), Network, Timeout, Tls, Protocol, Cancelled (Session.Cancel).</summary>
        public Stream(Session session, StreamKind kind)
        {
            if (session == null)
            {
                throw new ArgumentNullException("session");
            }
            IntPtr err;
            int status = Native.etna_stream_open(session.Handle, (int)kind, out handle, out err);
            EtnaException.Check(status, err);
        }

        /// <summary>Subscribes to `entityType` events for `keys` joined by ';': "Quote" (security
        /// ids) on a quote stream; "Order", "Position", "AccountBalance" (account ids),
        /// "UserBalance", "Watchlist" (the user's id) and "WatchlistContent" (watchlist ids) on a
        /// data stream. Throws EtnaException: InvalidArgument (unknown entity type, one of the
        /// other streamer, bad keys), InvalidState (closed).</summary>
        public void Subscribe(string entityType, string keys)
        {
            IntPtr err;
            int status = Native.etna_stream_subscribe(handle, Utf8.Arg(entityType, "entityType"),
                                                      Utf8.Arg(keys, "keys"), out err);
            EtnaException.Check(status, err);
        }

        /// <summary>Subscribe(entityType, one key), e.g. Subscribe("Order", accountId).</summary>
        public void Subscribe(string entityType, long key)
        {
            Subscribe(entityType, key.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        /// <summary>Ends a subscription (same arguments as Subscribe).</summary>
        public void Unsubscribe(string entityType, string keys)
        {
            IntPtr err;
            int status = Native.etna_stream_unsubscribe(handle, Utf8.Arg(entityType, "entityType"),
                                                        Utf8.Arg(keys, "keys"), out err);
            EtnaException.Check(status, err);
        }

        public void Unsubscribe(string entityType, long key)
        {
            Unsubscribe(entityType, key.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        /// <summary>Subscribes a quote stream to tickers ("AAPL", "MSFT", or "AAPL;MSFT"), each
        /// looked up over REST first. Throws EtnaException: Http 404 for an unknown ticker (nothing
        /// is subscribed then), InvalidArgument (no ticker, or a data stream), InvalidState
        /// (closed).</summary>
        public void SubscribeQuotes(params string[] tickers)
        {
            if (tickers == null)
            {
                throw new ArgumentNullException("tickers");
            }
            IntPtr err;
            int status = Native.etna_stream_subscribe_quotes(handle, Utf8.Arg(string.Join(";", tickers), "tickers"),
                                                             out err);
            EtnaException.Check(status, err);
        }

        /// <summary>The next event, waiting up to `timeoutMs` (0 only looks; -1 waits until an
        /// event comes or the stream ends). False when none came in time. Throws EtnaException:
        /// Cancelled once the stream is closed and every event was read (after the State Closed
        /// event: StreamEvent.EndsStream); for a failed stream, after its State Failed, the error
        /// that ended it (e.g. NotAuthenticated); Protocol for a message that is not the JSON
        /// expected (the stream goes on: the next call reads the next event).
        /// ArgumentOutOfRangeException below -1; ObjectDisposedException once disposed.</summary>
        public bool TryNext(int timeoutMs, out StreamEvent e)
        {
            if (timeoutMs < -1)
            {
                throw new ArgumentOutOfRangeException("timeoutMs");
            }
            return Take(timeoutMs, false, out e) == StatusCode.Ok;
        }

        /// <summary>The events as they come, until the stream ends: closed (from any thread, or by
        /// Dispose) and every event read, after the State Closed. Cancelling `cancellationToken`
        /// stops the waiting within a tenth of a second and ends the enumeration, without an
        /// exception and without closing the stream (read on with TryNext or Events). Throws
        /// EtnaException as TryNext does, except for the end (Cancelled).</summary>
        public IEnumerable<StreamEvent> Events(CancellationToken cancellationToken = default(CancellationToken))
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                StreamEvent e;
                StatusCode got = Take(cancellationToken.CanBeCanceled ? Slice : -1, true, out e);
                if (got == StatusCode.Cancelled)
                {
                    yield break;
                }
                if (got == StatusCode.Ok)
                {
                    yield return e;
                }
            }
        }

        /// <summary>The stream's counters.</summary>
        public StreamStats Stats()
        {
            var stats = new EtnaStreamStats();
            stats.StructSize = (uint)Marshal.SizeOf(typeof(EtnaStreamStats));
            IntPtr err;
            int status = Native.etna_stream_stats(handle, ref stats, out err);
            EtnaException.Check(status, err);
            return new StreamStats(stats);
        }

        /// <summary>How long silence is tolerated (`staleAfter`, at least 100 ms; then a ping, and
        /// as long again without an answer replaces the connection) and how reconnects back off
        /// (from `reconnectMin`, doubling with jitter, up to `reconnectMax`). Defaults 30 s,
        /// 250 ms, 30 s. InvalidArgument out of range.</summary>
        public void SetTiming(TimeSpan staleAfter, TimeSpan reconnectMin, TimeSpan reconnectMax)
        {
            IntPtr err;
            int status = Native.etna_stream_set_timing(handle, Session.Millis(staleAfter, "staleAfter"),
                                                       Session.Millis(reconnectMin, "reconnectMin"),
                                                       Session.Millis(reconnectMax, "reconnectMax"), out err);
            EtnaException.Check(status, err);
        }

        /// <summary>Closes the stream, from any thread: its connection is shut, a reader waiting
        /// in TryNext or Events wakes, and the events already queued (ending with State Closed) can
        /// still be read; then TryNext throws Cancelled and Events ends. Closing again, or closing
        /// a disposed stream, does nothing.</summary>
        public void Close()
        {
            if (handle.IsClosed)
            {
                return;
            }
            try
            {
                IntPtr err;
                int status = Native.etna_stream_close(handle, out err);
                EtnaException.Check(status, err);
            }
            catch (ObjectDisposedException)
            {
                // Disposed meanwhile: closed as well.
            }
        }

        /// <summary>The C handle, still owned by this Stream, for calls this file does not wrap.</summary>
        public StreamHandle Handle
        {
            get { return handle; }
        }

        /// <summary>Closes the stream (waking any reader) and frees it once no call on it is
        /// running.</summary>
        public void Dispose()
        {
            Close();
            handle.Dispose();
        }

        // One etna_stream_next: Ok with the event, Timeout, or Cancelled at the end of the stream
        // (and, when `endWhenDisposed`, once the stream is disposed); throws for anything else.
        private StatusCode Take(int timeoutMs, bool endWhenDisposed, out StreamEvent e)
        {
            e = null;
            ResultHandle result;
            IntPtr err;
            int status;
            try
            {
                status = Native.etna_stream_next(handle, timeoutMs, out result, out err);
            }
            catch (ObjectDisposedException)
            {
                if (endWhenDisposed)
                {
                    return StatusCode.Cancelled;
                }
                throw;
            }
            if (status == (int)StatusCode.Ok && result != null && !result.IsInvalid)
            {
                e = StreamEvent.Read(result);
                return StatusCode.Ok;
            }
            if (result != null)
            {
                result.Dispose(); // on failure libetna wrote no result: an empty handle
            }
            if (status == (int)StatusCode.Timeout)
            {
                Native.etna_error_free(err);
                return StatusCode.Timeout;
            }
            if (status == (int)StatusCode.Cancelled && endWhenDisposed)
            {
                Native.etna_error_free(err);
                return StatusCode.Cancelled;
            }
            EtnaException.Check(status, err);
            throw new EtnaException(StatusCode.Protocol, "libetna answered with no event");
        }
    }

    /// <summary>One page of a paged answer (orders, positions, transactions, options, equities, price
    /// alerts).</summary>
    public sealed class Page<T>
    {
        internal Page(IReadOnlyList<T> items, long totalCount, int? nextPage, string json)
        {
            Items = items;
            TotalCount = totalCount;
            NextPage = nextPage;
            Json = json;
        }

        public IReadOnlyList<T> Items { get; }
        /// <summary>The broker's TotalCount: items on every page together.</summary>
        public long TotalCount { get; }
        /// <summary>The page to ask for next; null on the last page.</summary>
        public int? NextPage { get; }
        /// <summary>The broker's whole answer.</summary>
        public string Json { get; }
    }

    /// <summary>Reads libetna's C items: the mirrors below, checked against their size, and their
    /// fields as the classes above hold them.</summary>
    internal static class Structs
    {
        private static readonly DateTime Epoch = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        private static readonly long MinMs = (long)(DateTime.MinValue - Epoch).TotalMilliseconds;
        private static readonly long MaxMs = (long)(DateTime.MaxValue - Epoch).TotalMilliseconds;

        /// <summary>The item at `p`. Its struct_size says how much of it libetna wrote: a library
        /// older than this file writes a shorter struct, whose missing fields read as absent (NaN,
        /// null, -1, 0 for an instant) rather than from memory past its end.</summary>
        internal static T Read<T>(IntPtr p) where T : struct
        {
            int size = Marshal.SizeOf(typeof(T));
            long have = (uint)Marshal.ReadInt32(p); // struct_size, the first field of every item
            if (have >= size)
            {
                return (T)Marshal.PtrToStructure(p, typeof(T));
            }
            object item = new T();
            foreach (FieldInfo field in typeof(T).GetFields(BindingFlags.Public | BindingFlags.Instance))
            {
                int offset = Marshal.OffsetOf(typeof(T), field.Name).ToInt32();
                Type type = field.FieldType;
                bool present = offset + Marshal.SizeOf(type) <= have;
                object value;
                if (type == typeof(uint))
                {
                    value = (uint)Marshal.ReadInt32(p, offset);
                }
                else if (type == typeof(IntPtr))
                {
                    value = present ? Marshal.ReadIntPtr(p, offset) : IntPtr.Zero;
                }
                else if (type == typeof(double))
                {
                    value = present ? BitConverter.Int64BitsToDouble(Marshal.ReadInt64(p, offset)) : double.NaN;
                }
                else if (type == typeof(long))
                {
                    long absent = field.Name.EndsWith("Ms", StringComparison.Ordinal) ? 0 : -1;
                    value = present ? Marshal.ReadInt64(p, offset) : absent;
                }
                else if (type == typeof(int))
                {
                    value = present ? Marshal.ReadInt32(p, offset) : -1;
                }
                else if (type == typeof(UIntPtr))
                {
                    value = present ? new UIntPtr((ulong)Marshal.ReadIntPtr(p, offset).ToInt64()) : UIntPtr.Zero;
                }
                else
                {
                    throw new NotSupportedException(typeof(T).Name + "." + field.Name + ": no reader for " + type);
                }
                field.SetValue(item, value);
            }
            return (T)item;
        }

        internal static string Text(IntPtr p)
        {
            return Utf8.Read(p) ?? "";
        }

        internal static double? Number(double v)
        {
            return double.IsNaN(v) ? (double?)null : v;
        }

        /// <summary>Unix milliseconds as a UTC DateTime; null for 0 (unset).</summary>
        internal static DateTime? Instant(long ms)
        {
            if (ms == 0 || ms < MinMs || ms > MaxMs)
            {
                return null;
            }
            return Epoch.AddTicks(ms * TimeSpan.TicksPerMillisecond);
        }

        /// <summary>"AAPL;MSFT" as its tickers; "" as none.</summary>
        internal static string[] Symbols(string joined)
        {
            return joined.Length == 0 ? new string[0] : joined.Split(';');
        }

        internal static bool? Flag(int v)
        {
            return v < 0 ? (bool?)null : v != 0;
        }

        /// <summary>An enumeration's code; Unknown (-1) for a code this binding does not know.</summary>
        internal static T Code<T>(int v)
        {
            return (T)Enum.ToObject(typeof(T), Enum.IsDefined(typeof(T), v) ? v : -1);
        }

        /// <summary>The items of `r`, which must be of `kind`.</summary>
        internal static IntPtr[] Pointers(ResultHandle r, ResultKind kind, Func<ResultHandle, UIntPtr, IntPtr> get)
        {
            if (Native.etna_result_kind(r) != (int)kind)
            {
                throw new EtnaException(StatusCode.Protocol,
                                        "libetna answered with items that are not of kind " + kind);
            }
            ulong n = (ulong)Native.etna_result_len(r);
            var items = new IntPtr[n];
            for (ulong i = 0; i < n; i++)
            {
                items[i] = get(r, new UIntPtr(i));
                if (items[i] == IntPtr.Zero)
                {
                    throw new EtnaException(StatusCode.Protocol, "libetna lost " + kind + " " + i);
                }
            }
            return items;
        }

        /// <summary>Every item of `r`, made into a T from its C struct S.</summary>
        internal static T[] All<S, T>(ResultHandle r, ResultKind kind, Func<ResultHandle, UIntPtr, IntPtr> get,
                                      Func<S, T> make) where S : struct
        {
            IntPtr[] pointers = Pointers(r, kind, get);
            var items = new T[pointers.Length];
            for (int i = 0; i < pointers.Length; i++)
            {
                items[i] = make(Read<S>(pointers[i]));
            }
            return items;
        }

        /// <summary>The one item of `r` (the first, should the broker send more).</summary>
        internal static T One<S, T>(ResultHandle r, ResultKind kind, Func<ResultHandle, UIntPtr, IntPtr> get,
                                    Func<S, T> make) where S : struct
        {
            T[] items = All(r, kind, get, make);
            if (items.Length == 0)
            {
                throw new EtnaException(StatusCode.Protocol, "the broker's answer holds no " + kind);
            }
            return items[0];
        }

        /// <summary>`r` as a page of T.</summary>
        internal static Page<T> PageOf<S, T>(ResultHandle r, ResultKind kind, Func<ResultHandle, UIntPtr, IntPtr> get,
                                             Func<S, T> make) where S : struct
        {
            T[] items = All(r, kind, get, make);
            int next = Native.etna_result_next_page(r);
            return new Page<T>(items, Native.etna_result_total_count(r), next < 0 ? (int?)null : next,
                               Utf8.Read(Native.etna_result_json(r)) ?? "");
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

        /// <summary>Places, replaces and cancels orders through the broker's "sync" order routes
        /// (true), which the venue validates too before the broker answers, or through the quick
        /// ones (false, the default). Applies to calls that start afterwards.</summary>
        public void SetSyncOrders(bool enabled)
        {
            IntPtr err;
            int status = Native.etna_session_set_sync_orders(handle, enabled ? 1 : 0, out err);
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
        // Request does, and hands back typed values (the classes above; each keeps the broker's
        // JSON in Json). The libetna result behind an answer is freed before the method returns
        // (a Balances keeps its own). Paging: pageNumber from 0, pageSize 1 to 100 (1 to 99 for
        // positions, the broker's limit); ask for Page.NextPage until it is null. Orders are checked
        // before anything is sent: a bad one throws InvalidArgument and reaches no broker.

        /// <summary>The logged-in user.</summary>
        public User UserInfo()
        {
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_get_user_info(handle, out res, out err)))
            {
                return Structs.One<EtnaUser, User>(r, ResultKind.User, Native.etna_result_user, s => new User(s));
            }
        }

        /// <summary>The user's accounts; each Id is an account id.</summary>
        public IReadOnlyList<Account> Accounts()
        {
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_get_accounts(handle, out res, out err)))
            {
                return Structs.All<EtnaAccount, Account>(r, ResultKind.Account, Native.etna_result_account,
                                                         s => new Account(s));
            }
        }

        /// <summary>One account's full record: the Account fields it carries, and all of it in Json.
        /// An account that does not exist throws EtnaException with HttpStatus 404.</summary>
        public Account Account(long accountId)
        {
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_get_account(handle, accountId, out res, out err)))
            {
                return Structs.One<EtnaAccount, Account>(r, ResultKind.Account, Native.etna_result_account,
                                                         s => new Account(s));
            }
        }

        /// <summary>An account's balances; Balances.Value reads any number the broker sent by name.</summary>
        public Balances AccountInfo(long accountId)
        {
            return Kept((out ResultHandle res, out IntPtr err) =>
                        Native.etna_get_account_info(handle, accountId, out res, out err),
                        ResultKind.Balances, Native.etna_result_balances, (r, item) => new Balances(r, item));
        }

        /// <summary>All the user's accounts together: AccountInfo's balances, added up.</summary>
        public Balances UserBalances()
        {
            return Kept((out ResultHandle res, out IntPtr err) =>
                        Native.etna_get_user_balances(handle, out res, out err),
                        ResultKind.UserBalance, Native.etna_result_balances, (r, item) => new Balances(r, item));
        }

        /// <summary>An account's opening record (who opened it, when, how):
        /// details.Find("CreatedAt"). Another user's account throws Http (401).</summary>
        public Record AccountDetails(long accountId)
        {
            return RecordOf((out ResultHandle res, out IntPtr err) =>
                            Native.etna_get_account_details(handle, accountId, out res, out err));
        }

        private Record RecordOf(ResultCall call)
        {
            return Kept(call, ResultKind.Record, Native.etna_result_record, (r, item) => new Record(r, item));
        }

        /// <summary>The one item of `call`'s result made into a T that keeps the result alive (for
        /// Balances.Value, Record.Find): the result is freed with the T, or here if making it fails.</summary>
        private static T Kept<T>(ResultCall call, ResultKind kind, Func<ResultHandle, UIntPtr, IntPtr> get,
                                 Func<ResultHandle, IntPtr, T> make)
        {
            ResultHandle r = TakeResult(call);
            try
            {
                IntPtr[] items = Structs.Pointers(r, kind, get);
                if (items.Length == 0)
                {
                    throw new EtnaException(StatusCode.Protocol, "the broker's answer holds no " + kind);
                }
                return make(r, items[0]);
            }
            catch
            {
                r.Dispose();
                throw;
            }
        }

        /// <summary>The user's trading settings:
        /// settings.Find("Instruments.Stocks.Quantity").</summary>
        public Record TradingSettings()
        {
            return RecordOf((out ResultHandle res, out IntPtr err) =>
                            Native.etna_get_trading_settings(handle, out res, out err));
        }

        /// <summary>Changes the trading settings `changesJson` names (a JSON object, e.g.
        /// {"Instruments":{"Stocks":{"Quantity":50}}}); answers the settings as they are then. A
        /// value of the wrong type throws Http (422) and changes nothing.</summary>
        public Record SetTradingSettings(string changesJson)
        {
            byte[] changes = Utf8.Arg(changesJson, "changesJson");
            return RecordOf((out ResultHandle res, out IntPtr err) =>
                            Native.etna_set_trading_settings(handle, changes, out res, out err));
        }

        /// <summary>One page of the account's positions.</summary>
        public Page<Position> Positions(long accountId, int pageNumber = 0, int pageSize = 50)
        {
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_get_positions(handle, accountId, pageNumber, pageSize,
                                                                         out res, out err)))
            {
                return Structs.PageOf<EtnaPosition, Position>(r, ResultKind.Position, Native.etna_result_position,
                                                              s => new Position(s));
            }
        }

        /// <summary>The account's positions in one ticker; empty when there is none.</summary>
        public IReadOnlyList<Position> Position(long accountId, string symbol)
        {
            byte[] ticker = Utf8.Arg(symbol, "symbol");
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_get_position(handle, accountId, ticker, out res, out err)))
            {
                return Structs.All<EtnaPosition, Position>(r, ResultKind.Position, Native.etna_result_position,
                                                           s => new Position(s));
            }
        }

        /// <summary>One page of the account's transactions, newest first (fills are
        /// OrderExecution).</summary>
        public Page<Transaction> Transactions(long accountId, int pageNumber = 0, int pageSize = 50)
        {
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_get_transactions(handle, accountId, pageNumber, pageSize,
                                                                            out res, out err)))
            {
                return Structs.PageOf<EtnaTransaction, Transaction>(r, ResultKind.Transaction,
                                                                    Native.etna_result_transaction,
                                                                    s => new Transaction(s));
            }
        }

        /// <summary>One page of the account's orders; `filter` null or the broker's filter
        /// expression, e.g. "Status in (0,1)" (encoded by the library).</summary>
        public Page<Order> Orders(long accountId, string filter = null, int pageNumber = 0, int pageSize = 50)
        {
            byte[] f = filter == null ? null : Utf8.Arg(filter, "filter");
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_get_orders(handle, accountId, f, pageNumber, pageSize,
                                                                      out res, out err)))
            {
                return Structs.PageOf<EtnaOrder, Order>(r, ResultKind.Order, Native.etna_result_order,
                                                        s => new Order(s));
            }
        }

        /// <summary>The order with this ClientId, or null when the broker has none: then it was
        /// never accepted and may be sent again. Use it after an EtnaException whose ClientId is set
        /// (OutcomeUnknown above all) instead of placing the order twice. InvalidArgument for an
        /// empty id or one with quotes.</summary>
        public Order FindOrderByClientId(long accountId, string clientId)
        {
            byte[] id = Utf8.Arg(clientId, "clientId");
            ResultHandle result;
            IntPtr err;
            int status = Native.etna_find_order_by_client_id(handle, accountId, id, out result, out err);
            using (result)
            {
                if (status == (int)StatusCode.NotFound)
                {
                    Native.etna_error_free(err);
                    return null;
                }
                EtnaException.Check(status, err);
                return OrderOf(result);
            }
        }

        /// <summary>One order.</summary>
        public Order Order(long accountId, long orderId)
        {
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_get_order(handle, accountId, orderId, out res, out err)))
            {
                return OrderOf(r);
            }
        }

        /// <summary>Places an order from CreateOrderResource JSON, e.g.
        /// {"Symbol":"AAPL","Type":"Limit","Side":"Buy","Quantity":10,"Price":180,"TimeInForce":"Day"}.
        /// Returns the order as the broker took it (Id; Status starts at PendingNew: follow it with
        /// Order or WaitForOrder). Every order carries a ClientId (yours, or a new one); never
        /// retried. OutcomeUnknown means it may have reached the broker: the exception's ClientId is
        /// the key for FindOrderByClientId before sending it again.</summary>
        public Order PlaceOrder(long accountId, string orderJson)
        {
            byte[] order = Utf8.Arg(orderJson, "orderJson");
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_place_order(handle, accountId, order, out res, out err)))
            {
                return OrderOf(r);
            }
        }

        /// <summary>What an order would cost, without placing it. A business reject throws
        /// Rejected, whose ApiReason is the broker's ErrorDescription.</summary>
        public Preview PreviewOrder(long accountId, string orderJson)
        {
            byte[] order = Utf8.Arg(orderJson, "orderJson");
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_preview_order(handle, accountId, order, out res, out err)))
            {
                return Structs.One<EtnaPreview, Preview>(r, ResultKind.Preview, Native.etna_result_preview,
                                                         s => new Preview(s));
            }
        }

        /// <summary>What ReplaceOrder with these changes would cost, without changing the order.
        /// Throws Rejected when the broker would refuse the change, Http (404, 409) for an order it
        /// does not know or that can no longer change.</summary>
        public Preview PreviewReplaceOrder(long accountId, long orderId, string changesJson)
        {
            byte[] changes = Utf8.Arg(changesJson, "changesJson");
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_preview_replace_order(handle, accountId, orderId,
                                                                                 changes, out res, out err)))
            {
                return Structs.One<EtnaPreview, Preview>(r, ResultKind.Preview, Native.etna_result_preview,
                                                         s => new Preview(s));
            }
        }

        /// <summary>Changes an open order with ModifyOrderResource JSON, e.g. {"Price":181.5} (Id
        /// is filled in), and returns it as the broker now has it: use its Id from then on (the
        /// broker may give it a new one; the old id ends as Replaced). Throws Rejected for a
        /// business reject, Http with HttpStatus 409 when the order can no longer change.</summary>
        public Order ReplaceOrder(long accountId, long orderId, string changesJson)
        {
            byte[] changes = Utf8.Arg(changesJson, "changesJson");
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_replace_order(handle, accountId, orderId, changes,
                                                                         out res, out err)))
            {
                return OrderOf(r);
            }
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
        /// and returns it (read its Status). Throws Timeout if it is still open after `timeout`,
        /// Cancelled when Cancel interrupts it.</summary>
        public Order WaitForOrder(long accountId, long orderId, TimeSpan timeout)
        {
            uint ms = Millis(timeout, "timeout");
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_wait_for_order(handle, accountId, orderId, ms,
                                                                          out res, out err)))
            {
                return OrderOf(r);
            }
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

        /// <summary>One equity by ticker. An unknown ticker throws Http (404).</summary>
        public Security Equity(string symbol)
        {
            byte[] ticker = Utf8.Arg(symbol, "symbol");
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_get_equity(handle, ticker, out res, out err)))
            {
                return Structs.One<EtnaSecurity, Security>(r, ResultKind.Security, Native.etna_result_security,
                                                           s => new Security(s));
            }
        }

        /// <summary>Up to `count` (>= 1) equities matching `mask`.</summary>
        public IReadOnlyList<Security> LookupEquities(string mask, int count = 10)
        {
            byte[] m = Utf8.Arg(mask, "mask");
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_lookup_equities(handle, m, count, out res, out err)))
            {
                return Structs.All<EtnaSecurity, Security>(r, ResultKind.Security, Native.etna_result_security,
                                                           s => new Security(s));
            }
        }

        /// <summary>Candles, oldest first, for a ChartHistoryRequestModel (see
        /// etna_get_price_history). No data throws Http (409).</summary>
        public IReadOnlyList<Candle> PriceHistory(string requestJson)
        {
            byte[] request = Utf8.Arg(requestJson, "requestJson");
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_get_price_history(handle, request, out res, out err)))
            {
                return Structs.All<EtnaCandle, Candle>(r, ResultKind.Candle, Native.etna_result_candle,
                                                       s => new Candle(s));
            }
        }

        /// <summary>The candles of a ChartHistoryRequestModel (as for PriceHistory) as a spreadsheet
        /// file: the bytes of the .xlsx workbook the broker answers. No data throws Http
        /// (409).</summary>
        public byte[] ExportPriceHistory(string requestJson)
        {
            byte[] request = Utf8.Arg(requestJson, "requestJson");
            IntPtr data;
            UIntPtr len;
            IntPtr err;
            int status = Native.etna_export_price_history(handle, request, out data, out len, out err);
            EtnaException.Check(status, err);
            try
            {
                var bytes = new byte[(ulong)len];
                if (bytes.Length > 0)
                {
                    Marshal.Copy(data, bytes, 0, bytes.Length);
                }
                return bytes;
            }
            finally
            {
                Native.etna_bytes_free(data);
            }
        }

        /// <summary>Candles of several securities for a ChartCompareRequestModel (see
        /// etna_compare_price_history): each security's candles oldest first, in the order asked;
        /// Candle.Series says which. An unknown symbol or no data throws Http (409).</summary>
        public IReadOnlyList<Candle> ComparePriceHistory(string requestJson)
        {
            byte[] request = Utf8.Arg(requestJson, "requestJson");
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_compare_price_history(handle, request, out res, out err)))
            {
                return Structs.All<EtnaCandle, Candle>(r, ResultKind.Candle, Native.etna_result_candle,
                                                       s => new Candle(s));
            }
        }

        /// <summary>The streamer addresses, quote streamers first.</summary>
        public IReadOnlyList<Streamer> Streamers()
        {
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_get_streamers(handle, out res, out err)))
            {
                return Structs.All<EtnaStreamer, Streamer>(r, ResultKind.Streamer, Native.etna_result_streamer,
                                                           s => new Streamer(s));
            }
        }

        /// <summary>Opens a stream of live events (see Stream): StreamKind.Quotes for quotes,
        /// StreamKind.Data for orders, positions, balances and watchlists. Throws EtnaException
        /// (see the Stream constructor).</summary>
        public Stream OpenStream(StreamKind kind)
        {
            return new Stream(this, kind);
        }

        /// <summary>The user's watchlists with their securities.</summary>
        public IReadOnlyList<Watchlist> Watchlists()
        {
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_get_watchlists(handle, out res, out err)))
            {
                return Structs.All<EtnaWatchlist, Watchlist>(r, ResultKind.Watchlist, Native.etna_result_watchlist,
                                                             s => new Watchlist(s));
            }
        }

        /// <summary>One watchlist with its securities. One that does not exist throws Http
        /// (404).</summary>
        public Watchlist Watchlist(long watchlistId)
        {
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_get_watchlist(handle, watchlistId, out res, out err)))
            {
                return Structs.One<EtnaWatchlist, Watchlist>(r, ResultKind.Watchlist, Native.etna_result_watchlist,
                                                             s => new Watchlist(s));
            }
        }

        /// <summary>Creates an empty watchlist and returns it (its Id is what the calls below
        /// take). A name already in use throws Http (409).</summary>
        public Watchlist CreateWatchlist(string name)
        {
            byte[] n = Utf8.Arg(name, "name");
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_create_watchlist(handle, n, out res, out err)))
            {
                return Structs.One<EtnaWatchlist, Watchlist>(r, ResultKind.Watchlist, Native.etna_result_watchlist,
                                                             s => new Watchlist(s));
            }
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

        /// <summary>Renames a watchlist (1 to 256 bytes). A read-only one throws Http (409).</summary>
        public void RenameWatchlist(long watchlistId, string name)
        {
            IntPtr err;
            int status = Native.etna_rename_watchlist(handle, watchlistId, Utf8.Arg(name, "name"), out err);
            EtnaException.Check(status, err);
        }

        /// <summary>Adds the security with id `securityId` to a watchlist. An unknown id throws
        /// Http (404).</summary>
        public void AddToWatchlistById(long watchlistId, long securityId)
        {
            IntPtr err;
            int status = Native.etna_add_to_watchlist_by_id(handle, watchlistId, securityId, out err);
            EtnaException.Check(status, err);
        }

        /// <summary>Removes the security with id `securityId` from a watchlist.</summary>
        public void RemoveFromWatchlistById(long watchlistId, long securityId)
        {
            IntPtr err;
            int status = Native.etna_remove_from_watchlist_by_id(handle, watchlistId, securityId, out err);
            EtnaException.Check(status, err);
        }

        // Options. An option order goes through PlaceOrder and PreviewOrder: one leg as an equity
        // order with the option's Symbol; a spread with Symbol "", Type Market or Limit (a net
        // Price) and Legs [{Symbol, Quantity, Side}, ...].

        /// <summary>One option by its OSI symbol ("AAPL  261218C00190000") or its id as text. An
        /// unknown one throws Http (404).</summary>
        public OptionContract Option(string symbolOrId)
        {
            byte[] key = Utf8.Arg(symbolOrId, "symbolOrId");
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_get_option(handle, key, out res, out err)))
            {
                return Structs.One<EtnaOption, OptionContract>(r, ResultKind.Option, Native.etna_result_option,
                                                               s => new OptionContract(s));
            }
        }

        /// <summary>One option by its id.</summary>
        public OptionContract Option(long optionId)
        {
            return Option(optionId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        /// <summary>The expirations of an underlying's options, earliest first.</summary>
        public IReadOnlyList<Expiration> OptionExpirations(string underlying)
        {
            byte[] u = Utf8.Arg(underlying, "underlying");
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_get_option_expirations(handle, u, out res, out err)))
            {
                return Structs.All<EtnaExpiration, Expiration>(r, ResultKind.Expiration,
                                                               Native.etna_result_expiration,
                                                               s => new Expiration(s));
            }
        }

        /// <summary>An underlying's option chain: every option of every expiration listed;
        /// `filter` null or the broker's filter, e.g. "Range = 1" (strikes near the money) or
        /// "Expiration = #2026-12-18T00:00:00Z#".</summary>
        public IReadOnlyList<OptionContract> OptionChain(string underlying, string filter = null)
        {
            byte[] u = Utf8.Arg(underlying, "underlying");
            byte[] f = filter == null ? null : Utf8.Arg(filter, "filter");
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_get_option_chain(handle, u, f, out res, out err)))
            {
                return Structs.All<EtnaOption, OptionContract>(r, ResultKind.Option, Native.etna_result_option,
                                                               s => new OptionContract(s));
            }
        }

        /// <summary>One page of every listed option; `filter` null or the broker's filter
        /// expression (e.g. "UnderlyingAssetSymbol = 'AAPL'").</summary>
        public Page<OptionContract> Options(string filter = null, int pageNumber = 0, int pageSize = 50)
        {
            byte[] f = filter == null ? null : Utf8.Arg(filter, "filter");
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_get_options(handle, f, pageNumber, pageSize, out res,
                                                                       out err)))
            {
                return Structs.PageOf<EtnaOption, OptionContract>(r, ResultKind.Option, Native.etna_result_option,
                                                                  s => new OptionContract(s));
            }
        }

        /// <summary>One page of every equity; `filter` null or the broker's filter
        /// expression.</summary>
        public Page<Security> Equities(string filter = null, int pageNumber = 0, int pageSize = 50)
        {
            byte[] f = filter == null ? null : Utf8.Arg(filter, "filter");
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_get_equities(handle, f, pageNumber, pageSize, out res,
                                                                        out err)))
            {
                return Structs.PageOf<EtnaSecurity, Security>(r, ResultKind.Security, Native.etna_result_security,
                                                              s => new Security(s));
            }
        }

        // Price alerts: the broker watches a price for the user.

        /// <summary>One page of the user's price alerts, oldest first.</summary>
        public Page<PriceAlert> PriceAlerts(int pageNumber = 0, int pageSize = 50)
        {
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_get_price_alerts(handle, pageNumber, pageSize, out res,
                                                                            out err)))
            {
                return Structs.PageOf<EtnaPriceAlert, PriceAlert>(r, ResultKind.PriceAlert,
                                                                  Native.etna_result_price_alert,
                                                                  s => new PriceAlert(s));
            }
        }

        /// <summary>One price alert. An unknown one throws Http (404).</summary>
        public PriceAlert PriceAlert(long alertId)
        {
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_get_price_alert(handle, alertId, out res, out err)))
            {
                return AlertOf(r);
            }
        }

        /// <summary>Creates a price alert from JSON and returns it, e.g.
        /// {"SecurityId":1,"Field":"Last","Operator":"GTEQ","Argument":200,"State":"New","ExpirationDate":1798761600}
        /// (ExpirationDate in Unix seconds). JSON that is not an object throws InvalidArgument
        /// before any request.</summary>
        public PriceAlert CreatePriceAlert(string alertJson)
        {
            byte[] json = Utf8.Arg(alertJson, "alertJson");
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_create_price_alert(handle, json, out res, out err)))
            {
                return AlertOf(r);
            }
        }

        /// <summary>Changes a price alert with the same JSON as CreatePriceAlert (fields left out
        /// keep their values; {"State":"Stopped"} pauses it) and returns it as changed.</summary>
        public PriceAlert UpdatePriceAlert(long alertId, string alertJson)
        {
            byte[] json = Utf8.Arg(alertJson, "alertJson");
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_update_price_alert(handle, alertId, json, out res,
                                                                              out err)))
            {
                return AlertOf(r);
            }
        }

        /// <summary>Deletes a price alert. An unknown one throws Http (404).</summary>
        public void DeletePriceAlert(long alertId)
        {
            IntPtr err;
            int status = Native.etna_delete_price_alert(handle, alertId, out err);
            EtnaException.Check(status, err);
        }

        // Research and account history.

        /// <summary>News for a ticker, one item per story.</summary>
        public IReadOnlyList<News> News(string symbol)
        {
            byte[] ticker = Utf8.Arg(symbol, "symbol");
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_get_news(handle, ticker, out res, out err)))
            {
                return NewsOf(r);
            }
        }

        /// <summary>Corporate actions (dividends, splits, ...) for a ticker.</summary>
        public IReadOnlyList<News> CorporateActions(string symbol)
        {
            byte[] ticker = Utf8.Arg(symbol, "symbol");
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_get_corporate_actions(handle, ticker, out res, out err)))
            {
                return NewsOf(r);
            }
        }

        /// <summary>An account's value per day between two instants (a Local DateTime is
        /// converted to UTC, an Unspecified one taken as UTC). `from` after `to`, or either before
        /// the Unix epoch, throws InvalidArgument.</summary>
        public IReadOnlyList<HistoryPoint> AccountHistory(long accountId, DateTime from, DateTime to)
        {
            long fromMs = UnixMs(from);
            long toMs = UnixMs(to);
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_get_account_history(handle, accountId, fromMs, toMs,
                                                                               out res, out err)))
            {
                return Structs.All<EtnaHistoryPoint, HistoryPoint>(r, ResultKind.HistoryPoint,
                                                                   Native.etna_result_history_point,
                                                                   s => new HistoryPoint(s));
            }
        }

        /// <summary>An account's market value by asset class.</summary>
        public IReadOnlyList<PositionGroup> PositionGroups(long accountId)
        {
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_get_position_groups(handle, accountId, out res, out err)))
            {
                return Structs.All<EtnaPositionGroup, PositionGroup>(r, ResultKind.PositionGroup,
                                                                     Native.etna_result_position_group,
                                                                     s => new PositionGroup(s));
            }
        }

        /// <summary>An order's state history, oldest first: one item per state it went
        /// through.</summary>
        public IReadOnlyList<OrderDetail> OrderDetails(long accountId, long orderId)
        {
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_get_order_details(handle, accountId, orderId, out res,
                                                                             out err)))
            {
                return Structs.All<EtnaOrderDetail, OrderDetail>(r, ResultKind.OrderDetail,
                                                                 Native.etna_result_order_detail,
                                                                 s => new OrderDetail(s));
            }
        }

        /// <summary>The broker's verification of an order: whether it passes and what it
        /// costs.</summary>
        public Preview VerifiedOrder(long accountId, long orderId)
        {
            using (ResultHandle r = TakeResult((out ResultHandle res, out IntPtr err) =>
                                               Native.etna_get_verified_order(handle, accountId, orderId, out res,
                                                                              out err)))
            {
                return Structs.One<EtnaPreview, Preview>(r, ResultKind.Preview, Native.etna_result_preview,
                                                         s => new Preview(s));
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

        // A C call that hands back a string in its next-to-last parameter.
        private delegate int JsonCall(out IntPtr json, out IntPtr err);

        // Makes the call, throws unless it succeeded, and returns the string (freeing libetna's copy).
        private static string TakeJson(JsonCall call)
        {
            IntPtr json;
            IntPtr err;
            int status = call(out json, out err);
            EtnaException.Check(status, err); // on failure libetna wrote no string
            try
            {
                return Utf8.Read(json) ?? "";
            }
            finally
            {
                Native.etna_string_free(json);
            }
        }

        // A C call that hands back an EtnaResult in its next-to-last parameter.
        private delegate int ResultCall(out ResultHandle result, out IntPtr err);

        // Makes the call, throws unless it succeeded, and returns the result (which the caller
        // disposes).
        private static ResultHandle TakeResult(ResultCall call)
        {
            ResultHandle result;
            IntPtr err;
            int status = call(out result, out err);
            if (status != (int)StatusCode.Ok || result == null || result.IsInvalid)
            {
                if (result != null)
                {
                    result.Dispose(); // on failure libetna wrote no result: an empty handle
                }
                EtnaException.Check(status, err);
                throw new EtnaException(StatusCode.Protocol, "libetna answered with no result");
            }
            return result;
        }

        private static Order OrderOf(ResultHandle r)
        {
            return Structs.One<EtnaOrder, Order>(r, ResultKind.Order, Native.etna_result_order, s => new Order(s));
        }

        private static PriceAlert AlertOf(ResultHandle r)
        {
            return Structs.One<EtnaPriceAlert, PriceAlert>(r, ResultKind.PriceAlert, Native.etna_result_price_alert,
                                                           s => new PriceAlert(s));
        }

        private static IReadOnlyList<News> NewsOf(ResultHandle r)
        {
            return Structs.All<EtnaNews, News>(r, ResultKind.News, Native.etna_result_news, s => new News(s));
        }

        private static readonly DateTime Epoch = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        // Unix milliseconds of a DateTime: Local converted to UTC, Unspecified taken as UTC.
        internal static long UnixMs(DateTime t)
        {
            DateTime utc = t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t;
            return (utc.Ticks - Epoch.Ticks) / TimeSpan.TicksPerMillisecond;
        }

        // etna_session_cancel reports failure by status only (it has no EtnaError).
        private static void Check(int status)
        {
            EtnaException.Check(status, IntPtr.Zero);
        }

        internal static uint Millis(TimeSpan t, string name)
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

    // The C items of etna.h, field for field (tests/bindings/header.rs holds them to it). libetna
    // fills them; Structs.Read reads them, checking struct_size first.
#pragma warning disable 0649 // assigned by the marshaller
    [StructLayout(LayoutKind.Sequential)]
    internal struct EtnaUser
    {
        public uint StructSize;
        public long Id;
        public IntPtr Login;
        public IntPtr FirstName;
        public IntPtr MiddleName;
        public IntPtr LastName;
        public IntPtr Email;
        public IntPtr Role;
        public long AddedAtMs;
        public IntPtr Json;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct EtnaAccount
    {
        public uint StructSize;
        public long Id;
        public IntPtr Alias;
        public IntPtr ClearingAccount;
        public IntPtr ClearingFirm;
        public int MarginType;
        public int AccessType;
        public int Enabled;
        public IntPtr MarginTypeText;
        public IntPtr AccessTypeText;
        public IntPtr OwnerType;
        public IntPtr Currency;
        public IntPtr Json;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct EtnaBalances
    {
        public uint StructSize;
        public double Cash;
        public double NetCash;
        public double EquityTotal;
        public double NetLiquidity;
        public double StockBuyingPower;
        public double DayTradingBuyingPower;
        public double MaintenanceMargin;
        public double OpenPl;
        public double MarketValue;
        public IntPtr Json;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct EtnaPosition
    {
        public uint StructSize;
        public long Id;
        public long AccountId;
        public long SecurityId;
        public IntPtr Symbol;
        public double Quantity;
        public double AverageOpenPrice;
        public double CostBasis;
        public double RealizedProfitLoss;
        public long CreatedAtMs;
        public long ModifiedAtMs;
        public IntPtr Json;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct EtnaOrder
    {
        public uint StructSize;
        public long Id;
        public long AccountId;
        public long SecurityId;
        public IntPtr Symbol;
        public IntPtr ClientId;
        public int Side;
        public int Type;
        public int Status;
        public int TimeInForce;
        public double Quantity;
        public double Price;
        public double StopPrice;
        public double ExecutedQuantity;
        public double LeavesQuantity;
        public double AveragePrice;
        public double LastPrice;
        public double LastQuantity;
        public long CreatedAtMs;
        public long TransactionAtMs;
        public IntPtr Description;
        public IntPtr SideText;
        public IntPtr TypeText;
        public IntPtr StatusText;
        public IntPtr TimeInForceText;
        public IntPtr Json;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct EtnaPreview
    {
        public uint StructSize;
        public int IsSuccessful;
        public double Commission;
        public double Cost;
        public double NetCost;
        public double TotalCost;
        public IntPtr ErrorCodeText;
        public IntPtr ErrorText;
        public IntPtr Json;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct EtnaTransaction
    {
        public uint StructSize;
        public long Id;
        public long AccountId;
        public long OrderId;
        public long SecurityId;
        public long DateMs;
        public int Type;
        public IntPtr TypeText;
        public IntPtr Symbol;
        public double Quantity;
        public double Price;
        public double Value;
        public double Commission;
        public IntPtr Description;
        public IntPtr Json;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct EtnaSecurity
    {
        public uint StructSize;
        public long Id;
        public IntPtr Symbol;
        public IntPtr Description;
        public IntPtr Exchange;
        public IntPtr Currency;
        public IntPtr TypeText;
        public double TickSize;
        public long Precision;
        public int Enabled;
        public int AllowTrade;
        public int AllowMargin;
        public int AllowShort;
        public IntPtr Json;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct EtnaCandle
    {
        public uint StructSize;
        public long TimeMs;
        public double Open;
        public double High;
        public double Low;
        public double Close;
        public double Volume;
        public IntPtr Json;
        public int Series;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct EtnaRecord
    {
        public uint StructSize;
        public UIntPtr FieldCount;
        public IntPtr Json;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct EtnaField
    {
        public uint StructSize;
        public IntPtr Name;
        public int Kind;
        public IntPtr Text;
        public double Number;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct EtnaWatchlist
    {
        public uint StructSize;
        public long Id;
        public IntPtr Name;
        public IntPtr Description;
        public int Type;
        public int ReadOnly;
        public IntPtr TypeText;
        public long CreatedAtMs;
        public long ModifiedAtMs;
        public long SymbolCount;
        public IntPtr Symbols;
        public IntPtr Json;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct EtnaStreamer
    {
        public uint StructSize;
        public IntPtr Url;
        public IntPtr Type;
        public IntPtr SessionId;
        public int IsQuote;
        public IntPtr Json;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct EtnaQuote
    {
        public uint StructSize;
        public long SecurityId;
        public IntPtr Symbol;
        public double Bid;
        public double Ask;
        public double Last;
        public double BidSize;
        public double AskSize;
        public double Volume;
        public double Open;
        public double High;
        public double Low;
        public double Close;
        public long TimeMs;
        public IntPtr Json;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct EtnaStreamState
    {
        public uint StructSize;
        public int State;
        public IntPtr Reason;
        public long GapFromMs;
        public long GapToMs;
        public IntPtr Json;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct EtnaWatchlistContent
    {
        public uint StructSize;
        public long WatchlistId;
        public IntPtr AddedSymbols;
        public IntPtr RemovedSymbols;
        public IntPtr Json;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct EtnaOption
    {
        public uint StructSize;
        public long Id;
        public IntPtr Symbol;
        public IntPtr UnderlyingSymbol;
        public int OptionType;
        public IntPtr OptionTypeText;
        public long ExpirationMs;
        public int ExpirationType;
        public IntPtr ExpirationTypeText;
        public double Strike;
        public double ContractSize;
        public long SeriesId;
        public IntPtr Json;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct EtnaExpiration
    {
        public uint StructSize;
        public long ExpirationMs;
        public int ExpirationType;
        public IntPtr ExpirationTypeText;
        public long SeriesId;
        public IntPtr SeriesType;
        public IntPtr Json;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct EtnaPriceAlert
    {
        public uint StructSize;
        public long Id;
        public long SecurityId;
        public IntPtr Field;
        public IntPtr Operator;
        public double Argument;
        public int State;
        public IntPtr StateText;
        public long ExpirationMs;
        public IntPtr Json;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct EtnaNews
    {
        public uint StructSize;
        public IntPtr Key;
        public long DateMs;
        public IntPtr Source;
        public IntPtr Header;
        public IntPtr Content;
        public IntPtr Attachment;
        public IntPtr NewsId;
        public IntPtr Json;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct EtnaHistoryPoint
    {
        public uint StructSize;
        public long DateMs;
        public double Value;
        public IntPtr Json;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct EtnaPositionGroup
    {
        public uint StructSize;
        public IntPtr Name;
        public double MarketValue;
        public IntPtr Json;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct EtnaOrderDetail
    {
        public uint StructSize;
        public long Id;
        public long OrderId;
        public int Status;
        public IntPtr StatusText;
        public double ExecutedQuantity;
        public double LeavesQuantity;
        public double LastPrice;
        public double LastQuantity;
        public double AveragePrice;
        public long DateMs;
        public IntPtr Description;
        public IntPtr Json;
    }

    // Filled by etna_stream_stats (passed by reference, StructSize set first).
    [StructLayout(LayoutKind.Sequential)]
    internal struct EtnaStreamStats
    {
        public uint StructSize;
        public ulong Received;
        public ulong Delivered;
        public ulong Conflated;
        public ulong Queued;
        public ulong HighWater;
        public ulong Reconnects;
        public ulong Gaps;
        public long LastMessageAgeMs;
    }
#pragma warning restore 0649

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
        internal static extern int etna_session_set_sync_orders(SessionHandle session, int enabled, out IntPtr err);

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
        internal static extern int etna_get_user_info(SessionHandle session, out ResultHandle result, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_accounts(SessionHandle session, out ResultHandle result, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_account(SessionHandle session, long accountId, out ResultHandle result,
                                                    out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_account_info(SessionHandle session, long accountId, out ResultHandle result,
                                                         out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_positions(SessionHandle session, long accountId, int pageNumber,
                                                      int pageSize, out ResultHandle result, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_position(SessionHandle session, long accountId, byte[] symbol,
                                                     out ResultHandle result, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_transactions(SessionHandle session, long accountId, int pageNumber,
                                                         int pageSize, out ResultHandle result, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_orders(SessionHandle session, long accountId, byte[] filter,
                                                   int pageNumber, int pageSize, out ResultHandle result,
                                                   out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_find_order_by_client_id(SessionHandle session, long accountId,
                                                                byte[] clientId, out ResultHandle result,
                                                                out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_order(SessionHandle session, long accountId, long orderId,
                                                  out ResultHandle result, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_place_order(SessionHandle session, long accountId, byte[] orderJson,
                                                    out ResultHandle result, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_preview_order(SessionHandle session, long accountId, byte[] orderJson,
                                                      out ResultHandle result, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_preview_replace_order(SessionHandle session, long accountId, long orderId,
                                                              byte[] orderJson, out ResultHandle result,
                                                              out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_replace_order(SessionHandle session, long accountId, long orderId,
                                                      byte[] orderJson, out ResultHandle result, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_cancel_order(SessionHandle session, long accountId, long orderId,
                                                     out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_wait_for_order(SessionHandle session, long accountId, long orderId,
                                                       uint timeoutMs, out ResultHandle result, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_place_simple_order(SessionHandle session, long accountId, byte[] symbol,
                                                           byte[] side, byte[] type, double quantity, double price,
                                                           double stopPrice, byte[] timeInForce, out long orderId,
                                                           out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_equity(SessionHandle session, byte[] symbol, out ResultHandle result,
                                                   out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_lookup_equities(SessionHandle session, byte[] mask, int count,
                                                        out ResultHandle result, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_price_history(SessionHandle session, byte[] requestJson,
                                                          out ResultHandle result, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_streamers(SessionHandle session, out ResultHandle result, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_watchlists(SessionHandle session, out ResultHandle result, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_watchlist(SessionHandle session, long watchlistId, out ResultHandle result,
                                                      out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_create_watchlist(SessionHandle session, byte[] name, out ResultHandle result,
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
        internal static extern int etna_rename_watchlist(SessionHandle session, long watchlistId, byte[] name,
                                                         out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_add_to_watchlist_by_id(SessionHandle session, long watchlistId,
                                                               long securityId, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_remove_from_watchlist_by_id(SessionHandle session, long watchlistId,
                                                                    long securityId, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_option(SessionHandle session, byte[] symbolOrId,
                                                   out ResultHandle result, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_option_expirations(SessionHandle session, byte[] underlying,
                                                               out ResultHandle result, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_option_chain(SessionHandle session, byte[] underlying, byte[] filter,
                                                         out ResultHandle result, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_options(SessionHandle session, byte[] filter, int pageNumber,
                                                    int pageSize, out ResultHandle result, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_equities(SessionHandle session, byte[] filter, int pageNumber,
                                                     int pageSize, out ResultHandle result, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_price_alerts(SessionHandle session, int pageNumber, int pageSize,
                                                         out ResultHandle result, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_price_alert(SessionHandle session, long alertId,
                                                        out ResultHandle result, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_create_price_alert(SessionHandle session, byte[] alertJson,
                                                           out ResultHandle result, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_update_price_alert(SessionHandle session, long alertId, byte[] alertJson,
                                                           out ResultHandle result, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_delete_price_alert(SessionHandle session, long alertId, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_news(SessionHandle session, byte[] symbol, out ResultHandle result,
                                                 out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_corporate_actions(SessionHandle session, byte[] symbol,
                                                              out ResultHandle result, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_account_history(SessionHandle session, long accountId, long fromMs,
                                                            long toMs, out ResultHandle result, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_position_groups(SessionHandle session, long accountId,
                                                            out ResultHandle result, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_order_details(SessionHandle session, long accountId, long orderId,
                                                          out ResultHandle result, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_verified_order(SessionHandle session, long accountId, long orderId,
                                                           out ResultHandle result, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_result_kind(ResultHandle r);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern UIntPtr etna_result_len(ResultHandle r);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern long etna_result_total_count(ResultHandle r);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_result_next_page(ResultHandle r);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr etna_result_json(ResultHandle r);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void etna_result_free(IntPtr r);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr etna_result_user(ResultHandle r, UIntPtr index);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr etna_result_account(ResultHandle r, UIntPtr index);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr etna_result_balances(ResultHandle r, UIntPtr index);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr etna_result_position(ResultHandle r, UIntPtr index);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr etna_result_order(ResultHandle r, UIntPtr index);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr etna_result_preview(ResultHandle r, UIntPtr index);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr etna_result_transaction(ResultHandle r, UIntPtr index);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr etna_result_security(ResultHandle r, UIntPtr index);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr etna_result_candle(ResultHandle r, UIntPtr index);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr etna_result_watchlist(ResultHandle r, UIntPtr index);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr etna_result_streamer(ResultHandle r, UIntPtr index);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr etna_result_quote(ResultHandle r, UIntPtr index);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr etna_result_stream_state(ResultHandle r, UIntPtr index);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr etna_result_watchlist_content(ResultHandle r, UIntPtr index);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr etna_result_option(ResultHandle r, UIntPtr index);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr etna_result_expiration(ResultHandle r, UIntPtr index);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr etna_result_price_alert(ResultHandle r, UIntPtr index);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr etna_result_news(ResultHandle r, UIntPtr index);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr etna_result_history_point(ResultHandle r, UIntPtr index);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr etna_result_position_group(ResultHandle r, UIntPtr index);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr etna_result_order_detail(ResultHandle r, UIntPtr index);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_stream_open(SessionHandle session, int kind, out StreamHandle stream,
                                                    out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_stream_subscribe(StreamHandle stream, byte[] entityType, byte[] keys,
                                                         out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_stream_unsubscribe(StreamHandle stream, byte[] entityType, byte[] keys,
                                                           out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_stream_subscribe_quotes(StreamHandle stream, byte[] tickers, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_stream_next(StreamHandle stream, int timeoutMs, out ResultHandle result,
                                                    out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_stream_stats(StreamHandle stream, ref EtnaStreamStats stats, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_stream_set_timing(StreamHandle stream, uint staleAfterMs, uint reconnectMinMs,
                                                          uint reconnectMaxMs, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_stream_close(StreamHandle stream, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void etna_stream_free(IntPtr stream);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr etna_result_record(ResultHandle r, UIntPtr index);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr etna_record_field(IntPtr record, UIntPtr index);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr etna_record_find(IntPtr record, byte[] name);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_user_balances(SessionHandle session, out ResultHandle result,
                                                          out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_account_details(SessionHandle session, long accountId,
                                                            out ResultHandle result, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_get_trading_settings(SessionHandle session, out ResultHandle result,
                                                             out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_set_trading_settings(SessionHandle session, byte[] changesJson,
                                                             out ResultHandle result, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_export_price_history(SessionHandle session, byte[] requestJson,
                                                             out IntPtr data, out UIntPtr len, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void etna_bytes_free(IntPtr data);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_compare_price_history(SessionHandle session, byte[] requestJson,
                                                              out ResultHandle result, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_balances_value(IntPtr balances, byte[] name, out double value, out IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int etna_order_status_is_final(int status);

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
