//! Runs the AppDir's `AppRun` as this very process, so the AppImage's process id is the
//! app's: signals, `kill` and exit codes reach the app itself.
//!
//! Before `exec`, a forked helper takes over what must outlive the app: in mount mode it
//! serves the FUSE mount; after extraction it waits to delete the unpacked copy. It learns
//! of the app's end through `PR_SET_PDEATHSIG` (SIGTERM once its parent is gone), then
//! unmounts or deletes and exits. Fork happens while the process has one thread (backhand
//! runs without rayon here), so the child may start threads of its own.

use std::ffi::OsString;
use std::fs::{self, DirBuilder};
use std::io::{self, Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::fs::DirBuilderExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::extract::extract_all;
use crate::image::Image;
use crate::mount::{mount, unmount};

/// What `run` needs to know about the invocation.
pub struct Invocation {
    /// The AppImage file itself (`APPIMAGE`).
    pub appimage: PathBuf,
    /// How it was called (`ARGV0`).
    pub argv0: OsString,
    /// The arguments for the app.
    pub args: Vec<OsString>,
}

/// Mounts the image (or unpacks it when mounting fails or `extract` is set) and replaces
/// this process with `AppRun`. Returns only on failure. `open` opens the image (once more
/// when a failed mount falls back to unpacking).
pub fn run(
    open: impl Fn() -> io::Result<Image>,
    invocation: &Invocation,
    extract: bool,
) -> io::Error {
    let name = invocation
        .appimage
        .file_stem()
        .map(|s| s.to_string_lossy().chars().take(8).collect::<String>())
        .unwrap_or_default()
        .replace(|c: char| !c.is_ascii_alphanumeric(), "");
    let mounted = if extract {
        None
    } else {
        match open().and_then(|image| mount_in_helper(image, &name)) {
            Ok(dir) => Some(dir),
            Err(e) => {
                eprintln!("appimage: cannot mount ({e}); extracting to a temporary folder instead");
                None
            }
        }
    };
    let root = match mounted {
        Some(dir) => Ok(dir),
        None => open().and_then(|image| extract_with_cleanup(&image, &name)),
    };
    match root {
        Ok(root) => exec_apprun(&root, invocation),
        Err(e) => e,
    }
}

fn exec_apprun(root: &Path, invocation: &Invocation) -> io::Error {
    let owd = std::env::current_dir().unwrap_or_default();
    let error = Command::new(root.join("AppRun"))
        .args(&invocation.args)
        .env("APPDIR", root)
        .env("APPIMAGE", &invocation.appimage)
        .env("ARGV0", &invocation.argv0)
        .env("OWD", owd)
        .exec();
    io::Error::new(error.kind(), format!("cannot run AppRun: {error}"))
}

/// Mounts in a forked helper and returns the mount point once the mount serves.
fn mount_in_helper(image: Image, name: &str) -> io::Result<PathBuf> {
    let dir = private_dir(&format!(".mount_{name}"))?;
    let (ready_read, ready_write) = pipe()?;
    // SAFETY: getpid has no preconditions.
    let parent = unsafe { libc::getpid() };
    // SAFETY: the process is single-threaded here (see the module docs).
    match unsafe { libc::fork() } {
        -1 => Err(io::Error::last_os_error()),
        0 => {
            drop(ready_read);
            wait_setup(parent);
            let mut ready = fs::File::from(ready_write);
            match mount(image, &dir, name) {
                Ok(session) => {
                    let _ = ready.write_all(b"1");
                    drop(ready);
                    detach_stdio();
                    wait_for_parent_exit(parent);
                    unmount(session, &dir);
                    let _ = fs::remove_dir(&dir);
                    exit_helper(0)
                }
                Err(e) => {
                    let _ = ready.write_all(format!("0{e}").as_bytes());
                    exit_helper(1)
                }
            }
        }
        child => {
            drop(ready_write);
            let mut answer = String::new();
            let _ = fs::File::from(ready_read).read_to_string(&mut answer);
            if answer == "1" {
                return Ok(dir);
            }
            // SAFETY: reaping our own child; a null status pointer is allowed.
            unsafe { libc::waitpid(child, std::ptr::null_mut(), 0) };
            let _ = fs::remove_dir(&dir);
            let reason = answer
                .strip_prefix('0')
                .unwrap_or("the mount helper failed");
            Err(io::Error::other(reason.to_owned()))
        }
    }
}

/// Unpacks into a private temporary folder and forks a helper that deletes it when the app
/// has ended.
fn extract_with_cleanup(image: &Image, name: &str) -> io::Result<PathBuf> {
    let dir = private_dir(&format!(".extract_{name}"))?;
    if let Err(e) = extract_all(image, &dir) {
        let _ = fs::remove_dir_all(&dir);
        return Err(e);
    }
    // SAFETY: getpid has no preconditions.
    let parent = unsafe { libc::getpid() };
    // SAFETY: the process is single-threaded here (see the module docs).
    match unsafe { libc::fork() } {
        -1 => {
            let e = io::Error::last_os_error();
            let _ = fs::remove_dir_all(&dir);
            Err(e)
        }
        0 => {
            wait_setup(parent);
            detach_stdio();
            wait_for_parent_exit(parent);
            let _ = fs::remove_dir_all(&dir);
            exit_helper(0)
        }
        _ => Ok(dir),
    }
}

/// In the helper: keep terminal signals away (the app handles those; the helper must outlive
/// it) and ask for SIGTERM when the parent, soon the app, ends.
fn wait_setup(parent: libc::pid_t) {
    // SAFETY: plain libc calls on a local, initialised signal set.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for sig in [libc::SIGTERM, libc::SIGINT, libc::SIGHUP, libc::SIGQUIT] {
            libc::sigaddset(&mut set, sig);
        }
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM as libc::c_ulong);
        let _ = libc::chdir(c"/".as_ptr());
        if libc::getppid() != parent {
            // The parent died before the request above: nothing will signal us.
            libc::raise(libc::SIGTERM);
        }
    }
}

/// In the helper, once nothing more goes to the parent: hold none of the caller's pipes open
/// past the app (`$(appimage ...)` returns when the app ends). The helper prints nothing.
fn detach_stdio() {
    // SAFETY: open/dup2/close on descriptors this process owns.
    unsafe {
        let null = libc::open(c"/dev/null".as_ptr(), libc::O_RDWR);
        if null >= 0 {
            for fd in 0..3 {
                libc::dup2(null, fd);
            }
            if null > 2 {
                libc::close(null);
            }
        }
    }
}

/// Blocks until SIGTERM arrives and the parent is really gone (a SIGTERM sent to the whole
/// process group while the app still runs is ignored).
fn wait_for_parent_exit(parent: libc::pid_t) {
    // SAFETY: sigwait on a local, initialised set of signals blocked by `wait_setup`.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGTERM);
        loop {
            let mut sig = 0;
            libc::sigwait(&set, &mut sig);
            if libc::getppid() != parent {
                return;
            }
        }
    }
}

fn exit_helper(code: i32) -> ! {
    // SAFETY: ends the helper without running the parent's atexit handlers a second time.
    unsafe { libc::_exit(code) }
}

/// A new, empty folder only this user can enter, under `$TMPDIR` or `/tmp`.
fn private_dir(prefix: &str) -> io::Result<PathBuf> {
    let base = std::env::var_os("TMPDIR")
        .filter(|t| !t.is_empty())
        .map_or_else(|| PathBuf::from("/tmp"), PathBuf::from);
    let seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
        ^ u64::from(std::process::id()).rotate_left(32);
    for attempt in 0..100u64 {
        let suffix = seed.wrapping_add(attempt.wrapping_mul(0x9e37_79b9_7f4a_7c15)) % 0xff_ffff;
        let dir = base.join(format!("{prefix}{suffix:06x}"));
        match DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other("no free temporary folder name"))
}

/// A close-on-exec pipe: (read end, write end).
fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: pipe2 writes two descriptors into the array we own.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: both descriptors were just opened and belong to nobody else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}
