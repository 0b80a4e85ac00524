//! `/api/token`, `/api/logout` and bearer rules, over raw HTTP.

use std::time::Duration;

use crate::support::*;
use etna_sim::{SimConfig, Simulator};

const CODE_EXPECTING: &str = r#"{"Step":"VerificationCode","Reason":"Expecting confirmation code","State":"Expecting","Token":"<T>"}"#;
const PIN_EXPECTING: &str =
    r#"{"Step":"SecutityPin","Reason":"Invalid pin","State":"Expecting","Token":"<T>"}"#;
const PIN_NOT_INIT: &str =
    r#"{"Step":"SecutityPin","Reason":"PIN code is not init","State":"Expecting","Token":"<T>"}"#;
const SUCCEEDED: &str = r#"{"State":"Succeeded","Token":"<T>"}"#;
const BAD_CREDENTIALS: &str =
    r#"{"State":"Failed","Step":"BaseAuthentication","Reason":"Invalid credentials"}"#;
const BAD_CODE: &str =
    r#"{"State":"Failed","Step":"VerificationCode","Reason":"Invalid verification code"}"#;
const CODE_TICKET_CORRUPTED: &str =
    r#"{"State":"Failed","Step":"VerificationCode","Reason":"Corrupted ticket"}"#;
const BAD_PIN: &str = r#"{"State":"Failed","Step":"SecutityPin","Reason":"Invalid pin"}"#;
const PIN_TICKET_CORRUPTED: &str =
    r#"{"State":"Failed","Step":"SecutityPin","Reason":"Corrupted ticket"}"#;
const APP_KEY: &str = r#"{"error":"Application key is not defined or does not exist"}"#;

/// Step two for bob with `code`, carrying `interim` as the bearer.
fn bob_code(sim: &Simulator, interim: &str, code: &str) -> Answer {
    let bearer = format!("Bearer {interim}");
    token(
        sim,
        &[
            ("Username", "bob"),
            ("Password", "bob-pass"),
            ("Authorization", &bearer),
            ("VerificationCode", code),
        ],
    )
}

/// Step two for carol with `pin`, carrying `interim` as the bearer.
fn carol_pin(sim: &Simulator, interim: &str, pin: &str) -> Answer {
    let bearer = format!("Bearer {interim}");
    token(
        sim,
        &[
            ("Username", "carol"),
            ("Password", "carol-pass"),
            ("Authorization", &bearer),
            ("PinCode", pin),
        ],
    )
}

/// A wrong code that differs from `right`.
fn wrong(right: &str) -> &'static str {
    if right == "000000" {
        "111111"
    } else {
        "000000"
    }
}

fn user_id(sim: &Simulator, final_token: &str) -> i64 {
    let info = get(sim, "v1.0/users/@me/info", Some(final_token));
    assert_eq!(info.status, 200, "{}", info.text);
    info.json()["UserId"].as_i64().unwrap()
}

#[test]
fn alice_gets_a_final_token_at_once() {
    let sim = Simulator::start_default().unwrap();
    let answer = first_step(&sim, "alice");
    answer.assert_masked(200, SUCCEEDED);
    let t = answer.token();
    assert_eq!(t.len(), 344);
    assert!(
        t.bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"+/=".contains(&c))
    );
    assert_eq!(user_id(&sim, &t), 101);
    // Every call mints another token; both stay valid.
    let t2 = alice_token(&sim);
    assert_ne!(t, t2);
    assert_eq!(user_id(&sim, &t), 101);
}

#[test]
fn bob_signs_in_with_the_right_code() {
    let sim = Simulator::start_default().unwrap();
    let step1 = first_step(&sim, "bob");
    step1.assert_masked(202, CODE_EXPECTING);
    let interim = step1.token();
    let code = sim.latest_code("bob").expect("code in bob's outbox");
    assert!(code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()));

    // The interim token is not a session.
    get(&sim, "v1.0/users/@me/info", Some(&interim)).assert(401, DENIED);

    let step2 = bob_code(&sim, &interim, &code);
    step2.assert_masked(200, SUCCEEDED);
    let final_token = step2.token();
    assert_ne!(final_token, interim);
    assert_eq!(user_id(&sim, &final_token), 102);

    // The ticket died with its use.
    bob_code(&sim, &interim, &code).assert(401, CODE_TICKET_CORRUPTED);
}

#[test]
fn bob_may_retry_a_wrong_code() {
    let sim = Simulator::start_default().unwrap();
    let interim = first_step(&sim, "bob").token();
    let code = sim.latest_code("bob").unwrap();
    bob_code(&sim, &interim, wrong(&code)).assert(401, BAD_CODE);
    let answer = bob_code(&sim, &interim, &code);
    assert_eq!(answer.status, 200, "{}", answer.text);

    // Three wrong retries after a first wrong answer are still tolerated...
    let interim = first_step(&sim, "bob").token();
    let code = sim.latest_code("bob").unwrap();
    for _ in 0..3 {
        bob_code(&sim, &interim, wrong(&code)).assert(401, BAD_CODE);
    }
    assert_eq!(bob_code(&sim, &interim, &code).status, 200);
}

#[test]
fn four_wrong_codes_kill_the_ticket() {
    let sim = Simulator::start_default().unwrap();
    let interim = first_step(&sim, "bob").token();
    let code = sim.latest_code("bob").unwrap();
    for _ in 0..4 {
        bob_code(&sim, &interim, wrong(&code)).assert(401, BAD_CODE);
    }
    bob_code(&sim, &interim, &code).assert(401, CODE_TICKET_CORRUPTED);
    // A fresh login works again, with a fresh code.
    let interim = first_step(&sim, "bob").token();
    let code = sim.latest_code("bob").unwrap();
    assert_eq!(bob_code(&sim, &interim, &code).status, 200);
}

#[test]
fn verification_step_needs_credentials_and_its_own_ticket() {
    let sim = Simulator::start_default().unwrap();
    let interim = first_step(&sim, "bob").token();
    let code = sim.latest_code("bob").unwrap();
    let bearer = format!("Bearer {interim}");

    // Wrong or missing password on step two.
    token(
        &sim,
        &[
            ("Username", "bob"),
            ("Password", "nope"),
            ("Authorization", &bearer),
            ("VerificationCode", &code),
        ],
    )
    .assert(401, BAD_CREDENTIALS);
    token(
        &sim,
        &[
            ("Username", "bob"),
            ("Authorization", &bearer),
            ("VerificationCode", &code),
        ],
    )
    .assert(401, BAD_CREDENTIALS);

    // No ticket, an unknown one, a final token, another user's ticket.
    token(
        &sim,
        &[
            ("Username", "bob"),
            ("Password", "bob-pass"),
            ("VerificationCode", &code),
        ],
    )
    .assert(401, CODE_TICKET_CORRUPTED);
    bob_code(&sim, "not-a-ticket", &code).assert(401, CODE_TICKET_CORRUPTED);
    bob_code(&sim, &alice_token(&sim), &code).assert(401, CODE_TICKET_CORRUPTED);
    let carol_ticket = first_step(&sim, "carol").token();
    bob_code(&sim, &carol_ticket, &code).assert(401, CODE_TICKET_CORRUPTED);
    // A code ticket does not take a PIN.
    let pin_to_bob = format!("Bearer {interim}");
    token(
        &sim,
        &[
            ("Username", "bob"),
            ("Password", "bob-pass"),
            ("Authorization", &pin_to_bob),
            ("PinCode", "2468"),
        ],
    )
    .assert(401, PIN_TICKET_CORRUPTED);

    // None of that used up the ticket.
    assert_eq!(bob_code(&sim, &interim, &code).status, 200);
}

#[test]
fn carol_signs_in_with_her_pin() {
    let sim = Simulator::start_default().unwrap();
    let step1 = first_step(&sim, "carol");
    step1.assert_masked(202, PIN_EXPECTING);
    let interim = step1.token();
    get(&sim, "v1.0/users/@me/info", Some(&interim)).assert(401, DENIED);

    carol_pin(&sim, &interim, "1357").assert(401, BAD_PIN);
    let step2 = carol_pin(&sim, &interim, "2468");
    step2.assert_masked(200, SUCCEEDED);
    assert_eq!(user_id(&sim, &step2.token()), 103);
    carol_pin(&sim, &interim, "2468").assert(401, PIN_TICKET_CORRUPTED);

    // No ticket at all.
    token(
        &sim,
        &[
            ("Username", "carol"),
            ("Password", "carol-pass"),
            ("PinCode", "2468"),
        ],
    )
    .assert(401, PIN_TICKET_CORRUPTED);

    // Four wrong PINs in a row kill the ticket too.
    let interim = first_step(&sim, "carol").token();
    for _ in 0..4 {
        carol_pin(&sim, &interim, "0000").assert(401, BAD_PIN);
    }
    carol_pin(&sim, &interim, "2468").assert(401, PIN_TICKET_CORRUPTED);
}

#[test]
fn dave_has_an_expired_password() {
    let sim = Simulator::start_default().unwrap();
    first_step(&sim, "dave").assert(
        401,
        r#"{"State":"Failed","Step":"BaseAuthentication","Reason":"Your Password has expired and must be changed"}"#,
    );
    // A wrong password is still just "Invalid credentials".
    token(&sim, &[("Username", "dave"), ("Password", "x")]).assert(401, BAD_CREDENTIALS);
}

#[test]
fn erin_has_no_pin_to_give() {
    let sim = Simulator::start_default().unwrap();
    let step1 = first_step(&sim, "erin");
    step1.assert_masked(202, PIN_NOT_INIT);
    let interim = step1.token();
    let bearer = format!("Bearer {interim}");
    let again = token(
        &sim,
        &[
            ("Username", "erin"),
            ("Password", "erin-pass"),
            ("Authorization", &bearer),
            ("PinCode", "1234"),
        ],
    );
    again.assert_masked(202, PIN_NOT_INIT);
    get(&sim, "v1.0/users/@me/info", Some(&interim)).assert(401, DENIED);
}

#[test]
fn bad_or_missing_credentials() {
    let sim = Simulator::start_default().unwrap();
    for headers in [
        &[("Username", "alice"), ("Password", "wrong")][..],
        &[("Username", "mallory"), ("Password", "alice-pass")][..],
        &[("Username", "ALICE"), ("Password", "alice-pass")][..],
        &[("Username", "alice")][..],
        &[("Password", "alice-pass")][..],
        &[][..],
    ] {
        token(&sim, headers).assert(401, BAD_CREDENTIALS);
    }
}

/// `extra` plus an `Et-App-Key` header when `key` is given.
fn with_key<'a>(extra: &[(&'a str, &'a str)], key: Option<&'a str>) -> Vec<(&'a str, &'a str)> {
    let mut headers = extra.to_vec();
    if let Some(k) = key {
        headers.push(("Et-App-Key", k));
    }
    headers
}

#[test]
fn app_key_is_checked_before_anything_else() {
    let sim = Simulator::start_default().unwrap();
    let agent = agent();
    let base = sim.base_url();
    let alice = alice_token(&sim);
    let bearer = format!("Bearer {alice}");
    let creds = [("Username", "alice"), ("Password", "alice-pass")];
    for key in [None, Some("wrong-key"), Some(""), Some("SIM-APP-KEY")] {
        let url = |p: &str| format!("{base}{p}");
        send(&agent, "POST", &url("token"), &with_key(&creds, key)).assert(403, APP_KEY);
        send(
            &agent,
            "POST",
            &url("logout"),
            &with_key(&[("Authorization", &bearer)], key),
        )
        .assert(403, APP_KEY);
        // Before the bearer check, routing and the method check.
        send(
            &agent,
            "GET",
            &url("v1.0/users/@me/info"),
            &with_key(&[], key),
        )
        .assert(403, APP_KEY);
        send(&agent, "GET", &url("no/such/route"), &with_key(&[], key)).assert(403, APP_KEY);
        send(&agent, "GET", &url("token"), &with_key(&[], key)).assert(403, APP_KEY);
    }
    // The key did not leak into anything: alice's token still works.
    assert_eq!(user_id(&sim, &alice), 101);
}

#[test]
fn configured_app_key_replaces_the_default() {
    let sim = Simulator::start(SimConfig {
        app_key: "other-key".into(),
        ..SimConfig::default()
    })
    .unwrap();
    let url = format!("{}token", sim.base_url());
    let creds = [("Username", "alice"), ("Password", "alice-pass")];
    let mut headers = creds.to_vec();
    headers.push(("Et-App-Key", KEY));
    send(&agent(), "POST", &url, &headers).assert(403, APP_KEY);
    headers.pop();
    headers.push(("Et-App-Key", "other-key"));
    assert_eq!(send(&agent(), "POST", &url, &headers).status, 200);
}

#[test]
fn header_names_are_case_insensitive() {
    // ureq sends every header name in lower case (`et-app-key`, `username`)
    // so the tests above cover that; here the exact spellings go out raw.
    let sim = Simulator::start_default().unwrap();
    let mut raw = Raw::connect(&sim);
    for (key, user, pass) in [
        ("Et-App-Key", "Username", "Password"),
        ("et-app-key", "username", "password"),
        ("ET-APP-KEY", "USERNAME", "PASSWORD"),
    ] {
        let head = format!(
            "POST /api/token HTTP/1.1\nHost: x\n{key}: sim-app-key\n{user}: alice\n{pass}: alice-pass\nContent-Length: 0"
        );
        let r = raw.exchange(&head, b"");
        assert_eq!(r.status, 200, "{}", r.body);
        let t = serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["Token"]
            .as_str()
            .unwrap()
            .to_string();
        let head = format!(
            "GET /api/v1.0/users/@me/info HTTP/1.1\nHost: x\n{key}: sim-app-key\nauthorization: bearer {t}"
        );
        let r = raw.exchange(&head, b"");
        assert_eq!(r.status, 200, "{}", r.body);
    }
}

#[test]
fn logout_revokes_only_that_token() {
    let sim = Simulator::start_default().unwrap();
    let agent = agent();
    let url = format!("{}logout", sim.base_url());
    let (t1, t2) = (alice_token(&sim), alice_token(&sim));
    let bearer = format!("Bearer {t1}");
    let logout = send(
        &agent,
        "POST",
        &url,
        &[("Et-App-Key", KEY), ("Authorization", &bearer)],
    );
    assert_eq!((logout.status, logout.text.as_str()), (204, ""));
    assert_eq!(logout.content_type, None);

    get(&sim, "v1.0/users/@me/info", Some(&t1)).assert(401, DENIED);
    assert_eq!(user_id(&sim, &t2), 101);
    // Logging out again, without a token or with an interim one: 401.
    send(
        &agent,
        "POST",
        &url,
        &[("Et-App-Key", KEY), ("Authorization", &bearer)],
    )
    .assert(401, DENIED);
    send(&agent, "POST", &url, &[("Et-App-Key", KEY)]).assert(401, DENIED);
    let interim = first_step(&sim, "bob").token();
    let interim_bearer = format!("Bearer {interim}");
    send(
        &agent,
        "POST",
        &url,
        &[("Et-App-Key", KEY), ("Authorization", &interim_bearer)],
    )
    .assert(401, DENIED);
}

#[test]
fn bearer_must_be_well_formed() {
    let sim = Simulator::start_default().unwrap();
    let t = alice_token(&sim);
    let url = format!("{}v1.0/users/@me/info", sim.base_url());
    for auth in [
        t.clone(),
        format!("Basic {t}"),
        "Bearer".into(),
        "Bearer nothing".into(),
    ] {
        send(
            &agent(),
            "GET",
            &url,
            &[("Et-App-Key", KEY), ("Authorization", &auth)],
        )
        .assert(401, DENIED);
    }
    get(&sim, "v1.0/users/@me/info", None).assert(401, DENIED);
}

#[test]
fn final_tokens_expire_after_token_ttl() {
    let sim = Simulator::start(SimConfig {
        token_ttl: Duration::from_secs(1),
        ..SimConfig::default()
    })
    .unwrap();
    let t = alice_token(&sim);
    assert_eq!(user_id(&sim, &t), 101);
    std::thread::sleep(Duration::from_millis(1100));
    get(&sim, "v1.0/users/@me/info", Some(&t)).assert(401, DENIED);
    // A new login gives a new, live token.
    assert_eq!(user_id(&sim, &alice_token(&sim)), 101);
}

#[test]
fn fixed_code_is_used_for_every_login() {
    let sim = Simulator::start(SimConfig {
        fixed_code: Some("654321".into()),
        ..SimConfig::default()
    })
    .unwrap();
    let interim = first_step(&sim, "bob").token();
    assert_eq!(sim.latest_code("bob").as_deref(), Some("654321"));
    assert_eq!(bob_code(&sim, &interim, "654321").status, 200);
    assert_eq!(sim.latest_code("alice"), None);
}
