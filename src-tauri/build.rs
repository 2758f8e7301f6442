//! Generates Tauri's context (ACL, schemas) from the top-level `tauri.conf.json` and
//! `capabilities/`, which sit beside `src-tauri/` rather than in it.

fn main() {
    // An explicit capabilities pattern stops tauri-build from watching the folder itself.
    println!("cargo:rerun-if-changed=../capabilities");
    println!("cargo:rerun-if-changed=../tauri.conf.json");
    // `generate_context!` embeds the page and the window icon at compile time.
    println!("cargo:rerun-if-changed=../ui");
    println!("cargo:rerun-if-changed=../icons");
    // Declaring the app's commands makes each one a permission (`allow-get-snapshot`, ...)
    // that a capability must grant: a window no capability names (a CRM page) gets none.
    let commands = tauri_build::AppManifest::new().commands(&[
        "get_snapshot",
        "execute",
        "history",
        "get_settings",
        "save_settings",
        "set_secret",
        "secret_status",
        "open_crm",
        "show_bar",
        "close_popup",
        "fit_bar",
        "save_recording",
        "policy_view",
        "policy_answer",
        "policy_token",
        "policy_rotate_token",
        "policy_audit",
    ]);
    if let Err(e) = tauri_build::try_build(
        tauri_build::Attributes::new()
            .config_path("../tauri.conf.json")
            .capabilities_path_pattern("../capabilities/**/*")
            .app_manifest(commands),
    ) {
        panic!("tauri-build failed: {e:#}");
    }
}
