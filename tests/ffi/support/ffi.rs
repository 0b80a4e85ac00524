//! Calling the C ABI from Rust tests exactly as a C program would: C strings in, out-pointers,
//! error objects read through their accessors and freed.

use etna::ffi::*;
use std::ffi::{CStr, CString, c_char};
use std::ptr;

/// What an `EtnaError` said, copied out before it was freed.
#[derive(Debug, Clone)]
pub struct Failure {
    pub code: EtnaStatus,
    pub message: String,
    pub http_status: u16,
    pub reason: Option<String>,
    pub body: Option<String>,
    pub retry_after_ms: u64,
}

pub fn c(s: &str) -> CString {
    CString::new(s).unwrap()
}

unsafe fn opt(p: *const c_char) -> Option<String> {
    (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned())
}

/// Turns a status and its error object into a Result, freeing the error.
pub fn check(status: EtnaStatus, err: *mut EtnaError) -> Result<(), Failure> {
    if status == ETNA_OK {
        assert!(err.is_null(), "success must leave out_err NULL");
        return Ok(());
    }
    assert!(
        !err.is_null(),
        "failure {status} must produce an error object"
    );
    let failure = unsafe {
        Failure {
            code: etna_error_code(err),
            message: opt(etna_error_message(err)).unwrap(),
            http_status: etna_error_http_status(err),
            reason: opt(etna_error_api_reason(err)),
            body: opt(etna_error_body(err)),
            retry_after_ms: etna_error_retry_after_ms(err),
        }
    };
    assert_eq!(
        failure.code, status,
        "the error's code is the returned status"
    );
    unsafe { etna_error_free(err) };
    Err(failure)
}

/// An `EtnaSession *` freed on drop.
pub struct Session(pub *mut EtnaSession);

unsafe impl Send for Session {}
unsafe impl Sync for Session {}

impl Session {
    pub fn new(base_url: &str, app_key: &str) -> Result<Session, Failure> {
        let mut s = ptr::null_mut();
        let mut err = ptr::null_mut();
        let status = unsafe {
            etna_session_new(c(base_url).as_ptr(), c(app_key).as_ptr(), &mut s, &mut err)
        };
        check(status, err).map(|()| Session(s))
    }

    pub fn login(&self, user: &str, password: &str) -> Result<EtnaAuthState, Failure> {
        let (mut state, mut err) = (-1, ptr::null_mut());
        let status = unsafe {
            etna_login(
                self.0,
                c(user).as_ptr(),
                c(password).as_ptr(),
                &mut state,
                &mut err,
            )
        };
        check(status, err).map(|()| state)
    }

    pub fn verify(&self, code: &str) -> Result<EtnaAuthState, Failure> {
        let (mut state, mut err) = (-1, ptr::null_mut());
        let status = unsafe { etna_login_verify(self.0, c(code).as_ptr(), &mut state, &mut err) };
        check(status, err).map(|()| state)
    }

    pub fn pin(&self, pin: &str) -> Result<EtnaAuthState, Failure> {
        let (mut state, mut err) = (-1, ptr::null_mut());
        let status = unsafe { etna_login_pin(self.0, c(pin).as_ptr(), &mut state, &mut err) };
        check(status, err).map(|()| state)
    }

    pub fn logout(&self) -> Result<(), Failure> {
        let mut err = ptr::null_mut();
        let status = unsafe { etna_logout(self.0, &mut err) };
        check(status, err)
    }

    pub fn state(&self) -> EtnaAuthState {
        unsafe { etna_session_auth_state(self.0) }
    }

    pub fn expires_at(&self) -> i64 {
        unsafe { etna_session_token_expires_at(self.0) }
    }

    pub fn set_timeouts(&self, connect_ms: u32, request_ms: u32) -> Result<(), Failure> {
        let mut err = ptr::null_mut();
        let status = unsafe { etna_session_set_timeouts(self.0, connect_ms, request_ms, &mut err) };
        check(status, err)
    }

    /// `etna_request`: (status, body) on success.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
    ) -> Result<(u16, String), Failure> {
        let body = body.map(c);
        let (mut http, mut out, mut err) = (0u16, ptr::null_mut(), ptr::null_mut());
        let status = unsafe {
            etna_request(
                self.0,
                c(method).as_ptr(),
                c(path).as_ptr(),
                body.as_ref().map_or(ptr::null(), |b| b.as_ptr()),
                &mut http,
                &mut out,
                &mut err,
            )
        };
        check(status, err)?;
        let text = unsafe { CStr::from_ptr(out) }
            .to_str()
            .expect("body is UTF-8")
            .to_owned();
        unsafe { etna_string_free(out) };
        Ok((http, text))
    }

    pub fn get(&self, path: &str) -> Result<String, Failure> {
        self.request("GET", path, None).map(|(_, body)| body)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        unsafe { etna_session_free(self.0) };
    }
}

impl Session {
    /// Runs one of the trading functions that hand back an `EtnaResult`, given as a closure over
    /// `(out_result, out_err)`, and returns the result's JSON (the result is freed).
    pub fn json(
        &self,
        call: impl FnOnce(*mut *mut EtnaResult, *mut *mut EtnaError) -> EtnaStatus,
    ) -> Result<String, Failure> {
        self.typed(call).map(|r| r.json())
    }

    /// The same, keeping the result to read its typed items.
    pub fn typed(
        &self,
        call: impl FnOnce(*mut *mut EtnaResult, *mut *mut EtnaError) -> EtnaStatus,
    ) -> Result<Typed, Failure> {
        let (mut out, mut err) = (ptr::null_mut(), ptr::null_mut());
        let status = call(&mut out, &mut err);
        check(status, err)?;
        assert!(!out.is_null(), "success must hand back a result");
        Ok(Typed(out))
    }

    /// Runs a function that hands back a string (`char **`), and returns it (freed).
    pub fn text(
        &self,
        call: impl FnOnce(*mut *mut c_char, *mut *mut EtnaError) -> EtnaStatus,
    ) -> Result<String, Failure> {
        let (mut out, mut err) = (ptr::null_mut(), ptr::null_mut());
        let status = call(&mut out, &mut err);
        check(status, err)?;
        assert!(!out.is_null(), "success must hand back a string");
        let text = unsafe { CStr::from_ptr(out) }
            .to_str()
            .expect("UTF-8")
            .to_owned();
        unsafe { etna_string_free(out) };
        Ok(text)
    }

    /// Runs a function with no output but its status.
    pub fn unit(
        &self,
        call: impl FnOnce(*mut *mut EtnaError) -> EtnaStatus,
    ) -> Result<(), Failure> {
        let mut err = ptr::null_mut();
        let status = call(&mut err);
        check(status, err)
    }
}

/// An `EtnaResult *` freed on drop.
pub struct Typed(pub *mut EtnaResult);

impl Typed {
    pub fn kind(&self) -> EtnaResultKind {
        unsafe { etna_result_kind(self.0) }
    }

    pub fn len(&self) -> usize {
        unsafe { etna_result_len(self.0) }
    }

    pub fn json(&self) -> String {
        unsafe { CStr::from_ptr(etna_result_json(self.0)) }
            .to_str()
            .expect("UTF-8")
            .to_owned()
    }

    /// Item `i` through a getter (`etna_result_order`, ...), or None.
    pub fn item<T>(
        &self,
        getter: unsafe extern "C" fn(*const EtnaResult, usize) -> *const T,
        i: usize,
    ) -> Option<&T> {
        unsafe { getter(self.0, i).as_ref() }
    }
}

impl Drop for Typed {
    fn drop(&mut self) {
        unsafe { etna_result_free(self.0) };
    }
}

/// A string a model points at.
pub fn text_of(p: *const c_char) -> &'static str {
    assert!(!p.is_null(), "model strings are never NULL");
    unsafe { CStr::from_ptr(p) }.to_str().expect("UTF-8")
}

/// Parses JSON a test expects to be well-formed.
pub fn parse(json: &str) -> serde_json::Value {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("not JSON ({e}): {json}"))
}
