//! Occasions: which items record the same piece of work, so that one
//! handover is never counted twice towards `min_occasions`.
//!
//! Items are joined into one occasion when
//! - their `occasion` labels are equal once case, spaces and punctuation
//!   are ignored (`Late-Shift` = `late shift`);
//! - an item has no label and its date has exactly one labelled occasion
//!   (it joins that one); unlabelled items on a date with no labels are one
//!   occasion; an unlabelled item on a date with several labelled occasions
//!   belongs to none of them and makes no occasion of its own, and neither
//!   does any item linked to it (below), whatever its label;
//! - their `[handover]` records name the same receiver and the same
//!   situation (whitespace and case ignored), whatever their dates;
//! - their narratives are near-duplicates: at least [`DUPLICATE_THRESHOLD`]
//!   of their word 3-shingles are shared (Jaccard), or they are the same
//!   word for word (at least [`MIN_COPY_WORDS`] words), which draws a
//!   `duplicate-evidence` warning naming both files.
//!
//! Joining can only lower a count: adding a copy of an item, or relabelling
//! items with variants of a label, never adds an occasion.

use crate::date::Date;
use crate::evidence::{Item, Portfolio};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};

/// Narratives sharing at least this share of their word 3-shingles
/// (Jaccard similarity) are one occasion and draw `duplicate-evidence`.
pub const DUPLICATE_THRESHOLD: f64 = 0.5;

/// Narratives shorter than this many 3-shingles (about as many words) are
/// not compared: "See the attached sheet." is not a copy of anything.
pub const MIN_SHINGLES: usize = 20;

/// Narratives of at least this many words that are the same word for word
/// (case and punctuation aside) are copies, however short.
pub const MIN_COPY_WORDS: usize = 8;

/// MinHash signature length and its banding (bands × rows = length): two
/// narratives that agree on all rows of any band are compared exactly.
const SIGNATURE: usize = 32;
const ROWS: usize = 2;
/// Each item is compared with at most this many earlier items per band, so
/// the work stays linear in the number of items even for many copies.
const PER_BUCKET: usize = 4;

/// One occasion: the items that record it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occasion {
    /// How people see it: its labels as first written, or its date.
    pub name: String,
    /// The labels as written, one per distinct normalised label.
    pub labels: Vec<String>,
    pub dates: Vec<Date>,
    /// Indices into `Portfolio::items`, in item order.
    pub items: Vec<usize>,
}

/// Two items whose narratives are near-duplicates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Duplicate {
    /// The earlier item (in path order) and the later one.
    pub first: usize,
    pub second: usize,
    /// Jaccard similarity of their word 3-shingles.
    pub similarity: f64,
}

/// The occasions of a portfolio.
#[derive(Debug, Clone, Default)]
pub struct Occasions {
    pub list: Vec<Occasion>,
    /// For each item, its occasion (an index into `list`), if it has one.
    pub of_item: Vec<Option<usize>>,
    pub duplicates: Vec<Duplicate>,
    /// Items of different occasions (by label or date) that attach the same
    /// file (the same bytes): they are one occasion.
    pub shared: Vec<SharedAttachment>,
}

/// Two items that attach the same bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedAttachment {
    /// The earlier item (in path order) and the later one.
    pub first: usize,
    pub second: usize,
    /// The attachment as the later item lists it, and as the earlier one does.
    pub path: String,
    pub first_path: String,
    /// Its line in the later item's file.
    pub line: usize,
}

/// A label compared: folded like names ([`crate::names::fold`]), lower
/// case, letters and digits only.
pub fn normalise_label(label: &str) -> String {
    // Folded first: a look-alike letter or an invisible character does not
    // make another occasion.
    crate::names::fold(label)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Text compared: folded like names ([`crate::names::fold`]: invisible
/// characters dropped, NFKC, case and look-alike letters ignored), words
/// separated by single spaces. A copy salted with zero-width spaces or
/// Cyrillic look-alikes is still a copy.
fn normalise_text(text: &str) -> String {
    let folded = crate::names::fold(text);
    let mut out = String::with_capacity(folded.len());
    for word in folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Groups the usable items of `portfolio` into occasions.
pub fn group(portfolio: &Portfolio) -> Occasions {
    let items = &portfolio.items;
    let usable: Vec<usize> = (0..items.len()).filter(|&i| items[i].usable).collect();
    let mut sets = UnionFind::new(items.len());
    // The labels of each date (read first: they decide which items are
    // ambiguous).
    let mut labels_on: BTreeMap<Date, BTreeSet<String>> = BTreeMap::new();
    for &i in &usable {
        if let Some(label) = items[i].occasion_label.as_deref() {
            labels_on
                .entry(items[i].date)
                .or_default()
                .insert(normalise_label(label));
        }
    }
    // Links between items whatever their labels and dates: the same
    // handover record, or near-duplicate narratives.
    let duplicates = near_duplicates(items, &usable);
    let mut links: Vec<(usize, usize)> = duplicates.iter().map(|d| (d.first, d.second)).collect();
    links.extend(same_handover(items, &usable));
    let shared = shared_attachments(items, &usable, &labels_on);
    links.extend(shared.iter().map(|s| (s.first, s.second)));
    let mut linked = UnionFind::new(items.len());
    for &(a, b) in &links {
        linked.union(a, b);
    }
    // An unlabelled item on a day with several labels could be any of them,
    // so it belongs to none; and neither does anything linked to it (a copy
    // re-dated or relabelled is still that item), whatever its own label.
    let ambiguous: Vec<bool> = (0..items.len())
        .map(|i| {
            items[i].usable
                && items[i].occasion_label.is_none()
                && labels_on.get(&items[i].date).is_some_and(|l| l.len() > 1)
        })
        .collect();
    let mut unanchored = vec![false; items.len()];
    let mut cluster: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &i in &usable {
        cluster.entry(linked.find(i)).or_default().push(i);
    }
    for members in cluster.values() {
        if members.iter().any(|&i| ambiguous[i]) {
            for &i in members {
                unanchored[i] = true;
            }
        }
    }
    let anchored: Vec<usize> = usable.iter().copied().filter(|&i| !unanchored[i]).collect();
    // Labels, compared normalised.
    let mut by_label: BTreeMap<String, usize> = BTreeMap::new();
    for &i in &anchored {
        if let Some(label) = items[i].occasion_label.as_deref() {
            let key = normalise_label(label);
            match by_label.get(&key) {
                Some(&first) => sets.union(first, i),
                None => {
                    by_label.insert(key, i);
                }
            }
        }
    }
    // Unlabelled items join the one label of their date, or their date.
    let mut by_date: BTreeMap<Date, usize> = BTreeMap::new();
    for &i in &anchored {
        if items[i].occasion_label.is_some() {
            continue;
        }
        match labels_on.get(&items[i].date) {
            Some(labels) => {
                let key = labels.iter().next().map(String::as_str).unwrap_or_default();
                if let Some(&first) = by_label.get(key) {
                    sets.union(first, i);
                }
            }
            None => match by_date.get(&items[i].date) {
                Some(&first) => sets.union(first, i),
                None => {
                    by_date.insert(items[i].date, i);
                }
            },
        }
    }
    for &(a, b) in links.iter().filter(|(a, b)| !unanchored[*a] && !unanchored[*b]) {
        sets.union(a, b);
    }
    // Components in item order; one made only of ambiguous items is no occasion.
    let mut of_item = vec![None; items.len()];
    let mut list: Vec<Occasion> = Vec::new();
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &i in &usable {
        members.entry(sets.find(i)).or_default().push(i);
    }
    let mut components: Vec<Vec<usize>> = members.into_values().collect();
    // Unanchored items are no occasion.
    components.retain(|c| c.iter().any(|&i| !unanchored[i]));
    components.sort_by_key(|c| {
        let first = c.iter().copied().min_by_key(|&i| (items[i].date, i)).unwrap_or(0);
        (items[first].date, first)
    });
    for c in components {
        let n = list.len();
        for &i in &c {
            of_item[i] = Some(n);
        }
        list.push(occasion(items, c));
    }
    Occasions {
        list,
        of_item,
        duplicates,
        shared,
    }
}

fn occasion(items: &[Item], members: Vec<usize>) -> Occasion {
    let mut labels: Vec<String> = Vec::new();
    let mut seen = FxHashSet::default();
    for &i in &members {
        if let Some(l) = &items[i].occasion_label
            && seen.insert(normalise_label(l))
        {
            labels.push(l.clone());
        }
    }
    let dates: Vec<Date> = members
        .iter()
        .map(|&i| items[i].date)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let name = if labels.is_empty() {
        dates.first().map(Date::to_string).unwrap_or_default()
    } else {
        labels.join(" = ")
    };
    Occasion {
        name,
        labels,
        dates,
        items: members,
    }
}

/// The receiver of an item's handover record (name, else role) and its
/// situation, folded, when it gives both.
fn handover_key(item: &Item) -> Option<(&str, String)> {
    let h = item.handover.as_ref()?;
    let to = h.to.as_ref()?;
    let receiver = to.name.as_deref().or(to.role.as_deref())?;
    let situation = normalise_text(h.situation.as_deref()?);
    (!normalise_text(receiver).is_empty() && !situation.is_empty()).then_some((receiver, situation))
}

/// The most receivers compared within one situation: a bound on the work
/// for a folder of records that all give the same situation.
const MAX_RECEIVERS: usize = 64;

/// Links between items whose handover records give the same situation
/// (folded) and receivers who may be the same person
/// ([`crate::names::may_be_same_person`]: "S. Jones" = "Jones, Sam"), or the
/// same role.
fn same_handover(items: &[Item], usable: &[usize]) -> Vec<(usize, usize)> {
    let mut links = Vec::new();
    // For each situation, the first item of each distinct receiver.
    let mut by_situation: FxHashMap<String, Vec<(usize, &str)>> = FxHashMap::default();
    for &i in usable {
        let Some((receiver, situation)) = handover_key(&items[i]) else {
            continue;
        };
        let seen = by_situation.entry(situation).or_default();
        let same = |other: &str| {
            crate::names::may_be_same_person(receiver, other) || normalise_text(receiver) == normalise_text(other)
        };
        match seen.iter().find(|(_, r)| same(r)) {
            Some(&(first, _)) => links.push((first, i)),
            None if seen.len() < MAX_RECEIVERS => seen.push((i, receiver)),
            None => {}
        }
    }
    links
}

/// Pairs of usable items that attach the same bytes, when their occasion
/// labels (or, unlabelled, their dates) differ: the same picture of a
/// handover sheet is one handover, however it is named.
fn shared_attachments(
    items: &[Item],
    usable: &[usize],
    labels_on: &BTreeMap<Date, BTreeSet<String>>,
) -> Vec<SharedAttachment> {
    let mut first: FxHashMap<[u8; 32], (usize, &str)> = FxHashMap::default();
    let mut out = Vec::new();
    for &i in usable {
        for a in &items[i].attachments {
            let Some(digest) = a.digest else { continue };
            match first.get(&digest) {
                None => {
                    first.insert(digest, (i, a.path.as_str()));
                }
                Some(&(f, _)) if f == i => {}
                Some(&(f, first_path)) => {
                    // The occasion as label and date say: a label, the one
                    // label of the date, or the date.
                    let key = |k: usize| match &items[k].occasion_label {
                        Some(l) => normalise_label(l),
                        None => match labels_on.get(&items[k].date) {
                            Some(l) if l.len() == 1 => l.iter().next().cloned().unwrap_or_default(),
                            _ => items[k].date.to_string(),
                        },
                    };
                    if key(f) != key(i) && !out.iter().any(|s: &SharedAttachment| s.first == f && s.second == i) {
                        out.push(SharedAttachment {
                            first: f,
                            second: i,
                            path: a.path.clone(),
                            first_path: first_path.to_string(),
                            line: a.line,
                        });
                    }
                }
            }
        }
    }
    out
}

/// The hashes of the word 3-shingles of a narrative's normalised words
/// (a word set aside, empty, still takes its place), sorted and distinct.
/// A word hashes as its `str` whether borrowed or owned, so the values are
/// those of the words as `String`s.
fn shingles(words: &[&str]) -> Vec<u64> {
    let mut out: Vec<u64> = words
        .windows(3)
        .map(|w| {
            // FxHash: fixed (the same shingles hash alike in every run and
            // on every machine) and several times faster than SipHash.
            let mut h = rustc_hash::FxHasher::default();
            w.hash(&mut h);
            h.finish()
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out.shrink_to_fit();
    out
}

/// How many values two sorted lists have in common (with repeats, as many
/// as the fewer of the two has).
fn shared<T: Ord + Copy>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    // Without branches on the values (which no predictor guesses): the
    // smaller side steps on, both on a match.
    while let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
        shared += usize::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    shared
}

/// Jaccard similarity of sets of sizes `a` and `b` with `shared` in common.
fn jaccard_of(a: usize, b: usize, shared: usize) -> f64 {
    let union = a + b - shared;
    if union == 0 { 0.0 } else { shared as f64 / union as f64 }
}

/// Jaccard similarity of two sorted, distinct sets.
fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    jaccard_of(a.len(), b.len(), shared(a, b))
}

/// Whether two sets of sizes `a` and `b` can reach [`DUPLICATE_THRESHOLD`]
/// at all: even sharing all of the smaller one. When not, their Jaccard
/// (computed the same way, and rounding is monotonic) is below it too, so
/// the merge need not be done.
fn can_reach_threshold(a: usize, b: usize) -> bool {
    jaccard_of(a, b, a.min(b)) >= DUPLICATE_THRESHOLD
}

fn mix(mut x: u64) -> u64 {
    // splitmix64's finaliser: a fixed, well-spread permutation.
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Pairs of usable items whose narratives are near-duplicates. Candidates
/// come from MinHash banding; every pair reported is checked exactly.
fn near_duplicates(items: &[Item], usable: &[usize]) -> Vec<Duplicate> {
    let normalised: Vec<String> = usable.iter().map(|&i| normalise_text(&items[i].body)).collect();
    let texts: Vec<Vec<&str>> = normalised.iter().map(|t| t.split(' ').collect()).collect();
    let mut found: Vec<Duplicate> = similar(&texts, &|_, _| true)
        .into_iter()
        .map(|(a, b, similarity)| Duplicate {
            first: usable[a],
            second: usable[b],
            similarity,
        })
        .collect();
    found.sort_by_key(|d| (d.second, d.first));
    found.dedup_by_key(|d| (d.second, d.first));
    found
}

/// Pairs `(a, b, similarity)` (a < b, indices into `texts`, each a list of
/// normalised words) of near-duplicates that `compare(a, b)` allows: the
/// same word for word (at least [`MIN_COPY_WORDS`] words), or sharing at
/// least [`DUPLICATE_THRESHOLD`] of their 3-shingles. Candidates come from
/// MinHash banding, each text compared with at most [`PER_BUCKET`] earlier
/// ones per band, so the work is linear in the number of texts; every pair
/// reported is checked exactly.
fn similar(texts: &[Vec<&str>], compare: &dyn Fn(usize, usize) -> bool) -> Vec<(usize, usize, f64)> {
    let mut found = Vec::new();
    // Only looked up, never iterated: FxHash, not SipHash.
    let mut copies: FxHashMap<&[&str], Vec<usize>> = FxHashMap::default();
    for (n, words) in texts.iter().enumerate() {
        if words.iter().filter(|w| !w.is_empty()).count() < MIN_COPY_WORDS {
            continue;
        }
        let earlier = copies.entry(words.as_slice()).or_default();
        if let Some(&m) = earlier.iter().find(|&&m| compare(m, n)) {
            found.push((m, n, 1.0));
        }
        if earlier.len() < PER_BUCKET {
            earlier.push(n);
        }
    }
    let sets: Vec<(usize, Vec<u64>)> = texts
        .iter()
        .enumerate()
        .map(|(n, words)| (n, shingles(words)))
        .filter(|(_, s)| s.len() >= MIN_SHINGLES)
        .collect();
    let seeds = seeds();
    let mut buckets: FxHashMap<(usize, [u32; ROWS]), Vec<usize>> = FxHashMap::default();
    let mut compared: FxHashSet<(usize, usize)> = FxHashSet::default();
    for (n, (_, set)) in sets.iter().enumerate() {
        // MinHash: for each of the SIGNATURE hash functions
        // h ↦ (mix(h) ^ seed) × odd on 32 bits, the least value over the
        // set; one sweep over the set, which the compiler vectorises.
        // Candidates are confirmed by their exact Jaccard below.
        let signature = signature(set, &seeds);
        for (band, rows) in signature.chunks(ROWS).enumerate() {
            let key: [u32; ROWS] = std::array::from_fn(|r| rows[r]);
            let bucket = buckets.entry((band, key)).or_default();
            let candidates = bucket.iter().rev().filter(|&&m| compare(sets[m].0, sets[n].0));
            for &m in candidates.take(PER_BUCKET) {
                if !compared.insert((m, n)) || !can_reach_threshold(sets[m].1.len(), set.len()) {
                    continue;
                }
                let similarity = jaccard(&sets[m].1, set);
                if similarity >= DUPLICATE_THRESHOLD {
                    found.push((sets[m].0, sets[n].0, similarity));
                }
            }
            bucket.push(n);
        }
    }
    found
}

/// The seeds of the MinHash functions.
fn seeds() -> [u32; SIGNATURE] {
    std::array::from_fn(|k| (mix(k as u64 + 1) >> 32) as u32)
}

/// The MinHash signature of a set of shingles: for each of the SIGNATURE
/// hash functions h ↦ (mix(h) ^ seed) × odd on 32 bits, the least value
/// over the set; one sweep over the set, which the compiler vectorises.
fn signature(set: &[u64], seeds: &[u32; SIGNATURE]) -> [u32; SIGNATURE] {
    let mut signature = [u32::MAX; SIGNATURE];
    for &h in set {
        let base = (mix(h) >> 32) as u32;
        for (m, seed) in signature.iter_mut().zip(seeds) {
            *m = (*m).min((base ^ seed).wrapping_mul(seed | 1));
        }
    }
    signature
}

/// An item's narrative as it is compared with other learners' (batch):
/// its words, normalised, with the names of the people involved (the
/// learner, the assessors, the item's witness and receiver) set aside, so
/// that a testimony copied with the names swapped is still a copy.
#[derive(Debug, Clone, PartialEq)]
pub struct Narrative {
    /// Its 3-shingles, sorted and distinct.
    pub shingles: Vec<u64>,
    /// A hash of its words, when it has at least [`MIN_COPY_WORDS`].
    pub exact: Option<u64>,
}

/// [`Narrative`] of item `i` of `portfolio`.
pub fn narrative(portfolio: &Portfolio, i: usize) -> Narrative {
    narrative_with(portfolio, i, &people_words(portfolio))
}

/// The words (of two letters or more) of a name, normalised.
fn name_words(name: &str) -> Vec<String> {
    normalise_text(name)
        .split(' ')
        .filter(|w| w.chars().count() > 1)
        .map(str::to_string)
        .collect()
}

/// The words of the names of the portfolio's people (the learner and the
/// assessors), set aside in every narrative: folded once a portfolio.
fn people_words(portfolio: &Portfolio) -> rustc_hash::FxHashSet<String> {
    let s = &portfolio.settings;
    let mut names: rustc_hash::FxHashSet<String> = name_words(&s.learner.name).into_iter().collect();
    for a in &s.assessors {
        names.extend(name_words(&a.name));
    }
    names
}

/// [`narrative`], with the portfolio's [`people_words`] given.
fn narrative_with(portfolio: &Portfolio, i: usize, people: &rustc_hash::FxHashSet<String>) -> Narrative {
    let item = &portfolio.items[i];
    let mut names = people.clone();
    if let Some(w) = item.witness.as_ref().and_then(|w| w.name.as_deref()) {
        names.extend(name_words(w));
    }
    if let Some(to) = item
        .handover
        .as_ref()
        .and_then(|h| h.to.as_ref())
        .and_then(|t| t.name.as_deref())
    {
        names.extend(name_words(to));
    }
    let text = normalise_text(&item.body);
    // A name's word is set aside as an empty word, which hashes as an
    // empty `String` would.
    let words: Vec<&str> = text
        .split(' ')
        .map(|w| if names.contains(w) { "" } else { w })
        .collect();
    let exact = (words.iter().filter(|w| !w.is_empty()).count() >= MIN_COPY_WORDS).then(|| {
        let mut h = rustc_hash::FxHasher::default();
        words.hash(&mut h);
        h.finish()
    });
    Narrative {
        shingles: shingles(&words),
        exact,
    }
}

/// How similar two narratives are, exactly: 1 when they are the same word
/// for word, else the Jaccard similarity of their 3-shingles when both
/// have at least [`MIN_SHINGLES`]; `None` below [`DUPLICATE_THRESHOLD`].
pub fn confirm(a: &Narrative, b: &Narrative) -> Option<f64> {
    if a.exact.is_some() && a.exact == b.exact && a.shingles == b.shingles {
        return Some(1.0);
    }
    if a.shingles.len() < MIN_SHINGLES
        || b.shingles.len() < MIN_SHINGLES
        || !can_reach_threshold(a.shingles.len(), b.shingles.len())
    {
        return None;
    }
    let j = jaccard(&a.shingles, &b.shingles);
    (j >= DUPLICATE_THRESHOLD).then_some(j)
}

/// What is kept of one item for comparing a cohort: its MinHash signature
/// and a hash of its words (to find candidates), and a sketch of its
/// shingles two bytes each (to set aside, without reading the learner
/// again, the candidates that cannot be copies); the candidates left are
/// confirmed exactly afterwards ([`narrative`], [`confirm`]).
#[derive(Debug, Clone)]
pub struct Fingerprint {
    /// Index into the learner's `Portfolio::items`.
    pub item: usize,
    pub id: String,
    pub path: std::path::PathBuf,
    /// The line the narrative starts on.
    pub line: usize,
    exact: Option<u64>,
    signature: Option<[u32; SIGNATURE]>,
    /// How many distinct shingles the narrative has.
    shingles: usize,
    /// Sixteen bits of each shingle's hash, sorted, repeats kept: two
    /// narratives share at most as many shingles as their sketches share
    /// values (a shingle both have gives the same value on both sides), so
    /// the sketches bound their Jaccard from above ([`may_confirm`]). Empty
    /// without a signature (too short for the Jaccard comparison).
    sketch: Box<[u16]>,
}

/// Sixteen well-mixed bits of a shingle's hash, for [`Fingerprint::sketch`].
fn sketch_value(h: u64) -> u16 {
    (mix(h) >> 48) as u16
}

/// Whether [`confirm`] could find the narratives of two fingerprints
/// similar: their words' hashes are equal, or both are long enough and the
/// most shingles their sketches allow them to share reaches
/// [`DUPLICATE_THRESHOLD`]. Never `false` where `confirm` would give
/// `Some`: the sketches only ever overcount what is shared, and Jaccard
/// grows with it.
pub fn may_confirm(a: &Fingerprint, b: &Fingerprint) -> bool {
    if a.exact.is_some() && a.exact == b.exact {
        return true;
    }
    if a.shingles < MIN_SHINGLES || b.shingles < MIN_SHINGLES || !can_reach_threshold(a.shingles, b.shingles) {
        return false;
    }
    let at_most = shared(&a.sketch, &b.sketch);
    jaccard_of(a.shingles, b.shingles, at_most) >= DUPLICATE_THRESHOLD
}

/// The fingerprints of a portfolio's usable items (for [`candidates_across`]).
pub fn fingerprints(portfolio: &Portfolio) -> Vec<Fingerprint> {
    let seeds = seeds();
    let people = people_words(portfolio);
    (0..portfolio.items.len())
        .filter(|&i| portfolio.items[i].usable)
        .map(|i| {
            let n = narrative_with(portfolio, i, &people);
            let item = &portfolio.items[i];
            let long = n.shingles.len() >= MIN_SHINGLES;
            let sketch: Box<[u16]> = if long {
                let mut values: Vec<u16> = n.shingles.iter().map(|&h| sketch_value(h)).collect();
                values.sort_unstable();
                values.into_boxed_slice()
            } else {
                Box::default()
            };
            Fingerprint {
                item: i,
                id: item.id.clone(),
                path: item.path.clone(),
                line: item.body_line,
                exact: n.exact,
                signature: long.then(|| signature(&n.shingles, &seeds)),
                shingles: n.shingles.len(),
                sketch,
            }
        })
        .collect()
}

/// The share of MinHash values two narratives of different learners must
/// have in common to be checked exactly: an estimate of their Jaccard
/// similarity (32 values: a copy at the 0.5 threshold falls below 0.25 about
/// once in 400; a real copy, usually above 0.8, practically never).
const MIN_ESTIMATE: f64 = 0.25;

/// A pair of items of two different learners that may be near-copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    /// Indices into the learners given to [`candidates_across`], and into
    /// each one's fingerprints.
    pub learner: usize,
    pub fingerprint: usize,
    pub other: usize,
    pub other_fingerprint: usize,
}

/// Pairs of items of different learners that may be near-copies: the same
/// words, or a MinHash band in common; each item is compared with at most
/// [`PER_BUCKET`] earlier items of other learners per band, so the work is
/// linear in the number of items of the cohort. Only pairs that
/// [`may_confirm`] are kept (the others cannot be copies, and a cohort
/// written to one template has many). Confirm each with [`confirm`] before
/// reporting it.
pub fn candidates_across(learners: &[Vec<Fingerprint>]) -> Vec<Candidate> {
    let mut out = BTreeSet::new();
    // (learner, fingerprint) of the items seen, by their words' hash and by
    // (band, the band's rows).
    type Seen = Vec<(usize, usize)>;
    let mut exact: FxHashMap<u64, Seen> = FxHashMap::default();
    let mut buckets: FxHashMap<(usize, [u32; ROWS]), Seen> = FxHashMap::default();
    let mut push = |a: (usize, usize), b: (usize, usize)| {
        let candidate = Candidate {
            learner: a.0,
            fingerprint: a.1,
            other: b.0,
            other_fingerprint: b.1,
        };
        if !out.contains(&candidate) && may_confirm(&learners[a.0][a.1], &learners[b.0][b.1]) {
            out.insert(candidate);
        }
    };
    for (l, prints) in learners.iter().enumerate() {
        for (f, p) in prints.iter().enumerate() {
            if let Some(h) = p.exact {
                let earlier = exact.entry(h).or_default();
                for &e in earlier.iter().filter(|e| e.0 != l).take(PER_BUCKET) {
                    push(e, (l, f));
                }
                if earlier.len() < PER_BUCKET {
                    earlier.push((l, f));
                }
            }
            let Some(signature) = &p.signature else { continue };
            for (band, rows) in signature.chunks(ROWS).enumerate() {
                let key: [u32; ROWS] = std::array::from_fn(|r| rows[r]);
                let bucket = buckets.entry((band, key)).or_default();
                for &e in bucket.iter().rev().filter(|e| e.0 != l).take(PER_BUCKET) {
                    // Across a cohort many narratives share a band by
                    // chance (one workplace's phrases): only pairs whose
                    // whole signatures agree on at least MIN_ESTIMATE go on
                    // to the exact check.
                    let agree = learners[e.0][e.1]
                        .signature
                        .as_ref()
                        .map_or(0, |other| other.iter().zip(signature).filter(|(x, y)| x == y).count());
                    if agree as f64 >= MIN_ESTIMATE * SIGNATURE as f64 {
                        push(e, (l, f));
                    }
                }
                bucket.push((l, f));
            }
        }
    }
    out.into_iter().collect()
}

/// Disjoint sets over item indices.
struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> UnionFind {
        UnionFind {
            parent: (0..n).collect(),
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            // The smaller index stays the root: the result does not depend
            // on the order of the unions.
            let (keep, join) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[join] = keep;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_compare_without_case_spaces_or_punctuation() {
        assert_eq!(normalise_label("Late-Shift"), normalise_label("late shift"));
        assert_eq!(normalise_label("late_shift."), "lateshift");
        assert_ne!(normalise_label("late shift 1"), normalise_label("late shift 2"));
    }

    #[test]
    fn jaccard_of_copies_and_strangers() {
        let a = normalise_text(&"the customer was charged twice for february by direct debit ".repeat(3));
        let a = shingles(&a.split(' ').collect::<Vec<_>>());
        assert!((jaccard(&a, &a) - 1.0).abs() < 1e-9);
        let b = normalise_text("an entirely different account of a meter that stopped sending readings last winter");
        let b = shingles(&b.split(' ').collect::<Vec<_>>());
        assert!(jaccard(&a, &b) < 0.1);
        assert_eq!(jaccard(&[], &[]), 0.0);
    }
}
