//! Makes the binary find libtorch without LD_LIBRARY_PATH: torch-sys (links = "tch")
//! exports its lib dir as DEP_TCH_LIBTORCH_LIB, which only reaches this script because
//! the crate depends on torch-sys directly. `JANUS_EXTRA_RPATH` adds another directory
//! (`scripts/gpu-check.sh build` passes the GPU machine's torch libraries; a missing
//! rpath entry is skipped at run time).
fn main() {
    println!("cargo:rerun-if-env-changed=LIBTORCH");
    println!("cargo:rerun-if-env-changed=JANUS_EXTRA_RPATH");
    if let Ok(dir) = std::env::var("DEP_TCH_LIBTORCH_LIB") {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{dir}");
    }
    if let Ok(dir) = std::env::var("JANUS_EXTRA_RPATH") {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{dir}");
    }
}
