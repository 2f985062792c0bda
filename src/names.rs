//! People's names compared the way a person reads them: case, spaces and
//! punctuation ignored ("J. Patel" = "j patel"), and, where a wrong "yes" is
//! the safe side, an initial matching a first name ("A. Khan" may be
//! "Amira Khan"). Used to tell whether a decision's author is an assessor and
//! whether a witness is the learner.

/// A name compared: lower case, letters and digits, single spaces
/// ("J. Patel" and "j patel" are the same).
pub fn normalise_name(name: &str) -> String {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether two names are written the same, ignoring case and punctuation.
pub fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (normalise_name(a), normalise_name(b));
    !a.is_empty() && a == b
}

/// Whether two names could be one person: the same name, or the same
/// surname with a first name and its initial ("A. Khan", "Amira Khan").
/// Used where a wrong "yes" is the safe side (is this witness the learner?).
pub fn may_be_same_person(a: &str, b: &str) -> bool {
    if same_name(a, b) {
        return true;
    }
    let (a, b) = (normalise_name(a), normalise_name(b));
    let (wa, wb): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    if wa.len() < 2 || wb.len() < 2 || wa.last() != wb.last() {
        return false;
    }
    let (fa, fb) = (wa[0], wb[0]);
    (fa.chars().count() == 1 || fb.chars().count() == 1) && fa.chars().next() == fb.chars().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_without_case_and_punctuation() {
        assert!(same_name("J. Patel", "j patel"));
        assert!(same_name("  Amira   KHAN ", "amira khan"));
        assert!(!same_name("J. Patel", "R. Patel"));
        assert!(!same_name("", ""));
    }

    #[test]
    fn an_initial_may_be_the_same_person() {
        assert!(may_be_same_person("A. Khan", "Amira Khan"));
        assert!(may_be_same_person("amira khan", "Amira Khan"));
        assert!(!may_be_same_person("Ben Khan", "Amira Khan"));
        assert!(!may_be_same_person("Khan", "Amira Khan"));
        assert!(!may_be_same_person("Amira Jones", "Amira Khan"));
    }
}
