//! Where the session's log lines go: an optional sink chosen by the application. The library
//! itself never writes to stdout or stderr.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, RwLock};

/// Severity of a log line; the numbers are the C ABI's `ETNA_LOG_*` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LogLevel {
    Error = 1,
    Warn = 2,
    Info = 3,
    Debug = 4,
    Trace = 5,
}

impl LogLevel {
    pub fn from_number(n: i32) -> Option<LogLevel> {
        Some(match n {
            1 => LogLevel::Error,
            2 => LogLevel::Warn,
            3 => LogLevel::Info,
            4 => LogLevel::Debug,
            5 => LogLevel::Trace,
            _ => return None,
        })
    }
}

/// Receives log lines. Lines never contain a password, code, PIN, token or app key.
pub trait LogSink: Send + Sync {
    fn log(&self, level: LogLevel, message: &str);
}

/// The session's current sink and threshold. Checking the threshold is one atomic load, so a
/// session with logging off pays nothing to format lines.
#[derive(Default)]
pub struct Logger {
    max_level: AtomicU8,
    sink: RwLock<Option<Arc<dyn LogSink>>>,
}

impl Logger {
    /// Replaces the sink. The old one is dropped after the swap, outside the lock, once calls
    /// that are using it return (it may run the application's cleanup code).
    pub fn set(&self, sink: Option<Arc<dyn LogSink>>, max_level: LogLevel) {
        let level = if sink.is_some() { max_level as u8 } else { 0 };
        let old = {
            let mut slot = self.sink.write().unwrap_or_else(|e| e.into_inner());
            self.max_level.store(level, Ordering::Release);
            std::mem::replace(&mut *slot, sink)
        };
        drop(old);
    }

    pub fn enabled(&self, level: LogLevel) -> bool {
        level as u8 <= self.max_level.load(Ordering::Acquire)
    }

    /// Logs `message()` at `level` if anyone listens. The sink is called with no lock held, so it
    /// may call back into the session.
    pub fn log(&self, level: LogLevel, message: impl FnOnce() -> String) {
        if !self.enabled(level) {
            return;
        }
        let sink = self.sink.read().unwrap_or_else(|e| e.into_inner()).clone();
        if let Some(sink) = sink {
            sink.log(level, &message());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Default)]
    struct Lines(Mutex<Vec<(LogLevel, String)>>);
    impl LogSink for Lines {
        fn log(&self, level: LogLevel, message: &str) {
            self.0.lock().unwrap().push((level, message.to_owned()));
        }
    }

    #[test]
    fn lines_above_the_threshold_are_not_even_formatted() {
        let logger = Logger::default();
        let lines = Arc::new(Lines::default());
        logger.set(Some(lines.clone()), LogLevel::Info);
        logger.log(LogLevel::Info, || "kept".into());
        logger.log(LogLevel::Debug, || panic!("formatted a line nobody wants"));
        logger.set(None, LogLevel::Trace);
        logger.log(LogLevel::Error, || panic!("logged with no sink"));
        assert_eq!(
            *lines.0.lock().unwrap(),
            vec![(LogLevel::Info, "kept".to_owned())]
        );
    }
}
