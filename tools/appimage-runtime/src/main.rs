//! A small type-2 AppImage runtime: the ELF at the head of Agent Bar's AppImage, with the
//! AppDir appended as a zstd squashfs image.
//!
//! ```text
//! Agent_Bar.AppImage [ARGS...]             run the app (FUSE mount, else unpack and run)
//! Agent_Bar.AppImage --appimage-extract    unpack into ./squashfs-root
//! Agent_Bar.AppImage --appimage-extract-and-run [ARGS...]
//! Agent_Bar.AppImage --appimage-offset     print where the image starts
//! Agent_Bar.AppImage --appimage-help | --appimage-version
//! ```
//!
//! `APPIMAGE_EXTRACT_AND_RUN=1` forces unpacking. The app gets `APPDIR`, `APPIMAGE`, `ARGV0`
//! and `OWD`. Not supported, unlike the reference runtime: update information, signatures,
//! `--appimage-mount`, `--appimage-portable-*`, extraction patterns, compressors other than
//! zstd.

mod elf;
mod extract;
mod image;
mod launch;
mod mount;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use image::Image;

fn main() -> ExitCode {
    let mut args = std::env::args_os();
    let argv0 = args.next().unwrap_or_default();
    let rest: Vec<OsString> = args.collect();
    match run(argv0, rest) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("appimage: {e}");
            ExitCode::from(127)
        }
    }
}

fn run(argv0: OsString, args: Vec<OsString>) -> std::io::Result<ExitCode> {
    let appimage = std::env::current_exe()?;
    let option = args
        .first()
        .and_then(|a| a.to_str())
        .filter(|a| a.starts_with("--appimage-"));
    match option {
        Some("--appimage-help") => {
            println!("{}", usage());
            Ok(ExitCode::SUCCESS)
        }
        Some("--appimage-version") => {
            println!("agentbar-appimage-runtime {}", env!("CARGO_PKG_VERSION"));
            Ok(ExitCode::SUCCESS)
        }
        Some("--appimage-offset") => {
            println!("{}", elf::image_offset(&appimage)?);
            Ok(ExitCode::SUCCESS)
        }
        Some("--appimage-extract") => {
            let dest = PathBuf::from("squashfs-root");
            let count = extract::extract_all(&open(&appimage)?, &dest)?;
            eprintln!("appimage: {count} entries extracted to {}", dest.display());
            Ok(ExitCode::SUCCESS)
        }
        Some("--appimage-extract-and-run") => {
            launch_app(&appimage, argv0, args[1..].to_vec(), true)
        }
        Some(other) => {
            eprintln!("appimage: unknown option {other}\n{}", usage());
            Ok(ExitCode::FAILURE)
        }
        None => {
            let extract = std::env::var_os("APPIMAGE_EXTRACT_AND_RUN").is_some_and(|v| v == "1");
            launch_app(&appimage, argv0, args, extract)
        }
    }
}

fn launch_app(
    appimage: &Path,
    argv0: OsString,
    args: Vec<OsString>,
    extract: bool,
) -> std::io::Result<ExitCode> {
    let invocation = launch::Invocation {
        appimage: appimage.to_path_buf(),
        argv0,
        args,
    };
    // `run` returns only when it could not start the app.
    Err(launch::run(|| open(appimage), &invocation, extract))
}

fn open(appimage: &Path) -> std::io::Result<Image> {
    let offset = elf::image_offset(appimage)?;
    Image::open(appimage, offset)
}

fn usage() -> &'static str {
    "usage: APPIMAGE [ARGS...]\n\
     \x20      APPIMAGE --appimage-extract            unpack into ./squashfs-root\n\
     \x20      APPIMAGE --appimage-extract-and-run [ARGS...]\n\
     \x20      APPIMAGE --appimage-offset             print where the squashfs image starts\n\
     \x20      APPIMAGE --appimage-help | --appimage-version\n\
     Set APPIMAGE_EXTRACT_AND_RUN=1 to unpack instead of mounting with FUSE."
}
