//! The demo users and their accounts (the routes that show them are
//! `routes::users`).
//!
//! One user per sign-in path: alice (password only), bob (two-factor code),
//! carol (PIN), dave (expired password), erin (PIN never set).

use std::time::SystemTime;

use crate::market::timestamps;

/// How `/token` treats a user after the password matched.
#[derive(Clone, Debug, PartialEq)]
pub enum SignIn {
    /// 200 with a final token at once.
    Password,
    /// 202 `VerificationCode`; a code goes to the user's outbox.
    TwoFactor,
    /// 202 `SecutityPin`; this PIN must follow.
    Pin(&'static str),
    /// 202 `SecutityPin` "PIN code is not init"; nothing completes it.
    PinNotSet,
    /// 401 "Your Password has expired and must be changed".
    PasswordExpired,
}

pub struct User {
    pub id: i64,
    pub login: &'static str,
    pub password: &'static str,
    pub sign_in: SignIn,
    pub first_name: &'static str,
    pub middle_name: Option<&'static str>,
    pub last_name: &'static str,
    pub email: &'static str,
    pub role: &'static str,
    pub added: SystemTime,
    pub salutation: Option<&'static str>,
    pub suffix: Option<&'static str>,
    /// Ids of this user's accounts, in listing order.
    pub accounts: Vec<i64>,
}

pub struct Account {
    pub id: i64,
    pub owner_id: i64,
    pub clearing_account: &'static str,
    /// `Owner`, `Full`, `ReadOnly` or `ClosePositionsOnly`.
    pub access_type: &'static str,
    /// `Cash`, `Margin`, ...
    pub margin_type: &'static str,
    pub owner_type: &'static str,
    pub enabled: bool,
    pub alias: &'static str,
    pub clearing_firm: &'static str,
    pub currency: &'static str,
}

/// The demo users, ids 101..=105.
pub fn demo_users() -> Vec<User> {
    let user = |id, login, password, sign_in, first, last, email| User {
        id,
        login,
        password,
        sign_in,
        first_name: first,
        middle_name: None,
        last_name: last,
        email,
        role: "Trader",
        added: timestamps::utc(2019, 2, 25, 13, 33, 40, 9_022_856),
        salutation: None,
        suffix: None,
        accounts: Vec::new(),
    };
    vec![
        User {
            salutation: Some("Ms"),
            accounts: vec![1001, 1002],
            ..user(
                101,
                "alice",
                "alice-pass",
                SignIn::Password,
                "Alice",
                "Adams",
                "alice@example.com",
            )
        },
        User {
            middle_name: Some("B."),
            salutation: Some("Mr"),
            suffix: Some("Jr"),
            added: timestamps::utc(2020, 7, 1, 9, 0, 0, 1_234_567),
            accounts: vec![1003],
            ..user(
                102,
                "bob",
                "bob-pass",
                SignIn::TwoFactor,
                "Bob",
                "Brown",
                "bob@example.com",
            )
        },
        User {
            middle_name: Some("Ann"),
            salutation: Some("Dr"),
            added: timestamps::utc(2021, 11, 30, 18, 45, 12, 5_000_000),
            accounts: vec![1004],
            ..user(
                103,
                "carol",
                "carol-pass",
                SignIn::Pin("2468"),
                "Carol",
                "Clark",
                "carol@example.com",
            )
        },
        User {
            accounts: vec![1005],
            ..user(
                104,
                "dave",
                "dave-pass",
                SignIn::PasswordExpired,
                "Dave",
                "Davis",
                "dave@example.com",
            )
        },
        User {
            accounts: vec![1006],
            ..user(
                105,
                "erin",
                "erin-pass",
                SignIn::PinNotSet,
                "Erin",
                "Evans",
                "erin@example.com",
            )
        },
    ]
}

/// The demo accounts, ids 1001..=1006, each held by one user.
pub fn demo_accounts() -> Vec<Account> {
    let account = |id, owner_id, clearing_account, margin_type, alias| Account {
        id,
        owner_id,
        clearing_account,
        access_type: "Owner",
        margin_type,
        owner_type: "IndividualCustomer",
        enabled: true,
        alias,
        clearing_firm: "SIMCLEAR",
        currency: "USD",
    };
    vec![
        account(1001, 101, "SIM1001", "Cash", "Alice cash"),
        account(1002, 101, "SIM1002", "Margin", "Alice margin"),
        account(1003, 102, "SIM1003", "Margin", "Bob margin"),
        // A joint account carol trades with full (not owner) rights.
        Account {
            access_type: "Full",
            owner_type: "Joint",
            ..account(1004, 103, "SIM1004", "Cash", "Carol joint")
        },
        account(1005, 104, "SIM1005", "Cash", "Dave cash"),
        account(1006, 105, "SIM1006", "Cash", "Erin cash"),
    ]
}
