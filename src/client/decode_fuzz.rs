//! Every decoder of broker answers fed random bytes and random JSON built from the broker's own
//! field names: an error or a value, never a panic. Deterministic (seeded) and bounded, so the
//! test always runs the same cases in a fraction of a second.

use crate::client::api::decode::{
    not_rejected, order_id_of, order_with_client_id, paged, status_of,
};
use crate::client::api::order::{NewOrder, is_terminal, modify_order_json};
use crate::client::broker_error::{answer_error, broker_reason};
use crate::client::session::Session;
use crate::client::token_answer::interpret;
use serde_json::{Map, Value};

/// xorshift64*: enough randomness for test inputs, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn bytes(&mut self, max: u64) -> Vec<u8> {
        (0..self.below(max)).map(|_| self.next() as u8).collect()
    }
}

const KEYS: &[&str] = &[
    "State",
    "Step",
    "Reason",
    "Token",
    "Message",
    "message",
    "error",
    "Error",
    "Errors",
    "ModelState",
    "IsSuccessful",
    "ErrorDescription",
    "ErrorDescriptionText",
    "Model",
    "Result",
    "NextPageLink",
    "TotalCount",
    "Id",
    "Status",
    "ClientId",
    "Symbol",
    "Type",
    "Side",
    "Quantity",
    "Price",
    "StopPrice",
    "TimeInforce",
    "TimeInForce",
    "Legs",
    "Format",
    "BaseUrl",
    "ExpiresAt",
    "Mac",
];
const WORDS: &[&str] = &[
    "Succeeded",
    "Expecting",
    "Failed",
    "VerificationCode",
    "SecutityPin",
    "BaseAuthentication",
    "PIN code is not init",
    "Corrupted ticket",
    "Filled",
    "Limit",
    "Market",
    "Buy",
    "Day",
    "",
    "é\u{0}",
];

fn value(rng: &mut Rng, depth: u32) -> Value {
    match rng.below(if depth > 3 { 6 } else { 8 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => Value::from(rng.next() as i64 >> rng.below(60)),
        3 => serde_json::Number::from_f64(f64::from_bits(rng.next()))
            .map_or(Value::Null, Value::Number),
        4 => Value::from(WORDS[rng.below(WORDS.len() as u64) as usize]),
        5 => Value::from(String::from_utf8_lossy(&rng.bytes(12)).into_owned()),
        6 => Value::Array((0..rng.below(4)).map(|_| value(rng, depth + 1)).collect()),
        _ => {
            let mut map = Map::new();
            for _ in 0..rng.below(6) {
                map.insert(
                    KEYS[rng.below(KEYS.len() as u64) as usize].into(),
                    value(rng, depth + 1),
                );
            }
            Value::Object(map)
        }
    }
}

fn decode_everything(text: &str, status: u16) {
    let _ = interpret(status, text, None);
    let _ = broker_reason(text);
    let _ = answer_error("GET x", status, text.to_owned(), None);
    let _ = NewOrder::from_json(text);
    let _ = modify_order_json(7, text);
    let _ = paged(text.to_owned());
    let _ = not_rejected("x", text.to_owned());
    let _ = order_id_of(text);
    if let Ok(status) = status_of(text) {
        let _ = is_terminal(&status);
    }
    let _ = order_with_client_id(text, "c");
}

#[test]
fn random_bytes_never_panic_a_decoder() {
    let mut rng = Rng(0x5EED_0001);
    for _ in 0..20_000 {
        let bytes = rng.bytes(64);
        let status =
            [200, 202, 204, 400, 401, 403, 404, 409, 429, 500, 502][rng.below(11) as usize];
        decode_everything(&String::from_utf8_lossy(&bytes), status);
    }
}

#[test]
fn random_json_in_the_brokers_vocabulary_never_panics_a_decoder() {
    let mut rng = Rng(0x5EED_0002);
    let session = Session::new("http://127.0.0.1:9/api/", "key").unwrap();
    for _ in 0..20_000 {
        let text = value(&mut rng, 0).to_string();
        let status = [200, 202, 401, 403, 500][rng.below(5) as usize];
        decode_everything(&text, status);
        let _ = session.import_session(&text);
    }
}
