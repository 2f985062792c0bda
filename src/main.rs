//! The `portfolio` binary: parse the command line, run, exit with its status.

fn main() -> std::process::ExitCode {
    portfolio::cli::main()
}
