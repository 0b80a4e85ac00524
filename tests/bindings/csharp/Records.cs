// How the C# tours print the typed values of Etna.cs: one line per value, every field by its C
// name, the item's JSON last (the format tests/bindings/support/records.rs reads and checks;
// tests/bindings/cpp/records.hpp prints the same for C++):
//
//   id=42|symbol=AAPL|status=2|status_text=Filled|average_price=180.25|...|json=<JSON>
//
// Numbers with round-trip precision, "-" for an absent number (null), an unset instant or an
// unknown flag; instants as Unix milliseconds (UTC); enumerations as their codes.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Etna;

internal sealed class Record
{
    private static readonly DateTime Epoch = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly StringBuilder text = new StringBuilder();

    public Record Text(string key, string value)
    {
        text.Append(text.Length == 0 ? "" : "|").Append(key).Append('=').Append(value);
        return this;
    }

    public Record Id(string key, long value)
    {
        return Text(key, value.ToString(CultureInfo.InvariantCulture));
    }

    public Record Number(string key, double? value)
    {
        return Text(key, Show.Number(value));
    }

    public Record Instant(string key, DateTime? value)
    {
        if (!value.HasValue)
        {
            return Text(key, "-");
        }
        if (value.Value.Kind != DateTimeKind.Utc)
        {
            return Text(key, "not-UTC"); // fails the check: instants are UTC
        }
        return Id(key, (value.Value - Epoch).Ticks / TimeSpan.TicksPerMillisecond);
    }

    public Record Flag(string key, bool? value)
    {
        return Text(key, value.HasValue ? (value.Value ? "1" : "0") : "-");
    }

    public Record Code(string key, int value)
    {
        return Id(key, value);
    }

    public string Json(string json)
    {
        Text("json", json);
        return text.ToString();
    }

    public override string ToString()
    {
        return text.ToString();
    }
}

internal static class Show
{
    public static string Number(double? value)
    {
        return value.HasValue ? value.Value.ToString("R", CultureInfo.InvariantCulture) : "-";
    }

    public static string Of(User u)
    {
        return new Record()
            .Id("id", u.Id)
            .Text("login", u.Login)
            .Text("first_name", u.FirstName)
            .Text("middle_name", u.MiddleName)
            .Text("last_name", u.LastName)
            .Text("email", u.Email)
            .Text("role", u.Role)
            .Instant("added_at_ms", u.AddedAt)
            .Json(u.Json);
    }

    public static string Of(Account a)
    {
        return new Record()
            .Id("id", a.Id)
            .Text("alias", a.Alias)
            .Text("clearing_account", a.ClearingAccount)
            .Text("clearing_firm", a.ClearingFirm)
            .Code("margin_type", (int)a.MarginType)
            .Code("access_type", (int)a.AccessType)
            .Flag("enabled", a.Enabled)
            .Text("margin_type_text", a.MarginTypeText)
            .Text("access_type_text", a.AccessTypeText)
            .Text("owner_type", a.OwnerType)
            .Text("currency", a.Currency)
            .Json(a.Json);
    }

    public static string Of(Balances b)
    {
        return new Record()
            .Number("cash", b.Cash)
            .Number("net_cash", b.NetCash)
            .Number("equity_total", b.EquityTotal)
            .Number("net_liquidity", b.NetLiquidity)
            .Number("stock_buying_power", b.StockBuyingPower)
            .Number("day_trading_buying_power", b.DayTradingBuyingPower)
            .Number("maintenance_margin", b.MaintenanceMargin)
            .Number("open_pl", b.OpenPl)
            .Number("market_value", b.MarketValue)
            .Json(b.Json);
    }

    public static string Of(Position p)
    {
        return new Record()
            .Id("id", p.Id)
            .Id("account_id", p.AccountId)
            .Id("security_id", p.SecurityId)
            .Text("symbol", p.Symbol)
            .Number("quantity", p.Quantity)
            .Number("average_open_price", p.AverageOpenPrice)
            .Number("cost_basis", p.CostBasis)
            .Number("realized_profit_loss", p.RealizedProfitLoss)
            .Instant("created_at_ms", p.CreatedAt)
            .Instant("modified_at_ms", p.ModifiedAt)
            .Json(p.Json);
    }

    public static string Of(Order o)
    {
        return new Record()
            .Id("id", o.Id)
            .Id("account_id", o.AccountId)
            .Id("security_id", o.SecurityId)
            .Text("symbol", o.Symbol)
            .Text("client_id", o.ClientId)
            .Code("side", (int)o.Side)
            .Code("type", (int)o.Type)
            .Code("status", (int)o.Status)
            .Code("time_in_force", (int)o.TimeInForce)
            .Number("quantity", o.Quantity)
            .Number("price", o.Price)
            .Number("stop_price", o.StopPrice)
            .Number("executed_quantity", o.ExecutedQuantity)
            .Number("leaves_quantity", o.LeavesQuantity)
            .Number("average_price", o.AveragePrice)
            .Number("last_price", o.LastPrice)
            .Number("last_quantity", o.LastQuantity)
            .Instant("created_at_ms", o.CreatedAt)
            .Instant("transaction_at_ms", o.TransactionAt)
            .Text("description", o.Description)
            .Text("side_text", o.SideText)
            .Text("type_text", o.TypeText)
            .Text("status_text", o.StatusText)
            .Text("time_in_force_text", o.TimeInForceText)
            .Json(o.Json);
    }

    public static string Of(Preview p)
    {
        return new Record()
            .Flag("is_successful", p.IsSuccessful)
            .Number("commission", p.Commission)
            .Number("cost", p.Cost)
            .Number("net_cost", p.NetCost)
            .Number("total_cost", p.TotalCost)
            .Text("error_code_text", p.ErrorCodeText)
            .Text("error_text", p.ErrorText)
            .Json(p.Json);
    }

    public static string Of(Transaction t)
    {
        return new Record()
            .Id("id", t.Id)
            .Id("account_id", t.AccountId)
            .Id("order_id", t.OrderId)
            .Id("security_id", t.SecurityId)
            .Instant("date_ms", t.Date)
            .Code("type", (int)t.Type)
            .Text("type_text", t.TypeText)
            .Text("symbol", t.Symbol)
            .Number("quantity", t.Quantity)
            .Number("price", t.Price)
            .Number("value", t.Value)
            .Number("commission", t.Commission)
            .Text("description", t.Description)
            .Json(t.Json);
    }

    public static string Of(Security s)
    {
        return new Record()
            .Id("id", s.Id)
            .Text("symbol", s.Symbol)
            .Text("description", s.Description)
            .Text("exchange", s.Exchange)
            .Text("currency", s.Currency)
            .Text("type_text", s.TypeText)
            .Number("tick_size", s.TickSize)
            .Id("precision", s.Precision)
            .Flag("enabled", s.Enabled)
            .Flag("allow_trade", s.AllowTrade)
            .Flag("allow_margin", s.AllowMargin)
            .Flag("allow_short", s.AllowShort)
            .Json(s.Json);
    }

    public static string Of(Candle c)
    {
        return new Record()
            .Instant("time_ms", c.Time)
            .Number("open", c.Open)
            .Number("high", c.High)
            .Number("low", c.Low)
            .Number("close", c.Close)
            .Number("volume", c.Volume)
            .Id("series", c.Series)
            .Json(c.Json);
    }

    // A record: how many fields and their names in order (each field's value is checked by the
    // steps that find it by name).
    public static string Of(Etna.Record r)
    {
        var names = new List<string>();
        foreach (Field f in r.Fields)
        {
            names.Add(f.Name);
        }
        return new Record()
            .Id("field_count", r.Fields.Count)
            .Text("names", string.Join(";", names))
            .Json(r.Json);
    }

    public static string Of(Watchlist w)
    {
        return new Record()
            .Id("id", w.Id)
            .Text("name", w.Name)
            .Text("description", w.Description)
            .Code("type", (int)w.Type)
            .Flag("read_only", w.ReadOnly)
            .Text("type_text", w.TypeText)
            .Instant("created_at_ms", w.CreatedAt)
            .Instant("modified_at_ms", w.ModifiedAt)
            .Id("symbol_count", w.Symbols.Count)
            .Text("symbols", string.Join(";", w.Symbols))
            .Json(w.Json);
    }

    public static string Of(Streamer s)
    {
        return new Record()
            .Text("url", s.Url)
            .Text("type", s.Type)
            .Text("session_id", s.SessionId)
            .Flag("is_quote", s.IsQuote)
            .Json(s.Json);
    }

    public static string Of(Quote q)
    {
        return new Record()
            .Id("security_id", q.SecurityId)
            .Text("symbol", q.Symbol)
            .Number("bid", q.Bid)
            .Number("ask", q.Ask)
            .Number("last", q.Last)
            .Number("bid_size", q.BidSize)
            .Number("ask_size", q.AskSize)
            .Number("volume", q.Volume)
            .Number("open", q.Open)
            .Number("high", q.High)
            .Number("low", q.Low)
            .Number("close", q.Close)
            .Instant("time_ms", q.Time)
            .Json(q.Json);
    }

    public static string Of(StreamState s)
    {
        return new Record()
            .Code("state", (int)s.State)
            .Text("reason", s.Reason)
            .Instant("gap_from_ms", s.GapFrom)
            .Instant("gap_to_ms", s.GapTo)
            .Json(s.Json);
    }

    public static string Of(WatchlistContent w)
    {
        return new Record()
            .Id("watchlist_id", w.WatchlistId)
            .Text("added_symbols", string.Join(";", w.AddedSymbols))
            .Text("removed_symbols", string.Join(";", w.RemovedSymbols))
            .Json(w.Json);
    }

    public static string Of(OptionContract o)
    {
        return new Record()
            .Id("id", o.Id)
            .Text("symbol", o.Symbol)
            .Text("underlying_symbol", o.UnderlyingSymbol)
            .Code("option_type", (int)o.OptionType)
            .Text("option_type_text", o.OptionTypeText)
            .Instant("expiration_ms", o.Expiration)
            .Code("expiration_type", (int)o.ExpirationType)
            .Text("expiration_type_text", o.ExpirationTypeText)
            .Number("strike", o.Strike)
            .Number("contract_size", o.ContractSize)
            .Id("series_id", o.SeriesId)
            .Json(o.Json);
    }

    public static string Of(Expiration e)
    {
        return new Record()
            .Instant("expiration_ms", e.Date)
            .Code("expiration_type", (int)e.ExpirationType)
            .Text("expiration_type_text", e.ExpirationTypeText)
            .Id("series_id", e.SeriesId)
            .Text("series_type", e.SeriesType)
            .Json(e.Json);
    }

    public static string Of(PriceAlert a)
    {
        return new Record()
            .Id("id", a.Id)
            .Id("security_id", a.SecurityId)
            .Text("field", a.Field)
            .Text("operator", a.Operator)
            .Number("argument", a.Argument)
            .Code("state", (int)a.State)
            .Text("state_text", a.StateText)
            .Instant("expiration_ms", a.Expiration)
            .Json(a.Json);
    }

    public static string Of(News n)
    {
        return new Record()
            .Text("key", n.Key)
            .Instant("date_ms", n.Date)
            .Text("source", n.Source)
            .Text("header", n.Header)
            .Text("content", n.Content)
            .Text("attachment", n.Attachment)
            .Text("news_id", n.NewsId)
            .Json(n.Json);
    }

    public static string Of(HistoryPoint h)
    {
        return new Record().Instant("date_ms", h.Date).Number("value", h.Value).Json(h.Json);
    }

    public static string Of(PositionGroup g)
    {
        return new Record().Text("name", g.Name).Number("market_value", g.MarketValue).Json(g.Json);
    }

    public static string Of(OrderDetail d)
    {
        return new Record()
            .Id("id", d.Id)
            .Id("order_id", d.OrderId)
            .Code("status", (int)d.Status)
            .Text("status_text", d.StatusText)
            .Number("executed_quantity", d.ExecutedQuantity)
            .Number("leaves_quantity", d.LeavesQuantity)
            .Number("last_price", d.LastPrice)
            .Number("last_quantity", d.LastQuantity)
            .Number("average_price", d.AveragePrice)
            .Instant("date_ms", d.Date)
            .Text("description", d.Description)
            .Json(d.Json);
    }

    // A stream's counters; "-" for a last message age not known yet.
    public static string Of(StreamStats s)
    {
        return new Record()
            .Text("received", s.Received.ToString(CultureInfo.InvariantCulture))
            .Text("delivered", s.Delivered.ToString(CultureInfo.InvariantCulture))
            .Text("conflated", s.Conflated.ToString(CultureInfo.InvariantCulture))
            .Text("queued", s.Queued.ToString(CultureInfo.InvariantCulture))
            .Text("high_water", s.HighWater.ToString(CultureInfo.InvariantCulture))
            .Text("reconnects", s.Reconnects.ToString(CultureInfo.InvariantCulture))
            .Text("gaps", s.Gaps.ToString(CultureInfo.InvariantCulture))
            .Text("last_message_age_ms", s.LastMessageAge.HasValue
                  ? ((long)s.LastMessageAge.Value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) : "-")
            .ToString();
    }

    // A list: "count=N", then one line "<name>[i]: <value>" per item.
    public static string List<T>(string name, IReadOnlyList<T> items, Func<T, string> show)
    {
        var text = new StringBuilder("count=" + items.Count.ToString(CultureInfo.InvariantCulture));
        for (int i = 0; i < items.Count; i++)
        {
            text.Append('\n').Append(name).Append('[').Append(i).Append("]: ").Append(show(items[i]));
        }
        return text.ToString();
    }

    // A page: "count=N|total=T|next=P|json=<page>", then its items as List prints them.
    public static string Page<T>(string name, Page<T> page, Func<T, string> show)
    {
        string head = new Record()
            .Id("count", page.Items.Count)
            .Id("total", page.TotalCount)
            .Text("next", page.NextPage.HasValue ? page.NextPage.Value.ToString(CultureInfo.InvariantCulture) : "-")
            .Json(page.Json);
        string items = List(name, page.Items, show);
        int newline = items.IndexOf('\n');
        return head + (newline < 0 ? "" : items.Substring(newline));
    }
}
