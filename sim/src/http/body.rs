//! Reading JSON request bodies the way ASP.NET + Newtonsoft binds them:
//! property names case-insensitive, `null` the same as absent, numbers also
//! accepted as numeric strings, enums as names (case-insensitive) or as
//! their numeric position.

use serde_json::{Map, Value};

/// A JSON object body.
pub struct Body(Map<String, Value>);

/// A property that is present but cannot bind to the wanted type.
#[derive(Debug, PartialEq)]
pub struct Unbindable;

impl Body {
    /// The body as a JSON object; `None` when it is not one.
    pub fn parse(bytes: &[u8]) -> Option<Body> {
        match serde_json::from_slice(bytes) {
            Ok(Value::Object(map)) => Some(Body(map)),
            _ => None,
        }
    }

    /// An object already parsed.
    pub fn from_map(map: Map<String, Value>) -> Body {
        Body(map)
    }

    /// A property by name, case-insensitively; `null` counts as absent.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
            .filter(|v| !v.is_null())
    }

    pub fn object(&self, name: &str) -> Option<Body> {
        match self.get(name) {
            Some(Value::Object(map)) => Some(Body(map.clone())),
            _ => None,
        }
    }
}

/// A number, or a string holding one.
pub fn num(v: Option<&Value>) -> Result<Option<f64>, Unbindable> {
    match v {
        None => Ok(None),
        Some(Value::Number(n)) => n.as_f64().map(Some).ok_or(Unbindable),
        Some(Value::String(s)) => s.trim().parse().map(Some).map_err(|_| Unbindable),
        Some(_) => Err(Unbindable),
    }
}

/// A whole number.
pub fn int(v: Option<&Value>) -> Result<Option<i64>, Unbindable> {
    match num(v)? {
        None => Ok(None),
        Some(x) if x.fract() == 0.0 && x.abs() < 9e15 => Ok(Some(x as i64)),
        Some(_) => Err(Unbindable),
    }
}

/// A string (numbers and booleans are converted, as Newtonsoft does).
pub fn text(v: Option<&Value>) -> Result<Option<String>, Unbindable> {
    match v {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(Value::Bool(b)) => Ok(Some(b.to_string())),
        Some(_) => Err(Unbindable),
    }
}

/// An enum member: its name (any case) or its position in `names`.
pub fn member(v: Option<&Value>, names: &[&str]) -> Result<Option<usize>, Unbindable> {
    match v {
        None => Ok(None),
        Some(Value::String(s)) => names
            .iter()
            .position(|n| n.eq_ignore_ascii_case(s.trim()))
            .map(Some)
            .ok_or(Unbindable),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(i) if (i as usize) < names.len() => Ok(Some(i as usize)),
            _ => Err(Unbindable),
        },
        Some(_) => Err(Unbindable),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binds_like_newtonsoft() {
        let b = Body::parse(
            br#"{"symbol":"AAPL","QUANTITY":"100","Side":1,"Type":"limit","Price":null}"#,
        )
        .unwrap();
        assert_eq!(text(b.get("Symbol")), Ok(Some("AAPL".into())));
        assert_eq!(num(b.get("Quantity")), Ok(Some(100.0)));
        assert_eq!(member(b.get("Side"), &["Buy", "Sell"]), Ok(Some(1)));
        assert_eq!(member(b.get("Type"), &["Market", "Limit"]), Ok(Some(1)));
        assert_eq!(num(b.get("Price")), Ok(None));
        assert_eq!(member(b.get("Type"), &["Market"]), Err(Unbindable));
        assert_eq!(int(b.get("Quantity")), Ok(Some(100)));
        assert!(Body::parse(b"[1]").is_none());
        assert!(Body::parse(b"nope").is_none());
    }
}
