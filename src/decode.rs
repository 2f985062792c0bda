//! Files as text: UTF-8 with or without a byte-order mark, CRLF read as
//! LF; UTF-16 and bad bytes reported at the byte where they start. Every
//! file users write (evidence, portfolio.toml, criteria) is read through it.

/// What went wrong before the TOML could be read: a message, the byte
/// offset it points at, and a hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitError {
    pub message: String,
    pub offset: usize,
    pub hint: Option<String>,
}

/// Decodes a file's bytes: UTF-8 with an optional BOM, CRLF to LF.
/// On failure, the message and the byte offset of the first bad byte.
pub fn decode(bytes: &[u8]) -> Result<String, SplitError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(SplitError {
            message: "The file is UTF-16 text; portfolio reads UTF-8.".into(),
            offset: 0,
            hint: Some("save it again as \"UTF-8\" (in Notepad: Save As, Encoding: UTF-8)".into()),
        });
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(if text.contains('\r') {
            text.replace("\r\n", "\n")
        } else {
            text.to_string()
        }),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            // Report against the readable part so line and column are right.
            let text = String::from_utf8_lossy(good).replace("\r\n", "\n");
            Err(SplitError {
                message: format!(
                    "The file is not valid UTF-8 text (a bad byte, 0x{:02X}, after this point).",
                    bytes[e.valid_up_to()]
                ),
                offset: text.len(),
                hint: Some(
                    "save the file as UTF-8; text pasted from a word processor often carries stray bytes".into(),
                ),
            })
        }
    }
}
