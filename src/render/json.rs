//! Compact JSON written by hand, for the export and the search index: the bytes serde_json's
//! compact layout gives, with `<`, `>` and `&` in strings written as `\u003c`, `\u003e` and
//! `\u0026`. In JSON they appear only inside strings, where the escapes mean the same, so the data
//! can sit inside a `<script>` or a page.
//!
//! Written by hand because the export is millions of short strings: serde_json tests each byte of
//! a string against a table and hands the writer several pieces per string, where almost every
//! string needs no escape at all and is found so in one pass the compiler vectorises.

use std::io::{self, Write};

/// A JSON text being written: into a buffer, handed on to `out` a block at a time.
pub struct JsonWriter<'a> {
    buffer: Vec<u8>,
    out: &'a mut dyn Write,
    /// The first write that failed; nothing is written after it.
    failed: Option<io::Error>,
}

/// How much is gathered before it is handed to the writer beneath.
const BLOCK: usize = 1 << 16;

impl<'a> JsonWriter<'a> {
    pub fn new(out: &'a mut dyn Write) -> Self {
        JsonWriter {
            buffer: Vec::with_capacity(BLOCK + 4096),
            out,
            failed: None,
        }
    }

    /// JSON text that is already right: punctuation and keys.
    pub fn raw(&mut self, text: &str) {
        self.buffer.extend_from_slice(text.as_bytes());
    }

    pub fn string(&mut self, text: &str) {
        push_string(&mut self.buffer, text);
    }

    /// One string made of `pieces` in turn, never put together in memory.
    pub fn string_of(&mut self, pieces: &[&str]) {
        self.buffer.push(b'"');
        for piece in pieces {
            push_contents(&mut self.buffer, piece);
        }
        self.buffer.push(b'"');
    }

    pub fn optional_string(&mut self, text: Option<&str>) {
        match text {
            Some(text) => self.string(text),
            None => self.raw("null"),
        }
    }

    /// `,"name":`, before a value that is not an object's first.
    pub fn key(&mut self, name: &str) {
        self.raw(",\"");
        self.raw(name);
        self.raw("\":");
    }

    /// `,"name":value` for each of `fields`, a missing value as `null`.
    pub fn optional_fields(&mut self, fields: &[(&str, Option<&str>)]) {
        for &(name, value) in fields {
            self.key(name);
            self.optional_string(value);
        }
    }

    pub fn bool(&mut self, value: bool) {
        self.raw(if value { "true" } else { "false" });
    }

    /// An array of what `write` writes for each item.
    pub fn array<T>(
        &mut self,
        items: impl IntoIterator<Item = T>,
        mut write: impl FnMut(&mut Self, T),
    ) {
        self.buffer.push(b'[');
        for (i, item) in items.into_iter().enumerate() {
            // After a failed write nothing more is written: the rest is not made either.
            if self.failed.is_some() {
                break;
            }
            if i > 0 {
                self.buffer.push(b',');
            }
            write(self, item);
        }
        self.buffer.push(b']');
    }

    /// Hands a full block to the writer beneath; called between items, so a block holds whole
    /// ones and the buffer never grows far beyond [`BLOCK`].
    pub fn flush_block(&mut self) {
        if self.buffer.len() >= BLOCK {
            if self.failed.is_none() {
                self.failed = self.out.write_all(&self.buffer).err();
            }
            self.buffer.clear();
        }
    }

    /// Hands on the rest, or reports the first write that failed.
    pub fn finish(self) -> io::Result<()> {
        if let Some(err) = self.failed {
            return Err(err);
        }
        self.out.write_all(&self.buffer)?;
        self.out.flush()
    }
}

/// serde_json's text `json` with `<`, `>` and `&` (which it leaves as they are, and which appear
/// in JSON only inside strings) as their escapes.
pub fn script_safe(json: String) -> String {
    if memchr::memchr3(b'<', b'>', b'&', json.as_bytes()).is_none() {
        return json;
    }
    let mut safe = String::with_capacity(json.len() + 64);
    for c in json.chars() {
        match c {
            '<' => safe.push_str("\\u003c"),
            '>' => safe.push_str("\\u003e"),
            '&' => safe.push_str("\\u0026"),
            c => safe.push(c),
        }
    }
    safe
}

/// Appends `text` as a JSON string.
pub fn push_string(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    push_contents(out, text);
    out.push(b'"');
}

/// Appends `text`'s characters as they stand inside a JSON string.
fn push_contents(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    // One pass without early exit, so that it is vectorised; almost every string passes.
    let plain = bytes
        .iter()
        .fold(true, |plain, &b| plain & !needs_escape(b));
    if plain {
        out.extend_from_slice(bytes);
        return;
    }
    let mut copied = 0;
    for (at, &byte) in bytes.iter().enumerate() {
        if !needs_escape(byte) {
            continue;
        }
        out.extend_from_slice(&bytes[copied..at]);
        copied = at + 1;
        let short: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x0C => b"\\f",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            _ => {
                // serde_json's form: four lower-case hex digits.
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(byte >> 4)]);
                out.push(HEX[usize::from(byte & 0xF)]);
                continue;
            }
        };
        out.extend_from_slice(short);
    }
    out.extend_from_slice(&bytes[copied..]);
}

/// The bytes JSON must escape (quote, backslash, control characters) and those kept out of a
/// script (`<`, `>`, `&`).
fn needs_escape(byte: u8) -> bool {
    byte < 0x20 || matches!(byte, b'"' | b'\\' | b'<' | b'>' | b'&')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(text: &str) -> String {
        let mut out = Vec::new();
        push_string(&mut out, text);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_are_serde_jsons_with_markup_characters_escaped() {
        for text in [
            "plain words",
            "</script><!-- & \"quoted\" \\ back",
            "tab\tnew\nline\r feed\u{0C} bell\u{07} back\u{08} unit\u{1F} del\u{7F}",
            "Erdoğan — “quoted” 日本",
            "",
        ] {
            let ours = written(text);
            assert!(!ours.contains(['<', '>', '&']), "{ours}");
            let theirs = serde_json::to_string(text)
                .unwrap()
                .replace('<', r"\u003c")
                .replace('>', r"\u003e")
                .replace('&', r"\u0026");
            assert_eq!(ours, theirs);
            assert_eq!(serde_json::from_str::<String>(&ours).unwrap(), text);
        }
    }

    /// Takes one write, then fails.
    struct FailsAfterOne(usize);

    impl Write for FailsAfterOne {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0 += 1;
            match self.0 {
                1 => Ok(bytes.len()),
                _ => Err(io::Error::other("disk full")),
            }
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_failed_write_stops_the_writing_and_is_reported() {
        let mut out = FailsAfterOne(0);
        let mut json = JsonWriter::new(&mut out);
        let long = "x".repeat(BLOCK);
        let mut made = 0;
        json.array(0..1000, |json, _| {
            made += 1;
            json.string(&long);
            json.flush_block();
        });
        assert!(made < 5, "{made} items made after the writer failed");
        let err = json.finish().unwrap_err();
        assert_eq!(err.to_string(), "disk full");
    }

    #[test]
    fn a_writer_hands_on_everything_in_order() {
        let mut out = Vec::new();
        let mut json = JsonWriter::new(&mut out);
        json.raw("{\"list\":");
        let long = "x".repeat(1000);
        json.array(0..200, |json, i| {
            json.string_of(&[&long, "/", &i.to_string()]);
            json.flush_block();
        });
        json.raw(",\"none\":");
        json.optional_string(None);
        json.raw(",\"yes\":");
        json.bool(true);
        json.raw("}");
        json.finish().unwrap();
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(value["list"].as_array().unwrap().len(), 200);
        assert_eq!(value["list"][199], format!("{long}/199"));
        assert_eq!(value["none"], serde_json::Value::Null);
        assert_eq!(value["yes"], true);
    }
}
