//! With the `torch` feature, gives the extension an rpath to the libtorch it was linked
//! with (torch-sys exports its lib dir as DEP_TCH_LIBTORCH_LIB to direct dependents), as
//! the janus binary's build.rs does.
fn main() {
    println!("cargo:rerun-if-env-changed=LIBTORCH");
    if let Ok(dir) = std::env::var("DEP_TCH_LIBTORCH_LIB") {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{dir}");
    }
}
