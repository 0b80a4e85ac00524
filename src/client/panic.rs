//! Panics the library catches print nothing: it never writes to the application's stderr. The
//! process's panic hook is wrapped once, so that it stays quiet on a thread inside `catch` and
//! does what it did everywhere else (a Rust program that also links the rlib keeps its output).

use std::any::Any;
use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// How many `catch`es this thread is inside.
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// Runs `body`; a panic in it gives its message instead of unwinding further.
pub fn catch<T>(body: impl FnOnce() -> T) -> Result<T, String> {
    static QUIET_HOOK: Once = Once::new();
    QUIET_HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if DEPTH.with(Cell::get) == 0 {
                previous(info);
            }
        }));
    });
    DEPTH.with(|d| d.set(d.get() + 1));
    let result = panic::catch_unwind(AssertUnwindSafe(body));
    DEPTH.with(|d| d.set(d.get() - 1));
    result.map_err(|payload| text(&*payload).to_owned())
}

fn text(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("panic")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_gives_its_message() {
        assert_eq!(catch(|| 7), Ok(7));
        assert_eq!(catch(|| -> u8 { panic!("boom") }), Err("boom".to_owned()));
        let n = 3;
        assert_eq!(
            catch(|| -> u8 { panic!("{n} of them") }),
            Err("3 of them".to_owned())
        );
        // Nested: the inner catch leaves the outer one quiet.
        assert_eq!(
            catch(|| catch(|| -> u8 { panic!("in") })),
            Ok(Err("in".into()))
        );
    }
}
