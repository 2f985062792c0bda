//! The `portfolio` binary: parse the command line, run, exit with its status.

/// mimalloc: the PDF and HTML renderers allocate many small strings, and
/// batch does so from several threads at once.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    portfolio::cli::main()
}
