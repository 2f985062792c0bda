//! Terminal colour: on only for a terminal, never with `NO_COLOR`, unless
//! `--color always|never` says otherwise.

use crate::coverage::Status;
use crate::diagnostic::Severity;
use std::io::IsTerminal;
use std::sync::OnceLock;

/// `--color`: `Some(true)` always, `Some(false)` never, `None` (or unset)
/// for the terminal and `NO_COLOR` to decide. Set once by the command line.
static CHOICE: OnceLock<Option<bool>> = OnceLock::new();

#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    pub colour: bool,
}

impl Style {
    /// The command line's `--color`: `Some(true)` always, `Some(false)`
    /// never, `None` auto. The first call wins.
    pub fn set_choice(choice: Option<bool>) {
        let _ = CHOICE.set(choice);
    }

    /// Colour as `--color` says; by default when `terminal` is true and
    /// `NO_COLOR` is unset or empty (<https://no-color.org>).
    pub fn detect(terminal: bool) -> Style {
        if let Some(Some(colour)) = CHOICE.get() {
            return Style { colour: *colour };
        }
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Style {
            colour: terminal && !no_color,
        }
    }

    pub fn for_stdout() -> Style {
        Style::detect(std::io::stdout().is_terminal())
    }

    pub fn for_stderr() -> Style {
        Style::detect(std::io::stderr().is_terminal())
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    pub fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }

    pub fn status(&self, status: Status, text: &str) -> String {
        let code = match status {
            Status::Met => "32",
            Status::Claimed => "36",
            Status::Insufficient => "33",
            Status::Missing => "31",
        };
        self.paint(code, text)
    }

    pub fn severity(&self, severity: Severity, text: &str) -> String {
        let code = match severity {
            Severity::Error => "1;31",
            Severity::Gap => "1;33",
            Severity::Warning => "1;35",
        };
        self.paint(code, text)
    }
}
