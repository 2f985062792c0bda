//! PDF build time: `cargo bench --bench pdf`. Renders the sample portfolio
//! and a generated 24-item portfolio repeatedly (fonts parsed once per
//! process, as in `portfolio build`/`batch`) and prints the median and the
//! best time per document; then one learner of each `generate-cohort`
//! workload (light, and heavy: `--words 600`) from its files to HTML + PDF
//! (check, document, both renderers), the figure issue 18 sets at 15 ms.
//! A plain timing loop: no benchmark framework. Lines starting `| ` are
//! rows of the README's table (`scripts/readme-bench` puts them there).
//! Beside the wall clock, the learner rows give the CPU time of the thread
//! (`CLOCK_THREAD_CPUTIME_ID`), which other work on a busy machine slows
//! far less.

// clock_gettime, for the CPU time of the benchmark's thread.
#![allow(unsafe_code)]

use portfolio::coverage::Status;
use portfolio::date::Date;
use portfolio::document::Document;
use portfolio::render::pdf::Phases;
use portfolio::report::Checked;
use std::path::Path;
use std::time::{Duration, Instant};

/// CPU time of the calling thread so far.
fn thread_cpu() -> Duration {
    // SAFETY: clock_gettime only writes into the struct we pass.
    let mut t: libc::timespec = unsafe { std::mem::zeroed() };
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

fn document(dir: &Path) -> Document {
    let criteria = portfolio::pipeline::criteria(None).unwrap();
    let (p, cov) = portfolio::pipeline::check(
        dir,
        &criteria,
        portfolio::pipeline::CheckOptions {
            require: Status::Claimed,
            today: Date {
                year: 2026,
                month: 11,
                day: 23,
            },
            redact: false,
        },
    )
    .unwrap();
    let c = Checked {
        criteria: &criteria,
        portfolio: &p,
        coverage: &cov,
    };
    Document::build(
        c,
        Date {
            year: 2026,
            month: 4,
            day: 30,
        },
    )
}

/// A portfolio of 24 items of about a page each.
fn generated(dir: &Path) {
    std::fs::create_dir_all(dir.join("evidence")).unwrap();
    std::fs::write(
        dir.join("portfolio.toml"),
        "[learner]\nname = \"Bench Learner\"\n[centre]\nname = \"Centre\"\n[assessor]\nname = \"Assessor\"\n",
    )
    .unwrap();
    let codes = [
        "1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3", "3.4", "3.5",
    ];
    let para = "I explained to the customer that my shift was ending and that my colleague would take over the query, what had been done so far and when they would hear from us. ";
    for i in 0..24 {
        let (a, b) = (codes[i % 12], codes[(i + 5) % 12]);
        let body = format!(
            "{} [[{a}]]\n\n## Follow-up\n\n{} [[{b}]]\n\n- a point\n- another point\n\n{}\n",
            para.repeat(3),
            para.repeat(4),
            para.repeat(3)
        );
        std::fs::write(
            dir.join(format!("evidence/{i:02}.md")),
            format!("+++\ntitle = \"Generated item {i}\"\ndate = 2026-03-{:02}\nmethod = \"observation\"\ncriteria = [\"{a}\", \"{b}\"]\noccasion = \"o{i}\"\n+++\n{body}", 1 + i % 28),
        )
        .unwrap();
    }
}

fn bench(name: &str, doc: &Document, runs: usize) {
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    let mut phases: Vec<Phases> = Vec::with_capacity(runs);
    let mut size = 0;
    for _ in 0..runs {
        let mut p = Phases::default();
        let t = Instant::now();
        let bytes = portfolio::render::pdf::render_timed(doc, &mut p).unwrap();
        times.push(t.elapsed());
        phases.push(p);
        size = bytes.len();
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = |f: &dyn Fn(&Phases) -> Duration| {
        let mut v: Vec<Duration> = phases.iter().map(f).collect();
        v.sort();
        ms(v[runs / 2])
    };
    times.sort();
    println!(
        "{name:<22} {:>3} items  median {:>6.2} ms  best {:>6.2} ms  {:>4} KB",
        doc.items.len(),
        ms(times[runs / 2]),
        ms(times[0]),
        size / 1024
    );
    println!(
        "  phase medians: layout ({} passes) {:.2}, write (content, fonts, tags, compression) {:.2} ms",
        phases[0].passes,
        median(&|p| p.layout),
        median(&|p| p.write),
    );
}

fn main() {
    let t = Instant::now();
    let _ = portfolio::render::pdf::render(&document(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-portfolio"),
    ))
    .unwrap();
    println!(
        "first render (parses the fonts): {:.2} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    let sample = document(&Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-portfolio"));
    bench("sample-portfolio", &sample, 30);
    let dir = tempfile::tempdir().unwrap();
    generated(dir.path());
    bench("generated", &document(dir.path()), 30);
    for (workload, words) in [("light", 0), ("heavy", 600)] {
        learner(workload, words, 30);
    }
}

/// One generated learner from its files to HTML + PDF, on one core.
fn learner(workload: &str, words: usize, runs: usize) {
    let dir = tempfile::tempdir().unwrap();
    portfolio::batch::generate::generate(
        dir.path(),
        portfolio::batch::generate::Spec {
            learners: 1,
            items: 24,
            broken: 0,
            gappy_every: 0,
            seed: 7,
            words,
        },
    )
    .unwrap();
    let folder = dir.path().join("learner-00001");
    let html = portfolio::render::html::HtmlRenderer::new(None).unwrap();
    let mut times = Vec::with_capacity(runs);
    let mut cpu = Vec::with_capacity(runs);
    let (mut pages, mut size) = (0, 0);
    for _ in 0..runs {
        let t = Instant::now();
        let c = thread_cpu();
        let doc = document(&folder);
        let page = html.render(&doc).unwrap();
        let pdf = portfolio::render::pdf::render(&doc).unwrap();
        cpu.push(thread_cpu().saturating_sub(c));
        times.push(t.elapsed());
        size = page.len() + pdf.len();
        pages = lopdf::Document::load_mem(&pdf).map_or(0, |d| d.get_pages().len());
    }
    times.sort();
    cpu.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let words_total: usize = std::fs::read_dir(folder.join("evidence"))
        .unwrap()
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .map(|t| t.split_whitespace().count())
        .sum();
    println!(
        "learner, {workload:<5}          24 items  median {:>6.2} ms  best {:>6.2} ms  HTML + PDF {} KB, {pages} pages, {words_total} words",
        ms(times[runs / 2]),
        ms(times[0]),
        size / 1024
    );
    println!(
        "| one learner's HTML + PDF, from its files, one core (`cargo bench --bench pdf`) | {workload}: 24 items, {words_total} words, a {pages}-page PDF | median {:.1} ms, best {:.1} ms; CPU median {:.1} ms, best {:.1} ms |",
        ms(times[runs / 2]),
        ms(times[0]),
        ms(cpu[runs / 2]),
        ms(cpu[0])
    );
}
