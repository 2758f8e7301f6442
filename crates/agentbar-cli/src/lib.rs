//! Agent Bar's headless runner: the session engine and the local listener without a window,
//! for servers, tests, benchmarks and the demo.

pub mod config;
pub mod demo;
pub mod runner;
pub mod secret;

pub use config::RunnerConfig;
pub use runner::{start, start_from_file, RunError, Running};
