//! A synthetic cohort for benchmarks and scale tests: N learners with M
//! items each, of realistic length, seeded so the same arguments always give
//! the same files. Most portfolios are complete, some have gaps, and the
//! requested number are broken (an unknown code, or an unclosed front matter).

use std::fmt::Write as _;
use std::path::Path;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub learners: usize,
    pub items: usize,
    /// How many learners get an input error.
    pub broken: usize,
    /// Every `gappy_every`-th learner (0: none) leaves outcome 3 short.
    pub gappy_every: usize,
    pub seed: u64,
    /// Words per item on average (each item between half and one and a
    /// half times this); 0 for the light default of about 170.
    pub words: usize,
}

/// A small, fast, seeded generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn pick<'a>(&mut self, options: &[&'a str]) -> &'a str {
        options[(self.next() % options.len() as u64) as usize]
    }
}

const FIRST: &[&str] = &[
    "Amira", "Ben", "Chloe", "Dev", "Ellie", "Femi", "Grace", "Harry", "Isla", "Jamal", "Kate", "Liam", "Maya", "Noah",
    "Olivia", "Priya", "Rhys", "Sofia", "Tom", "Zara",
];
const LAST: &[&str] = &[
    "Khan", "Jones", "Williams", "Patel", "Evans", "Okafor", "Smith", "Davies", "Nowak", "Hughes", "Ali", "Brown",
    "Taylor", "Wright", "Murphy", "Clarke",
];
const ASSESSORS: &[&str] = &["J. Patel", "R. Morgan", "S. Ahmed", "L. Fraser"];
const CUSTOMER: &[&str] = &[
    "a billing dispute",
    "a missed meter reading",
    "a home move",
    "a payment plan request",
    "a faulty smart meter",
    "a refund query",
    "a complaint about a call-back",
    "a change of tariff",
];
const COLLEAGUE: &[&str] = &[
    "Sam on the late shift",
    "my team leader",
    "the metering team",
    "the billing analysts",
    "a colleague in complaints",
    "the registrations team",
];
/// Sentence templates: `{c}` a customer, `{w}` a workmate, `{d}` a day,
/// `{n}` a case number, `{t}` a time. Filled at random, so that no two
/// learners' narratives are near-duplicates (which `duplicate-evidence`
/// would rightly flag).
const SENTENCES: &[&str] = &[
    "I explained to {c} who would deal with their query next and why, and that {w} would call by {d}.",
    "I wrote an SBAR note on case {n} so that {w} could pick it up without asking {c} to repeat anything.",
    "At {t} I checked that {w} understood what was due by {d} by asking them to tell me back the actions on case {n}.",
    "I set a follow-up task on case {n} for {d} so that I would check {w} had called {c}.",
    "When I checked on {d}, {w} had not completed the action for {c}, so I agreed a new deadline and rang {c} at {t}.",
    "At the {d} team meeting I suggested a change to our handover note after case {n}, and {w} agreed to try it.",
    "Our procedure says urgent handovers go by phone as well as in writing, so at {t} I rang {w} about case {n}.",
    "I passed {w} only what they needed to act on case {n}, in line with our data protection policy, and told {c}.",
    "My authority ends at refunds above the limit, so on {d} I passed the decision on case {n} to {w} with the background.",
    "Looking back on case {n}, I would confirm the {d} deadline to {w} in writing as well as out loud.",
];
const CUSTOMERS: &[&str] = &[
    "Mrs Evans",
    "Mr Ali",
    "Ms Hughes",
    "Mr Nowak",
    "Mrs Brown",
    "Mr Clarke",
    "Ms Murphy",
    "Mr Wright",
    "Mrs Taylor",
    "Ms Davies",
    "Mr Smith",
    "Mrs Okafor",
];
const DAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/// The items every complete learner has: (method, criteria, occasion).
const PLAN: &[(&str, &str, &str)] = &[
    ("professional-discussion", "\"1.1\", \"1.4\"", ""),
    ("questioning", "\"1.2\", \"1.3\"", ""),
    ("reflective-account", "\"2.1\"", ""),
    ("observation", "\"2.2\"", ""),
    ("questioning", "\"2.3\"", ""),
    ("observation", "\"3.1\", \"3.2\"", "first-handover"),
    ("witness-testimony", "\"3.3\", \"3.4\"", "first-handover"),
    ("reflective-account", "\"3.1\", \"3.2\"", "second-handover"),
    ("witness-testimony", "\"3.3\", \"3.4\"", "second-handover"),
    ("observation", "\"3.5\"", "team-meeting"),
    ("professional-discussion", "\"3.5\"", "review"),
    ("documentation", "\"2.3\"", ""),
];

const EXTRA: &[(&str, &str)] = &[
    ("customer-record", "\"3.2\""),
    ("policy-and-legislation", "\"1.1\""),
    ("service-offer", "\"2.2\""),
    ("product", "\"P1\", \"P2\""),
    ("reflective-account", "\"1.3\""),
    ("observation", "\"P9\""),
];

/// Writes the cohort into `dir` (one sub-folder per learner).
pub fn generate(dir: &Path, spec: Spec) -> std::io::Result<()> {
    let mut rng = Rng(spec.seed);
    let broken_every = spec.learners.checked_div(spec.broken).map_or(usize::MAX, |n| n.max(1));
    let mut broken_left = spec.broken;
    for n in 0..spec.learners {
        let folder = dir.join(format!("learner-{:05}", n + 1));
        std::fs::create_dir_all(folder.join("evidence"))?;
        let name = format!("{} {}", rng.pick(FIRST), rng.pick(LAST));
        let assessor = rng.pick(ASSESSORS);
        std::fs::write(
            folder.join("portfolio.toml"),
            format!(
                "[learner]\nname = \"{name}\"\nid = \"L-{:05}\"\n{}\n[centre]\nname = \"Northgate Training\"\n\n[assessor]\nname = \"{assessor}\"\n",
                n + 1,
                if n % 3 == 0 {
                    format!("uln = \"{}\"\n", 9_100_000_000u64 + n as u64)
                } else {
                    String::new()
                }
            ),
        )?;
        std::fs::write(folder.join("reflection.md"), paragraph(&mut rng, 6))?;
        let gappy = spec.gappy_every > 0 && n % spec.gappy_every == spec.gappy_every - 1;
        let broken = broken_left > 0 && n % broken_every == broken_every / 2;
        if broken {
            broken_left -= 1;
        }
        for i in 0..spec.items {
            let (method, codes, occasion) = match PLAN.get(i) {
                Some(p) => *p,
                None => {
                    let (m, c) = EXTRA[(i - PLAN.len()) % EXTRA.len()];
                    (m, c, "")
                }
            };
            if gappy && occasion == "second-handover" {
                continue;
            }
            let day = 1 + (i % 27);
            let month = 2 + (i / 27) % 9;
            let mut text = String::new();
            let _ = writeln!(text, "+++");
            let _ = writeln!(text, "title = \"{} about {}\"", title_for(method), rng.pick(CUSTOMER));
            let _ = writeln!(text, "date = 2026-{month:02}-{day:02}");
            let _ = writeln!(text, "method = \"{method}\"");
            if broken && i == 3 {
                let _ = writeln!(text, "criteria = [\"3.9\"]");
            } else {
                let _ = writeln!(text, "criteria = [{codes}]");
            }
            if !occasion.is_empty() {
                let _ = writeln!(text, "occasion = \"{occasion}\"");
            }
            if method == "witness-testimony" {
                // Never the learner: a learner cannot witness their own work.
                let mut witness = format!("{} {}", rng.pick(FIRST), rng.pick(LAST));
                if witness == name {
                    witness = format!("{} Reid", rng.pick(FIRST));
                }
                let _ = writeln!(text, "witness = {{ name = \"{witness}\", role = \"Team leader\" }}");
            }
            if matches!(
                method,
                "documentation" | "customer-record" | "policy-and-legislation" | "service-offer"
            ) {
                let _ = writeln!(text, "held_at = \"Team SharePoint, folder {}\"", 100 + i);
            }
            if rng.next().is_multiple_of(3) {
                let _ = writeln!(
                    text,
                    "\n[assessment]\ndecision = \"accepted\"\nby = \"{assessor}\"\ndate = 2026-{:02}-{:02}",
                    month,
                    (day + 1).min(28)
                );
            }
            let _ = writeln!(text, "+++");
            let _ = writeln!(
                text,
                "I was working on {} and needed to hand it to {}.\n",
                rng.pick(CUSTOMER),
                rng.pick(COLLEAGUE)
            );
            if spec.words == 0 {
                text.push_str(&paragraph(&mut rng, 4));
                text.push('\n');
                text.push_str(&paragraph(&mut rng, 4));
            } else {
                // Between half and one and a half times the average.
                let target = spec.words / 2 + (rng.next() % (spec.words as u64 + 1)) as usize;
                let mut written = 0;
                while written < target {
                    let p = paragraph(&mut rng, 4);
                    written += p.split_whitespace().count();
                    text.push_str(&p);
                    text.push('\n');
                }
            }
            let first_code = codes.split('"').nth(1).unwrap_or("1.1");
            let _ = writeln!(text, " This shows {first_code} [[{first_code}]].");
            std::fs::write(
                folder.join("evidence").join(format!("{:02}-{}.md", i + 1, method)),
                text,
            )?;
        }
    }
    Ok(())
}

fn title_for(method: &str) -> &'static str {
    match method {
        "observation" => "Observed handover",
        "witness-testimony" => "Witness testimony",
        "professional-discussion" => "Professional discussion",
        "questioning" => "Questions and answers",
        "reflective-account" => "Reflective account",
        "product" => "Handover checklist",
        _ => "Workplace document",
    }
}

fn paragraph(rng: &mut Rng, sentences: usize) -> String {
    let mut p = String::new();
    for _ in 0..sentences {
        let template = rng.pick(SENTENCES);
        let mut rest = template;
        while let Some(at) = rest.find('{') {
            p.push_str(&rest[..at]);
            let slot = rest.get(at + 1..at + 2).unwrap_or("");
            match slot {
                "c" => p.push_str(rng.pick(CUSTOMERS)),
                "w" => p.push_str(rng.pick(FIRST)),
                "d" => p.push_str(rng.pick(DAYS)),
                "n" => {
                    let _ = write!(p, "{}", 4000 + rng.next() % 6000);
                }
                _ => {
                    let _ = write!(p, "{}:{:02}", 8 + rng.next() % 10, rng.next() % 60);
                }
            }
            rest = rest.get(at + 3..).unwrap_or("");
        }
        p.push_str(rest);
        p.push(' ');
    }
    p.trim_end().to_string() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_files() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let spec = Spec {
            learners: 3,
            items: 14,
            broken: 1,
            gappy_every: 2,
            seed: 7,
            words: 0,
        };
        generate(a.path(), spec).unwrap();
        generate(b.path(), spec).unwrap();
        for entry in walkdir::WalkDir::new(a.path()).sort_by_file_name() {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(a.path()).unwrap();
                assert_eq!(
                    std::fs::read(entry.path()).unwrap(),
                    std::fs::read(b.path().join(rel)).unwrap()
                );
            }
        }
    }
}
