//! One session shared by several threads, as docs/c-abi.md promises.

use crate::support::ffi::Session;
use crate::support::*;
use etna::ffi::*;
use std::ffi::{CStr, c_char, c_void};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

#[test]
fn eight_threads_share_one_session_for_200_requests_each() {
    let sim = start_sim();
    let s = Arc::new(Session::new(&sim.base_url(), APP_KEY).unwrap());
    s.login("alice", "alice-pass").unwrap();
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let s = s.clone();
            std::thread::spawn(move || {
                for n in 0..200 {
                    let path = if (i + n) % 2 == 0 {
                        "v1.0/users/@me/info"
                    } else {
                        "v1.0/users/101/accounts"
                    };
                    let body = s
                        .get(path)
                        .unwrap_or_else(|e| panic!("thread {i} request {n}: {}", e.message));
                    assert!(body.contains("101"), "{body}");
                    assert_eq!(s.state(), ETNA_AUTH_AUTHENTICATED);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("no thread failed");
    }
    let data = sim
        .recorded_requests()
        .iter()
        .filter(|r| r.url.starts_with("/api/v1.0/"))
        .count();
    assert_eq!(data, 8 * 200);
}

struct Counts {
    lines: AtomicUsize,
    frees: AtomicUsize,
}

unsafe extern "C" fn count_line(
    user_data: *mut c_void,
    level: EtnaLogLevel,
    message: *const c_char,
) {
    let counts = unsafe { &*(user_data as *const Counts) };
    let message = unsafe { CStr::from_ptr(message) }.to_str().unwrap();
    assert!((ETNA_LOG_ERROR..=ETNA_LOG_TRACE).contains(&level));
    assert!(!message.contains("alice-pass"));
    counts.lines.fetch_add(1, Ordering::Relaxed);
}

unsafe extern "C" fn count_free(user_data: *mut c_void) {
    let counts = unsafe { &*(user_data as *const Counts) };
    counts.frees.fetch_add(1, Ordering::Relaxed);
}

#[test]
fn log_callbacks_are_replaced_safely_while_threads_make_calls() {
    let sim = start_sim();
    let s = Arc::new(Session::new(&sim.base_url(), APP_KEY).unwrap());
    let first = Box::leak(Box::new(Counts {
        lines: AtomicUsize::new(0),
        frees: AtomicUsize::new(0),
    }));
    let second = Box::leak(Box::new(Counts {
        lines: AtomicUsize::new(0),
        frees: AtomicUsize::new(0),
    }));
    let set = |counts: &Counts| unsafe {
        etna_session_set_log_callback(
            s.0,
            Some(count_line),
            counts as *const Counts as *mut c_void,
            Some(count_free),
            ETNA_LOG_DEBUG,
            std::ptr::null_mut(),
        )
    };
    assert_eq!(set(first), ETNA_OK);
    s.login("alice", "alice-pass").unwrap();
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let s = s.clone();
            std::thread::spawn(move || {
                (0..50).for_each(|_| drop(s.get("v1.0/users/@me/info").unwrap()))
            })
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert_eq!(set(second), ETNA_OK);
    workers.into_iter().for_each(|w| w.join().unwrap());
    assert_eq!(
        first.frees.load(Ordering::Relaxed),
        1,
        "the replaced callback's data is freed once"
    );
    assert!(first.lines.load(Ordering::Relaxed) >= 2);
    drop(Arc::try_unwrap(s).ok().expect("last reference"));
    assert_eq!(
        second.frees.load(Ordering::Relaxed),
        1,
        "freeing the session frees the callback's data"
    );
    assert!(first.lines.load(Ordering::Relaxed) + second.lines.load(Ordering::Relaxed) >= 201);
}
