//! The strings of a typed result: NUL-terminated copies in a few large chunks that live as long
//! as the result. A page of thousands of orders costs a handful of allocations, and a pointer
//! into a chunk stays valid as more strings are added, because a chunk never grows past the
//! capacity it was made with.

use std::ffi::c_char;

/// Chunks start small and double up to this size, so a one-quote result holds a few hundred
/// bytes, not a page's worth, and a page of thousands of orders still needs few allocations.
const FIRST_CHUNK: usize = 256;
const CHUNK: usize = 64 * 1024;

#[derive(Default)]
pub(crate) struct Arena {
    chunks: Vec<Vec<u8>>,
}

impl Arena {
    /// A C copy of `text`, alive as long as the arena. `""` costs nothing. A NUL inside (a
    /// broker's text could hold an escaped one) is written `\0`, so the string is not cut short.
    #[inline]
    pub(crate) fn text(&mut self, text: &str) -> *const c_char {
        if text.is_empty() {
            return c"".as_ptr();
        }
        // Most strings are a few bytes (a symbol, a status): a plain loop beats a call.
        let has_nul = if text.len() < 32 {
            text.bytes().any(|b| b == 0)
        } else {
            memchr::memchr(0, text.as_bytes()).is_some()
        };
        if has_nul {
            return self.text(&text.replace('\0', "\\0"));
        }
        let need = text.len() + 1;
        let room = self.chunks.last().map_or(0, |c| c.capacity() - c.len());
        if room < need {
            let next = self
                .chunks
                .last()
                .map_or(FIRST_CHUNK, |c| (c.capacity() * 2).min(CHUNK));
            self.chunks.push(Vec::with_capacity(need.max(next)));
        }
        let chunk = self
            .chunks
            .last_mut()
            .expect("a chunk with room was just ensured");
        let start = chunk.len();
        chunk.extend_from_slice(text.as_bytes());
        chunk.push(0);
        // Within capacity: the chunk did not move, so earlier pointers into it stay valid.
        chunk[start..].as_ptr().cast()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn a_small_result_holds_a_small_arena() {
        let mut arena = Arena::default();
        arena.text("AAPL");
        arena.text("Buy");
        let held: usize = arena.chunks.iter().map(Vec::capacity).sum();
        assert!(held <= FIRST_CHUNK, "{held} bytes for two short strings");
    }

    #[test]
    fn pointers_stay_valid_as_the_arena_grows() {
        let mut arena = Arena::default();
        let texts: Vec<String> = (0..20_000).map(|i| format!("item-{i}")).collect();
        let pointers: Vec<_> = texts.iter().map(|t| arena.text(t)).collect();
        let big = "x".repeat(3 * CHUNK);
        let big_ptr = arena.text(&big);
        for (text, ptr) in texts.iter().zip(pointers) {
            // SAFETY: `ptr` came from this arena, which is alive and only ever appends.
            assert_eq!(unsafe { CStr::from_ptr(ptr) }.to_str().unwrap(), text);
        }
        // SAFETY: `big_ptr` came from this arena, which is alive and only ever appends.
        let big_back = unsafe { CStr::from_ptr(big_ptr) };
        assert_eq!(big_back.to_bytes().len(), big.len());
        // SAFETY: a NUL-terminated static or arena string.
        let nul = unsafe { CStr::from_ptr(arena.text("a\0b")) };
        assert_eq!(nul.to_str().unwrap(), "a\\0b");
        // SAFETY: the empty string is a static C string.
        assert_eq!(unsafe { CStr::from_ptr(arena.text("")) }.to_bytes(), b"");
    }
}
