//! A Markdown table grown from an input's first bytes, so the PDF target
//! tries huge cells, unbroken tokens and wide rows whatever the corpus
//! holds (libFuzzer's inputs are a few kilobytes): byte 0 sets the columns
//! (up to 2,041), byte 1 the body rows (up to 3), byte 2 how often the
//! seed (the next characters of the input) is repeated in one cell (up to
//! 8,160 times), byte 3 whether it repeats as words or as one token, and in
//! which row (the header too) and column that cell sits. Shared with the
//! `fuzz_regressions` test, which replays kept inputs through it.

pub fn table(text: &str) -> String {
    let b = text.as_bytes();
    let get = |i: usize| usize::from(b.get(i).copied().unwrap_or(0));
    let cols = 1 + get(0) * 8;
    let rows = get(1) % 4;
    let reps = get(2) * 32;
    let seed: String = text
        .chars()
        .skip(4)
        .take(16)
        .filter(|c| !matches!(c, '|' | '\n' | '\r' | '\\'))
        .collect();
    let seed = if seed.trim().is_empty() { "x".to_string() } else { seed };
    let big = if get(3) & 1 == 0 {
        seed.repeat(reps.max(1))
    } else {
        format!("{seed} ").repeat(reps.max(1))
    };
    let (at_row, at_col) = ((get(3) >> 1) % (rows + 1), (get(3) >> 3) % cols);
    let mut md = String::new();
    for r in 0..=rows {
        for c in 0..cols {
            md.push_str("| ");
            if (r, c) == (at_row, at_col) {
                md.push_str(&big);
            } else {
                md.push_str(&format!("r{r}c{c}"));
            }
            md.push(' ');
        }
        md.push_str("|\n");
        if r == 0 {
            md.push_str(&"|---".repeat(cols));
            md.push_str("|\n");
        }
    }
    md
}
