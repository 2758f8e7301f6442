//! Query parameters in the order sent, decoded the way PHP does (`+` is a space, `%xx` bytes).

use super::errors::MvbError;

/// Decoded `k=v` pairs in order. A value may itself contain `=` (`variable=A=1|B=2`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params(pub Vec<(String, String)>);

fn decode(s: &str) -> String {
    let s = s.replace('+', " ");
    percent_encoding::percent_decode_str(&s)
        .decode_utf8_lossy()
        .into_owned()
}

impl Params {
    /// Parses a raw query string.
    pub fn parse(raw: &str) -> Params {
        Params(
            raw.split('&')
                .filter(|p| !p.is_empty())
                .map(|p| match p.split_once('=') {
                    Some((k, v)) => (decode(k), decode(v)),
                    None => (decode(p), String::new()),
                })
                .collect(),
        )
    }

    /// The first value of `name`, if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first non-empty (after trimming) value of `name`.
    pub fn opt(&self, name: &str) -> Option<&str> {
        self.get(name).map(str::trim).filter(|v| !v.is_empty())
    }

    /// A required parameter.
    ///
    /// # Errors
    /// 1001 when it is missing or empty.
    pub fn req(&self, name: &str) -> Result<&str, MvbError> {
        self.opt(name)
            .ok_or_else(|| MvbError::bad(format!("Missing parameter: {name}")))
    }

    /// An optional number.
    ///
    /// # Errors
    /// 1001 when present but not a number.
    pub fn num(&self, name: &str) -> Result<Option<u64>, MvbError> {
        match self.opt(name) {
            None => Ok(None),
            Some(v) => v
                .parse()
                .map(Some)
                .map_err(|_| MvbError::bad(format!("Invalid parameter {name}: {v}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Params;

    #[test]
    fn keeps_order_and_equals_in_values() {
        let p = Params::parse(
            "channel=SIP/7001&context=from-internal&variable=FIRSTEXTCALLER=7620|MVB_DIRECT=OUT&command=meetme%20list%209111",
        );
        assert_eq!(p.0[0], ("channel".into(), "SIP/7001".into()));
        assert_eq!(
            p.get("variable"),
            Some("FIRSTEXTCALLER=7620|MVB_DIRECT=OUT")
        );
        assert_eq!(p.get("command"), Some("meetme list 9111"));
    }
}
