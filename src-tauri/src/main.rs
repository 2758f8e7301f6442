//! The desktop binary: everything lives in the library so tests can start the same app.

// No console window behind the bar on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    agentbar_desktop::run()
}
