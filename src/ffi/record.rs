//! Records: answers the broker documents by name only (an account's opening record, trading
//! settings), handed out as their values, each under its path, rather than as guessed structs.

use crate::client::models::{self, FieldKind};
use crate::ffi::arena::Arena;
use crate::ffi::boundary::value;
use crate::ffi::models::HasJson;
use std::ffi::{CStr, c_char};
use std::ptr;

/// What a record's field holds (`EtnaField.kind`).
pub type EtnaFieldKind = i32;
/// A string (`text` as sent; `number` when it reads as one, `"True"`/`"False"` as 1 and 0).
pub const ETNA_FIELD_TEXT: EtnaFieldKind = 0;
/// A number (`text` as written).
pub const ETNA_FIELD_NUMBER: EtnaFieldKind = 1;
/// `true` or `false` (`number` 1 or 0).
pub const ETNA_FIELD_BOOL: EtnaFieldKind = 2;
/// `null` (`text` `""`, `number` NaN).
pub const ETNA_FIELD_NULL: EtnaFieldKind = 3;

/// An object the broker does not document field by field (`ETNA_KIND_RECORD`): read its values
/// with `etna_record_field` (by position) and `etna_record_find` (by name).
#[repr(C)]
pub struct EtnaRecord {
    pub struct_size: u32,
    /// How many fields `etna_record_field` gives.
    pub field_count: usize,
    pub json: *const c_char,
}

/// One value of a record. Objects and arrays are not values; their members are, named by their
/// path: object keys joined with `.`, array positions as `[i]` (`Instruments.Stocks.Quantity`,
/// `Items[0].Name`).
#[repr(C)]
pub struct EtnaField {
    pub struct_size: u32,
    pub name: *const c_char,
    /// `ETNA_FIELD_TEXT`, `ETNA_FIELD_NUMBER`, `ETNA_FIELD_BOOL` or `ETNA_FIELD_NULL`.
    pub kind: EtnaFieldKind,
    /// Strings as sent, numbers as written, `true` or `false`, `""` for null.
    pub text: *const c_char,
    /// The value as a number: numbers, numeric strings, booleans (and the broker's `"True"`
    /// and `"False"`) as 1 and 0; NaN otherwise.
    pub number: f64,
}

/// `EtnaRecord` with its fields, for `etna_record_field`. The C struct is the first field, so
/// a pointer to it is a pointer to the whole item.
#[repr(C)]
pub(crate) struct RecordItem {
    c: EtnaRecord,
    fields: Vec<EtnaField>,
}

impl HasJson for RecordItem {
    fn json_mut(&mut self) -> &mut *const c_char {
        &mut self.c.json
    }
}

pub(crate) fn record(r: &models::Record, a: &mut Arena) -> RecordItem {
    let fields: Vec<EtnaField> = r
        .fields
        .iter()
        .map(|f| EtnaField {
            struct_size: std::mem::size_of::<EtnaField>() as u32,
            name: a.text(&f.name),
            kind: match f.kind {
                FieldKind::Text => ETNA_FIELD_TEXT,
                FieldKind::Number => ETNA_FIELD_NUMBER,
                FieldKind::Bool => ETNA_FIELD_BOOL,
                FieldKind::Null => ETNA_FIELD_NULL,
            },
            text: a.text(&f.text),
            number: f.number,
        })
        .collect();
    RecordItem {
        c: EtnaRecord {
            struct_size: std::mem::size_of::<EtnaRecord>() as u32,
            field_count: fields.len(),
            json: ptr::null(),
        },
        fields,
    }
}

/// The record's pointer as its item.
///
/// # Safety
/// `record` is NULL or a pointer `etna_result_record` gave, whose result is not freed.
unsafe fn item<'a>(record: *const EtnaRecord) -> Option<&'a RecordItem> {
    // SAFETY: such a pointer points to the `c` field at the start of a live `#[repr(C)]
    // RecordItem`, which is never changed after it is made: this function's contract.
    unsafe { record.cast::<RecordItem>().as_ref() }
}

/// Field `index` of a record (`index < record->field_count`), in the order the broker wrote
/// them.
///
/// `record` must be a pointer `etna_result_record` gave (not a copy of the struct). NULL when
/// `record` is NULL or `index` is out of range. The field and its strings are owned by the
/// record's result: valid until `etna_result_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_record_field(
    record: *const EtnaRecord,
    index: usize,
) -> *const EtnaField {
    value(ptr::null(), || {
        // SAFETY: `record` is NULL or from `etna_result_record`: the header's contract.
        let record = unsafe { item(record) };
        record
            .and_then(|r| r.fields.get(index))
            .map_or(ptr::null(), ptr::from_ref)
    })
}

/// The field of a record named `name` (its path, e.g. `Instruments.Stocks.Quantity`; ASCII case
/// ignored, since the broker's casing varies by route).
///
/// `record` must be a pointer `etna_result_record` gave (not a copy of the struct). NULL when
/// the record has no such field, or `record` or `name` is NULL or `name` is not UTF-8. The field
/// and its strings are owned by the record's result: valid until `etna_result_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_record_find(
    record: *const EtnaRecord,
    name: *const c_char,
) -> *const EtnaField {
    value(ptr::null(), || {
        if name.is_null() {
            return ptr::null();
        }
        // SAFETY: `name` is a NUL-terminated string and `record` NULL or from
        // `etna_result_record`: the header's contract.
        let (name, record) = unsafe { (CStr::from_ptr(name), item(record)) };
        let (Ok(name), Some(record)) = (name.to_str(), record) else {
            return ptr::null();
        };
        record
            .fields
            .iter()
            .find(|f| {
                // SAFETY: every field's name is a NUL-terminated string in the record's arena,
                // alive as long as the record.
                let field = unsafe { CStr::from_ptr(f.name) };
                field.to_bytes().eq_ignore_ascii_case(name.as_bytes())
            })
            .map_or(ptr::null(), ptr::from_ref)
    })
}
