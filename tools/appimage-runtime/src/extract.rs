//! Unpacks the image into a directory: `--appimage-extract` (into `./squashfs-root`) and the
//! extract-and-run fallback when FUSE is not available.

use std::fs::{self, File, Permissions};
use std::io::{self, BufWriter};
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::Path;

use crate::image::{Image, Kind, ROOT};

/// Writes the whole image below `dest` (created if missing) and returns the number of
/// entries written. Modes are kept; owners and times are not (the extracting user owns
/// everything, as with the reference runtime).
///
/// # Errors
///
/// Any error decompressing the image or writing below `dest`.
pub fn extract_all(image: &Image, dest: &Path) -> io::Result<u64> {
    fs::create_dir_all(dest)?;
    let mut written = 0;
    let mut dirs = Vec::new();
    for ino in ROOT + 1..=image.len() {
        let (Some(node), Some(kind)) = (image.node(ino), image.kind(ino)) else {
            continue;
        };
        // Image paths are absolute ("/usr/bin/app"); refuse anything that would climb out.
        let relative = node.fullpath.strip_prefix("/").unwrap_or(&node.fullpath);
        if relative
            .components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("unsafe path in image: {}", node.fullpath.display()),
            ));
        }
        let target = dest.join(relative);
        let mode = u32::from(node.header.permissions) & 0o7777;
        match kind {
            Kind::Dir => {
                fs::create_dir_all(&target)?;
                // Set after the contents are written, in case a directory is read-only.
                dirs.push((target, mode));
            }
            Kind::File(file) => {
                let _ = fs::remove_file(&target);
                let mut out = BufWriter::new(File::create(&target)?);
                image.copy_to(file, &mut out)?;
                out.into_inner().map_err(|e| e.into_error())?;
                fs::set_permissions(&target, Permissions::from_mode(mode))?;
            }
            Kind::Symlink(link) => {
                let _ = fs::remove_file(&target);
                symlink(link, &target)?;
            }
            Kind::Other => continue,
        }
        written += 1;
    }
    for (dir, mode) in dirs.into_iter().rev() {
        fs::set_permissions(&dir, Permissions::from_mode(mode | 0o700))?;
    }
    Ok(written)
}
