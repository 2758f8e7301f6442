//! The squashfs image appended to the runtime, opened once and indexed by inode number for
//! both extraction ([`crate::extract`]) and the FUSE mount ([`crate::mount`]).

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use backhand::{FilesystemReader, InnerNode, Node, SquashfsFileReader};

/// Inode number of the image's root directory (FUSE's root is 1 too).
pub const ROOT: u64 = 1;

/// An opened image: backhand's node list plus, per directory, its children by name.
pub struct Image {
    fs: FilesystemReader<'static>,
    /// Inode `n` is `fs.root.nodes[n - 1]`.
    children: Vec<BTreeMap<OsString, u64>>,
    /// Parent inode of each inode (the root is its own parent).
    parents: Vec<u64>,
}

/// What an inode is, as far as running an app needs.
pub enum Kind<'a> {
    Dir,
    File(&'a SquashfsFileReader),
    Symlink(&'a Path),
    /// Devices, pipes and sockets: listed, but an AppDir has no use for them.
    Other,
}

impl Image {
    /// Opens the squashfs image that starts at `offset` in `path`.
    ///
    /// # Errors
    ///
    /// `InvalidData` when there is no readable squashfs image there.
    pub fn open(path: &Path, offset: u64) -> io::Result<Self> {
        let reader = BufReader::new(File::open(path)?);
        let fs = FilesystemReader::from_reader_with_offset(reader, offset)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
        let nodes = &fs.root.nodes;
        if nodes.first().map(|n| n.fullpath.as_path()) != Some(Path::new("/")) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "the image has no root directory",
            ));
        }
        let index: BTreeMap<&Path, u64> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.fullpath.as_path(), i as u64 + 1))
            .collect();
        let mut children = vec![BTreeMap::new(); nodes.len()];
        let mut parents = vec![ROOT; nodes.len()];
        for (i, node) in nodes.iter().enumerate().skip(1) {
            let (Some(parent), Some(name)) = (node.fullpath.parent(), node.fullpath.file_name())
            else {
                continue;
            };
            let Some(&parent_ino) = index.get(parent) else {
                continue;
            };
            children[(parent_ino - 1) as usize].insert(name.to_owned(), i as u64 + 1);
            parents[i] = parent_ino;
        }
        Ok(Self {
            fs,
            children,
            parents,
        })
    }

    /// The number of inodes (the largest inode number).
    pub fn len(&self) -> u64 {
        self.fs.root.nodes.len() as u64
    }

    /// The node behind inode `ino`, if there is one.
    pub fn node(&self, ino: u64) -> Option<&Node<SquashfsFileReader>> {
        let i = usize::try_from(ino.checked_sub(1)?).ok()?;
        self.fs.root.nodes.get(i)
    }

    /// What inode `ino` is.
    pub fn kind(&self, ino: u64) -> Option<Kind<'_>> {
        Some(match &self.node(ino)?.inner {
            InnerNode::Dir(_) => Kind::Dir,
            InnerNode::File(f) => Kind::File(f),
            InnerNode::Symlink(s) => Kind::Symlink(&s.link),
            _ => Kind::Other,
        })
    }

    /// The entries of directory `ino`, sorted by name.
    pub fn children(&self, ino: u64) -> impl Iterator<Item = (&OsStr, u64)> {
        let i = ino.checked_sub(1).map(|i| i as usize);
        i.and_then(|i| self.children.get(i))
            .into_iter()
            .flat_map(|c| c.iter().map(|(name, &ino)| (name.as_os_str(), ino)))
    }

    /// The inode named `name` in directory `parent`.
    pub fn lookup(&self, parent: u64, name: &OsStr) -> Option<u64> {
        let i = usize::try_from(parent.checked_sub(1)?).ok()?;
        self.children.get(i)?.get(name).copied()
    }

    /// The parent directory of `ino`.
    pub fn parent(&self, ino: u64) -> u64 {
        ino.checked_sub(1)
            .and_then(|i| self.parents.get(i as usize).copied())
            .unwrap_or(ROOT)
    }

    /// Reads up to `size` bytes of `file` from `offset`.
    ///
    /// # Errors
    ///
    /// Any error decompressing the file's blocks.
    pub fn read(&self, file: &SquashfsFileReader, offset: u64, size: usize) -> io::Result<Vec<u8>> {
        let len = file.file_len() as u64;
        if offset >= len {
            return Ok(Vec::new());
        }
        let size = size.min((len - offset) as usize);
        let mut reader = self.fs.file(file).reader();
        // Seeking skips whole blocks without decompressing them.
        reader.seek(SeekFrom::Start(offset))?;
        let mut buf = vec![0; size];
        reader.read_exact(&mut buf)?;
        Ok(buf)
    }

    /// Copies all of `file` into `out`.
    ///
    /// # Errors
    ///
    /// Any error decompressing or writing.
    pub fn copy_to(&self, file: &SquashfsFileReader, out: &mut impl io::Write) -> io::Result<u64> {
        io::copy(&mut self.fs.file(file).reader(), out)
    }
}
