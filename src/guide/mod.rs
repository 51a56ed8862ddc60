//! Neural guidance (feature `torch`): libtorch through tch. For now the device layer that
//! the policy networks will use; see `../shared/notes/tch.md`.

pub mod device;

pub use device::{load_torch_cuda, select_device, DeviceChoice};
