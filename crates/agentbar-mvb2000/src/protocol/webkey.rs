//! The daily `webkey` request parameter, derived from the server's secret web key.

use chrono::{Datelike, NaiveDate};
use md5::{Digest, Md5};
use std::fmt;

/// The secret "WEB密钥" set on the MVB2000 (seed 1.3.1).
///
/// It never leaves this process: only [`WebKey::daily`] digests go on the
/// wire. `Debug` hides it and there is deliberately no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct WebKey(String);

impl WebKey {
    /// Wraps the secret as configured on the server.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The `webkey` parameter for `date`, which must be the server's date.
    pub fn daily(&self, date: NaiveDate) -> String {
        webkey(&self.0, date)
    }
}

impl fmt::Debug for WebKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebKey(***)")
    }
}

/// Computes the `webkey` parameter: lower-case hex md5 of the secret followed by the date.
///
/// # Format
///
/// Seed 30.2: the secret `0866089e569bbd3d` on 2011-06-21 gives the string
/// `"0866089e569bbd3d2011-06-21"`, whose md5 is `ffccb30a388e48ade2d7ea56909cbabf`.
/// The date is the server's date (seed 1.3.4 step one), formatted `yyyy-mm-dd`
/// with zero padding.
pub fn webkey(web_key: &str, date: NaiveDate) -> String {
    let input = format!(
        "{web_key}{:04}-{:02}-{:02}",
        date.year(),
        date.month(),
        date.day()
    );
    md5_hex(input.as_bytes())
}

/// Lower-case hex md5, as the seed's C# and PHP samples print it.
///
/// # Format
///
/// Seed 1.3.3 and 30.5: `"123456"` gives `e10adc3949ba59abbe56e057f20f883e`.
pub fn md5_hex(bytes: &[u8]) -> String {
    Md5::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_30_2_webkey() {
        let date = NaiveDate::from_ymd_opt(2011, 6, 21).unwrap();
        assert_eq!(
            webkey("0866089e569bbd3d", date),
            "ffccb30a388e48ade2d7ea56909cbabf"
        );
        assert_eq!(
            WebKey::new("0866089e569bbd3d").daily(date),
            "ffccb30a388e48ade2d7ea56909cbabf"
        );
    }

    #[test]
    fn seed_1_3_3_md5_reference() {
        assert_eq!(md5_hex(b"123456"), "e10adc3949ba59abbe56e057f20f883e");
    }

    #[test]
    fn debug_hides_the_secret() {
        let key = WebKey::new("0866089e569bbd3d");
        assert_eq!(format!("{key:?}"), "WebKey(***)");
        assert!(!format!("{:?}", Some(&key)).contains("0866"));
    }

    #[test]
    fn single_digit_month_and_day_are_padded() {
        let date = NaiveDate::from_ymd_opt(2024, 1, 5).unwrap();
        assert_eq!(webkey("k", date), md5_hex(b"k2024-01-05"));
    }
}
