//! `PairingToken`: the secret a client without an origin (or, in `strict` mode, every client)
//! must present. Shown in settings, kept in the key ring, rotatable.
//!
//! # Format
//!
//! 32 random bytes as 64 lower-case hex digits, presented either way:
//!
//! ```text
//! GET /?type=1&apiKey=3f2a...c9
//! POST /api/v1/commands
//! Authorization: Bearer 3f2a...c9
//! ```

use rand::RngCore;
use std::fmt;

/// Bytes of randomness in a token.
const BYTES: usize = 32;

/// The pairing token. `Debug` shows `***`; only [`PairingToken::reveal`] gives the text, for
/// the settings page and the key ring.
#[derive(Clone, PartialEq, Eq)]
pub struct PairingToken {
    /// The hex text, kept as such since that is what callers present.
    hex: String,
}

/// Why a token could not be made, loaded or found in a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    #[error("the OS random number generator failed")]
    Rng,
    /// A stored token is not 64 hex digits.
    #[error("a pairing token is 64 hex digits")]
    Format,
    /// `apiKey` twice, or `apiKey` and `Authorization` with different values.
    #[error("the pairing token was given more than once")]
    Ambiguous,
    #[error("Authorization: only the Bearer scheme is accepted")]
    Scheme,
}

impl PairingToken {
    /// A fresh token from the OS random number generator (also how the token is rotated).
    ///
    /// # Errors
    ///
    /// [`TokenError::Rng`] if the OS cannot give randomness.
    pub fn generate() -> Result<PairingToken, TokenError> {
        let mut bytes = [0u8; BYTES];
        rand::rngs::OsRng
            .try_fill_bytes(&mut bytes)
            .map_err(|_| TokenError::Rng)?;
        let mut hex = String::with_capacity(BYTES * 2);
        for b in bytes {
            hex.push(char::from(HEX[usize::from(b >> 4)]));
            hex.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
        Ok(PairingToken { hex })
    }

    /// A token read back from the key ring. Upper-case digits are taken and lower-cased.
    ///
    /// # Errors
    ///
    /// [`TokenError::Format`] unless `text` is 64 hex digits.
    pub fn from_hex(text: &str) -> Result<PairingToken, TokenError> {
        if text.len() == BYTES * 2 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(PairingToken {
                hex: text.to_ascii_lowercase(),
            })
        } else {
            Err(TokenError::Format)
        }
    }

    /// The token's text, for the settings page and the key ring only. Never log it.
    pub fn reveal(&self) -> &str {
        &self.hex
    }

    /// Whether `presented` is this token. The time taken does not depend on where the two
    /// differ, so a page cannot find the token a byte at a time.
    pub fn matches(&self, presented: &str) -> bool {
        let a = self.hex.as_bytes();
        let b = presented.as_bytes();
        // The length is public (always 64), so returning early on it leaks nothing.
        if a.len() != b.len() {
            return false;
        }
        let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
        std::hint::black_box(diff) == 0
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

impl fmt::Debug for PairingToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PairingToken(***)")
    }
}

/// The token a request presents: the `apiKey` parameter (name matched without case, as the
/// 800hu parameters are) among `params`, or the `Authorization: Bearer` header value.
///
/// # Errors
///
/// [`TokenError::Ambiguous`] when it is given twice with different values (or `apiKey`
/// twice); [`TokenError::Scheme`] for an `Authorization` header that is not `Bearer`.
pub fn presented_token<'a>(
    params: &'a [(String, String)],
    authorization: Option<&'a str>,
) -> Result<Option<&'a str>, TokenError> {
    let mut keys = params
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("apikey"))
        .map(|(_, v)| v.as_str());
    let from_param = keys.next();
    if keys.next().is_some() {
        return Err(TokenError::Ambiguous);
    }
    let from_header = match authorization {
        None => None,
        Some(h) => {
            let h = h.trim();
            let (scheme, value) = h.split_once(' ').ok_or(TokenError::Scheme)?;
            if !scheme.eq_ignore_ascii_case("bearer") {
                return Err(TokenError::Scheme);
            }
            Some(value.trim())
        }
    };
    match (from_param, from_header) {
        (Some(p), Some(h)) if p != h => Err(TokenError::Ambiguous),
        (p, h) => Ok(h.or(p)),
    }
}

#[cfg(test)]
mod tests {
    use super::{presented_token, PairingToken, TokenError};

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn generated_tokens_are_64_hex_and_differ() {
        let a = PairingToken::generate().unwrap();
        let b = PairingToken::generate().unwrap();
        assert_eq!(a.reveal().len(), 64);
        assert!(a
            .reveal()
            .bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)));
        assert_ne!(a, b);
        assert!(a.matches(a.reveal()));
        assert!(!a.matches(b.reveal()));
    }

    #[test]
    fn debug_never_shows_the_token() {
        let t = PairingToken::generate().unwrap();
        let shown = format!("{t:?} {:?}", Some(&t));
        assert!(!shown.contains(t.reveal()));
        assert!(shown.contains("***"));
    }

    #[test]
    fn matching() {
        let hex = "0123456789abcdef".repeat(4);
        let t = PairingToken::from_hex(&hex.to_uppercase()).unwrap();
        assert_eq!(t.reveal(), hex);
        assert!(t.matches(&hex));
        assert!(!t.matches(""));
        assert!(!t.matches(&hex[..63]));
        assert!(!t.matches(&format!("{hex}0")));
        let mut last = hex.clone();
        last.replace_range(63.., "e");
        assert!(!t.matches(&last));
        assert_eq!(PairingToken::from_hex("abc"), Err(TokenError::Format));
        assert_eq!(
            PairingToken::from_hex(&"g".repeat(64)),
            Err(TokenError::Format)
        );
    }

    #[test]
    fn found_in_api_key_or_bearer() {
        assert_eq!(presented_token(&pairs(&[("type", "1")]), None), Ok(None));
        assert_eq!(
            presented_token(&pairs(&[("APIKEY", "k")]), None),
            Ok(Some("k"))
        );
        assert_eq!(presented_token(&[], Some("Bearer k")), Ok(Some("k")));
        assert_eq!(presented_token(&[], Some("bearer  k ")), Ok(Some("k")));
        assert_eq!(
            presented_token(&pairs(&[("apiKey", "k")]), Some("Bearer k")),
            Ok(Some("k"))
        );
        assert_eq!(
            presented_token(&pairs(&[("apiKey", "k")]), Some("Bearer j")),
            Err(TokenError::Ambiguous)
        );
        assert_eq!(
            presented_token(&pairs(&[("apiKey", "k"), ("apikey", "k")]), None),
            Err(TokenError::Ambiguous)
        );
        assert_eq!(
            presented_token(&[], Some("Basic dTpw")),
            Err(TokenError::Scheme)
        );
        assert_eq!(
            presented_token(&[], Some("Bearer")),
            Err(TokenError::Scheme)
        );
    }
}
