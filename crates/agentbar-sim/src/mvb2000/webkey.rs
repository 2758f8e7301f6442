//! The MVB2000 webkey: `md5(web_key + "yyyy-mm-dd")`, lower-case hex (seed sec 30.2).

use md5::{Digest, Md5};

/// Computes the webkey for `web_key` on `date` (`yyyy-mm-dd`).
///
/// # Format
///
/// `webkey("0866089e569bbd3d", "2011-06-21") == "ffccb30a388e48ade2d7ea56909cbabf"` (seed 30.2).
pub fn webkey(web_key: &str, date: &str) -> String {
    let digest = Md5::digest(format!("{web_key}{date}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn seed_sample() {
        assert_eq!(
            super::webkey("0866089e569bbd3d", "2011-06-21"),
            "ffccb30a388e48ade2d7ea56909cbabf"
        );
    }
}
