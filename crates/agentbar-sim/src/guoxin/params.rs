//! Query parameters of `/bridge/callctrl` and friends, decoded as a Java servlet does (`+` is a
//! space, `%xx` bytes), forgiving the seed's printing slips.

/// Decoded `k=v` pairs in the order sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params(pub Vec<(String, String)>);

fn decode(s: &str) -> String {
    let s = s.replace('+', " ");
    percent_encoding::percent_decode_str(&s)
        .decode_utf8_lossy()
        .into_owned()
}

impl Params {
    /// Parses a query string (or a form body).
    ///
    /// # Format
    ///
    /// Sections 15 to 17 of the seed print their URL with the path twice,
    /// `/bridge/callctrl?/bridge/callctrl?leaderExtnum=803&wokerExtnum=801&opt=CALL_MONITOR`;
    /// a client pasting it sends the query `/bridge/callctrl?leaderExtnum=803&...`, so a query
    /// that starts with `/` is read from after its last `?`. Empty pairs (`state=reducing&&opt=`
    /// in section 8) are skipped.
    pub fn parse(query: &str) -> Params {
        let query = if query.starts_with('/') {
            query.rsplit_once('?').map_or("", |(_, q)| q)
        } else {
            query
        };
        Params(
            query
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| match p.split_once('=') {
                    Some((k, v)) => (decode(k), decode(v)),
                    None => (decode(p), String::new()),
                })
                .collect(),
        )
    }

    /// Adds the pairs of a form body after the query's.
    pub fn extend_form(&mut self, body: &str) {
        self.0.extend(Params::parse(body).0);
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

    /// Pairs whose name starts with `prefix` (the `ttsXXX` variables of `IVR_TTS_CALL`).
    pub fn prefixed(&self, prefix: &str) -> Vec<(String, String)> {
        self.0
            .iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_1_click_to_dial_sample() {
        let p = Params::parse("caller=801&callee=135xxxxxxx&authtype=no&opt=CLICK_TO_DIAL");
        assert_eq!(p.str("caller"), "801");
        assert_eq!(p.str("callee"), "135xxxxxxx");
        assert_eq!(p.str("opt"), "CLICK_TO_DIAL");
    }

    #[test]
    fn seed_15_doubled_path_is_forgiven() {
        let p = Params::parse("/bridge/callctrl?leaderExtnum=803&wokerExtnum=801&opt=CALL_MONITOR");
        assert_eq!(p.str("leaderExtnum"), "803");
        assert_eq!(p.str("wokerExtnum"), "801");
        assert_eq!(p.str("opt"), "CALL_MONITOR");
    }

    #[test]
    fn seed_8_double_ampersand_and_21_encoded_callid() {
        let p = Params::parse("extnum=801&state=reducing&&opt=SET_EXT_PRESENCE_STATE");
        assert_eq!(p.0.len(), 3);
        assert_eq!(p.str("state"), "reducing");
        let p = Params::parse(
            "callid=df0897e8-b468-4b57-a5d8-9b48c92aa9c5%40192.168.1.86&opt=CALL_LOG_GET_WITH_CALLID",
        );
        assert_eq!(
            p.str("callid"),
            "df0897e8-b468-4b57-a5d8-9b48c92aa9c5@192.168.1.86"
        );
    }

    #[test]
    fn tts_variables_and_spaces() {
        let p = Params::parse("token=1&ttsabc=%E4%BD%A0%E5%A5%BD+x&ttsdef=2&opt=IVR_TTS_CALL");
        assert_eq!(
            p.prefixed("tts"),
            vec![
                ("ttsabc".to_owned(), "你好 x".to_owned()),
                ("ttsdef".to_owned(), "2".to_owned())
            ]
        );
    }
}
