//! The `janus` command line; see `janus --help`.

fn main() {
    std::process::exit(janus::cli::main());
}
