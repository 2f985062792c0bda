//! The headline: one honest sentence on where the portfolio stands, built
//! once from the coverage and printed in the same words by the text report,
//! the HTML banner and the PDF cover.
//!
//! "Complete: every criterion met" only when every assessed criterion is
//! met; "Evidence complete — N criteria awaiting assessment" when the
//! evidence satisfies the requirement but decisions are still to come; and
//! "Not complete: …" otherwise. With `--require met` a criterion awaiting a
//! decision is a gap, so such a portfolio is "Not complete: N criteria
//! awaiting assessment".

use crate::coverage::{Coverage, Status};
use serde::Serialize;

/// Where the portfolio stands, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Headline {
    /// The portfolio meets the requirement (and has no input errors).
    pub complete: bool,
    /// Every assessed criterion is met.
    pub all_met: bool,
    /// Required assessed criteria whose evidence awaits a decision (`claimed`).
    pub awaiting: usize,
    /// Required assessed criteria that still need evidence (below `claimed`).
    pub need_evidence: usize,
    /// Input errors that keep the portfolio from complete.
    pub errors: usize,
    /// The sentence, without a final full stop.
    pub text: String,
    /// The status whose colour the headline takes.
    pub tone: Status,
}

/// "1 criterion" / "5 criteria".
pub fn criteria_count(n: usize) -> String {
    format!("{n} {}", if n == 1 { "criterion" } else { "criteria" })
}

/// "a, b and c".
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

impl Headline {
    pub fn of(cov: &Coverage) -> Headline {
        let required: Vec<_> = cov.criteria.iter().filter(|r| r.assessed && r.required).collect();
        let awaiting = required.iter().filter(|r| r.status == Status::Claimed).count();
        let need_evidence = required.iter().filter(|r| r.status < Status::Claimed).count();
        let errors = cov.problems.iter().filter(|p| p.is_error()).count();
        let assessed: Vec<_> = cov.criteria.iter().filter(|r| r.assessed).collect();
        let all_met = !assessed.is_empty() && assessed.iter().all(|r| r.status == Status::Met);
        let required_met = required.iter().all(|r| r.status == Status::Met);
        let (text, tone) = if errors > 0 {
            (
                format!(
                    "Not complete: {errors} input {} to fix first",
                    if errors == 1 { "error" } else { "errors" }
                ),
                Status::Missing,
            )
        } else if cov.complete && all_met {
            ("Complete: every criterion met".to_string(), Status::Met)
        } else if cov.complete && required_met {
            ("Complete: every required criterion met".to_string(), Status::Met)
        } else if cov.complete {
            (
                format!("Evidence complete — {} awaiting assessment", criteria_count(awaiting)),
                Status::Claimed,
            )
        } else {
            let mut parts = Vec::new();
            if need_evidence > 0 {
                parts.push(format!("{} need more evidence", criteria_count(need_evidence)));
            }
            if awaiting > 0 {
                parts.push(format!("{} awaiting assessment", criteria_count(awaiting)));
            }
            if parts.is_empty() {
                parts.push(format!("criteria below {}", cov.require.word()));
            }
            (format!("Not complete: {}", parts.join(", ")), Status::Insufficient)
        };
        Headline {
            complete: cov.complete,
            all_met,
            awaiting,
            need_evidence,
            errors,
            text,
            tone,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_in_the_singular_and_plural() {
        assert_eq!(criteria_count(1), "1 criterion");
        assert_eq!(criteria_count(5), "5 criteria");
        assert_eq!(criteria_count(0), "0 criteria");
    }

    #[test]
    fn lists_join_with_and() {
        let l = |v: &[&str]| and_list(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(l(&["3.1"]), "3.1");
        assert_eq!(l(&["3.1", "3.2", "3.4"]), "3.1, 3.2 and 3.4");
    }
}
