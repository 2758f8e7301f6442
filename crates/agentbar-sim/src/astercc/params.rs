//! Request parameters of `/asterccinterfaces`: a form body and/or a query string, decoded the
//! way PHP does (`+` is a space, `%xx` bytes), the body's values winning as in `$_REQUEST`.

/// Decoded `k=v` pairs, body pairs first, each part in the order sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params(pub Vec<(String, String)>);

fn decode(s: &str) -> String {
    let s = s.replace('+', " ");
    percent_encoding::percent_decode_str(&s)
        .decode_utf8_lossy()
        .into_owned()
}

fn pairs(raw: &str) -> impl Iterator<Item = (String, String)> + '_ {
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
}

impl Params {
    /// Parses a form body and a query string; a name present in both reads from the body.
    pub fn parse(body: &str, query: &str) -> Params {
        Params(pairs(body).chain(pairs(query)).collect())
    }

    /// The first value of `name`, if present (even empty).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of `name`, trimmed, or empty when absent.
    pub fn str(&self, name: &str) -> &str {
        self.get(name).map(str::trim).unwrap_or("")
    }

    /// The trimmed value of the first of `names` that is present and not empty.
    pub fn any(&self, names: &[&str]) -> &str {
        names
            .iter()
            .map(|n| self.str(n))
            .find(|v| !v.is_empty())
            .unwrap_or("")
    }

    /// Whether `name` was sent at all.
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

/// Splits a comma list (`100,101,` or `100, 101`), dropping empty items and repeats.
pub fn list(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in s.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        if !out.iter().any(|o| o == item) {
            out.push(item.to_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_4_login_sample_body_and_query() {
        let p = Params::parse(
            "EVENT=LOGIN&orgidentity=astercc&usertype=agent&user=2227&pwdtype=plaintext&password=2227",
            "user=9999&extra=%E5%BC%A0+%E4%B8%89",
        );
        assert_eq!(p.get("EVENT"), Some("LOGIN"));
        assert_eq!(p.str("user"), "2227");
        assert_eq!(p.str("extra"), "张 三");
        assert!(!p.has("list"));
    }

    #[test]
    fn lists_drop_blanks_and_repeats() {
        assert_eq!(list("100,101,"), vec!["100", "101"]);
        assert_eq!(list(" 100 , 100,,101"), vec!["100", "101"]);
        assert!(list("").is_empty());
    }
}
