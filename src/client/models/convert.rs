//! One lenient reading of every field, for REST answers (numbers as numbers) and streamer
//! messages (every value a string: `"100.00000"`, `"False"`, epoch-ms strings) alike. A field of
//! an unexpected type never fails the answer: it reads as NaN, `-1`, `""` or 0, and the item's own
//! JSON still holds what the broker sent.

use super::time;
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// What a visitor (or the fast page reader, `scan`) saw, before a field's reading of it.
pub enum Scalar<'a> {
    Number(f64),
    Integer(i64),
    Bool(bool),
    Text(Cow<'a, str>),
    /// null, an object or an array.
    Other,
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Scalar::Integer(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(i64::try_from(v).map_or(Scalar::Number(v as f64), Scalar::Integer))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Scalar::Number(v))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Scalar::Text(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Scalar::Text(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Scalar::Text(Cow::Owned(v)))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Other)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Other)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }
}

fn scalar<'de, D: Deserializer<'de>>(d: D) -> Result<Scalar<'de>, D::Error> {
    d.deserialize_any(ScalarVisitor)
}

/// A number; NaN when absent, null or not a number (a numeric string is read: `"100.00000"`,
/// and 28-digit decimals lose only what a double cannot hold).
pub fn num<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(num_of(scalar(d)?))
}

pub fn num_of(s: Scalar) -> f64 {
    match s {
        Scalar::Number(v) => v,
        Scalar::Integer(v) => v as f64,
        Scalar::Text(t) => decimal(&t).unwrap_or(f64::NAN),
        Scalar::Bool(_) | Scalar::Other => f64::NAN,
    }
}

/// A number written as text, as the streamers write every price and size (`"100.00000"`).
pub fn decimal(text: &str) -> Option<f64> {
    let text = trimmed(text);
    plain_decimal(text).or_else(|| text.parse().ok())
}

/// `text` without surrounding white space; no work when there is none (the usual case).
pub fn trimmed(text: &str) -> &str {
    let plain = |b: Option<&u8>| b.is_some_and(|&b| b < 0x80 && !b.is_ascii_whitespace());
    let b = text.as_bytes();
    if plain(b.first()) && plain(b.last()) {
        text
    } else {
        text.trim()
    }
}

/// `[-]digits[.digits]` with at most 15 digits, read exactly: the digits as an integer (exact in
/// a double below 2^53) divided by a power of ten up to 10^15 (also exact), so the one rounding
/// of the division gives the correctly rounded value, as a full parse would. Anything else
/// (exponents, longer numbers) is left to the full parse. One loop over the bytes, a digit or
/// the one dot each (a quote's prices and sizes take `digits`' word-at-a-time way first).
fn plain_decimal(text: &str) -> Option<f64> {
    let (negative, b) = match text.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        all => (false, all),
    };
    let n = b.len();
    if n == 0 || n > 16 {
        return None;
    }
    // `dot`: the dot's place, `n` while none was seen. At most 16 digits: no overflow.
    let (mut mantissa, mut dot) = (0u64, n);
    for (i, &c) in b.iter().enumerate() {
        let digit = c.wrapping_sub(b'0');
        if digit < 10 {
            mantissa = mantissa * 10 + u64::from(digit);
        } else if c == b'.' && dot == n {
            dot = i;
        } else {
            return None;
        }
    }
    let scale = match dot {
        _ if dot == n => 0,
        // A dot first or last (`.5`, `5.`) is left to the full parse, which reads both.
        0 => return None,
        _ if dot + 1 == n => return None,
        _ => n - dot - 1,
    };
    let digits = n - usize::from(dot != n);
    (digits <= 15).then(|| exact_decimal(mantissa, scale, negative))
}

/// `mantissa / 10^scale` (at most 15 digits, `scale` at most 15): both exact in a double, so
/// the division's one rounding gives the correctly rounded value, as serde's and the standard
/// parsers give for such numbers.
pub fn exact_decimal(mantissa: u64, scale: usize, negative: bool) -> f64 {
    const POW10: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    debug_assert!(mantissa < 1 << 53, "at most 15 digits");
    // Through i64: one instruction, where u64 to f64 takes several on x86_64 (exact either way
    // below 2^53).
    let value = mantissa as i64 as f64 / POW10[scale];
    if negative { -value } else { value }
}

/// An id or count; -1 when absent or unreadable.
pub fn int<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Ok(int_of(scalar(d)?))
}

pub fn int_of(s: Scalar) -> i64 {
    match s {
        Scalar::Integer(v) => v,
        Scalar::Number(v) if v.fract() == 0.0 && v.abs() < 9.0e18 => v as i64,
        Scalar::Text(t) => parse_int(&t),
        _ => -1,
    }
}

/// An id or count written as text; -1 when it is not one.
pub fn parse_int(text: &str) -> i64 {
    let text = trimmed(text);
    text.parse()
        .ok()
        .or_else(|| {
            let v: f64 = text.parse().ok()?;
            (v.fract() == 0.0 && v.abs() < 9.0e18).then_some(v as i64)
        })
        .unwrap_or(-1)
}

/// Text; `""` for null, objects and arrays; numbers and booleans as they would be written.
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Cow<'de, str>, D::Error> {
    Ok(text_of(scalar(d)?))
}

pub fn text_of(s: Scalar) -> Cow<str> {
    match s {
        Scalar::Text(t) => t,
        Scalar::Integer(v) => Cow::Owned(v.to_string()),
        Scalar::Number(v) => Cow::Owned(v.to_string()),
        Scalar::Bool(v) => Cow::Borrowed(if v { "true" } else { "false" }),
        Scalar::Other => Cow::Borrowed(""),
    }
}

/// A flag as 1 or 0 (`true`, `"True"`, a non-zero number); -1 when absent or unreadable.
pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<i32, D::Error> {
    Ok(match scalar(d)? {
        Scalar::Bool(v) => i32::from(v),
        Scalar::Integer(v) => i32::from(v != 0),
        Scalar::Number(v) if !v.is_nan() => i32::from(v != 0.0),
        Scalar::Text(t) if t.eq_ignore_ascii_case("true") => 1,
        Scalar::Text(t) if t.eq_ignore_ascii_case("false") => 0,
        _ => -1,
    })
}

/// An instant as Unix milliseconds: ISO text, epoch-ms text or number; 0 when unset.
pub fn instant_ms<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Ok(instant_of(scalar(d)?))
}

pub fn instant_of(s: Scalar) -> i64 {
    match s {
        Scalar::Text(t) => time::instant_ms(&t),
        Scalar::Integer(v) => time::epoch_ms(v),
        Scalar::Number(v) if v.is_finite() => time::epoch_ms(v as i64),
        _ => 0,
    }
}

/// An instant given in Unix seconds (candles, news), as milliseconds.
pub fn seconds_ms<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Ok(match scalar(d)? {
        Scalar::Integer(v) => v.saturating_mul(1000),
        Scalar::Number(v) if v.is_finite() => (v * 1000.0) as i64,
        Scalar::Text(t) => match t.trim().parse::<f64>() {
            Ok(v) if v.is_finite() => (v * 1000.0) as i64,
            _ => time::instant_ms(&t),
        },
        _ => 0,
    })
}

/// An enumeration the broker writes as its name (REST) or its number (some answers, the
/// streamers): the code of `names` (index = code), -1 for a value the library does not know,
/// and the broker's spelling kept beside it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Named<'a> {
    pub code: i32,
    pub text: Cow<'a, str>,
}

impl<'a> Named<'a> {
    pub fn unknown() -> Named<'a> {
        Named {
            code: -1,
            text: Cow::Borrowed(""),
        }
    }

    pub fn into_owned(self) -> Named<'static> {
        Named {
            code: self.code,
            text: Cow::Owned(self.text.into_owned()),
        }
    }
}

/// Reads an enumeration against its documented names, in code order.
pub fn named<'de, D: Deserializer<'de>>(
    d: D,
    names: &'static [&'static str],
) -> Result<Named<'de>, D::Error> {
    Ok(named_of(scalar(d)?, names))
}

/// `named` from what was seen.
pub fn named_of<'a>(s: Scalar<'a>, names: &'static [&'static str]) -> Named<'a> {
    let by_number = |n: i64| {
        usize::try_from(n)
            .ok()
            .and_then(|i| names.get(i))
            .map_or(-1, |_| n as i32)
    };
    match s {
        Scalar::Text(t) => {
            // The broker's own spelling, the common case: no trimming, no case folding.
            if let Some(code) = names.iter().position(|n| **n == t) {
                return Named {
                    code: code as i32,
                    text: Cow::Borrowed(names[code]),
                };
            }
            let trimmed = trimmed(&t);
            let code = match names.iter().position(|n| n.eq_ignore_ascii_case(trimmed)) {
                Some(i) => i as i32,
                None => trimmed.parse::<i64>().map_or(-1, by_number),
            };
            // A number sent as text is kept with its name, so the text is always the name.
            let text = match usize::try_from(code).ok().and_then(|i| names.get(i)) {
                Some(name) if !name.eq_ignore_ascii_case(trimmed) => Cow::Borrowed(*name),
                _ => t,
            };
            Named { code, text }
        }
        Scalar::Integer(n) => {
            let code = by_number(n);
            let text = usize::try_from(code)
                .ok()
                .and_then(|i| names.get(i))
                .map_or_else(|| Cow::Owned(n.to_string()), |name| Cow::Borrowed(*name));
            Named { code, text }
        }
        _ => Named::unknown(),
    }
}

/// Declares a lenient reader for one enumeration: `fn side(d) -> Named` over `SIDES`.
macro_rules! named_reader {
    ($reader:ident, $names:ident) => {
        pub fn $reader<'de, D: serde::Deserializer<'de>>(
            d: D,
        ) -> std::result::Result<$crate::client::models::convert::Named<'de>, D::Error> {
            $crate::client::models::convert::named(d, $names)
        }
    };
}
pub(crate) use named_reader;

/// Defaults for absent fields.
pub fn nan() -> f64 {
    f64::NAN
}
pub fn minus_one() -> i64 {
    -1
}
pub fn minus_one_i32() -> i32 {
    -1
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Probe<'a> {
        #[serde(deserialize_with = "num", default = "nan")]
        n: f64,
        #[serde(deserialize_with = "int", default = "minus_one")]
        i: i64,
        #[serde(borrow, deserialize_with = "text", default)]
        t: Cow<'a, str>,
        #[serde(deserialize_with = "flag", default = "minus_one_i32")]
        f: i32,
        #[serde(deserialize_with = "instant_ms", default)]
        at: i64,
    }

    fn probe(json: &str) -> Probe<'_> {
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
    }

    #[test]
    fn rest_and_streamer_shapes_read_alike() {
        let rest =
            probe(r#"{"n":100.5,"i":7,"t":"AAPL","f":true,"at":"2019-02-25T13:33:40.9022856Z"}"#);
        let streamed =
            probe(r#"{"n":"100.50000","i":"7","t":"AAPL","f":"True","at":"1551101620902"}"#);
        for p in [&rest, &streamed] {
            assert_eq!(
                (p.n, p.i, p.t.as_ref(), p.f, p.at),
                (100.5, 7, "AAPL", 1, 1_551_101_620_902)
            );
        }
        let big = probe(r#"{"n":-0.05700775140829844330933239,"i":1e3}"#);
        assert!((big.n + 0.057_007_751_408_298_44).abs() < 1e-15);
        assert_eq!(big.i, 1000);
    }

    #[test]
    fn unexpected_types_and_absent_fields_read_as_unknown() {
        let absent = probe("{}");
        assert!(absent.n.is_nan());
        assert_eq!(
            (absent.i, absent.t.as_ref(), absent.f, absent.at),
            (-1, "", -1, 0)
        );
        let odd = probe(r#"{"n":{"x":1},"i":"seven","t":[1,2],"f":"maybe","at":false}"#);
        assert!(odd.n.is_nan());
        assert_eq!((odd.i, odd.t.as_ref(), odd.f, odd.at), (-1, "", -1, 0));
        let nulls = probe(r#"{"n":null,"i":null,"t":null,"f":null,"at":null}"#);
        assert!(nulls.n.is_nan());
        assert_eq!((nulls.i, nulls.t.as_ref(), nulls.f), (-1, "", -1));
        assert_eq!(probe(r#"{"t":12.5}"#).t, "12.5");
        assert_eq!(probe(r#"{"i":1.5}"#).i, -1);
    }

    #[test]
    fn numbers_in_text_read_exactly_as_a_full_parse_reads_them() {
        let mut texts: Vec<String> = [
            "100.00000",
            "0.1",
            "-0.0",
            "0",
            "007",
            "1.",
            ".5",
            "-",
            "",
            ".",
            "1e3",
            "+1",
            " 12.5 ",
            "1.2.3",
            "12a",
            "0.000000000000000000001",
            "123456789012345",
            "1234567890123456",
            "9007199254740993",
            "0.30000000000000004",
            "-304.25",
            "99999999999999.9",
            "1\u{a0}",
            "\u{2003}7",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        // Digit strings of every length with the point anywhere, from a fixed sequence.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let digits = (x % 10u64.pow((x >> 40) as u32 % 19 + 1)).to_string();
            let point = (x >> 20) as usize % (digits.len() + 1);
            texts.push(format!("-{}.{}", &digits[..point], &digits[point..]));
            texts.push(digits);
        }
        for text in texts {
            let full = text.trim().parse::<f64>().ok();
            let ours = decimal(&text);
            assert_eq!(ours.map(f64::to_bits), full.map(f64::to_bits), "{text:?}");
        }
    }

    #[test]
    fn enumerations_by_name_or_number_keep_the_brokers_spelling() {
        const NAMES: &[&str] = &["New", "PartiallyFilled", "Filled"];
        let read = |json: &str| {
            let mut d = serde_json::Deserializer::from_str(json);
            named(&mut d, NAMES).unwrap().into_owned()
        };
        assert_eq!(
            read(r#""Filled""#),
            Named {
                code: 2,
                text: "Filled".into()
            }
        );
        assert_eq!(
            read("1"),
            Named {
                code: 1,
                text: "PartiallyFilled".into()
            }
        );
        assert_eq!(
            read(r#""2""#),
            Named {
                code: 2,
                text: "Filled".into()
            }
        );
        assert_eq!(
            read(r#""Teleported""#),
            Named {
                code: -1,
                text: "Teleported".into()
            }
        );
        assert_eq!(
            read("77"),
            Named {
                code: -1,
                text: "77".into()
            }
        );
        assert_eq!(read("null"), Named::unknown());
        // Another case or stray spaces still find the code; the text is what the broker wrote.
        assert_eq!(
            read(r#"" filled""#),
            Named {
                code: 2,
                text: " filled".into()
            }
        );
    }
}
