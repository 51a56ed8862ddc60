//! The `janus` command line; see `janus --help`.

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(janus::cli::main());
}
