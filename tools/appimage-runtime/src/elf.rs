//! Where the squashfs image starts: right after the runtime's own ELF file.
//!
//! # Format
//!
//! A type-2 AppImage is `runtime ELF ++ squashfs image`. The ELF's last part is its section
//! header table, so the image starts at `e_shoff + e_shentsize * e_shnum`, read from the ELF
//! header (64-bit little-endian layout):
//!
//! ```text
//! 0x00  7f 45 4c 46        ELF magic
//! 0x04  02                 EI_CLASS: 64-bit
//! 0x05  01                 EI_DATA: little-endian
//! 0x08  41 49 02           "AI" 2: the AppImage type-2 magic, written by scripts/bundle.sh
//! 0x28  u64                e_shoff
//! 0x3a  u16                e_shentsize
//! 0x3c  u16                e_shnum
//! ```

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// Length of the 64-bit ELF header.
const HEADER_LEN: usize = 64;

/// The byte offset at which the appended squashfs image starts in `path`.
///
/// # Errors
///
/// `InvalidData` when `path` does not start with a 64-bit little-endian ELF header; any I/O
/// error reading it.
pub fn image_offset(path: &Path) -> io::Result<u64> {
    let mut header = [0u8; HEADER_LEN];
    File::open(path)?.read_exact(&mut header)?;
    offset_from_header(&header)
}

/// The end of the ELF file described by `header` (its first 64 bytes).
///
/// # Errors
///
/// `InvalidData` when `header` is not a 64-bit little-endian ELF header.
pub fn offset_from_header(header: &[u8; HEADER_LEN]) -> io::Result<u64> {
    if &header[..4] != b"\x7fELF" || header[4] != 2 || header[5] != 1 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "not a 64-bit little-endian ELF file",
        ));
    }
    let sh_offset = u64::from_le_bytes(header[0x28..0x30].try_into().expect("8 bytes"));
    let sh_entry_size = u16::from_le_bytes([header[0x3a], header[0x3b]]);
    let sh_count = u16::from_le_bytes([header[0x3c], header[0x3d]]);
    Ok(sh_offset + u64::from(sh_entry_size) * u64::from(sh_count))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(sh_offset: u64, entry: u16, count: u16) -> [u8; HEADER_LEN] {
        let mut h = [0u8; HEADER_LEN];
        h[..4].copy_from_slice(b"\x7fELF");
        h[4] = 2;
        h[5] = 1;
        h[8..11].copy_from_slice(b"AI\x02");
        h[0x28..0x30].copy_from_slice(&sh_offset.to_le_bytes());
        h[0x3a..0x3c].copy_from_slice(&entry.to_le_bytes());
        h[0x3c..0x3e].copy_from_slice(&count.to_le_bytes());
        h
    }

    #[test]
    fn image_starts_after_the_section_header_table() {
        let h = header(1_000_000, 64, 30);
        assert_eq!(offset_from_header(&h).unwrap(), 1_000_000 + 64 * 30);
    }

    #[test]
    fn refuses_what_is_not_a_64_bit_elf() {
        let mut h = header(0, 64, 1);
        h[4] = 1; // 32-bit
        assert!(offset_from_header(&h).is_err());
        assert!(offset_from_header(&[0u8; HEADER_LEN]).is_err());
    }

    #[test]
    fn the_test_binary_ends_where_its_header_says() {
        // A linker's output ends with its section header table, which is what the runtime
        // relies on for itself.
        let exe = std::env::current_exe().unwrap();
        let len = std::fs::metadata(&exe).unwrap().len();
        assert_eq!(image_offset(&exe).unwrap(), len);
    }
}
