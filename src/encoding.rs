//! The text encodings a declaration may arrive in, and which one a file was read as.
//!
//! Windows editors in Chinese offices save as GBK (“ANSI”, here read as its superset GB18030) or
//! UTF-16 (“Unicode”) as readily as UTF-8, so refusing them only sends the user to find an
//! encoding menu. The decision is made in a fixed order that cannot mistake one for another:
//!
//! 1. a byte-order mark: UTF-8, UTF-16LE or UTF-16BE;
//! 2. valid UTF-8 (almost no GBK text of any length is also valid UTF-8);
//! 3. valid GB18030.
//!
//! Anything read as UTF-16 or GB18030 gets an `input.encoding` warning naming the encoding, so
//! the user can convert the file; a file that is none of them (or has NUL bytes: UTF-16 without
//! a mark, or not text at all) gets a located `input.encoding` error. Line and column of every
//! diagnostic are of the decoded text, which is what the parser sees and the report shows.

use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

use crate::diagnostic::{Code, Diagnostic, Loc};

/// A declaration's bytes as text, with what decoding them found.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The decoded text (best effort, with U+FFFD, when `diagnostics` has an error).
    pub text: String,
    /// The `input.encoding` warning or error, if any.
    pub diagnostics: Vec<Diagnostic>,
}

/// Decodes a declaration file (see the module documentation for the order of the decision).
pub fn decode(bytes: Vec<u8>) -> Decoded {
    match Encoding::for_bom(&bytes) {
        // A UTF-8 mark is kept in the text, as before: the parser and the report skip it.
        Some((enc, _)) if enc == UTF_8 => utf8(bytes),
        Some((enc, bom)) => strict(enc, &bytes[bom..]),
        None => match bytes.iter().position(|&b| b == 0) {
            Some(at) => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let loc = end_of(&String::from_utf8_lossy(&bytes[..at]));
                let d = Diagnostic::error(
                    Code::InputEncoding,
                    loc,
                    "文件含有空字节（0x00）：可能是没有字节顺序标记（BOM）的 UTF-16，或根本不是文本文件；请另存为 UTF-8",
                    "the file has a NUL byte (0x00): UTF-16 without a byte-order mark, or not a text file at all; save it as UTF-8",
                );
                Decoded {
                    text,
                    diagnostics: vec![d],
                }
            }
            None if std::str::from_utf8(&bytes).is_ok() => utf8(bytes),
            None => strict(GB18030, &bytes),
        },
    }
}

/// Valid UTF-8 as it is; otherwise an error at the first byte that is not.
fn utf8(bytes: Vec<u8>) -> Decoded {
    match String::from_utf8(bytes) {
        Ok(text) => Decoded {
            text,
            diagnostics: Vec::new(),
        },
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let loc = end_of(&String::from_utf8_lossy(&bytes[..at]));
            Decoded {
                text: String::from_utf8_lossy(&bytes).into_owned(),
                diagnostics: vec![undecodable("UTF-8", loc)],
            }
        }
    }
}

/// `bytes` (after any mark) decoded as `enc` without replacement: the text and a warning naming
/// `enc`, or the best-effort text and an error where decoding first failed.
fn strict(enc: &'static Encoding, bytes: &[u8]) -> Decoded {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(
        decoder
            .max_utf8_buffer_length(bytes.len())
            .unwrap_or(bytes.len()),
    );
    let (result, _) = decoder.decode_to_string_without_replacement(bytes, &mut text, true);
    if let encoding_rs::DecoderResult::InputEmpty = result {
        return Decoded {
            text,
            diagnostics: vec![read_as(enc)],
        };
    }
    // Malformed (the buffer is large enough, so never OutputFull): `text` ends where it failed.
    let loc = end_of(&text);
    let (lossy, _) = enc.decode_without_bom_handling(bytes);
    // A GB18030 failure means the file was not UTF-8 either: say so, and locate the first byte
    // that is neither (GB18030 accepts almost anything, so it fails later than UTF-8 did).
    let what = if enc == GB18030 {
        "UTF-8 / GB18030"
    } else {
        enc.name()
    };
    Decoded {
        text: lossy.into_owned(),
        diagnostics: vec![undecodable(what, loc)],
    }
}

/// The warning that names the encoding a file was read in.
fn read_as(enc: &'static Encoding) -> Diagnostic {
    let name = display_name(enc);
    Diagnostic::warning(
        Code::InputEncoding,
        Loc::START,
        format!("文件按 {name} 编码读取；建议另存为 UTF-8（记事本：另存为 → 编码选 UTF-8）"),
        format!("the file was read as {name}; consider saving it as UTF-8"),
    )
}

fn undecodable(what: &str, loc: Loc) -> Diagnostic {
    Diagnostic::error(
        Code::InputEncoding,
        loc,
        format!("无法按 {what} 解读从此处起的字节：文件的编码无法识别；请另存为 UTF-8"),
        format!(
            "the bytes from here on are not {what}: the file's encoding is not one jixiao reads; save it as UTF-8"
        ),
    )
}

/// How the user's editor names the encoding.
fn display_name(enc: &'static Encoding) -> &'static str {
    if enc == GB18030 {
        "GB18030（GBK）"
    } else if enc == UTF_16LE {
        "UTF-16LE"
    } else if enc == UTF_16BE {
        "UTF-16BE"
    } else {
        enc.name()
    }
}

/// The position just after `prefix`: lines end as YAML ends them (`\n`, `\r\n`, a lone `\r`),
/// columns count characters, as every other diagnostic's do.
fn end_of(prefix: &str) -> Loc {
    let mut line = 1u32;
    let mut column = 1u32;
    let mut chars = prefix.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                line = line.saturating_add(1);
                column = 1;
            }
            _ => column = column.saturating_add(1),
        }
    }
    Loc::new(line, column)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    const TEXT: &str = "form: project\nname: 某某项目\n";

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mut out = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            out.extend(if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        out
    }

    fn only(d: &Decoded) -> (String, Severity, Loc) {
        assert_eq!(d.diagnostics.len(), 1, "{d:?}");
        let x = &d.diagnostics[0];
        assert_eq!(x.code, Code::InputEncoding);
        (x.en.clone(), x.severity, x.loc)
    }

    #[test]
    fn utf8_with_or_without_a_mark_is_read_silently() {
        let d = decode(TEXT.as_bytes().to_vec());
        assert_eq!((d.text.as_str(), d.diagnostics.len()), (TEXT, 0));
        let d = decode([b"\xEF\xBB\xBF".as_slice(), TEXT.as_bytes()].concat());
        assert_eq!(
            (d.text.as_str(), d.diagnostics.len()),
            (format!("\u{feff}{TEXT}").as_str(), 0)
        );
    }

    #[test]
    fn utf16_by_its_mark_and_gbk_by_elimination_with_a_warning() {
        for (bytes, name) in [
            (utf16(TEXT, false), "UTF-16LE"),
            (utf16(TEXT, true), "UTF-16BE"),
            (GB18030.encode(TEXT).0.into_owned(), "GB18030"),
        ] {
            let d = decode(bytes);
            assert_eq!(d.text, TEXT);
            let (en, severity, loc) = only(&d);
            assert!(en.contains(name), "{en}");
            assert_eq!((severity, loc), (Severity::Warning, Loc::START));
        }
    }

    #[test]
    fn neither_utf8_nor_gb18030_is_a_located_error() {
        // 0xFF is never a GB18030 lead byte; it sits on line 2 after `k: 某`.
        let mut bytes = b"a: 1\r\nk: ".to_vec();
        bytes.extend(GB18030.encode("某").0.iter());
        bytes.extend(b"\xFF\n");
        let d = decode(bytes);
        let (_, severity, loc) = only(&d);
        assert_eq!((severity, loc), (Severity::Error, Loc::new(2, 5)));
        assert!(d.text.starts_with("a: 1\r\nk: "));
    }

    #[test]
    fn nul_bytes_and_bad_utf16_are_located_errors() {
        let mut bytes = b"a: 1\nb".to_vec();
        bytes.extend(b"\0\0");
        let (en, severity, loc) = only(&decode(bytes));
        assert!(en.contains("NUL"));
        assert_eq!((severity, loc), (Severity::Error, Loc::new(2, 2)));
        // A lone high surrogate after `ab\n`.
        let mut bytes = utf16("ab\nc", false);
        bytes.extend([0x00, 0xD8, b'x', 0]);
        let (en, severity, loc) = only(&decode(bytes));
        assert!(en.contains("UTF-16LE"), "{en}");
        assert_eq!((severity, loc), (Severity::Error, Loc::new(2, 2)));
        // Invalid UTF-8 after a UTF-8 mark is not guessed at.
        let (en, severity, _) = only(&decode(b"\xEF\xBB\xBFa: \xC4\n".to_vec()));
        assert!(en.contains("UTF-8") && severity == Severity::Error, "{en}");
    }
}
