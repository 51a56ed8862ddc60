//! Choosing a libtorch device. CUDA needs `libtorch_cuda.so` loaded before the first CUDA
//! query, because the linker drops it from the binary's needed libraries (`--as-needed`).

use std::ffi::{CStr, CString};

use tch::Device;

/// Which device the user asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeviceChoice {
    /// CUDA where available, else CPU.
    Auto,
    /// Always CPU.
    Cpu,
    /// CUDA, or an error.
    Cuda,
}

/// Why no CUDA device could be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DeviceError {
    /// `libtorch_cuda.so` could not be loaded (the dynamic loader's message), as on a
    /// CPU-only build of libtorch.
    #[error("cannot load libtorch_cuda.so: {0}")]
    NoCudaLibrary(String),
    /// CUDA was asked for, and none is available.
    #[error("CUDA is not available ({0})")]
    NoCuda(String),
}

/// Loads `libtorch_cuda.so` (found through the binary's rpath) so that CUDA registers;
/// an error where it cannot be loaded, as on a CPU-only machine.
pub fn load_torch_cuda() -> Result<(), DeviceError> {
    let name = CString::new("libtorch_cuda.so").expect("no NUL in a constant");
    // SAFETY: dlopen with a valid C string; the handle is deliberately kept for the process.
    let handle = unsafe { libc::dlopen(name.as_ptr(), libc::RTLD_NOW | libc::RTLD_GLOBAL) };
    if handle.is_null() {
        // SAFETY: dlerror returns a valid C string after a failed dlopen.
        let err = unsafe { CStr::from_ptr(libc::dlerror()) };
        return Err(DeviceError::NoCudaLibrary(
            err.to_string_lossy().into_owned(),
        ));
    }
    Ok(())
}

/// The device for `choice`: `Cuda` fails with a clear message when no GPU can be used.
pub fn select_device(choice: DeviceChoice) -> Result<Device, DeviceError> {
    if choice == DeviceChoice::Cpu {
        return Ok(Device::Cpu);
    }
    let loaded = load_torch_cuda();
    if tch::Cuda::is_available() {
        return Ok(Device::Cuda(0));
    }
    match choice {
        DeviceChoice::Cuda => Err(DeviceError::NoCuda(match loaded {
            Err(e) => e.to_string(),
            Ok(()) => "no GPU found".into(),
        })),
        _ => Ok(Device::Cpu),
    }
}

/// Whether this machine has an NVIDIA GPU with its driver loaded, whatever libtorch can do.
pub fn gpu_present() -> bool {
    std::path::Path::new("/proc/driver/nvidia/version").exists()
}

/// Why `choice` runs on the CPU although the machine has a GPU: `Some` only for
/// [`DeviceChoice::Auto`] on a machine with an NVIDIA driver where CUDA cannot be used,
/// most often because the libtorch janus links is a CPU-only build.
pub fn cpu_fallback_reason(choice: DeviceChoice) -> Option<String> {
    if choice != DeviceChoice::Auto || !gpu_present() {
        return None;
    }
    match load_torch_cuda() {
        Err(e) => Some(format!("{e}: the libtorch janus links is a CPU-only build")),
        Ok(()) if !tch::Cuda::is_available() => {
            Some("libtorch has CUDA but finds no usable device (driver too old?)".into())
        }
        Ok(()) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tch::nn::{Module, OptimizerConfig};
    use tch::{nn, Kind, Tensor};

    #[test]
    fn tensor_op_runs_on_cpu() {
        let t = Tensor::from_slice(&[1.0f32, 2.0, 3.0]) * 2.0;
        assert_eq!(Vec::<f32>::try_from(&t).unwrap(), vec![2.0, 4.0, 6.0]);
    }

    #[test]
    fn adam_fits_a_linear_map_on_cpu() {
        tch::manual_seed(0);
        let device = select_device(DeviceChoice::Cpu).unwrap();
        let x = Tensor::randn([128, 2], (Kind::Float, device));
        let w = Tensor::from_slice(&[3.0f32, -2.0]).view([2, 1]);
        let y = x.matmul(&w) + 1.0;
        let vs = nn::VarStore::new(device);
        let net = nn::linear(vs.root() / "l", 2, 1, Default::default());
        let mut opt = nn::Adam::default().build(&vs, 5e-2).unwrap();
        let first = net
            .forward(&x)
            .mse_loss(&y, tch::Reduction::Mean)
            .double_value(&[]);
        for _ in 0..300 {
            let loss = net.forward(&x).mse_loss(&y, tch::Reduction::Mean);
            opt.backward_step(&loss);
        }
        let last = net
            .forward(&x)
            .mse_loss(&y, tch::Reduction::Mean)
            .double_value(&[]);
        assert!(last < first / 100.0, "{first} -> {last}");
    }

    #[test]
    fn a_fallback_is_explained_only_where_a_gpu_goes_unused() {
        assert_eq!(cpu_fallback_reason(DeviceChoice::Cpu), None);
        let auto = cpu_fallback_reason(DeviceChoice::Auto);
        let unused = gpu_present() && !tch::Cuda::is_available();
        assert_eq!(auto.is_some(), unused, "{auto:?}");
    }

    #[test]
    fn auto_falls_back_to_cpu_without_a_gpu() {
        let d = select_device(DeviceChoice::Auto).unwrap();
        assert_eq!(d == Device::Cpu, !tch::Cuda::is_available());
    }
}
