//! Makes the binary find libtorch without LD_LIBRARY_PATH: torch-sys (links = "tch")
//! exports its lib dir as DEP_TCH_LIBTORCH_LIB, which only reaches this script because
//! the crate depends on torch-sys directly.
fn main() {
    println!("cargo:rerun-if-env-changed=LIBTORCH");
    if let Ok(dir) = std::env::var("DEP_TCH_LIBTORCH_LIB") {
        // The local libtorch (this machine, CI).
        println!("cargo:rustc-link-arg=-Wl,-rpath,{dir}");
        // The GPU machine's venv (a missing rpath entry is skipped).
        println!(
            "cargo:rustc-link-arg=-Wl,-rpath,/opt/torch/.venv/lib/python3.12/site-packages/torch/lib"
        );
    }
}
