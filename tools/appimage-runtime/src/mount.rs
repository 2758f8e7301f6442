//! The image as a read-only FUSE filesystem, so the app runs without unpacking.
//!
//! Inode numbers are the image's node indices ([`crate::image`]); every answer is cached by
//! the kernel for a day, since nothing in the image ever changes.

use std::ffi::OsStr;
use std::io;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use fuser::{
    BackgroundSession, Config, Errno, FileAttr, FileHandle, FileType, Filesystem, FopenFlags,
    Generation, INodeNo, LockOwner, MountOption, OpenFlags, ReplyAttr, ReplyData, ReplyDirectory,
    ReplyEntry, ReplyOpen, Request,
};

use crate::image::{Image, Kind};

/// How long the kernel may keep attributes and names: the image is immutable.
const TTL: Duration = Duration::from_secs(86_400);

/// Serves an [`Image`] read-only.
struct ImageFs {
    image: Image,
    uid: u32,
    gid: u32,
}

/// Mounts `image` on `mountpoint` (an empty directory) and serves it from a background
/// thread until the returned session is unmounted or dropped.
///
/// # Errors
///
/// Whatever mounting reports: no `/dev/fuse`, no permission and no `fusermount3`, ...
pub fn mount(image: Image, mountpoint: &Path, name: &str) -> io::Result<BackgroundSession> {
    let mut config = Config::default();
    config.mount_options = vec![
        MountOption::RO,
        MountOption::Exec,
        MountOption::NoDev,
        MountOption::NoSuid,
        MountOption::FSName(name.to_owned()),
        MountOption::Subtype("appimage".to_owned()),
    ];
    // SAFETY: getuid/getgid cannot fail and touch no memory.
    let (uid, gid) = unsafe { (libc::getuid(), libc::getgid()) };
    fuser::spawn_mount(ImageFs { image, uid, gid }, mountpoint, &config)
}

/// Unmounts `mountpoint`, then waits for `session` to end.
///
/// WebKit's helper processes can outlive the app by a moment and keep files of the image
/// open, which makes a plain unmount fail with `EBUSY`: retry for up to 5 s while still
/// serving them, then detach lazily (the kernel ends the mount when the last file closes).
/// As root this is umount(2); otherwise the setuid `fusermount3`/`fusermount -u`.
pub fn unmount(session: BackgroundSession, mountpoint: &Path) {
    let detached = (0..50).any(|_| {
        let done = unmount_once(mountpoint, false);
        if !done {
            std::thread::sleep(Duration::from_millis(100));
        }
        done
    }) || unmount_once(mountpoint, true);
    if detached {
        // The serving thread ends when the kernel closes the connection.
        let _ = session.join();
    }
}

fn unmount_once(mountpoint: &Path, lazy: bool) -> bool {
    let Ok(path) = std::ffi::CString::new(mountpoint.as_os_str().as_encoded_bytes()) else {
        return false;
    };
    let flags = if lazy { libc::MNT_DETACH } else { 0 };
    // SAFETY: umount2 reads the NUL-terminated path we own.
    if unsafe { libc::umount2(path.as_ptr(), flags) } == 0 {
        return true;
    }
    if io::Error::last_os_error().raw_os_error() != Some(libc::EPERM) {
        return false;
    }
    ["fusermount3", "fusermount"].iter().any(|tool| {
        let mut cmd = std::process::Command::new(tool);
        cmd.args(["-u", "-q"]);
        if lazy {
            cmd.arg("-z");
        }
        cmd.arg("--")
            .arg(mountpoint)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

impl ImageFs {
    fn attr(&self, ino: u64) -> Option<FileAttr> {
        let node = self.image.node(ino)?;
        let (kind, size, nlink) = match self.image.kind(ino)? {
            Kind::Dir => (FileType::Directory, 0, 2),
            Kind::File(f) => (FileType::RegularFile, f.file_len() as u64, 1),
            Kind::Symlink(link) => (FileType::Symlink, link.as_os_str().len() as u64, 1),
            Kind::Other => (FileType::RegularFile, 0, 1),
        };
        let mtime = UNIX_EPOCH + Duration::from_secs(u64::from(node.header.mtime));
        Some(FileAttr {
            ino: INodeNo(ino),
            size,
            blocks: size.div_ceil(512),
            atime: mtime,
            mtime,
            ctime: mtime,
            crtime: SystemTime::UNIX_EPOCH,
            kind,
            perm: node.header.permissions & 0o7777,
            nlink,
            uid: self.uid,
            gid: self.gid,
            rdev: 0,
            blksize: 4096,
            flags: 0,
        })
    }
}

impl Filesystem for ImageFs {
    fn lookup(&self, _req: &Request, parent: INodeNo, name: &OsStr, reply: ReplyEntry) {
        match self
            .image
            .lookup(parent.0, name)
            .and_then(|ino| self.attr(ino))
        {
            Some(attr) => reply.entry(&TTL, &attr, Generation(0)),
            None => reply.error(Errno::ENOENT),
        }
    }

    fn getattr(&self, _req: &Request, ino: INodeNo, _fh: Option<FileHandle>, reply: ReplyAttr) {
        match self.attr(ino.0) {
            Some(attr) => reply.attr(&TTL, &attr),
            None => reply.error(Errno::ENOENT),
        }
    }

    fn readlink(&self, _req: &Request, ino: INodeNo, reply: ReplyData) {
        match self.image.kind(ino.0) {
            Some(Kind::Symlink(link)) => {
                reply.data(std::os::unix::ffi::OsStrExt::as_bytes(link.as_os_str()))
            }
            _ => reply.error(Errno::EINVAL),
        }
    }

    fn open(&self, _req: &Request, ino: INodeNo, flags: OpenFlags, reply: ReplyOpen) {
        if flags.0 & libc::O_ACCMODE != libc::O_RDONLY {
            return reply.error(Errno::EROFS);
        }
        match self.image.kind(ino.0) {
            // The content never changes: let the page cache outlive each open.
            Some(Kind::File(_)) => reply.opened(FileHandle(0), FopenFlags::FOPEN_KEEP_CACHE),
            Some(_) => reply.error(Errno::EINVAL),
            None => reply.error(Errno::ENOENT),
        }
    }

    fn read(
        &self,
        _req: &Request,
        ino: INodeNo,
        _fh: FileHandle,
        offset: u64,
        size: u32,
        _flags: OpenFlags,
        _lock_owner: Option<LockOwner>,
        reply: ReplyData,
    ) {
        let Some(Kind::File(file)) = self.image.kind(ino.0) else {
            return reply.error(Errno::ENOENT);
        };
        match self.image.read(file, offset, size as usize) {
            Ok(data) => reply.data(&data),
            Err(_) => reply.error(Errno::EIO),
        }
    }

    fn readdir(
        &self,
        _req: &Request,
        ino: INodeNo,
        _fh: FileHandle,
        offset: u64,
        mut reply: ReplyDirectory,
    ) {
        if !matches!(self.image.kind(ino.0), Some(Kind::Dir)) {
            return reply.error(Errno::ENOTDIR);
        }
        let parent = self.image.parent(ino.0);
        let dots = [
            (OsStr::new("."), ino.0, FileType::Directory),
            (OsStr::new(".."), parent, FileType::Directory),
        ];
        let entries = dots
            .into_iter()
            .chain(self.image.children(ino.0).map(|(name, child)| {
                let kind = self
                    .attr(child)
                    .map_or(FileType::RegularFile, |attr| attr.kind);
                (name, child, kind)
            }));
        // Each entry's offset is the one to resume after it.
        for (i, (name, child, kind)) in entries.enumerate().skip(offset as usize) {
            if reply.add(INodeNo(child), i as u64 + 1, kind, name) {
                break;
            }
        }
        reply.ok();
    }
}
