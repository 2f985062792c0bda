//! `portfolio generate-cohort`: a synthetic cohort, to try `batch` on and for the benchmarks.

use super::Global;
use crate::batch::generate::{Spec, generate};
use crate::error::Error;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Where to write the cohort (one sub-folder per learner).
    pub dir: PathBuf,
    /// How many learners to write.
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub learners: usize,
    /// How many evidence items each learner gets.
    #[arg(long, value_name = "N", default_value_t = 24)]
    pub items: usize,
    /// How many learners get an input error (batch then reports them and
    /// builds the others).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub broken: usize,
    /// Every Nth learner leaves outcome 3 short, so the dashboard has gaps
    /// to show (0: none).
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub gappy_every: usize,
    /// The seed of the generator: the same seed writes the same cohort.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub seed: u64,
    /// Words per item on average, each item between half and one and a half
    /// times it (the heavy benchmark workload uses 600); 0 for short items
    /// of about 170 words.
    #[arg(long, default_value_t = 0)]
    pub words: usize,
    #[command(flatten)]
    pub quiet: super::QuietOpt,
}

pub fn run(global: &Global, args: GenerateArgs) -> Result<u8, Error> {
    let spec = Spec {
        learners: args.learners,
        items: args.items,
        broken: args.broken,
        gappy_every: args.gappy_every,
        seed: args.seed,
        words: args.words,
    };
    generate(&args.dir, spec).map_err(|source| Error::Write {
        path: args.dir.clone(),
        source,
    })?;
    if !global.quiet {
        eprintln!(
            "Wrote {} learners × {} items to {}.",
            args.learners,
            args.items,
            args.dir.display()
        );
    }
    Ok(0)
}
