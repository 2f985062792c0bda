//! Resolving a code as written (`3.2`, `AC 3.2`, `P5`, `inscs024:p5`) to a
//! criterion: codes compare by [`code_key`]; a code several frameworks
//! share is ambiguous unless the portfolio prefers one of them; what
//! resolves to nothing gets the closest valid codes as suggestions.

use super::{CritId, Criteria};

/// How a code is compared: case and spaces ignored, and an `AC` prefix
/// ("assessment criterion") dropped, so `AC1.1`, `ac 1.1` and `1.1` are one
/// code, and so are `5.1 a` and `5.1a`.
pub fn code_key(code: &str) -> String {
    let key: String = code
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    match key.strip_prefix("ac") {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest.to_string(),
        _ => key,
    }
}

/// Why a code did not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveError {
    /// No framework has it; the closest valid codes.
    Unknown { suggestions: Vec<String> },
    /// More than one framework has it; their ids.
    Ambiguous { frameworks: Vec<String> },
    /// The `framework:` part names no loaded framework.
    UnknownFramework { suggestions: Vec<String> },
}

impl Criteria {
    /// Resolves `3.2`, `P5`, `unit-214:3.2` or `inscs024:p5`.
    pub fn resolve(&self, text: &str) -> Result<CritId, ResolveError> {
        let text = text.trim();
        if let Some((fw, code)) = text.split_once(':') {
            let Some(f) = self.framework_index(fw) else {
                let mut names: Vec<&str> = self.by_framework.keys().map(String::as_str).collect();
                names.sort_unstable();
                return Err(ResolveError::UnknownFramework {
                    suggestions: crate::diagnostic::closest(fw, names)
                        .into_iter()
                        .map(str::to_string)
                        .collect(),
                });
            };
            let found = self
                .by_code
                .get(&code_key(code))
                .and_then(|ids| ids.iter().find(|id| self.entries[id.0].framework == f));
            return found.copied().ok_or_else(|| ResolveError::Unknown {
                suggestions: self.suggest(code, Some(f)),
            });
        }
        match self.by_code.get(&code_key(text)).map(Vec::as_slice) {
            Some([one]) => Ok(*one),
            Some(many) if !many.is_empty() => Err(ResolveError::Ambiguous {
                frameworks: many.iter().map(|id| self.framework_of(*id).id.clone()).collect(),
            }),
            _ => Err(ResolveError::Unknown {
                suggestions: self.suggest(text, None),
            }),
        }
    }

    /// Resolves like [`Criteria::resolve`], but a bare code that several
    /// frameworks have resolves to the one of `prefer` (the frameworks a
    /// portfolio assesses) that has it, and suggestions come from `prefer`
    /// first. A portfolio for another unit is not troubled by Unit 214's codes.
    pub fn resolve_preferring(&self, text: &str, prefer: &[usize]) -> Result<CritId, ResolveError> {
        match self.resolve(text) {
            Err(ResolveError::Ambiguous { frameworks }) => {
                let ids = self.by_code.get(&code_key(text)).map(Vec::as_slice).unwrap_or(&[]);
                let preferred: Vec<CritId> = ids
                    .iter()
                    .copied()
                    .filter(|id| prefer.contains(&self.entries[id.0].framework))
                    .collect();
                match preferred.as_slice() {
                    [one] => Ok(*one),
                    [] => Err(ResolveError::Ambiguous { frameworks }),
                    many => Err(ResolveError::Ambiguous {
                        frameworks: many.iter().map(|id| self.framework_of(*id).id.clone()).collect(),
                    }),
                }
            }
            Err(ResolveError::Unknown { suggestions }) if !text.contains(':') => {
                let mut near = Vec::new();
                for &f in prefer {
                    near.extend(self.suggest(text, Some(f)));
                }
                near.truncate(3);
                Err(ResolveError::Unknown {
                    suggestions: if near.is_empty() { suggestions } else { near },
                })
            }
            other => other,
        }
    }

    /// The valid codes closest to `wanted`, in `framework` or in all: fewest
    /// edits first, then nearest in number (`3.6` suggests `3.5` before `3.1`).
    fn suggest(&self, wanted: &str, framework: Option<usize>) -> Vec<String> {
        let wanted = wanted.trim().to_lowercase();
        let number = |s: &str| -> f64 {
            let digits: String = s.chars().filter(|c| c.is_ascii_digit() || *c == '.').collect();
            digits.trim_matches('.').parse().unwrap_or(f64::MAX)
        };
        let mut scored: Vec<(usize, u64, String)> = self
            .ids()
            .filter(|id| framework.is_none_or(|f| self.entries[id.0].framework == f))
            .map(|id| self.display_code(id))
            .map(|code| {
                let edits = strsim::levenshtein(&wanted, &code.to_lowercase());
                let gap = ((number(&code) - number(&wanted)).abs() * 100.0) as u64;
                (edits, gap, code)
            })
            .filter(|(edits, _, code)| *edits <= (code.chars().count() / 2).max(1))
            .collect();
        scored.sort();
        scored.into_iter().take(3).map(|(_, _, code)| code).collect()
    }
}
