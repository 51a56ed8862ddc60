//! The `janus` command line; see `janus --help`. A thin binary over the library: each
//! command parses its arguments, calls the library, and prints.

mod cli;

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(cli::main());
}
