//! Answers whose shape the broker does not document field by field (an account's opening record,
//! a user's trading settings): read as records, every value under its path. Nothing is guessed
//! about which fields exist, and nothing the broker sent is lost.

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::borrow::Cow;
use std::fmt;

/// One object, flattened to its values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    /// In the order the broker wrote them.
    pub fields: Vec<Field>,
}

/// A value of a record (objects and arrays are not values: their members are).
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Object keys joined with `.`, array positions as `[i]`: `Instruments.Stocks.Quantity`,
    /// `Items[0].Name`.
    pub name: String,
    pub kind: FieldKind,
    /// Strings as sent, numbers in their shortest form (`100`, `0.5`), `true` or `false`, `""`
    /// for null.
    pub text: String,
    /// Numbers, numeric strings (`"100.5"`), booleans and the broker's `"True"`/`"False"` as
    /// 1 and 0; NaN for anything else.
    pub number: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    Number,
    Bool,
    Null,
}

impl Record {
    /// The field named `name` (ASCII case ignored: the broker's casing varies by route).
    pub fn find(&self, name: &str) -> Option<&Field> {
        self.fields
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }
}

impl<'de> Deserialize<'de> for Record {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut fields = Vec::new();
        Walk {
            path: &mut String::new(),
            out: &mut fields,
        }
        .deserialize(d)?;
        Ok(Record { fields })
    }
}

/// Reads one value at `path` into `out`, members in the order they come (a `serde_json::Value`
/// would sort object keys).
struct Walk<'p> {
    path: &'p mut String,
    out: &'p mut Vec<Field>,
}

impl Walk<'_> {
    fn leaf(self, kind: FieldKind, text: String, number: f64) {
        self.out.push(Field {
            name: self.path.clone(),
            kind,
            text,
            number,
        });
    }
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.leaf(FieldKind::Bool, v.to_string(), f64::from(u8::from(v)));
        Ok(())
    }

    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        self.leaf(FieldKind::Number, v.to_string(), v as f64);
        Ok(())
    }

    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        self.leaf(FieldKind::Number, v.to_string(), v as f64);
        Ok(())
    }

    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        self.leaf(FieldKind::Number, v.to_string(), v);
        Ok(())
    }

    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.leaf(FieldKind::Text, v.to_owned(), number_in(v));
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        self.leaf(FieldKind::Null, String::new(), f64::NAN);
        Ok(())
    }

    fn visit_none<E>(self) -> Result<(), E> {
        self.leaf(FieldKind::Null, String::new(), f64::NAN);
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let at = self.path.len();
        while let Some(key) = map.next_key::<Cow<str>>()? {
            if at > 0 {
                self.path.push('.');
            }
            self.path.push_str(&key);
            map.next_value_seed(Walk {
                path: &mut *self.path,
                out: &mut *self.out,
            })?;
            self.path.truncate(at);
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let at = self.path.len();
        for i in 0.. {
            self.path.push_str(&format!("[{i}]"));
            let more = seq
                .next_element_seed(Walk {
                    path: &mut *self.path,
                    out: &mut *self.out,
                })?
                .is_some();
            self.path.truncate(at);
            if !more {
                break;
            }
        }
        Ok(())
    }
}

fn number_in(text: &str) -> f64 {
    let text = text.trim();
    if text.eq_ignore_ascii_case("true") {
        return 1.0;
    }
    if text.eq_ignore_ascii_case("false") {
        return 0.0;
    }
    text.parse().unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(json: &str) -> Record {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn nested_objects_and_arrays_are_flattened_in_order() {
        let r = record(
            r#"{"Instruments":{"Stocks":{"Quantity":100,"AON":false}},"Items":[{"Name":"a"},7],
                "SkipVerifyOrder":"False","Max":"10000.5","Note":null,"Empty":{}}"#,
        );
        let names: Vec<&str> = r.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Instruments.Stocks.Quantity",
                "Instruments.Stocks.AON",
                "Items[0].Name",
                "Items[1]",
                "SkipVerifyOrder",
                "Max",
                "Note"
            ]
        );
        let q = r.find("instruments.stocks.quantity").unwrap();
        assert_eq!(
            (q.kind, q.text.as_str(), q.number),
            (FieldKind::Number, "100", 100.0)
        );
        let aon = r.find("Instruments.Stocks.AON").unwrap();
        assert_eq!(
            (aon.kind, aon.text.as_str(), aon.number),
            (FieldKind::Bool, "false", 0.0)
        );
        let skip = r.find("SkipVerifyOrder").unwrap();
        assert_eq!((skip.kind, skip.number), (FieldKind::Text, 0.0));
        assert_eq!(r.find("Max").unwrap().number, 10000.5);
        assert!(r.find("Items[0].Name").unwrap().number.is_nan());
        let note = r.find("Note").unwrap();
        assert_eq!((note.kind, note.text.as_str()), (FieldKind::Null, ""));
        assert!(note.number.is_nan());
        assert!(r.find("Instruments").is_none(), "an object is not a value");
    }

    #[test]
    fn a_bare_value_is_one_field_without_a_name() {
        let r = record("42");
        assert_eq!(r.fields.len(), 1);
        assert_eq!((r.fields[0].name.as_str(), r.fields[0].number), ("", 42.0));
    }
}
