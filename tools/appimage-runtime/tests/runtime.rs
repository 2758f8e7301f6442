//! The runtime binary end to end, on a tiny AppDir packed the way
//! packaging/appimage/make-appimage.sh packs Agent Bar's: runtime ++ zstd squashfs, with the
//! type-2 magic. Needs `mksquashfs` (Debian's squashfs-tools, which scripts/setup.sh
//! installs); each test says so and passes without checking anything when it is missing.

use std::fs;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A folder of its own below cargo's temporary folder for integration tests.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("appimage-runtime-{name}"));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Packs a small AppDir whose AppRun prints what it was given, or `None` without mksquashfs.
fn make_appimage(dir: &Path) -> Option<PathBuf> {
    let appdir = dir.join("AppDir");
    fs::create_dir_all(appdir.join("usr/share/data")).unwrap();
    fs::write(
        appdir.join("AppRun"),
        "#!/bin/sh\n\
         echo \"APPDIR=$APPDIR\"\n\
         echo \"APPIMAGE=$APPIMAGE\"\n\
         echo \"OWD=$OWD\"\n\
         echo \"ARGS=$*\"\n\
         cat \"$APPDIR/usr/share/data/hello.txt\"\n\
         exit 7\n",
    )
    .unwrap();
    fs::set_permissions(appdir.join("AppRun"), fs::Permissions::from_mode(0o755)).unwrap();
    // More than one 128 KiB block, so reads cross block boundaries.
    let big: String = (0..40_000).map(|i| format!("{i}\n")).collect();
    fs::write(appdir.join("usr/share/data/big.txt"), &big).unwrap();
    fs::write(
        appdir.join("usr/share/data/hello.txt"),
        "hello from the image\n",
    )
    .unwrap();
    symlink("usr/share/data/hello.txt", appdir.join("hello-link")).unwrap();

    let image = dir.join("image.squashfs");
    let packed = Command::new("mksquashfs")
        .arg(&appdir)
        .arg(&image)
        .args([
            "-noappend",
            "-all-root",
            "-no-xattrs",
            "-quiet",
            "-no-progress",
        ])
        .args(["-comp", "zstd"])
        .output();
    match packed {
        Ok(out) if out.status.success() => {}
        Ok(out) => panic!(
            "mksquashfs failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ),
        // scripts/setup.sh installs it; a skip here would let CI pass without the test.
        Err(e) => panic!("mksquashfs cannot run ({e}): install squashfs-tools (scripts/setup.sh)"),
    }
    let mut bytes = fs::read(env!("CARGO_BIN_EXE_appimage-runtime")).unwrap();
    bytes[8..11].copy_from_slice(b"AI\x02");
    bytes.extend(fs::read(&image).unwrap());
    let appimage = dir.join("Test.AppImage");
    fs::write(&appimage, bytes).unwrap();
    fs::set_permissions(&appimage, fs::Permissions::from_mode(0o755)).unwrap();
    Some(appimage)
}

/// Waits up to 10 s for `path` to disappear.
fn gone_within(path: &Path) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if fs::symlink_metadata(path).is_err() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

#[test]
fn offset_is_where_the_runtime_ends() {
    let dir = scratch("offset");
    let Some(appimage) = make_appimage(&dir) else {
        return;
    };
    let out = Command::new(&appimage)
        .arg("--appimage-offset")
        .output()
        .unwrap();
    assert!(out.status.success());
    let offset: u64 = String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let runtime_len = fs::metadata(env!("CARGO_BIN_EXE_appimage-runtime"))
        .unwrap()
        .len();
    assert_eq!(offset, runtime_len);
    let bytes = fs::read(&appimage).unwrap();
    assert_eq!(&bytes[offset as usize..offset as usize + 4], b"hsqs");
}

#[test]
fn extract_yields_the_appdir() {
    let dir = scratch("extract");
    let Some(appimage) = make_appimage(&dir) else {
        return;
    };
    let work = dir.join("work");
    fs::create_dir_all(&work).unwrap();
    let status = Command::new(&appimage)
        .arg("--appimage-extract")
        .current_dir(&work)
        .status()
        .unwrap();
    assert!(status.success());
    let root = work.join("squashfs-root");
    for file in [
        "AppRun",
        "usr/share/data/hello.txt",
        "usr/share/data/big.txt",
    ] {
        assert_eq!(
            fs::read(root.join(file)).unwrap(),
            fs::read(dir.join("AppDir").join(file)).unwrap(),
            "{file}"
        );
    }
    let mode = fs::metadata(root.join("AppRun"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o755);
    assert_eq!(
        fs::read_link(root.join("hello-link")).unwrap(),
        Path::new("usr/share/data/hello.txt")
    );
}

/// Runs `cmd`, retrying while the kernel says the file is busy (ETXTBSY): a test thread that
/// forks while another still holds a freshly written image open for writing makes exec fail
/// for a moment; it is a property of parallel tests, not of the runtime.
fn spawn_retrying(cmd: &mut Command) -> std::process::Output {
    for _ in 0..50 {
        match cmd.output() {
            Err(e) if e.raw_os_error() == Some(26) => {
                std::thread::sleep(std::time::Duration::from_millis(20))
            }
            other => return other.unwrap(),
        }
    }
    cmd.output().unwrap()
}

/// Runs the AppImage from `owd` and checks what AppRun saw; returns the APPDIR it ran in.
fn run_and_check(appimage: &Path, owd: &Path, tmp: &Path, extract: bool) -> PathBuf {
    let mut cmd = Command::new(appimage);
    cmd.args(["tel:10086", "second arg"])
        .current_dir(owd)
        .env("TMPDIR", tmp)
        .env_remove("APPIMAGE_EXTRACT_AND_RUN");
    if extract {
        cmd.env("APPIMAGE_EXTRACT_AND_RUN", "1");
    }
    let out = spawn_retrying(&mut cmd);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        out.status.code(),
        Some(7),
        "AppRun's exit code; output: {stdout}"
    );
    let value = |key: &str| {
        stdout
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{key}=")))
            .unwrap_or_else(|| panic!("no {key} in {stdout}"))
            .to_owned()
    };
    assert_eq!(value("APPIMAGE"), appimage.display().to_string());
    assert_eq!(value("OWD"), owd.display().to_string());
    assert_eq!(value("ARGS"), "tel:10086 second arg");
    assert!(stdout.contains("hello from the image"), "{stdout}");
    let appdir = PathBuf::from(value("APPDIR"));
    assert!(
        appdir.starts_with(tmp),
        "{} is not below TMPDIR",
        appdir.display()
    );
    assert!(
        gone_within(&appdir),
        "{} is still there after the app ended",
        appdir.display()
    );
    appdir
}

#[test]
fn extract_and_run_passes_arguments_and_environment_then_cleans_up() {
    let dir = scratch("extract-and-run");
    let Some(appimage) = make_appimage(&dir) else {
        return;
    };
    let tmp = dir.join("tmp");
    fs::create_dir_all(&tmp).unwrap();
    let appdir = run_and_check(&appimage, &dir, &tmp, true);
    let name = appdir.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with(".extract_"), "{name}");
}

#[test]
fn runs_mounted_or_else_unpacked_then_cleans_up() {
    let dir = scratch("run");
    let Some(appimage) = make_appimage(&dir) else {
        return;
    };
    let tmp = dir.join("tmp");
    fs::create_dir_all(&tmp).unwrap();
    let appdir = run_and_check(&appimage, &dir, &tmp, false);
    let name = appdir.file_name().unwrap().to_string_lossy().into_owned();
    // FUSE where the machine allows it (root, or fusermount3 and /dev/fuse); else unpacked.
    eprintln!("ran from {name}");
    assert!(
        name.starts_with(".mount_") || name.starts_with(".extract_"),
        "{name}"
    );
    let mounts = fs::read_to_string("/proc/mounts").unwrap_or_default();
    assert!(
        !mounts.contains(&appdir.display().to_string()),
        "still mounted"
    );
}

#[test]
fn unknown_runtime_options_are_refused() {
    let out = Command::new(env!("CARGO_BIN_EXE_appimage-runtime"))
        .arg("--appimage-frobnicate")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown option"));
}
