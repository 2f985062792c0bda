//! Reading criteria files: the embedded defaults and `--criteria DIR`,
//! strictly (unknown keys are errors), with every problem located.

use super::{Criteria, Criterion, Framework, FrameworkRules, GlossaryTerm, Group};
use crate::diagnostic::{Problem, Rule, did_you_mean};
use crate::method::Method;
use crate::source::{Kind, Source};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The default frameworks, compiled in: (file name, contents).
pub const EMBEDDED: [(&str, &str); 2] = [
    ("unit-214.toml", include_str!("../../criteria/unit-214.toml")),
    ("cfacsb16.toml", include_str!("../../criteria/cfacsb16.toml")),
];

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawFramework {
    schema: Option<String>,
    #[schemars(with = "String")]
    id: Spanned<String>,
    kind: String,
    short_title: Option<String>,
    title: String,
    reference: String,
    reference_label: Option<String>,
    level: Option<u32>,
    credit: Option<u32>,
    glh: Option<u32>,
    /// The first day evidence may count for this framework.
    #[schemars(with = "Option<crate::json_schema::TomlDate>")]
    valid_from: Option<Spanned<toml::Value>>,
    #[serde(default)]
    aim: String,
    #[serde(default)]
    relationship: String,
    #[serde(default)]
    endorsement: String,
    #[serde(default)]
    notes: Vec<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    alias_note: String,
    #[serde(default)]
    rules: RawRules,
    #[serde(default)]
    glossary: Vec<RawGlossary>,
    groups: Vec<RawGroup>,
}

#[derive(Deserialize, schemars::JsonSchema, Default)]
#[serde(deny_unknown_fields)]
struct RawRules {
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    supporting_only: Vec<Spanned<String>>,
    over_mapped_max_total: Option<usize>,
    over_mapped_max_group_share: Option<f64>,
    over_mapped_min_group: Option<usize>,
    over_mapped_exempt_kinds: Option<Vec<String>>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    handover_action_needs: Vec<Spanned<String>>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawGlossary {
    term: String,
    definition: String,
    #[serde(default)]
    criteria: Vec<String>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    code: String,
    #[serde(default)]
    kind: String,
    title: String,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    methods: Vec<Spanned<String>>,
    /// At least one item must use one of these ("must be assessed by
    /// direct observation").
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    requires_any_method: Vec<Spanned<String>>,
    min_occasions: Option<usize>,
    occasion_advice: Option<String>,
    /// The group is achieved by any this many of its criteria.
    min_criteria: Option<usize>,
    /// Days needed between the first and the last occasion counted.
    min_span_days: Option<u32>,
    /// Simulated evidence does not count ("must be assessed in a real work
    /// environment").
    #[serde(default)]
    real_work_only: bool,
    /// The learner carries out the handovers of this group: a record of a
    /// handover made *to* the learner does not count here.
    #[serde(default)]
    learner_hands_over: bool,
    criteria: Vec<RawCriterion>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawCriterion {
    #[schemars(with = "String")]
    code: Spanned<String>,
    text: String,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    maps_to: Vec<Spanned<String>>,
    min_occasions: Option<usize>,
    /// Overrides the group's methods for this criterion.
    #[schemars(with = "Option<Vec<String>>")]
    methods: Option<Vec<Spanned<String>>>,
    /// The range statement: the situations the criterion covers.
    #[serde(default)]
    range: Vec<String>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    handover_requires: Vec<Spanned<String>>,
    #[serde(default)]
    prompts: Vec<String>,
}

/// The JSON Schema of a criteria (unit or standard) file (see [`crate::schemas`]).
pub fn schema() -> schemars::Schema {
    crate::json_schema::titled(
        crate::json_schema::generator().into_root_schema_for::<RawFramework>(),
        "Criteria file",
        "A unit or standard: its outcomes, criteria, methods and rules (docs/criteria-format.md).",
    )
}

/// Every unit a qualification names must be loaded.
fn check_qualification(q: &super::Qualification, criteria: &Criteria, problems: &mut Vec<Problem>) {
    for unit in q.units() {
        if criteria.framework_index(unit).is_none() {
            problems.push(
                Problem::new(
                    Rule::InvalidCriteria,
                    format!("Qualification `{}` names unit `{unit}`, which is not loaded.", q.id),
                )
                .at(crate::diagnostic::Location::file(&q.source))
                .with_hint("put the unit's criteria file in the same folder, or correct its id"),
            );
        }
    }
}

/// A parsed file with the spans of its mapping codes, checked once every file is read.
struct Parsed {
    framework: Framework,
    file: PathBuf,
    text: String,
    maps: Vec<Spanned<String>>,
}

/// Loads the embedded frameworks and those in the folder `dir` on disk
/// (see [`load_criteria_from`]).
pub fn load_criteria(dir: Option<&Path>) -> Result<Criteria, Vec<Problem>> {
    match dir {
        Some(dir) => load_criteria_from(Some(&crate::source::DiskSource::new(dir))),
        None => load_criteria_from(None),
    }
}

/// Loads the embedded frameworks and those at the top of the criteria
/// folder `dir` (which replace embedded ones with the same id). Every
/// problem in every file is returned at once; files are named as the
/// folder's name joined with theirs.
pub fn load_criteria_from(dir: Option<&dyn Source>) -> Result<Criteria, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut parsed: BTreeMap<String, Parsed> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut qualifications = Vec::new();
    for (name, text) in EMBEDDED {
        let file = PathBuf::from(format!("embedded:{name}"));
        if let Some(p) = parse_file(&file, text.to_string(), &mut problems) {
            order.push(p.framework.id.clone());
            parsed.insert(p.framework.id.clone(), p);
        }
    }
    if let Some(dir) = dir {
        let mut from_dir: BTreeMap<String, PathBuf> = BTreeMap::new();
        for name in toml_files(dir, &mut problems) {
            let file = dir.name().join(&name);
            let text = match dir.read(Path::new(&name)).map(|b| (crate::decode::decode(&b), b)) {
                Ok((Ok(t), _)) => t,
                Ok((Err(e), bytes)) => {
                    // Located as for evidence files: the line and column of the first bad byte.
                    let problem = Problem::new(Rule::InvalidCriteria, e.message).with_hint_opt(e.hint);
                    let shown = String::from_utf8_lossy(&bytes[..bytes.len().min(e.offset + 64)]).replace("\r\n", "\n");
                    problems.push(if e.offset == 0 {
                        problem.at(crate::diagnostic::Location::at(&file, 1, 1))
                    } else {
                        problem.at_offset(&file, &shown, e.offset)
                    });
                    continue;
                }
                Err(e) => {
                    problems.push(
                        Problem::new(Rule::InvalidCriteria, format!("Cannot read the file: {e}."))
                            .at(crate::diagnostic::Location::file(&file)),
                    );
                    continue;
                }
            };
            if super::qualification::is_qualification(&text) {
                qualifications.extend(super::qualification::parse(&file, &text, &mut problems));
                continue;
            }
            let Some(p) = parse_file(&file, text, &mut problems) else {
                continue;
            };
            let id = p.framework.id.clone();
            if let Some(first) = from_dir.get(&id) {
                problems.push(
                    Problem::new(
                        Rule::InvalidCriteria,
                        format!("Framework `{id}` is defined twice: here and in {}.", first.display()),
                    )
                    .at_offset(&p.file, &p.text, 0)
                    .with_hint("give each framework its own `id`, or remove one of the files"),
                );
                continue;
            }
            from_dir.insert(id.clone(), file);
            if !parsed.contains_key(&id) {
                order.push(id.clone());
            }
            parsed.insert(id, p);
        }
    }
    let mut files: Vec<Parsed> = order.iter().filter_map(|id| parsed.remove(id)).collect();
    check_aliases(&files, &mut problems);
    let frameworks: Vec<Framework> = files.iter().map(|p| p.framework.clone()).collect();
    let mut criteria = Criteria::new(frameworks);
    for q in &qualifications {
        check_qualification(q, &criteria, &mut problems);
    }
    criteria.qualifications = qualifications;
    for p in &mut files {
        for code in &p.maps {
            if let Err(e) = criteria.resolve(code.get_ref()) {
                let hint = match e {
                    super::ResolveError::Unknown { suggestions } => {
                        did_you_mean(&suggestions.iter().map(String::as_str).collect::<Vec<_>>())
                    }
                    super::ResolveError::Ambiguous { frameworks } => {
                        Some(format!("qualify it with one of: {}", frameworks.join(", ")))
                    }
                    super::ResolveError::UnknownFramework { .. } => {
                        Some("load that framework with --criteria, or remove the mapping".into())
                    }
                };
                problems.push(
                    Problem::new(
                        Rule::InvalidCriteria,
                        format!("`maps_to` names `{}`, which no loaded framework has.", code.get_ref()),
                    )
                    .at_offset(&p.file, &p.text, code.span().start)
                    .with_hint_opt(hint),
                );
            }
        }
    }
    if problems.iter().any(Problem::is_error) {
        return Err(problems);
    }
    Ok(criteria)
}

/// The names of the `.toml` files (or links to files) at the top of `dir`,
/// sorted.
fn toml_files(dir: &dyn Source, problems: &mut Vec<Problem>) -> Vec<String> {
    let entries = match dir.list(Path::new("")) {
        Ok(e) => e,
        Err(e) => {
            problems.push(
                Problem::new(Rule::InvalidCriteria, format!("Cannot read the criteria folder: {e}."))
                    .at(crate::diagnostic::Location::file(dir.name()))
                    .with_hint("--criteria takes a folder of .toml files, one framework each"),
            );
            return Vec::new();
        }
    };
    entries
        .into_iter()
        .filter(|(name, kind)| {
            Path::new(name)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
                && match kind {
                    Kind::File => true,
                    Kind::Folder => false,
                    // A link is read when it leads to a file, as `is_file` would.
                    Kind::Link => dir
                        .open(Path::new(name))
                        .is_ok_and(|mut f| f.read(&mut [0u8; 1]).is_ok()),
                }
        })
        .map(|(name, _)| name)
        .collect()
}

fn parse_file(file: &Path, text: String, problems: &mut Vec<Problem>) -> Option<Parsed> {
    let text = text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text);
    let raw: RawFramework = match toml::from_str(&text) {
        Ok(r) => r,
        Err(e) => {
            problems.push(crate::fields::toml_problem(Rule::InvalidCriteria, file, &text, 0, &e));
            return None;
        }
    };
    let before = problems.len();
    let err = |problems: &mut Vec<Problem>, offset: usize, msg: String, hint: Option<String>| {
        problems.push(
            Problem::new(Rule::InvalidCriteria, msg)
                .at_offset(file, &text, offset)
                .with_hint_opt(hint),
        );
    };
    if let Some(schema) = &raw.schema
        && schema != "portfolio-criteria/1"
    {
        err(
            problems,
            0,
            format!("Unsupported schema `{schema}`."),
            Some("write schema = \"portfolio-criteria/1\"".into()),
        );
    }
    let id = raw.id.get_ref().trim().to_string();
    if id.is_empty() || id.contains(':') || id.contains(char::is_whitespace) {
        err(
            problems,
            raw.id.span().start,
            format!("`{id}` is not a usable framework id."),
            Some("use lower-case letters, digits and hyphens, e.g. id = \"unit-215\"".into()),
        );
    }
    let method = |problems: &mut Vec<Problem>, m: &Spanned<String>| -> Option<Method> {
        let found = Method::parse(m.get_ref());
        if found.is_none() {
            let near = crate::diagnostic::closest(m.get_ref(), Method::names());
            err(
                problems,
                m.span().start,
                format!("`{}` is not an evidence method.", m.get_ref()),
                did_you_mean(&near),
            );
        }
        found
    };
    let supporting_only = raw
        .rules
        .supporting_only
        .iter()
        .filter_map(|m| method(problems, m))
        .collect();
    let mut seen_codes: BTreeMap<String, usize> = BTreeMap::new();
    let mut maps = Vec::new();
    let mut groups = Vec::new();
    for g in raw.groups {
        let methods = g.methods.iter().filter_map(|m| method(problems, m)).collect();
        let mut criteria = Vec::new();
        for c in g.criteria {
            let code = c.code.get_ref().split_whitespace().collect::<Vec<_>>().join(" ");
            if super::code_key(&code).is_empty() || code.contains(':') {
                err(
                    problems,
                    c.code.span().start,
                    format!("`{code}` is not a usable criterion code."),
                    None,
                );
            }
            if let Some(&first) = seen_codes.get(&super::code_key(&code)) {
                let (line, _) = crate::diagnostic::line_column(&text, first);
                err(
                    problems,
                    c.code.span().start,
                    format!("Criterion `{code}` is defined twice (first at line {line})."),
                    Some("give each criterion its own code".into()),
                );
            } else {
                seen_codes.insert(super::code_key(&code), c.code.span().start);
            }
            maps.extend(c.maps_to.iter().cloned());
            for part in &c.handover_requires {
                if crate::handover::Part::parse(part.get_ref()).is_none() {
                    let keys: Vec<&str> = crate::handover::Part::ALL.iter().map(|p| p.key()).collect();
                    let near = crate::diagnostic::closest(part.get_ref(), keys.iter().copied());
                    err(
                        problems,
                        part.span().start,
                        format!("`{}` is not a part of a handover record.", part.get_ref()),
                        did_you_mean(&near).or_else(|| Some(format!("the parts are {}", keys.join(", ")))),
                    );
                }
            }
            criteria.push(Criterion {
                code,
                text: c.text.trim().to_string(),
                maps_to: c
                    .maps_to
                    .into_iter()
                    .map(|m| m.into_inner().trim().to_string())
                    .collect(),
                min_occasions: c.min_occasions,
                methods: c
                    .methods
                    .as_ref()
                    .map(|list| list.iter().filter_map(|m| method(problems, m)).collect()),
                range: c.range.iter().map(|r| r.trim().to_string()).collect(),
                handover_requires: c.handover_requires.into_iter().map(Spanned::into_inner).collect(),
                prompts: c.prompts,
            });
        }
        if let Some(n) = g.min_criteria
            && (n == 0 || n > criteria.len())
        {
            err(
                problems,
                0,
                format!(
                    "Group `{}` asks for {n} of its criteria (min_criteria) but has {}.",
                    g.code,
                    criteria.len()
                ),
                Some("min_criteria is how many of the group's criteria achieve it: from 1 to their number".into()),
            );
        }
        let requires_any_method = g
            .requires_any_method
            .iter()
            .filter_map(|m| method(problems, m))
            .collect();
        groups.push(Group {
            code: g.code,
            kind: g.kind,
            title: g.title,
            methods,
            requires_any_method,
            min_criteria: g.min_criteria,
            min_span_days: g.min_span_days,
            real_work_only: g.real_work_only,
            learner_hands_over: g.learner_hands_over,
            min_occasions: g.min_occasions.unwrap_or(1).max(1),
            occasion_advice: g
                .occasion_advice
                .unwrap_or_else(|| "Add evidence from another occasion.".to_string()),
            criteria,
        });
    }
    let valid_from = raw.valid_from.as_ref().and_then(|v| {
        let date = crate::date::Date::from_toml(v.get_ref());
        if date.is_none() {
            err(
                problems,
                v.span().start,
                format!("`valid_from` is {}, which is not a calendar date.", v.get_ref()),
                Some("write the date as YYYY-MM-DD, e.g. valid_from = 2013-09-01".into()),
            );
        }
        date
    });
    if problems.len() > before {
        return None;
    }
    let framework = Framework {
        valid_from,
        short_title: raw.short_title.unwrap_or_else(|| raw.title.clone()),
        reference_label: raw.reference_label.unwrap_or_else(|| "Reference".into()),
        id,
        kind: raw.kind,
        title: raw.title,
        reference: raw.reference,
        level: raw.level,
        credit: raw.credit,
        glh: raw.glh,
        aim: raw.aim,
        relationship: raw.relationship,
        endorsement: raw.endorsement,
        notes: raw.notes,
        aliases: raw.aliases,
        alias_note: raw.alias_note,
        rules: FrameworkRules {
            supporting_only,
            over_mapped_max_total: raw.rules.over_mapped_max_total.unwrap_or(6),
            over_mapped_max_group_share: raw.rules.over_mapped_max_group_share.unwrap_or(0.5),
            over_mapped_min_group: raw.rules.over_mapped_min_group.unwrap_or(3),
            over_mapped_exempt_kinds: raw
                .rules
                .over_mapped_exempt_kinds
                .unwrap_or_else(|| vec!["understand".into(), "knowledge".into()]),
            handover_action_needs: raw
                .rules
                .handover_action_needs
                .into_iter()
                .map(Spanned::into_inner)
                .collect(),
        },
        glossary: raw
            .glossary
            .into_iter()
            .map(|g| GlossaryTerm {
                term: g.term,
                definition: g.definition,
                criteria: g.criteria,
            })
            .collect(),
        groups,
        source: file.display().to_string(),
    };
    Some(Parsed {
        framework,
        file: file.to_path_buf(),
        text,
        maps,
    })
}

/// An alias must not name another framework.
fn check_aliases(files: &[Parsed], problems: &mut Vec<Problem>) {
    let mut names: BTreeMap<String, &Path> = BTreeMap::new();
    for p in files {
        for name in std::iter::once(&p.framework.id).chain(&p.framework.aliases) {
            if let Some(other) = names.insert(name.to_lowercase(), &p.file)
                && other != p.file
            {
                problems.push(
                    Problem::new(
                        Rule::InvalidCriteria,
                        format!("`{name}` names two frameworks (also {}).", other.display()),
                    )
                    .at(crate::diagnostic::Location::file(&p.file)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    const SMALL: &str = "id = \"unit-999\"\nkind = \"unit\"\ntitle = \"T\"\nreference = \"R\"\n\n[[groups]]\ncode = \"1\"\ntitle = \"G\"\n\n[[groups.criteria]]\ncode = \"1.1\"\ntext = \"x\"\n";

    #[test]
    fn a_folder_adds_frameworks() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "u.toml", SMALL);
        let c = load_criteria(Some(dir.path())).unwrap();
        assert_eq!(c.frameworks.len(), 3);
        // 1.1 is now in two units: unqualified it is ambiguous.
        assert!(matches!(
            c.resolve("1.1"),
            Err(super::super::ResolveError::Ambiguous { .. })
        ));
        assert!(c.resolve("unit-999:1.1").is_ok());
    }

    #[test]
    fn a_folder_replaces_a_framework_by_id() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "u.toml", &SMALL.replace("unit-999", "unit-214"));
        let c = load_criteria(Some(dir.path())).unwrap();
        assert_eq!(c.frameworks.len(), 2);
        assert!(c.resolve("3.1").is_err());
        assert_eq!(c.frameworks[0].title, "T");
    }

    #[test]
    fn malformed_files_are_located() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.toml", "id = \"x\"\nkind = \n");
        write(
            dir.path(),
            "b.toml",
            &SMALL.replace("text = \"x\"", "text = \"x\"\nmaps = []"),
        );
        write(
            dir.path(),
            "c.toml",
            &format!("{SMALL}\n[[groups.criteria]]\ncode = \"1.1\"\ntext = \"again\"\n"),
        );
        let problems = load_criteria(Some(dir.path())).unwrap_err();
        let at = |name: &str| {
            problems
                .iter()
                .find(|p| p.location.as_ref().is_some_and(|l| l.file.ends_with(name)))
                .unwrap_or_else(|| panic!("no problem for {name}: {problems:#?}"))
        };
        assert_eq!(at("a.toml").location.as_ref().unwrap().line, Some(2));
        assert_eq!(at("b.toml").location.as_ref().unwrap().line, Some(13));
        assert_eq!(at("b.toml").hint.as_deref(), Some("did you mean `maps_to`?"));
        assert!(at("c.toml").message.contains("defined twice"));
        assert_eq!(at("c.toml").location.as_ref().unwrap().line, Some(15));
    }

    #[test]
    fn a_mapping_to_nowhere_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "u.toml",
            &SMALL.replace("text = \"x\"", "text = \"x\"\nmaps_to = [\"cfacsb16:P55\"]"),
        );
        let problems = load_criteria(Some(dir.path())).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("P55"));
        assert_eq!(problems[0].location.as_ref().unwrap().line, Some(13));
    }
}
