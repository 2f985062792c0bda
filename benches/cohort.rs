//! Cohort benchmark: generates 100 and 1,000 learners × 24 items and times
//! `portfolio batch` on them (the release binary, as a user runs it),
//! reporting learners per second and the peak memory of the run, for two
//! workloads: `light` (items of about 170 words, `generate-cohort`'s
//! default) and `heavy` (300–900 words an item, about 14,000 words and a
//! 65-page PDF a learner: `generate-cohort --words 600`).
//!
//! Run: `cargo bench --bench cohort` (set PORTFOLIO_BENCH_SIZES=100,1000,2000,
//! PORTFOLIO_BENCH_WORKLOADS=heavy or PORTFOLIO_BENCH_FORMATS=html,json to
//! vary it).

// getrusage, for the peak memory of the batch runs.
#![allow(unsafe_code)]

use std::process::Command;
use std::time::Instant;

fn max_rss_children_mb() -> f64 {
    // SAFETY: getrusage only writes into the struct we pass.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    usage.ru_maxrss as f64 / 1024.0
}

/// CPU seconds (user + system) of the children waited for so far: with
/// the wall time, it shows how much a busy machine slowed a run.
fn children_cpu_s() -> f64 {
    // SAFETY: as above.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

fn main() {
    let bin = env!("CARGO_BIN_EXE_portfolio");
    let sizes: Vec<usize> = std::env::var("PORTFOLIO_BENCH_SIZES")
        .unwrap_or_else(|_| "100,1000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let formats = std::env::var("PORTFOLIO_BENCH_FORMATS").unwrap_or_else(|_| "html,pdf,json".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let workloads: Vec<String> = std::env::var("PORTFOLIO_BENCH_WORKLOADS")
        .unwrap_or_else(|_| "light,heavy".into())
        .split(',')
        .map(|s| s.trim().to_string())
        .collect();
    for workload in &workloads {
        let words = if workload == "heavy" { "600" } else { "0" };
        println!(
            "portfolio batch, {workload} workload (24 items per learner, --words {words}), formats {formats}, {cores} cores"
        );
        run_workload(bin, workload, &sizes, words, &formats, cores);
    }
}

fn run_workload(bin: &str, workload: &str, sizes: &[usize], words: &str, formats: &str, cores: usize) {
    for &n in sizes {
        let cohort = tempfile::tempdir().expect("temp dir");
        let out = tempfile::tempdir().expect("temp dir");
        let status = Command::new(bin)
            .args([
                "generate-cohort",
                "--learners",
                &n.to_string(),
                "--items",
                "24",
                "--words",
                words,
                "-q",
            ])
            .arg(cohort.path())
            .status()
            .expect("generate");
        assert!(status.success());
        for jobs in [1, cores] {
            if jobs == 1 && n > 100 {
                continue;
            }
            let cpu_before = children_cpu_s();
            let start = Instant::now();
            let status = Command::new(bin)
                .args(["batch", "-q", "--outputs", formats, "--jobs", &jobs.to_string(), "-o"])
                .arg(out.path())
                .arg(cohort.path())
                .env("CI", "1")
                .status()
                .expect("batch");
            let secs = start.elapsed().as_secs_f64();
            let cpu = children_cpu_s() - cpu_before;
            assert!(status.success(), "batch failed");
            println!(
                "| `batch --jobs {jobs}`, HTML + PDF + JSON (`cargo bench --bench cohort`) | {workload}: {n} learners × 24 items | {secs:.2} s: {:.0} learners/s; CPU {:.1} ms a learner; largest peak memory so far {:.0} MB |",
                n as f64 / secs,
                cpu * 1000.0 / n as f64,
                max_rss_children_mb()
            );
            println!(
                "{n:>5} learners, --jobs {jobs}: {secs:>7.2} s, {:>7.1} learners/s, {:>6.2} ms/learner/core, CPU {cpu:.2} s ({:.2} ms/learner), peak RSS so far {:.0} MB",
                n as f64 / secs,
                secs * 1000.0 * jobs as f64 / n as f64,
                cpu * 1000.0 / n as f64,
                max_rss_children_mb()
            );
        }
    }
}
