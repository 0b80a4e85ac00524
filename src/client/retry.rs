//! When and how long to wait before repeating a request. Only requests that are safe to repeat
//! (GET) are ever retried, and only on failures that another attempt may cure.

use crate::client::error::{Error, ErrorKind, Result};
use std::cell::Cell;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = never retry).
    pub max_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
        }
    }
}

impl RetryPolicy {
    pub fn new(max_attempts: u32, base_delay_ms: u32, max_delay_ms: u32) -> Result<RetryPolicy> {
        if !(1..=10).contains(&max_attempts) {
            return Err(Error::invalid_argument(format!(
                "max_attempts {max_attempts} is out of range: 1 to 10"
            )));
        }
        if base_delay_ms > max_delay_ms || max_delay_ms > 60_000 {
            return Err(Error::invalid_argument(format!(
                "retry delays {base_delay_ms} ms to {max_delay_ms} ms: need base <= max <= 60000 ms"
            )));
        }
        Ok(RetryPolicy {
            max_attempts,
            base_delay: Duration::from_millis(base_delay_ms.into()),
            max_delay: Duration::from_millis(max_delay_ms.into()),
        })
    }

    /// The pause before attempt `attempt + 1` (attempts count from 1): "full jitter" over an
    /// exponential ceiling, so clients that failed together do not retry together; at least
    /// what the broker asked for with `Retry-After`.
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        let ceiling = self
            .base_delay
            .saturating_mul(1 << attempt.saturating_sub(1).min(16))
            .min(self.max_delay);
        let jittered = ceiling.mul_f64(random_fraction());
        retry_after.map_or(jittered, |asked| asked.max(jittered))
    }
}

/// Whether another attempt of a GET may succeed where this one failed.
pub fn worth_retrying(error: &Error) -> bool {
    match error.kind() {
        ErrorKind::Network | ErrorKind::Timeout | ErrorKind::RateLimited => true,
        ErrorKind::Http => error.http().is_some_and(|h| matches!(h.status, 502..=504)),
        ErrorKind::Protocol => error.is_garbled(),
        _ => false,
    }
}

/// A number in [0, 1) from a per-thread xorshift generator (jitter needs no more).
fn random_fraction() -> f64 {
    thread_local! {
        static STATE: Cell<u64> = Cell::new({
            use std::hash::{BuildHasher, Hasher};
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u8(0);
            h.finish() | 1
        });
    }
    STATE.with(|s| {
        let mut x = s.get();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        s.set(x);
        (x >> 11) as f64 / (1u64 << 53) as f64
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::error::HttpDetails;

    #[test]
    fn delays_grow_exponentially_within_the_cap_and_honour_retry_after() {
        let p = RetryPolicy::new(5, 100, 1000).unwrap();
        for attempt in 1..=6 {
            let ceiling = Duration::from_millis((100u64 << (attempt - 1)).min(1000));
            for _ in 0..50 {
                assert!(p.delay(attempt, None) <= ceiling);
            }
        }
        assert!(p.delay(1, Some(Duration::from_secs(3))) >= Duration::from_secs(3));
    }

    #[test]
    fn policies_are_bounded() {
        assert!(RetryPolicy::new(0, 1, 2).is_err());
        assert!(RetryPolicy::new(11, 1, 2).is_err());
        assert!(RetryPolicy::new(3, 500, 100).is_err());
        assert!(RetryPolicy::new(1, 0, 0).is_ok());
    }

    #[test]
    fn only_transient_failures_are_worth_a_retry() {
        let http = |status| {
            Error::new(ErrorKind::Http, "x").with_http(HttpDetails {
                status,
                ..Default::default()
            })
        };
        assert!(
            worth_retrying(&http(503)) && worth_retrying(&http(502)) && worth_retrying(&http(504))
        );
        assert!(!worth_retrying(&http(500)) && !worth_retrying(&http(404)));
        assert!(worth_retrying(&Error::new(ErrorKind::Network, "x")));
        assert!(worth_retrying(&Error::new(ErrorKind::RateLimited, "x")));
        assert!(!worth_retrying(&Error::new(
            ErrorKind::NotAuthenticated,
            "x"
        )));
        assert!(!worth_retrying(&Error::new(ErrorKind::Tls, "x")));
        assert!(worth_retrying(
            &Error::new(ErrorKind::Protocol, "half a body").garbled()
        ));
        assert!(
            !worth_retrying(&Error::new(ErrorKind::Protocol, "too large")),
            "an answer over the size limit will be over it again"
        );
    }
}
