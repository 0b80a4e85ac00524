//! A small JSON value that keeps object properties in insertion order.
//!
//! The broker (ASP.NET + Newtonsoft) writes properties in declaration order
//! and leaves out null properties. `serde_json::Value` sorts keys unless the
//! crate is built with `preserve_order`, which this crate cannot count on, so
//! bodies are built with this type and serde_json is used only for scalars.
//! Optional properties go through [`Obj::opt`], which leaves them out; an
//! explicit `Json::Null` is still written, because one documented error body
//! (`{"Model":null,...}`) carries it.

/// A JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Int(i64),
    Num(f64),
    Str(String),
    Arr(Vec<Json>),
    Obj(Obj),
}

/// An object whose properties are written in the order they were added.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Obj(Vec<(String, Json)>);

impl Obj {
    pub fn new() -> Obj {
        Obj(Vec::new())
    }

    /// Adds a property (builder style).
    pub fn with(mut self, key: &str, value: impl Into<Json>) -> Obj {
        self.0.push((key.to_string(), value.into()));
        self
    }

    /// The properties, in order.
    pub fn entries(&self) -> &[(String, Json)] {
        &self.0
    }

    /// Adds a property only when `value` is Some: absent rather than null.
    pub fn opt(self, key: &str, value: Option<impl Into<Json>>) -> Obj {
        match value {
            Some(v) => self.with(key, v),
            None => self,
        }
    }
}

impl Json {
    /// Compact JSON text, nulls in objects omitted.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Int(i) => out.push_str(&i.to_string()),
            Json::Num(n) => match serde_json::Number::from_f64(*n) {
                Some(num) => out.push_str(&num.to_string()),
                None => out.push_str("null"),
            },
            Json::Str(s) => write_str(s, out),
            Json::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Obj(Obj(props)) => {
                out.push('{');
                for (i, (key, value)) in props.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_str(key, out);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// Appends `s` as a JSON string literal.
pub fn write_str(s: &str, out: &mut String) {
    // serde_json's string escaping matches Newtonsoft's for everything the
    // simulator emits (quotes, backslashes, control characters as \r \n \uXXXX).
    out.push_str(&serde_json::to_string(s).expect("a str always serializes"));
}

impl From<&str> for Json {
    fn from(s: &str) -> Json {
        Json::Str(s.to_string())
    }
}

impl From<String> for Json {
    fn from(s: String) -> Json {
        Json::Str(s)
    }
}

impl From<bool> for Json {
    fn from(b: bool) -> Json {
        Json::Bool(b)
    }
}

impl From<i64> for Json {
    fn from(i: i64) -> Json {
        Json::Int(i)
    }
}

impl From<i32> for Json {
    fn from(i: i32) -> Json {
        Json::Int(i.into())
    }
}

impl From<f64> for Json {
    fn from(n: f64) -> Json {
        Json::Num(n)
    }
}

impl From<Obj> for Json {
    fn from(o: Obj) -> Json {
        Json::Obj(o)
    }
}

impl<T: Into<Json>> From<Vec<T>> for Json {
    fn from(items: Vec<T>) -> Json {
        Json::Arr(items.into_iter().map(Into::into).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_and_omits_absent_options() {
        let body = Obj::new()
            .with("State", "Failed")
            .with("Step", "BaseAuthentication")
            .opt("Token", None::<String>)
            .with("Reason", "Invalid credentials");
        assert_eq!(
            Json::from(body).to_text(),
            r#"{"State":"Failed","Step":"BaseAuthentication","Reason":"Invalid credentials"}"#
        );
    }

    #[test]
    fn writes_scalars_arrays_and_escapes() {
        let body = Obj::new()
            .with("Model", Json::Null)
            .with("Errors", vec!["a\r\nb \"q\""])
            .with("Ints", vec![Json::Int(-1), Json::Null])
            .with("N", 0.5)
            .with("B", false);
        assert_eq!(
            Json::from(body).to_text(),
            r#"{"Model":null,"Errors":["a\r\nb \"q\""],"Ints":[-1,null],"N":0.5,"B":false}"#
        );
    }
}
